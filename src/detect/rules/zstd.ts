import { anchored, bareVersion, strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const ZSTD_FILE = [/^(?:lib)?zstd(?:-\d+)?\.dll$/i, /^libzstd(?:\.\d+)*\.dylib$/];

/**
 * Zstandard (statically in CPython 3.14's `_zstd.pyd`). ZSTD_versionString() returns a bare
 * ZSTD_VERSION_STRING (`1.5.7`); it counts only in files carrying zstd's own error texts
 * (ERR_getErrorString) and within a few KB of one of them.
 */
const ERRORS = ["Restored data doesn't match checksum", 'Frame requires too much memory for decoding', 'Unknown frame descriptor', 'Dictionary mismatch'];
export const ZstdRule: DetectionRule = {
  identity: {
    id: 'zstd',
    name: 'zstd',
    supplier: 'Organization: Meta Platforms, Inc.',
    originator: 'Organization: Meta Platforms, Inc.',
    cpe: { vendor: 'facebook', product: 'zstandard' },
    purl: { type: 'github', namespace: 'facebook', name: 'zstd' },
    downloadLocation: 'https://github.com/facebook/zstd/releases/download/v{version}/zstd-{version}.tar.gz',
    homepage: 'https://facebook.github.io/zstd/',
    licenseDeclared: 'BSD-3-Clause OR GPL-2.0-only',
    libraryFiles: ZSTD_FILE,
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    anchored(
      [
        strings({ example: 'Restored data doesn\'t match checksum', needle: 'Restored data doesn\'t match checksum', pattern: /^Restored data doesn't match checksum$/ }),
        strings({ example: 'Frame requires too much memory for decoding', needle: 'Frame requires too much memory for decoding', pattern: /^Frame requires too much memory for decoding$/ }),
        strings({ example: 'Unknown frame descriptor', needle: 'Unknown frame descriptor', pattern: /^Unknown frame descriptor$/ }),
      ],
      strings({
        example: '1.5.7',
        needle: '1.',
        pattern: bareVersion('1\\.\\d{1,2}\\.\\d{1,2}'),
        encoding: 'ascii',
        near: { needle: ERRORS, pattern: /^(?:Restored data doesn't match checksum|Frame requires too much memory for decoding|Unknown frame descriptor|Dictionary mismatch)$/, distance: 0x4000 },
        sole: 'near',
      }),
      // Rust's zstd-sys / zstd-safe crates name the zstd release they bundle in their build
      // metadata, which their source paths keep (`…\zstd-safe-5.0.2+zstd.1.5.2\src\lib.rs` in
      // @mongodb-js/zstd-win32-x64-msvc 1.2.2).
      strings({
        example: 'C:\\Users\\runner\\.cargo\\registry\\src\\index.crates.io-6f17d22bba15001f\\zstd-safe-5.0.2+zstd.1.5.2\\src\\lib.rs',
        needle: '+zstd.',
        pattern: /[\\/]zstd-(?:sys|safe)-\d+\.\d+\.\d+\+zstd\.(?<version>\d+\.\d+\.\d+)[\\/]/,
        encoding: 'ascii',
      }),
    ),
    versionInfo({ key: 'FileVersion', when: { ProductName: /^Zstandard$/i } }),
  ],
  importNames: ZSTD_FILE,
};
