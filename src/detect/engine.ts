import { basename } from 'node:path';
import { embeddedDetections } from './embedded.js';
import { flatten, MatchContext } from './matchers.js';
import { NeedleScanner } from './needles.js';
import type { DetectionRule } from './rule.js';
import { ALL_RULES } from './rules/index.js';
import type { ComponentIdentity, Detection, Evidence, InspectedFile } from './types.js';

/** A binary whose bytes carry no version, known by its SHA-256 (data/known-builds.json or a user file). */
export interface KnownBuild {
  sha256: string;
  componentId: string;
  version: string;
  /** Where the pairing comes from (a release page, a build log). */
  source: string;
}

/**
 * Rows of a known-build table file (`data/known-builds.json` or a user's): `{ builds: KnownBuild[] }`.
 * Throws on a row without a 64-hex sha256, a componentId, a version or a source.
 */
export function parseKnownBuilds(json: string, origin: string): KnownBuild[] {
  const doc = JSON.parse(json) as { builds?: unknown };
  if (!Array.isArray(doc.builds)) throw new Error(`${origin}: no "builds" array`);
  return doc.builds.map((row: unknown, i: number) => {
    const r = row as Partial<KnownBuild>;
    const ok = typeof r.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(r.sha256) && typeof r.componentId === 'string' && typeof r.version === 'string' && typeof r.source === 'string' && r.source.length > 0;
    if (!ok) throw new Error(`${origin}: builds[${i}] needs sha256 (64 hex), componentId, version and source`);
    return { sha256: r.sha256!.toLowerCase(), componentId: r.componentId!, version: r.version!, source: r.source! };
  });
}

export interface DetectOptions {
  rules?: readonly DetectionRule[];
  knownBuilds?: readonly KnownBuild[];
}

/** Evidence kinds in the order their version is preferred when they agree up to trailing zeros. */
const VERSION_PRIORITY: Evidence['kind'][] = ['versioninfo', 'string', 'signature', 'plist', 'install-name', 'known-hash', 'file-name'];

/** Formats whose files carry code; anything else (Info.plist, init.tcl, METADATA) only states. */
const CODE_FORMATS = new Set(['pe', 'macho']);

/** Applies every rule to one inspected file. */
export function detectInFile(file: InspectedFile, options: DetectOptions = {}): Detection[] {
  const rules = options.rules ?? ALL_RULES;
  const out: Detection[] = [];
  const known = new Map((options.knownBuilds ?? []).map((k) => [k.sha256.toLowerCase(), k]));
  // A binary whose code was not inspected (ELF, WebAssembly) offers no facts to match.
  const ctx = file.facts && !file.facts.notInspected ? new MatchContext(file, file.facts, scannerFor(rules)) : undefined;
  for (const rule of rules) {
    const evidence = ctx ? collectEvidence(rule, ctx) : [];
    const build = known.get(file.sha256.toLowerCase());
    if (build && build.componentId === rule.identity.id) {
      evidence.push({ file: file.path, kind: 'known-hash', text: file.sha256, location: `known build (${build.source})`, version: build.version });
    }
    out.push(...decide(rule, file, evidence));
  }
  out.push(...embeddedDetections(file));
  return out;
}

const scanners = new WeakMap<readonly DetectionRule[], NeedleScanner>();

/**
 * One scanner per rule set, over every needle its string matchers look up. Inspecting with its
 * `filter` as `keepStrings` keeps exactly the runs these rules can match.
 */
export function scannerFor(rules: readonly DetectionRule[] = ALL_RULES): NeedleScanner {
  let scanner = scanners.get(rules);
  if (!scanner) {
    scanners.set(rules, (scanner = new NeedleScanner(rules.flatMap((r) => flatten(r.evidence).flatMap((m) => m.lookups ?? [])))));
  }
  return scanner;
}

function collectEvidence(rule: DetectionRule, ctx: MatchContext): Evidence[] {
  if (rule.files?.formats && !rule.files.formats.includes(ctx.facts.format)) return [];
  if (rule.files?.path && !rule.files.path.test(ctx.file.path)) return [];
  const evidence = rule.evidence.flatMap((m) => m.match(ctx));
  // Two matchers may read the same value (zlib's ProductName and FileDescription both name it).
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.kind}|${e.location}|${e.text}|${e.arch ?? ''}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** `3.45.3.0` and `3.45.3` are one version; `1.2.13` and `1.2.12` are not. */
function versionKey(v: string): string {
  return v.replace(/(?:\.0)+$/, '');
}

function decide(rule: DetectionRule, file: InspectedFile, evidence: Evidence[]): Detection[] {
  if (evidence.length === 0) return [];
  const norm = rule.normalizeVersion ?? ((v: string) => v);
  const groups = new Map<string, { version: string; rank: number; evidence: Evidence[] }>();
  const unversioned: Evidence[] = [];
  for (const e of evidence) {
    if (!e.version) {
      unversioned.push(e);
      continue;
    }
    const version = norm(e.version);
    const key = versionKey(version);
    const rank = VERSION_PRIORITY.indexOf(e.kind);
    const g = groups.get(key);
    if (!g) groups.set(key, { version, rank, evidence: [e] });
    else {
      g.evidence.push(e);
      if (rank < g.rank) Object.assign(g, { version, rank });
    }
  }
  const relation = relationOf(rule.identity, file);
  const make = (version: string | undefined, ev: Evidence[]): Detection => {
    const archs = [...new Set(ev.map((e) => e.arch).filter((a): a is string => !!a))].sort();
    return {
      componentId: rule.identity.id,
      ...(version !== undefined ? { version } : {}),
      file: file.path,
      relation,
      evidence: ev,
      ...(archs.length > 0 ? { archs } : {}),
    };
  };
  if (groups.size === 0) return [make(undefined, unversioned)];
  return [...groups.values()].map((g) => make(g.version, [...g.evidence, ...unversioned]));
}

function relationOf(identity: ComponentIdentity, file: InspectedFile): Detection['relation'] {
  if (!file.facts || !CODE_FORMATS.has(file.facts.format)) return 'evidence';
  return isLibraryFile(identity, file.path) ? 'contains' : 'static-link';
}

export function isLibraryFile(identity: ComponentIdentity, path: string): boolean {
  const name = basename(path);
  return (identity.libraryFiles ?? []).some((re) => re.test(name));
}

/**
 * One component at one version, with every file that carries it. Files that only state it
 * (relation `evidence`) are not carriers; their evidence is kept. A component seen only in such
 * files has no carriers.
 */
export interface Component {
  identity: ComponentIdentity;
  version?: string;
  carriers: { file: string; relation: 'contains' | 'static-link' }[];
  evidence: Evidence[];
  archs: string[];
}

/** Merges per-file detections into components, keyed by component and version. Sorted, stable. */
export function mergeDetections(detections: readonly Detection[], identities: ReadonlyMap<string, ComponentIdentity>): Component[] {
  const byKey = new Map<string, Component>();
  for (const d of detections) {
    const identity = d.identity ?? identities.get(d.componentId);
    if (!identity) continue;
    const key = `${d.componentId}@${d.version ?? ''}`;
    let c = byKey.get(key);
    if (!c) {
      c = { identity, ...(d.version !== undefined ? { version: d.version } : {}), carriers: [], evidence: [], archs: [] };
      byKey.set(key, c);
    }
    const relation = d.relation;
    if (relation !== 'evidence' && !c.carriers.some((x) => x.file === d.file && x.relation === relation)) c.carriers.push({ file: d.file, relation });
    c.evidence.push(...d.evidence);
    for (const a of d.archs ?? []) if (!c.archs.includes(a)) c.archs.push(a);
  }
  const out = [...byKey.values()];
  for (const c of out) {
    c.carriers.sort((a, b) => cmp(a.file, b.file) || cmp(a.relation, b.relation));
    c.evidence.sort((a, b) => cmp(a.file, b.file) || cmp(a.kind, b.kind) || cmp(a.location, b.location) || cmp(a.text, b.text));
    c.archs.sort();
  }
  return out.sort((a, b) => cmp(a.identity.id, b.identity.id) || cmp(a.version ?? '', b.version ?? ''));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Identities of the given rules, by id. */
export function identitiesOf(rules: readonly DetectionRule[] = ALL_RULES): Map<string, ComponentIdentity> {
  return new Map(rules.map((r) => [r.identity.id, r.identity]));
}

/** A dependent's reference to a library it loads at run time (SPDX `DYNAMIC_LINK`), not a copy. */
export interface Link {
  componentId: string;
  /** The dependent. */
  file: string;
  /** The library name as the dependent writes it (`libssl-3.dll`, `@rpath/libcrypto.3.dylib`). */
  target: string;
  evidence: Evidence[];
}

/**
 * The libraries a file links against, by the rules' `importNames`: PE import and delay-import
 * tables, Mach-O LC_LOAD_DYLIB and kin. A version string the dependent carries (headers it was
 * compiled against) is not a second copy; this is how it is accounted for.
 */
export function linksInFile(file: InspectedFile, options: DetectOptions = {}): Link[] {
  const rules = options.rules ?? ALL_RULES;
  const facts = file.facts;
  if (!facts) return [];
  const refs: { name: string; location: string; arch?: string }[] = [];
  for (const name of facts.pe?.imports ?? []) refs.push({ name, location: 'PE import table' });
  for (const name of facts.pe?.delayImports ?? []) refs.push({ name, location: 'PE delay-import table' });
  for (const slice of facts.macho?.slices ?? []) {
    for (const d of slice.dylibs) refs.push({ name: d.name, location: `LC_${d.kind.toUpperCase()}_DYLIB`, arch: slice.arch });
  }
  const out = new Map<string, Link>();
  for (const rule of rules) {
    for (const ref of refs) {
      const base = ref.name.slice(ref.name.lastIndexOf('/') + 1);
      if (!(rule.importNames ?? []).some((re) => re.test(base))) continue;
      const key = `${rule.identity.id}|${ref.name}`;
      let link = out.get(key);
      if (!link) out.set(key, (link = { componentId: rule.identity.id, file: file.path, target: ref.name, evidence: [] }));
      link.evidence.push({ file: file.path, kind: 'load-command', text: ref.name, location: ref.location, ...(ref.arch ? { arch: ref.arch } : {}) });
    }
  }
  return [...out.values()];
}
