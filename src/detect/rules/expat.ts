import { anchored, definedSymbols, strings } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

/**
 * Expat (statically in CPython's `pyexpat`, `_elementtree`). XML_ExpatVersion() returns
 * `expat_2.6.3`; a linker that drops unused functions drops it too (sharp-libvips-win32-x64 1.3.3
 * has none), but expat's asserts keep the source path `…/expat-2.8.3/lib/xmlparse.c`. Both count only
 * next to expat's own texts (XML_ErrorString's messages, the names of its debug variables), so a
 * dependent that merely uses expat.h, or a decoy string, is not taken for expat. A `.pyd` carries
 * CPython's VERSIONINFO, never expat's.
 */
export const ExpatRule: DetectionRule = {
  identity: {
    id: 'expat',
    name: 'expat',
    supplier: 'Organization: Expat development team',
    originator: 'Organization: Expat development team',
    cpe: { vendor: 'libexpat_project', product: 'libexpat' },
    purl: { type: 'github', namespace: 'libexpat', name: 'libexpat' },
    downloadLocation: 'https://sourceforge.net/projects/expat/files/expat/{version}/expat-{version}.tar.gz',
    homepage: 'https://libexpat.github.io/',
    licenseDeclared: 'MIT',
    libraryFiles: [/^libexpat(?:-\d+)?\.dll$/i, /^libexpat(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    anchored(
      [
        strings({ example: 'reserved prefix (xml) must not be undeclared or bound to another namespace name', needle: 'reserved prefix (xml)', pattern: /^reserved prefix \(xml\) must not be undeclared or bound to another namespace name$/ }),
        strings({ example: 'requested feature requires XML_DTD support in Expat', needle: 'XML_DTD support in Expat', pattern: /^requested feature requires XML_DTD support in Expat$/ }),
        strings({ example: 'cannot change setting once parsing has begun', needle: 'cannot change setting once parsing has begun', pattern: /^cannot change setting once parsing has begun$/ }),
        // The environment variables xmlparse.c reads for its debug output (2.2.x and 2.4.0 on),
        // kept where XML_ErrorString was dropped (@napi-rs/canvas-darwin-x64 1.2.0's Skia).
        strings({ example: 'EXPAT_ENTROPY_DEBUG', needle: 'EXPAT_ENTROPY_DEBUG', pattern: /^EXPAT_ENTROPY_DEBUG$/ }),
        strings({ example: 'EXPAT_ACCOUNTING_DEBUG', needle: 'EXPAT_ACCOUNTING_DEBUG', pattern: /^EXPAT_ACCOUNTING_DEBUG$/ }),
      ],
      strings({ example: 'expat_2.6.3', needle: 'expat_', pattern: /^expat_(?<version>\d+\.\d+\.\d+)$/ }),
      strings({ example: '/var/tmp/tmp-expat-x86_64-w64-mingw32.static/expat-2.8.3/lib/xmlparse.c', needle: 'xmlparse.c', pattern: /(?:^|[/\\])expat-(?<version>\d+\.\d+\.\d+)[/\\](?:lib[/\\])?xmlparse\.c(?::\d+)?$/, encoding: 'ascii' }),
    ),
    definedSymbols({ names: ['XML_ParserCreate', 'XML_Parse', 'XML_ExpatVersion', 'XML_ErrorString', 'XML_SetElementHandler'], min: 3 }),
  ],
  importNames: [/^libexpat(?:-\d+)?\.dll$/i, /^libexpat(?:\.\d+)*\.dylib$/],
};
