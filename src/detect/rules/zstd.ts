import type { DetectionRule } from '../rule.js';

/**
 * Zstandard (statically in CPython 3.14's `_zstd.pyd`). ZSTD_versionString() returns a bare
 * ZSTD_VERSION_STRING (`1.5.7`); it counts only in files carrying zstd's own error texts
 * (ERR_getErrorString) and within a few KB of one of them.
 */
const ZSTD_ERRORS = /^(?:Restored data doesn't match checksum|Frame requires too much memory for decoding|Unknown frame descriptor|Dictionary mismatch)$/;

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
    libraryFiles: [/^(?:lib)?zstd(?:-\d+)?\.dll$/i, /^libzstd(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  strings: [{ pattern: /^(?<version>1\.\d{1,2}\.\d{1,2})$/, shows: 'version', encoding: 'ascii', near: { pattern: ZSTD_ERRORS, distance: 0x4000 } }],
  anchors: [ZSTD_ERRORS],
  versionInfo: [{ key: 'FileVersion', when: { ProductName: /^Zstandard$/i } }],
  importNames: [/^(?:lib)?zstd(?:-\d+)?\.dll$/i, /^libzstd(?:\.\d+)*\.dylib$/],
};
