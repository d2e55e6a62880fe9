import type { DetectionRule } from '../rule.js';

/**
 * mpdecimal / libmpdec (statically in CPython's `_decimal`). mpd_version() returns MPD_VERSION, a
 * bare `4.0.0`; `_decimal` exposes it as `__libmpdec_version__`, whose name lies beside it. A bare
 * version counts only next to that name or libmpdec's own messages. Not verified on a python.org
 * binary (none is in the fixture corpus); the built `_decimal.pyd` fixture follows the source.
 */
export const MpdecimalRule: DetectionRule = {
  identity: {
    id: 'mpdecimal',
    name: 'mpdecimal',
    supplier: 'Organization: bytereef.org',
    originator: 'Organization: bytereef.org',
    cpe: { vendor: 'bytereef', product: 'mpdecimal' },
    purl: { type: 'generic', name: 'mpdecimal' },
    downloadLocation: 'https://www.bytereef.org/software/mpdecimal/releases/mpdecimal-{version}.tar.gz',
    homepage: 'https://www.bytereef.org/mpdecimal/',
    licenseDeclared: 'BSD-2-Clause',
    libraryFiles: [/^(?:lib)?mpdec(?:-\d+)?\.dll$/i, /^libmpdec(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  strings: [
    { pattern: /^(?<version>[2-9]\.\d{1,2}\.\d{1,2})$/, shows: 'version', encoding: 'ascii', near: { pattern: /^__libmpdec_version__$|^libmpdec: /, distance: 0x2000 } },
  ],
  anchors: [/^__libmpdec_version__$/, /^mpd_setminalloc: ignoring request to set MPD_MINALLOC a second time$/, /^libmpdec: internal error in /],
  importNames: [/^(?:lib)?mpdec(?:-\d+)?\.dll$/i, /^libmpdec(?:\.\d+)*\.dylib$/],
};
