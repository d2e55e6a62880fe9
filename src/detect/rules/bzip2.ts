import type { DetectionRule } from '../rule.js';

/**
 * bzip2 (statically in CPython's `_bz2.pyd`). BZ2_bzlibVersion() returns BZ_VERSION,
 * `"1.0.8, 13-Jul-2019"`: the version with its release date, defined in bzlib_private.h, so only
 * code built from bzip2's own sources carries it.
 */
export const Bzip2Rule: DetectionRule = {
  identity: {
    id: 'bzip2',
    name: 'bzip2',
    supplier: 'Organization: bzip2 project (sourceware.org)',
    originator: 'Person: Julian Seward',
    cpe: { vendor: 'bzip', product: 'bzip2' },
    purl: { type: 'generic', name: 'bzip2' },
    downloadLocation: 'https://sourceware.org/pub/bzip2/bzip2-{version}.tar.gz',
    homepage: 'https://sourceware.org/bzip2/',
    licenseDeclared: 'bzip2-1.0.6',
    libraryFiles: [/^(?:lib)?bz2(?:-\d+)?\.dll$/i, /^libbz2(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  strings: [{ pattern: /^(?<version>[01]\.\d+\.\d+), \d{1,2}-[A-Z][a-z]{2}-\d{4}$/, shows: 'version', encoding: 'ascii' }],
  importNames: [/^(?:lib)?bz2(?:-\d+)?\.dll$/i, /^libbz2(?:\.\d+)*\.dylib$/],
};
