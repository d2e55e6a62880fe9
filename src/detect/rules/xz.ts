import type { DetectionRule } from '../rule.js';

/**
 * xz / liblzma (statically in CPython's `_lzma.pyd` and `_lzma…darwin.so`). The library's version
 * is a bare LZMA_VERSION_STRING (`5.2.5`), so it counts only beside liblzma's own `7zXZ` stream
 * magic (the header bytes FD 37 7A 58 5A 00 leave a printable `7zXZ`); the xz tool writes
 * `xz (XZ Utils) 5.2.5`. Windows DLL builds of liblzma carry ProductName "XZ Utils".
 */
export const XzRule: DetectionRule = {
  identity: {
    id: 'xz',
    name: 'xz',
    supplier: 'Organization: Tukaani Project',
    originator: 'Person: Lasse Collin',
    cpe: { vendor: 'tukaani', product: 'xz' },
    purl: { type: 'github', namespace: 'tukaani-project', name: 'xz' },
    downloadLocation: 'https://github.com/tukaani-project/xz/releases/download/v{version}/xz-{version}.tar.gz',
    homepage: 'https://tukaani.org/xz/',
    licenseDeclared: '0BSD',
    libraryFiles: [/^liblzma(?:-\d+)?\.dll$/i, /^liblzma(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  strings: [
    { pattern: /(?:^|\s)xz \(XZ Utils\) (?<version>\d+\.\d+\.\d+)(?:\s|$)/, shows: 'version', encoding: 'ascii' },
    { pattern: /^(?<version>5\.\d{1,2}\.\d{1,2})$/, shows: 'version', encoding: 'ascii', near: { pattern: /7zXZ/, distance: 0x2000 } },
  ],
  versionInfo: [{ key: 'FileVersion', when: { ProductName: /^XZ Utils$/ } }],
  fileNames: [
    { pattern: /^liblzma(?:-\d+)?\.dll$/i, kind: 'abi-name' },
    { pattern: /^liblzma\.\d+\.dylib$/, kind: 'abi-name' },
  ],
  importNames: [/^liblzma(?:-\d+)?\.dll$/i, /^liblzma(?:\.\d+)*\.dylib$/],
};
