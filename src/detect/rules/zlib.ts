import { definedSymbols, fileName, strings, versionInfo, LEADING_VERSION } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const ZLIB_FILE = [/^zlib1\.dll$/i, /^zlibwapi\.dll$/i, /^libz(?:\.\d+)*\.dylib$/];

/**
 * zlib. Its deflate/inflate copyright lines carry the version and exist only where zlib's code is
 * compiled in (a program that only includes zlib.h carries ZLIB_VERSION, never these lines), so
 * they need no anchor. Two copies at two versions (Node: its own zlib and V8's) give two groups.
 *
 * zlib-ng 2.x keeps zlib's lines verbatim (` deflate 1.3.1 Copyright …`) with its own ` zlib-ng 2.3.3`
 * several KB away (5.5 KB in sharp-libvips-darwin-x64 1.3.4), or with only `1.3.1.zlib-ng`: in a
 * slice that carries either, the lines are zlib-ng's, never zlib's.
 */
const NOT_ZLIB_NG = { needle: 'zlib-ng', pattern: /(?:^|\s)zlib-ng \d|^\d+\.\d+\.\d+(?:\.\d+)?\.zlib-ng$/ };

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
    libraryFiles: [...ZLIB_FILE, /^libz\.so(?:\.\d+)*$/],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({
      example: ' deflate 1.3.0.1 Copyright 1995-2023 Jean-loup Gailly and Mark Adler ',
      needle: 'deflate 1.',
      pattern: /(?:^|\s)deflate (?<version>1\.\d+(?:\.\d+){0,2}) Copyright 1995-\d{4} Jean-loup Gailly/,
      notInSlice: NOT_ZLIB_NG,
    }),
    strings({
      example: ' inflate 1.3.1 Copyright 1995-2024 Mark Adler ',
      needle: 'inflate 1.',
      pattern: /(?:^|\s)inflate (?<version>1\.\d+(?:\.\d+){0,2}) Copyright 1995-\d{4} Mark Adler/,
      notInSlice: NOT_ZLIB_NG,
    }),
    versionInfo({ key: 'FileVersion', when: { ProductName: /^zlib$/i }, pattern: LEADING_VERSION }),
    versionInfo({ key: 'FileVersion', when: { FileDescription: /^zlib data compression library$/i }, pattern: LEADING_VERSION }),
    fileName(/^zlib1\.dll$/i),
    fileName(/^libz\.1(?:\.\d+)*\.dylib$/),
  ],
  importNames: ZLIB_FILE,
};
