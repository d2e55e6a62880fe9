import { anchored, strings } from '../matchers.js';
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
  evidence: [
    anchored(
      [
        strings({ example: '__libmpdec_version__', needle: '__libmpdec_version__', pattern: /^__libmpdec_version__$/ }),
        strings({ example: 'mpd_setminalloc: ignoring request to set MPD_MINALLOC a second time', needle: 'mpd_setminalloc: ', pattern: /^mpd_setminalloc: ignoring request to set MPD_MINALLOC a second time$/ }),
        strings({ example: 'libmpdec: internal error in _mpd_base_ndivmod: please report', needle: 'libmpdec: internal error in ', pattern: /^libmpdec: internal error in / }),
      ],
      strings({
        example: '4.0.0',
        needle: '.',
        pattern: /^(?<version>[2-9]\.\d{1,2}\.\d{1,2})$/,
        encoding: 'ascii',
        near: { needle: 'libmpdec', pattern: /^__libmpdec_version__$|^libmpdec: /, distance: 0x2000 },
      }),
    ),
  ],
  importNames: [/^(?:lib)?mpdec(?:-\d+)?\.dll$/i, /^libmpdec(?:\.\d+)*\.dylib$/],
};
