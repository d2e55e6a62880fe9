import { anchored, bareVersion, definedSymbols, fileName, strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const PNG_FILE = [/^libpng\d*(?:-\d+)?\.dll$/i, /^libpng\d*(?:\.\d+)*\.dylib$/];

/**
 * libpng. png_get_copyright() carries `libpng version 1.6.58` (library text, never in a
 * dependent); png_user_version_check() keeps the library's own PNG_LIBPNG_VER_STRING right before
 * its `Application built with libpng-` message (7 bytes apart in sharp-libvips-win32-x64 1.3.3,
 * whose build drops the copyright text). A dependent passes its header's bare version to
 * png_create_read_struct() too, so a bare version counts only beside that message.
 */
export const LibpngRule: DetectionRule = {
  identity: {
    id: 'libpng',
    name: 'libpng',
    supplier: 'Organization: libpng (PNG Reference Library)',
    originator: 'Organization: libpng (PNG Reference Library)',
    cpe: { vendor: 'libpng', product: 'libpng' },
    purl: { type: 'github', namespace: 'pnggroup', name: 'libpng' },
    downloadLocation: 'https://download.sourceforge.net/libpng/libpng-{version}.tar.xz',
    homepage: 'http://www.libpng.org/pub/png/libpng.html',
    licenseDeclared: 'Libpng',
    libraryFiles: PNG_FILE,
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({ example: ' libpng version 1.6.58', needle: 'libpng version ', pattern: /(?:^|\s)libpng version (?<version>1\.\d+\.\d+)(?:\s|$|\.|,|-)/ }),
    anchored(
      [strings({ example: 'Application built with libpng-', needle: 'Application built with libpng-', pattern: /^Application built with libpng-/ })],
      strings({ example: '1.6.58', needle: '1.', pattern: bareVersion('1\\.\\d+\\.\\d{1,2}'), encoding: 'ascii', near: { needle: 'Application built with libpng-', pattern: /^Application built with libpng-/, distance: 0x40 } }),
    ),
    versionInfo({ key: 'FileVersion', when: { ProductName: /^(?:PNG Reference Library|libpng)$/i } }),
    fileName(/^libpng\d+(?:-\d+)?\.dll$/i),
    definedSymbols({ names: ['png_create_read_struct', 'png_create_write_struct', 'png_get_libpng_ver', 'png_read_info'], min: 3 }),
  ],
  importNames: PNG_FILE,
};
