import { allOf, definedSymbols, fileName, installName, signatureProgram, strings } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const LIBFFI_FILE = /^libffi(?:-\d+)?\.dll$|^libffi(?:\.\d+)*\.dylib$/i;

/**
 * libffi. 3.4.x has no version API and no version string: `libffi-8.dll` / `libffi.8.dylib` is
 * ABI 8 (3.4.x), which identifies libffi without dating it. CPython signs the libffi-8.dll it
 * builds from cpython-bin-deps with the program name `LibFFI for Python (libffi-3.4.4)`, which
 * dates it. 3.5.0 added ffi_get_version(), which returns FFI_VERSION_STRING (`3.5.1`), a bare
 * string; it is trusted inside a file named for libffi, or beside an exported ffi_get_version.
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
    libraryFiles: [LIBFFI_FILE],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({ example: '3.5.1', needle: '3.', pattern: /^(?<version>3\.(?:[5-9]|\d{2})\.\d{1,2})$/, encoding: 'ascii', path: /(?:^|\/)libffi(?:-\d+)?\.dll$|(?:^|\/)libffi(?:\.\d+)*\.dylib$/i }),
    // A copy that exports ffi_get_version() (3.5+) holds FFI_VERSION_STRING; it is that string when
    // no other bare 3.5+ version competes in the slice (sharp-libvips-darwin-x64 1.3.4: one `3.8.0`).
    allOf(
      definedSymbols({ names: ['ffi_get_version'] }),
      strings({ example: '3.8.0', needle: '3.', pattern: /^(?<version>3\.(?:[5-9]|\d{2})\.\d{1,2})$/, encoding: 'ascii', sole: true }),
    ),
    signatureProgram({ example: 'LibFFI for Python (libffi-3.4.4)', needle: '(libffi-', pattern: /\(libffi-(?<version>\d+\.\d+\.\d+)(?:\.\d+)?\)$/ }),
    fileName(/^libffi-\d+\.dll$/i),
    fileName(/^libffi\.\d+\.dylib$/),
    installName(/(?:^|\/)libffi(?:\.\d+)*\.dylib$/),
    definedSymbols({ names: ['ffi_call', 'ffi_prep_cif', 'ffi_prep_closure_loc', 'ffi_closure_alloc'], min: 3 }),
  ],
  importNames: [LIBFFI_FILE],
};
