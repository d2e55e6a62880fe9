import { anchored, strings } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const GLIB_FILE = [/^lib(?:glib|gobject|gio|gmodule|gthread)-2\.0(?:-\d+)?\.dll$/i, /^lib(?:glib|gobject|gio|gmodule|gthread)-2\.0(?:\.\d+)*\.dylib$/];

/**
 * GLib (with GObject and GIO), statically in sharp's libvips. GLib's own code logs under the
 * domains `GLib-GObject` and `GLib-GIO`, which dependents never use. Its version shows in the
 * source paths of g_return_if_fail() messages (`../glib-2.89.4/glib/gstrfuncs.c:585`) and in
 * GDBus's introspection header (`<!-- GDBus 2.90.0 -->`).
 */
export const GlibRule: DetectionRule = {
  identity: {
    id: 'glib',
    name: 'GLib',
    supplier: 'Organization: The GNOME Project',
    originator: 'Organization: The GNOME Project',
    cpe: { vendor: 'gnome', product: 'glib' },
    purl: { type: 'generic', name: 'glib' },
    downloadLocation: 'https://download.gnome.org/sources/glib/',
    homepage: 'https://docs.gtk.org/glib/',
    licenseDeclared: 'LGPL-2.1-or-later',
    libraryFiles: GLIB_FILE,
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    anchored(
      [
        strings({ example: 'GLib-GObject', needle: 'GLib-GObject', pattern: /^GLib-GObject$/ }),
        strings({ example: 'GLib-GIO', needle: 'GLib-GIO', pattern: /^GLib-GIO$/ }),
      ],
      strings({ example: '../glib-2.89.4/glib/gstrfuncs.c:585', needle: 'glib-2.', pattern: /(?:^|[/\\])glib-(?<version>2\.\d+\.\d+)[/\\](?:glib|gobject|gio|gmodule|gthread)[/\\]/ }),
      strings({ example: '<!-- GDBus 2.90.0 -->', needle: '<!-- GDBus ', pattern: /<!-- GDBus (?<version>2\.\d+\.\d+) -->/ }),
    ),
  ],
  importNames: GLIB_FILE,
};
