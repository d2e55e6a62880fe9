import { sameVersion } from '../bom/read/keys.js';
import { counterpart, signableWholes, signatureSummary, type BomView, type Checksums, type ViewComponent } from '../bom/view.js';

export interface ComponentChange {
  name: string;
  /** Versions in the old SBOM (empty when added), sorted. */
  from: string[];
  /** Versions in the new SBOM (empty when removed), sorted. */
  to: string[];
}

export interface FileChange {
  path: string;
  algorithm: string;
  from: string;
  to: string;
}

export interface ContainerChange {
  path: string;
  name: string;
  /** What changed: `version 1.0 → 1.1`, `SHA256 ab12… → cd34…`. */
  changes: string[];
}

/** One side of a diff: the described package's name and version, and the artifact's file name. */
export interface DiffSide {
  name: string;
  version?: string;
  fileName?: string;
}

export interface SbomDiff {
  old: DiffSide;
  new: DiffSide;
  components: { added: ComponentChange[]; removed: ComponentChange[]; changed: ComponentChange[] };
  files: { added: string[]; removed: string[]; changed: FileChange[] };
  containers: { added: string[]; removed: string[]; changed: ContainerChange[] };
  /**
   * Files, containers and the artifact whose signer or signature status changed (`Python Software
   * Foundation (valid-digest)` → `unsigned`), by path.
   */
  signers: { changed: SignerChange[] };
  /** True when nothing above changed. */
  identical: boolean;
}

export interface SignerChange {
  path: string;
  from: string;
  to: string;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const NO_VERSION = 'NOASSERTION';

/** Component identity for a diff: its name, normalised (Tcl and Tk share a CPE, so the CPE cannot be the key). */
function groupByName(components: ViewComponent[]): Map<string, { name: string; versions: string[] }> {
  const out = new Map<string, { name: string; versions: string[] }>();
  for (const c of components) {
    const key = c.keys[0]!;
    const g = out.get(key) ?? { name: c.name, versions: [] };
    g.versions.push(c.version ?? NO_VERSION);
    out.set(key, g);
  }
  for (const g of out.values()) g.versions = [...new Set(g.versions)].sort(cmp);
  return out;
}

function firstDifference(a: Checksums, b: Checksums): { algorithm: string; from: string; to: string } | undefined {
  for (const alg of ['SHA512', 'SHA256', 'SHA1', ...Object.keys(a).sort()]) {
    if (a[alg] && b[alg]) return a[alg] === b[alg] ? undefined : { algorithm: alg, from: a[alg]!, to: b[alg]! };
  }
  return undefined;
}

function side(v: BomView): DiffSide {
  return { name: v.root?.name ?? v.name, ...(v.root?.version ? { version: v.root.version } : {}), ...(v.root?.fileName ? { fileName: v.root.fileName } : {}) };
}

/**
 * The two sides as a reader tells them apart. CPython names every artifact's package `CPython`, so
 * the installer and the embeddable zip of one release differ only by file name: then it is shown.
 */
function sideTitles(d: SbomDiff): [string, string] {
  const label = (x: DiffSide) => `${x.name}${x.version ? ` ${x.version}` : ''}`;
  const [a, b] = [label(d.old), label(d.new)];
  if (a !== b || !d.old.fileName || !d.new.fileName || d.old.fileName === d.new.fileName) return [a, b];
  return [`${d.old.fileName} (${a})`, `${d.new.fileName} (${b})`];
}

/** What changed between two SBOMs of (two releases of) an artifact: components, files, containers. */
export function diffSboms(a: BomView, b: BomView): SbomDiff {
  const result: SbomDiff = {
    old: side(a),
    new: side(b),
    components: { added: [], removed: [], changed: [] },
    files: { added: [], removed: [], changed: [] },
    containers: { added: [], removed: [], changed: [] },
    signers: { changed: [] },
    identical: false,
  };

  const ga = groupByName(a.components);
  const gb = groupByName(b.components);
  for (const [key, g] of ga) {
    const h = gb.get(key);
    if (!h) result.components.removed.push({ name: g.name, from: g.versions, to: [] });
    else {
      const same = g.versions.length === h.versions.length && g.versions.every((v, i) => sameVersion(v, h.versions[i]));
      if (!same) result.components.changed.push({ name: h.name, from: g.versions, to: h.versions });
    }
  }
  for (const [key, h] of gb) if (!ga.has(key)) result.components.added.push({ name: h.name, from: [], to: h.versions });

  // Files are a multiset by path: equal bytes pair first, then what is left is changed, added or removed.
  const filesOf = (v: BomView) => {
    const m = new Map<string, Checksums[]>();
    for (const f of v.files) m.set(f.path, [...(m.get(f.path) ?? []), f.checksums]);
    return m;
  };
  const fa = filesOf(a);
  const fb = filesOf(b);
  for (const path of new Set([...fa.keys(), ...fb.keys()])) {
    const left = [...(fb.get(path) ?? [])];
    const changed: Checksums[] = [];
    for (const x of fa.get(path) ?? []) {
      const i = left.findIndex((y) => !firstDifference(x, y));
      if (i >= 0) left.splice(i, 1);
      else changed.push(x);
    }
    for (const x of changed) {
      const y = left.shift();
      if (!y) result.files.removed.push(path);
      else result.files.changed.push({ path, ...firstDifference(x, y)! });
    }
    for (const _ of left) result.files.added.push(path);
  }

  const ca = new Map(a.containers.map((c) => [c.path, c]));
  const cb = new Map(b.containers.map((c) => [c.path, c]));
  for (const [path, c] of ca) {
    const d = cb.get(path);
    if (!d) {
      result.containers.removed.push(path);
      continue;
    }
    const changes: string[] = [];
    if (!sameVersion(c.version, d.version)) changes.push(`version ${c.version ?? NO_VERSION} → ${d.version ?? NO_VERSION}`);
    const h = firstDifference(c.checksums, d.checksums);
    if (h) changes.push(`${h.algorithm} ${h.from.slice(0, 12)}… → ${h.to.slice(0, 12)}…`);
    if (changes.length > 0) result.containers.changed.push({ path, name: d.name, changes });
  }
  for (const path of cb.keys()) if (!ca.has(path)) result.containers.added.push(path);

  // Signers compare only where a path occurs once on each side and either side states a signature.
  const once = (v: BomView) => new Map([...filesOf(v)].filter(([, l]) => l.length === 1).map(([p]) => [p, v.files.find((f) => f.path === p)!]));
  const sa = once(a);
  const sb = once(b);
  for (const [path, f] of sa) {
    const g = sb.get(path);
    if (!g || (!f.signature && !g.signature)) continue;
    const [from, to] = [signatureSummary(f.signature), signatureSummary(g.signature)];
    if (from !== to) result.signers.changed.push({ path, from, to });
  }
  // The artifact's and the containers' own signatures (a signed MSI). Two releases' artifacts have
  // different names: the artifact compares with the artifact, under its new name.
  const wholesA = signableWholes(a);
  for (const w of signableWholes(b)) {
    const old = counterpart(w, wholesA);
    if (!old || (!old.signature && !w.signature)) continue;
    const [from, to] = [signatureSummary(old.signature), signatureSummary(w.signature)];
    if (from !== to) result.signers.changed.push({ path: w.path, from, to });
  }

  const byName = (x: { name: string }, y: { name: string }) => cmp(x.name.toLowerCase(), y.name.toLowerCase());
  result.components.added.sort(byName);
  result.components.removed.sort(byName);
  result.components.changed.sort(byName);
  result.files.added.sort(cmp);
  result.files.removed.sort(cmp);
  result.files.changed.sort((x, y) => cmp(x.path, y.path));
  result.containers.added.sort(cmp);
  result.containers.removed.sort(cmp);
  result.containers.changed.sort((x, y) => cmp(x.path, y.path));
  const n = (o: Record<string, unknown[]>) => Object.values(o).reduce((s, l) => s + l.length, 0);
  result.signers.changed.sort((x, y) => cmp(x.path, y.path));
  result.identical = n(result.components) + n(result.files) + n(result.containers) + n(result.signers) === 0;
  return result;
}

const versions = (v: string[]) => v.join(', ');

/** The diff as release notes: what a reader of a changelog wants first (component versions), then the rest. */
export function diffToMarkdown(d: SbomDiff): string {
  const [from, to] = sideTitles(d);
  const lines: string[] = [from === to ? `# Changes between two SBOMs of ${from}` : `# Changes from ${from} to ${to}`, ''];
  if (d.identical) return `${lines.join('\n')}No component, container or file changed.\n`;

  const c = d.components;
  lines.push('## Components', '');
  if (c.changed.length + c.added.length + c.removed.length === 0) lines.push('No component changed.');
  for (const x of c.changed) lines.push(`- Updated **${x.name}** ${versions(x.from)} → ${versions(x.to)}`);
  for (const x of c.added) lines.push(`- Added **${x.name}** ${versions(x.to)}`);
  for (const x of c.removed) lines.push(`- Removed **${x.name}** ${versions(x.from)}`);
  lines.push('');

  const k = d.containers;
  if (k.changed.length + k.added.length + k.removed.length > 0) {
    lines.push('## Containers', '');
    for (const x of k.changed) lines.push(`- Changed \`${x.path}\`: ${x.changes.join('; ')}`);
    for (const p of k.added) lines.push(`- Added \`${p}\``);
    for (const p of k.removed) lines.push(`- Removed \`${p}\``);
    lines.push('');
  }

  if (d.signers.changed.length > 0) {
    lines.push('## Signers', '');
    for (const x of d.signers.changed) lines.push(`- \`./${x.path}\`: ${x.from} → ${x.to}`);
    lines.push('');
  }

  const f = d.files;
  lines.push('## Files', '');
  lines.push(`${f.changed.length} changed, ${f.added.length} added, ${f.removed.length} removed.`, '');
  const list = (heading: string, items: string[]) => {
    if (items.length === 0) return;
    const shown = items.slice(0, 200);
    lines.push(`### ${heading}`, '', ...shown.map((p) => `- \`./${p}\``));
    if (items.length > shown.length) lines.push(`- … and ${items.length - shown.length} more`);
    lines.push('');
  };
  list('Changed', f.changed.map((x) => x.path));
  list('Added', f.added);
  list('Removed', f.removed);
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

/** Plain text for a terminal: one line per change. */
export function diffToText(d: SbomDiff): string {
  if (d.identical) return 'no changes\n';
  const out: string[] = [];
  for (const x of d.components.changed) out.push(`component changed: ${x.name}: ${versions(x.from)} → ${versions(x.to)}`);
  for (const x of d.components.added) out.push(`component added: ${x.name} ${versions(x.to)}`);
  for (const x of d.components.removed) out.push(`component removed: ${x.name} ${versions(x.from)}`);
  for (const x of d.containers.changed) out.push(`container changed: ${x.path}: ${x.changes.join('; ')}`);
  for (const p of d.containers.added) out.push(`container added: ${p}`);
  for (const p of d.containers.removed) out.push(`container removed: ${p}`);
  for (const x of d.signers.changed) out.push(`signer changed: ./${x.path}: ${x.from} → ${x.to}`);
  for (const x of d.files.changed) out.push(`file changed: ./${x.path} (${x.algorithm} ${x.from.slice(0, 12)}… → ${x.to.slice(0, 12)}…)`);
  for (const p of d.files.added) out.push(`file added: ./${p}`);
  for (const p of d.files.removed) out.push(`file removed: ./${p}`);
  return `${out.join('\n')}\n`;
}
