import type { MsiValue } from './msi-database.js';

/**
 * Install paths from the Directory table, the way Debian's `msiextract` (msitools) names them,
 * so our listing can be checked against it: each directory contributes the long part of its
 * DefaultDir, `.` and `SourceDir` contribute nothing, and ProgramFilesFolder is shown as
 * `Program Files`. Other standard folders keep their DefaultDir (what msiextract prints).
 *
 * Unlike msiextract we take only the target half of `target:source`, and we stop at cycles.
 */

export interface DirectoryRow {
  directory: string;
  parent: string | null;
  defaultDir: string;
}

/** `short|long` → long; a name without `|` is both. */
export function longName(name: string): string {
  const bar = name.indexOf('|');
  return bar >= 0 ? name.slice(bar + 1) : name;
}

/** DefaultDir is `target[:source]`; the installed name is the target part. */
function targetName(defaultDir: string): string {
  const colon = defaultDir.indexOf(':');
  return colon >= 0 ? defaultDir.slice(0, colon) : defaultDir;
}

function segmentOf(row: DirectoryRow): string {
  if (row.directory === 'ProgramFilesFolder') return 'Program Files';
  const name = longName(targetName(row.defaultDir));
  if (name === '.' || name === 'SourceDir') return '';
  return name;
}

export function directoryRows(records: Record<string, MsiValue>[]): DirectoryRow[] {
  return records.map((r) => ({
    directory: String(r.Directory ?? ''),
    parent: r.Directory_Parent === null || r.Directory_Parent === undefined ? null : String(r.Directory_Parent),
    defaultDir: String(r.DefaultDir ?? ''),
  }));
}

/**
 * Path of every directory key, '' for the root. A parent chain that comes back on itself is
 * reported through `warn` and cut where the loop closes.
 */
export function resolveDirectories(rows: DirectoryRow[], warn: (m: string) => void): Map<string, string> {
  const byKey = new Map<string, DirectoryRow>();
  for (const r of rows) {
    if (byKey.has(r.directory)) warn(`Directory ${JSON.stringify(r.directory)} is listed twice; the first row is used`);
    else byKey.set(r.directory, r);
  }
  const out = new Map<string, string>();
  for (const start of byKey.values()) {
    const segments: string[] = [];
    const seen = new Set<string>();
    let cur: DirectoryRow | undefined = start;
    while (cur) {
      if (seen.has(cur.directory)) {
        warn(`Directory table has a cycle through ${JSON.stringify(cur.directory)}; the path of ${JSON.stringify(start.directory)} is cut there`);
        break;
      }
      seen.add(cur.directory);
      const seg = segmentOf(cur);
      if (seg !== '') segments.push(seg);
      // A root has no parent, or itself as parent (both occur in the wild).
      if (cur.parent === null || cur.parent === '' || cur.parent === cur.directory) break;
      cur = byKey.get(cur.parent);
    }
    out.set(start.directory, segments.reverse().join('/'));
  }
  return out;
}
