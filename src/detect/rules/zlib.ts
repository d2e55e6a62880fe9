import { LEADING_VERSION, type DetectionRule } from '../rule.js';

/**
 * zlib. Its deflate/inflate copyright lines carry the version and exist only where zlib's code is
 * compiled in (a program that only includes zlib.h carries ZLIB_VERSION, never these lines), so
 * they need no anchor. Two copies at two versions (Node: its own zlib and V8's) give two groups.
 *
 * zlib-ng 2.x keeps zlib's lines verbatim (` deflate 1.3.1 Copyright …`) with its own ` zlib-ng 2.3.3`
 * several KB away (5.5 KB in sharp-libvips-darwin-x64 1.3.4), or with only `1.3.1.zlib-ng`: in a
 * slice that carries either, the lines are zlib-ng's, never zlib's.
 */
const ZLIB_NG_MARK = /(?:^|\s)zlib-ng \d|^\d+\.\d+\.\d+(?:\.\d+)?\.zlib-ng$/;

export const ZlibRule: DetectionRule = {
  identity: {
    id: 'zlib',
    name: 'zlib',
    supplier: 'Organization: zlib',
    originator: 'Person: Jean-loup Gailly and Mark Adler',
    cpe: { vendor: 'zlib', product: 'zlib' },
    purl: { type: 'generic', name: 'zlib' },
    downloadLocation: 'https://zlib.net/fossils/zlib-{version}.tar.gz',
    homepage: 'https://zlib.net/',
    licenseDeclared: 'Zlib',
    libraryFiles: [/^zlib1\.dll$/i, /^zlibwapi\.dll$/i, /^libz(?:\.\d+)*\.dylib$/, /^libz\.so(?:\.\d+)*$/],
  },
  files: { formats: ['pe', 'macho'] },
  strings: [
    { pattern: /(?:^|\s)deflate (?<version>1\.\d+(?:\.\d+){0,2}) Copyright 1995-\d{4} Jean-loup Gailly/, shows: 'version', excludeInSlice: ZLIB_NG_MARK },
    { pattern: /(?:^|\s)inflate (?<version>1\.\d+(?:\.\d+){0,2}) Copyright 1995-\d{4} Mark Adler/, shows: 'version', excludeInSlice: ZLIB_NG_MARK },
  ],
  versionInfo: [
    { key: 'FileVersion', when: { ProductName: /^zlib$/i }, pattern: LEADING_VERSION },
    { key: 'FileVersion', when: { FileDescription: /^zlib data compression library$/i }, pattern: LEADING_VERSION },
  ],
  fileNames: [
    { pattern: /^zlib1\.dll$/i, kind: 'abi-name' },
    { pattern: /^libz\.1(?:\.\d+)*\.dylib$/, kind: 'abi-name' },
  ],
  importNames: [/^zlib1\.dll$/i, /^zlibwapi\.dll$/i, /^libz(?:\.\d+)*\.dylib$/],
};
