import { anchored, bareVersion, fileName, installName, strings } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const VIPS_FILE = [/^libvips(?:-cpp)?-\d+\.dll$/i, /^libvips(?:-cpp)?(?:\.\d+)*\.dylib$/];

/**
 * libvips. `vips --version` prints VIPS_VERSION, kept as a bare `8.18.6` about 1 KB before the
 * option text `print libvips version` (0x3f7 bytes in sharp-libvips-win32-x64 1.3.3, 0x3cb in
 * darwin-x64 1.3.4); g_return_if_fail() messages keep the source tree `../vips-8.18.6/libvips/…`
 * when built out of a versioned directory; the macOS install name `libvips-cpp.8.18.7.dylib`
 * carries the release too, but a name can be chosen freely, so it identifies only.
 */
export const LibvipsRule: DetectionRule = {
  identity: {
    id: 'libvips',
    name: 'libvips',
    supplier: 'Organization: libvips',
    originator: 'Person: John Cupitt',
    cpe: { vendor: 'libvips', product: 'libvips' },
    purl: { type: 'github', namespace: 'libvips', name: 'libvips' },
    downloadLocation: 'https://github.com/libvips/libvips/releases/download/v{version}/vips-{version}.tar.xz',
    homepage: 'https://www.libvips.org/',
    licenseDeclared: 'LGPL-2.1-or-later',
    libraryFiles: VIPS_FILE,
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    anchored(
      [strings({ example: 'print libvips version', needle: 'print libvips version', pattern: /^print libvips version$/ })],
      strings({ example: '8.18.6', needle: '8.', pattern: bareVersion('8\\.\\d{1,2}\\.\\d{1,2}'), encoding: 'ascii', near: { needle: 'print libvips version', pattern: /^print libvips version$/, distance: 0x800 } }),
      strings({ example: '../vips-8.18.6/libvips/iofuncs/object.c:1214', needle: 'vips-8.', pattern: /(?:^|[/\\])vips-(?<version>8\.\d+\.\d+)[/\\]libvips[/\\]/ }),
    ),
    fileName(/^libvips(?:-cpp)?-\d+\.dll$/i),
    installName(/(?:^|\/)libvips(?:-cpp)?(?:\.\d+)*\.dylib$/),
  ],
  importNames: VIPS_FILE,
};
