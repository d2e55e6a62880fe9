import type { DetectionRule } from '../rule.js';

/**
 * libffi. 3.4.x has no version API and no version string: `libffi-8.dll` / `libffi.8.dylib` is
 * ABI 8 (3.4.x), which identifies libffi without dating it, so the version stays NOASSERTION
 * unless a known-build hash dates the file. 3.5.0 added ffi_get_version(), which returns
 * FFI_VERSION_STRING (`3.5.1`), a bare string; it is trusted only inside a file named for libffi.
 */
export const LibffiRule: DetectionRule = {
  identity: {
    id: 'libffi',
    name: 'libffi',
    supplier: 'Organization: libffi',
    originator: 'Person: Anthony Green',
    cpe: { vendor: 'libffi_project', product: 'libffi' },
    purl: { type: 'github', namespace: 'libffi', name: 'libffi' },
    downloadLocation: 'https://github.com/libffi/libffi/releases/download/v{version}/libffi-{version}.tar.gz',
    homepage: 'https://sourceware.org/libffi/',
    licenseDeclared: 'MIT',
    libraryFiles: [/^libffi(?:-\d+)?\.dll$/i, /^libffi(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  strings: [
    { pattern: /^(?<version>3\.(?:[5-9]|\d{2})\.\d{1,2})$/, shows: 'version', encoding: 'ascii', path: /(?:^|\/)libffi(?:-\d+)?\.dll$|(?:^|\/)libffi(?:\.\d+)*\.dylib$/i },
  ],
  fileNames: [
    { pattern: /^libffi-\d+\.dll$/i, kind: 'abi-name' },
    { pattern: /^libffi\.\d+\.dylib$/, kind: 'abi-name' },
  ],
  installNames: [/(?:^|\/)libffi(?:\.\d+)*\.dylib$/],
  importNames: [/^libffi(?:-\d+)?\.dll$/i, /^libffi(?:\.\d+)*\.dylib$/],
};
