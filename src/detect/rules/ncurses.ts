import { installName, strings } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

/**
 * ncurses (macOS: `lib{ncurses,panel,form,menu}w.5.dylib`). curses_version() returns
 * `ncurses 5.9.20120616` (NCURSES_VERSION plus the patch date); the version reported is the
 * release, as NVD lists it, and the patch date stays in the evidence text. Install names carry
 * only the ABI major.
 */
export const NcursesRule: DetectionRule = {
  identity: {
    id: 'ncurses',
    name: 'ncurses',
    supplier: 'Organization: GNU Project',
    originator: 'Person: Thomas E. Dickey',
    cpe: { vendor: 'gnu', product: 'ncurses' },
    purl: { type: 'generic', name: 'ncurses' },
    downloadLocation: 'https://invisible-island.net/archives/ncurses/ncurses-{version}.tar.gz',
    homepage: 'https://invisible-island.net/ncurses/',
    licenseDeclared: 'X11',
    libraryFiles: [/^lib(?:ncurses|panel|form|menu)w?(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({ example: 'ncurses 5.9.20120616', needle: 'ncurses ', pattern: /^ncurses (?<version>\d+\.\d+)\.\d{8}$/, encoding: 'ascii' }),
    installName(/(?:^|\/)lib(?:ncurses|panel|form|menu)w?\.\d+(?:\.\d+)*\.dylib$/),
  ],
  importNames: [/^lib(?:ncurses|panel|form|menu)w?(?:\.\d+)*\.dylib$/],
};
