import { allOf, anchored, definedSymbols, fileName, strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const LZMA_FILE = [/^liblzma(?:-\d+)?\.dll$/i, /^liblzma(?:\.\d+)*\.dylib$/];
/** LZMA_VERSION_STRING: a bare `5.2.5` (stable releases only; alphas end in `alpha`). */
const BARE = /^(?<version>5\.\d{1,2}\.\d{1,2})$/;
/** liblzma's public API: a copy defines these; a program using liblzma imports them. */
const LZMA_SYMBOLS = ['lzma_code', 'lzma_end', 'lzma_version_string', 'lzma_version_number', 'lzma_stream_decoder', 'lzma_easy_encoder', 'lzma_auto_decoder', 'lzma_raw_encoder'];

/**
 * xz / liblzma (statically in CPython's `_lzma.pyd` and `_lzma…darwin.so`, in lzma-native's
 * prebuilds). The library's version is a bare LZMA_VERSION_STRING (`5.2.5`), so it counts only
 * where liblzma is otherwise shown: beside the `7zXZ` stream magic (the header bytes
 * FD 37 7A 58 5A 00; clang may put them in `__TEXT,__const` away from `__cstring`, or into code
 * immediates, leaving no magic at all), beside lzma_str_to_filters()' messages (5.4 and later), or
 * in a Mach-O slice that defines liblzma's exported symbols with no other bare `5.x.y` competing.
 * The magic alone proves nothing: 7-Zip and the LZMA SDK (Inno Setup's islzma) write the xz
 * format with their own code; only in CPython's `_lzma` module is it liblzma's. In a MinGW build of
 * xz 5.2.3's liblzma into a `_lzma.pyd` (CPython's calls, no exports) the magic and the version
 * lie 0x2a63 bytes apart in `.rdata`. The xz tool writes `xz (XZ Utils) 5.2.5`; liblzma DLLs carry
 * ProductName "XZ Utils" (lzma-native's: `XZ Utils <http://tukaani.org/xz/>`).
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
    libraryFiles: LZMA_FILE,
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({ example: 'xz (XZ Utils) 5.2.5', needle: 'xz (XZ Utils) ', pattern: /(?:^|\s)xz \(XZ Utils\) (?<version>\d+\.\d+\.\d+)(?:\s|$)/, encoding: 'ascii' }),
    strings({ example: '5.2.5', needle: '5.', pattern: BARE, encoding: 'ascii', near: { needle: '7zXZ', pattern: /7zXZ/, distance: 0x8000, scope: 'slice' } }),
    anchored(
      [
        strings({ example: 'The maximum number of filters is four', needle: 'The maximum number of filters is four', pattern: /^The maximum number of filters is four$/ }),
        strings({ example: 'Empty string is not allowed, try "6" if a default value is needed', needle: 'if a default value is needed', pattern: /^Empty string is not allowed, try "6" if a default value is needed$/ }),
      ],
      strings({ example: '5.8.1', needle: '5.', pattern: BARE, encoding: 'ascii', near: { needle: 'filter', pattern: /filter/i, distance: 0x8000, scope: 'slice' } }),
    ),
    allOf(
      definedSymbols({ names: LZMA_SYMBOLS, min: 2 }),
      strings({ example: '5.2.3', needle: '5.', pattern: BARE, encoding: 'ascii', sole: true }),
    ),
    definedSymbols({ names: LZMA_SYMBOLS, min: 2 }),
    // CPython's `_lzma` wraps liblzma and writes no xz data itself: the magic in it is liblzma's
    // (a build that links liblzma dynamically imports it instead, and has no magic).
    strings({ example: '7zXZ', needle: '7zXZ', pattern: /7zXZ/, encoding: 'ascii', path: /(?:^|\/)_lzma(?:_d)?(?:\.cpython-[^/]+)?\.(?:pyd|so)$/ }),
    versionInfo({ key: 'FileVersion', when: { ProductName: /^XZ Utils(?: <[^>]*>)?$/ } }),
    fileName(/^liblzma(?:-\d+)?\.dll$/i),
    fileName(/^liblzma\.\d+\.dylib$/),
  ],
  importNames: LZMA_FILE,
};
