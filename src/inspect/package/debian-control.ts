import type { PackageMetadataFacts } from '../types.js';

/**
 * A Debian binary package's `control` file (deb-control(5)), from its control.tar: `Package`,
 * `Version`, `Maintainer` (`Name <email>`), `Homepage`, and `Description`, whose first line is the
 * summary. Fields are `Name: value`; a line starting with a space continues the one before; the
 * first blank line ends the paragraph. A file without `Package` states nothing.
 */
export function parseDebianControl(text: string): PackageMetadataFacts | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (fields.size > 0) break;
      continue;
    }
    if (/^[ \t]/.test(line)) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]*(.*)$/.exec(line);
    if (!m) return undefined;
    fields.set(m[1]!.toLowerCase(), m[2]!.trim());
  }
  const name = fields.get('package');
  if (!name || !/^[a-z0-9][a-z0-9.+-]+$/.test(name)) return undefined;
  const out: PackageMetadataFacts = { kind: 'debian-control', name };
  const version = fields.get('version');
  const maintainer = fields.get('maintainer');
  const summary = fields.get('description');
  const homepage = fields.get('homepage');
  if (version) out.version = version;
  if (maintainer) out.authors = [maintainer];
  if (summary) out.summary = summary;
  if (homepage && /^https?:\/\//.test(homepage)) out.homepage = homepage;
  return out;
}
