import { definedSymbols, strings } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

/**
 * bzip2 (statically in CPython's `_bz2.pyd`). BZ2_bzlibVersion() returns BZ_VERSION,
 * `"1.0.8, 13-Jul-2019"`: the version with its release date, defined in bzlib_private.h, so only
 * code built from bzip2's own sources carries it. The month is not always three letters: 1.0.6
 * wrote `"1.0.6, 6-Sept-2010"` (in the static ffmpeg 4.1 builds of @ffmpeg-installer). A DLL of
 * libbzip2 built without that function's string (or stripped of it) still exports the `BZ2_*`
 * API: identity without a version. The version's parts are one or two digits (every release
 * from 0.9.0 to 1.0.8), which bounds the whole text's length: the string scan then builds only the
 * few runs of that length that hold the common needle `, `.
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
    libraryFiles: [/^(?:lib)?bz(?:ip)?2(?:-\d+)?\.dll$/i, /^libbz2(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({ example: '1.0.8, 13-Jul-2019', needle: ', ', pattern: /^(?<version>[01]\.\d{1,2}\.\d{1,2}), \d{1,2}-[A-Z][a-z]{2,3}-\d{4}$/, encoding: 'ascii' }),
    // bzlib.h's API: a library exports all of these; a program using bzip2 imports them.
    definedSymbols({ names: ['BZ2_bzCompressInit', 'BZ2_bzCompress', 'BZ2_bzCompressEnd', 'BZ2_bzDecompressInit', 'BZ2_bzDecompress', 'BZ2_bzDecompressEnd', 'BZ2_bzlibVersion'], min: 3 }),
  ],
  importNames: [/^(?:lib)?bz(?:ip)?2(?:-\d+)?\.dll$/i, /^libbz2(?:\.\d+)*\.dylib$/],
};
