/**
 * Small composable matchers, in the manner of syft's binary classifiers: each reads one kind of
 * fact (string runs, VERSIONINFO, file name, Info.plist, install names, exported symbols, the
 * Authenticode program name, PE section names) and returns the evidence it sees. Rules are lists
 * of these; `anchored` and `allOf` combine them. Every string matcher names a fixed literal
 * `needle` that each of its matches contains, so candidates are found with a substring search
 * and a single pass over a file's bytes can pick the rules worth running.
 */
import { basename } from 'node:path';
import type { BinaryFacts, StringRun } from '../inspect/types.js';
import type { NeedleScanner } from './needles.js';
import type { Evidence, EvidenceKind, InspectedFile } from './types.js';

/**
 * What one file offers to the matchers. String candidates per needle come from one scan of the
 * file's runs for every needle the rules name, made on first use; other needles are searched alone.
 */
export class MatchContext {
  readonly name: string;
  private byNeedle?: Map<string, readonly StringRun[]>;

  constructor(
    readonly file: InspectedFile,
    readonly facts: BinaryFacts,
    private readonly scanner?: NeedleScanner,
  ) {
    this.name = basename(file.path);
  }

  /** String runs containing `needle`, in file order. */
  runsWith(needle: string): readonly StringRun[] {
    if (!this.byNeedle) {
      this.byNeedle = new Map();
      if (this.scanner && this.facts.strings.length > 0) {
        const found = this.scanner.scan(this.facts.strings);
        this.scanner.needles.forEach((n, i) => this.byNeedle!.set(n, found[i]!));
      }
    }
    let runs = this.byNeedle.get(needle);
    if (!runs) {
      // Runs kept for another set of needles cannot answer for this one.
      if (this.facts.stringsFiltered && !this.scanner?.has(needle)) throw new Error(`string runs were kept for other needles than "${needle}"`);
      runs = this.facts.strings.filter((r) => r.text.includes(needle));
      this.byNeedle.set(needle, runs);
    }
    return runs;
  }

  evidence(kind: EvidenceKind, text: string, location: string, version?: string, arch?: string): Evidence {
    return { file: this.file.path, kind, text, location, ...(version ? { version } : {}), ...(arch ? { arch } : {}) };
  }
}

export interface StringLookup {
  readonly needle: string;
  readonly pattern: RegExp;
}

/** What a matcher reads; `strings` matchers carry a needle. */
export type MatcherInput = 'strings' | 'versioninfo' | 'file-name' | 'path' | 'plist' | 'install-name' | 'symbols' | 'signature' | 'section' | 'combined';

export interface Matcher {
  readonly reads: MatcherInput;
  /** A literal every string this matcher accepts contains (string matchers only). */
  readonly needle?: string;
  /**
   * Every literal the matcher looks up (its needle and those of the strings it must be near or
   * apart from), each with the pattern it then tests the runs holding the literal against.
   */
  readonly lookups?: readonly StringLookup[];
  /** Sample text the pattern matches, taken from a real binary where one was at hand. */
  readonly example?: string;
  readonly pattern?: RegExp;
  /** Matchers this one is built from (combinators). */
  readonly parts?: readonly Matcher[];
  match(ctx: MatchContext): Evidence[];
}

/** At most this many pieces of evidence of one matcher, version and slice are kept per file. */
const EVIDENCE_PER_KIND = 3;

export const LEADING_VERSION = /^(?<version>\d+(?:\.\d+){1,3})/;

/**
 * A bare version constant (`sqlite3_version[]`, `ZSTD_VERSION_STRING`): a whole run, or the end
 * of a run that starts in the data before it, when that data's tail is up to 255 symbols, none a
 * letter, digit or space and the last not a dot (group `glue`). A table of 128 `@` bytes ends
 * right before SQLite's `3.53.4` in @photostructure/sqlite 2.6.0's Windows builds, `.?` on
 * macOS. A letter or digit before the version (`v3.1.2`, `13.1.2`) makes it another text. For a
 * rule's bare version anchored by a string nearby: the glue makes its runs up to 262 characters
 * long, so a needle as common as `.` would build most runs that hold it.
 */
export function bareVersion(body: string): RegExp {
  return new RegExp(`^(?<glue>[^\\w\\s]{0,254}[^\\w\\s.])?(?<version>${body})$`);
}

/** What a match says, without the bytes a bare version is glued to (see bareVersion). */
function matchedText(hit: RegExpExecArray): string {
  return hit[0].slice(hit.groups?.['glue']?.length ?? 0);
}

function versionOf(hit: RegExpExecArray | null | undefined): string | undefined {
  return hit?.groups?.['version'];
}

function archOf(run: StringRun): string | undefined {
  const i = run.where.indexOf(':');
  return i > 0 ? run.where.slice(0, i) : undefined;
}

function sectionOf(run: StringRun): string {
  const arch = archOf(run);
  return arch ? run.where.slice(arch.length + 1) : run.where;
}

/**
 * Evidence for the part of a run a pattern matched, placed where that part starts (a match may
 * begin inside a longer run: `?OpenSSL 1.1.1d …`, a path inside a panic message).
 */
function stringEvidence(ctx: MatchContext, run: StringRun, hit: RegExpExecArray, version?: string): Evidence {
  const text = matchedText(hit);
  const lead = hit.index + (hit[0].length - text.length) + (text.length - text.trimStart().length);
  // UTF-16LE runs are two bytes a character; ASCII runs and text-file lines are UTF-8.
  const offset = run.offset + (run.encoding === 'utf16le' ? 2 * lead : Buffer.byteLength(run.text.slice(0, lead), 'utf8'));
  return ctx.evidence('string', text.trim(), `0x${offset.toString(16)} (${sectionOf(run)}, ${run.encoding})`, version, archOf(run));
}

/** A string that must (or must not) lie close to a match. */
export interface NearSpec {
  /** Literal(s) the near string contains; one of them when its pattern has alternatives. */
  needle: string | readonly string[];
  pattern: RegExp;
  /** Bytes between the two runs' starts. */
  distance: number;
  /** `section` (default): same section and slice; `slice`: anywhere in the same slice. */
  scope?: 'section' | 'slice';
}

export interface StringSpec {
  example: string;
  needle: string;
  /**
   * A named group `version` makes the match date the component; a group `key` with a `table`
   * dates it through the table (SQLite's source id); without either it only identifies.
   */
  pattern: RegExp;
  table?: Readonly<Record<string, string>>;
  encoding?: 'ascii' | 'utf16le';
  /** Only in files whose path matches (a bare version string is trusted only in the core binary). */
  path?: RegExp;
  /** The match counts only with a string like this close by (a bare `3.45.3` beside SQLite's own text). */
  near?: NearSpec;
  /** The match is void with a string like this close by (another library's copy). */
  notNear?: NearSpec;
  /** The match is void when any run of the same slice matches (zlib-ng's verbatim copy of zlib's lines). */
  notInSlice?: { needle: string; pattern: RegExp };
  /**
   * The match counts only when no other value of the pattern occurs in the same slice: a bare
   * `5.2.3` is liblzma's where liblzma's symbols are defined and no other bare `5.x.y` competes.
   * `near`: no other value lies as close to the near string (p7zip with extra codecs keeps LZ4's
   * `1.9.3` and fast-lzma2's `1.0.1` within a few KB of zstd's `1.4.8` and error texts: none is
   * taken).
   */
  sole?: boolean | 'near';
  /**
   * When the file's path matches and names a version prefix (named group `prefix`, e.g. the `3.12`
   * of `libpython3.12.dylib`), a matched version must start with it.
   */
  pathVersion?: RegExp;
}

function nearRuns(ctx: MatchContext, spec: NearSpec): readonly StringRun[] {
  return typeof spec.needle === 'string' ? ctx.runsWith(spec.needle) : spec.needle.flatMap((n) => ctx.runsWith(n));
}

function close(ctx: MatchContext, run: StringRun, spec: NearSpec): boolean {
  const arch = archOf(run) ?? '';
  return nearRuns(ctx, spec).some(
    (r) => r !== run && (spec.scope === 'slice' ? (archOf(r) ?? '') === arch : r.where === run.where) && Math.abs(r.offset - run.offset) <= spec.distance && spec.pattern.test(r.text),
  );
}

/** Printable runs (ASCII or UTF-16LE) in data sections, or lines of a version text file. */
export function strings(spec: StringSpec): Matcher {
  const dates = spec.pattern.source.includes('(?<version>') || spec.table !== undefined;
  const versionFrom = (hit: RegExpExecArray): string | undefined => (spec.table ? spec.table[hit.groups?.['key'] ?? ''] : versionOf(hit));
  const lookups = [spec, spec.near, spec.notNear, spec.notInSlice].flatMap((x) => (x ? [x.needle].flat().map((needle) => ({ needle, pattern: x.pattern })) : []));
  return {
    reads: 'strings',
    needle: spec.needle,
    lookups,
    example: spec.example,
    pattern: spec.pattern,
    match(ctx) {
      if (spec.path && !spec.path.test(ctx.file.path)) return [];
      // The near string's needle is usually rarer than a bare version's: look for it first.
      if (spec.near && nearRuns(ctx, spec.near).length === 0) return [];
      const candidates = ctx.runsWith(spec.needle);
      if (candidates.length === 0) return [];
      const voidSlices = new Set<string>();
      if (spec.notInSlice) for (const r of ctx.runsWith(spec.notInSlice.needle)) if (spec.notInSlice.pattern.test(r.text)) voidSlices.add(archOf(r) ?? '');
      const prefix = spec.pathVersion?.exec(ctx.file.path)?.groups?.['prefix'];
      const perVersion = new Map<string, number>();
      const out: Evidence[] = [];
      const valuesBySlice = new Map<string, Set<string>>();
      for (const run of candidates) {
        if (spec.encoding && run.encoding !== spec.encoding) continue;
        const hit = spec.pattern.exec(run.text);
        if (!hit) continue;
        const countValue = (): void => {
          const slice = archOf(run) ?? '';
          valuesBySlice.set(slice, (valuesBySlice.get(slice) ?? new Set()).add(matchedText(hit)));
        };
        if (spec.sole === true) countValue();
        if (voidSlices.has(archOf(run) ?? '')) continue;
        if (spec.notNear && close(ctx, run, spec.notNear)) continue;
        if (spec.near && !close(ctx, run, spec.near)) continue;
        if (spec.sole === 'near') countValue();
        const version = dates ? versionFrom(hit) : undefined;
        if (version && prefix && version !== prefix && !version.startsWith(`${prefix}.`)) continue;
        const key = `${version ?? ''}|${archOf(run) ?? ''}`;
        const n = perVersion.get(key) ?? 0;
        if (n >= EVIDENCE_PER_KIND) continue;
        perVersion.set(key, n + 1);
        out.push(stringEvidence(ctx, run, hit, version));
      }
      return spec.sole ? out.filter((e) => (valuesBySlice.get(e.arch ?? '')?.size ?? 0) === 1) : out;
    },
  };
}

export interface VersionInfoSpec {
  /** StringFileInfo key holding the version: FileVersion or ProductVersion. */
  key: string;
  /** Every listed key must match for this matcher to apply (identifies the product). */
  when: Record<string, RegExp>;
  /** Extracts the version from the value; default: leading dotted number. A value it misses identifies only. */
  pattern?: RegExp;
}

/** PE VS_VERSIONINFO string values. */
export function versionInfo(spec: VersionInfoSpec): Matcher {
  const pattern = spec.pattern ?? LEADING_VERSION;
  return {
    reads: 'versioninfo',
    pattern,
    match(ctx) {
      const vi = ctx.facts.pe?.versionInfo;
      if (!vi) return [];
      const out: Evidence[] = [];
      for (const [table, values] of Object.entries(vi.strings)) {
        const applies = Object.entries(spec.when).every(([k, re]) => values[k] !== undefined && re.test(values[k]!.trim()));
        const value = values[spec.key]?.trim();
        if (!applies || value === undefined || value === '') continue;
        out.push(ctx.evidence('versioninfo', value, `StringFileInfo/${table}/${spec.key}`, versionOf(pattern.exec(value))));
      }
      return out;
    },
  };
}

/**
 * The file's own name (basename). `abi-name` identifies without dating (`libffi-8.dll` is ABI 8);
 * a `version` group in a `file-name` pattern dates.
 */
export function fileName(pattern: RegExp, kind: 'file-name' | 'abi-name' = 'abi-name'): Matcher {
  return {
    reads: 'file-name',
    pattern,
    match(ctx) {
      const hit = pattern.exec(ctx.name);
      return hit ? [ctx.evidence(kind, ctx.name, 'file name', kind === 'file-name' ? versionOf(hit) : undefined)] : [];
    },
  };
}

/** The file's path inside the artifact (a versioned directory such as `tcl/tix8.4.3/`). */
export function pathName(pattern: RegExp, kind: 'file-name' | 'abi-name' = 'file-name'): Matcher {
  return {
    reads: 'path',
    pattern,
    match(ctx) {
      const hit = pattern.exec(ctx.file.path);
      return hit ? [ctx.evidence(kind, hit[0], 'path', versionOf(hit))] : [];
    },
  };
}

/** Keys of an Info.plist (framework bundles). */
export function plist(spec: { when: Record<string, RegExp>; versionKey: string }): Matcher {
  return {
    reads: 'plist',
    match(ctx) {
      const p = ctx.facts.plist;
      if (!p) return [];
      const applies = Object.entries(spec.when).every(([k, re]) => typeof p[k] === 'string' && re.test(p[k] as string));
      const value = p[spec.versionKey];
      if (!applies || typeof value !== 'string') return [];
      return [ctx.evidence('plist', value, `Info.plist ${spec.versionKey}`, versionOf(/^(?<version>\d+(?:\.\d+){0,3})/.exec(value)))];
    },
  };
}

/** Mach-O LC_ID_DYLIB install names: identity only (they carry the ABI, not the release). */
export function installName(pattern: RegExp): Matcher {
  return {
    reads: 'install-name',
    pattern,
    match(ctx) {
      const out: Evidence[] = [];
      for (const slice of ctx.facts.macho?.slices ?? []) {
        const id = slice.idDylib;
        if (id && pattern.test(id.name)) {
          out.push(ctx.evidence('install-name', `${id.name} (current ${id.currentVersion}, compatibility ${id.compatibilityVersion})`, 'LC_ID_DYLIB', undefined, slice.arch));
        }
      }
      return out;
    },
  };
}

/**
 * Symbols the file defines: PE export names, Mach-O external symbols defined in the image (an
 * undefined, dynamically looked-up symbol is a dependency, never a copy). Identity only. `min`
 * of the listed names must be present, so one common name does not identify a library. Names are
 * C names, as a PE exports them; Mach-O's leading underscore is taken off here, so every name of
 * a rule counts in both formats.
 */
export function definedSymbols(spec: { names: readonly string[]; min?: number }): Matcher {
  const wanted = new Set(spec.names);
  const min = spec.min ?? 1;
  return {
    reads: 'symbols',
    match(ctx) {
      const out: Evidence[] = [];
      const pe = ctx.facts.pe?.exports?.names ?? [];
      const hits = pe.filter((n) => wanted.has(n));
      if (hits.length >= min) out.push(ctx.evidence('symbol', hits.slice(0, 4).join(', '), `PE export table (${hits.length} of ${spec.names.length} names)`));
      for (const slice of ctx.facts.macho?.slices ?? []) {
        // Mach-O writes a C name with a leading underscore (`_BZ2_bzCompress`): rules list C names.
        const found = (slice.definedSymbols ?? []).filter((n) => n.startsWith('_') && wanted.has(n.slice(1)));
        if (found.length >= min) out.push(ctx.evidence('symbol', found.slice(0, 4).join(', '), `Mach-O symbol table, defined (${found.length} of ${spec.names.length} names)`, undefined, slice.arch));
      }
      return out;
    },
  };
}

/**
 * The program name a signer stated in Authenticode's SpcSpOpusInfo: CPython signs the DLLs it
 * builds from cpython-bin-deps with the dependency's name and tag (`LibFFI for Python (libffi-3.4.4)`).
 */
export function signatureProgram(spec: { example: string; needle: string; pattern: RegExp }): Matcher {
  return {
    reads: 'signature',
    needle: spec.needle,
    lookups: [],
    example: spec.example,
    pattern: spec.pattern,
    match(ctx) {
      const out: Evidence[] = [];
      for (const sig of ctx.facts.pe?.signatures ?? []) {
        const name = sig.programName;
        if (!name || !name.includes(spec.needle)) continue;
        const hit = spec.pattern.exec(name);
        if (hit) out.push(ctx.evidence('signature', name, 'Authenticode SpcSpOpusInfo programName', versionOf(hit)));
      }
      return out;
    },
  };
}

/** PE section names only one component writes (Burn's `.wixburn`): identity. */
export function peSection(pattern: RegExp): Matcher {
  return {
    reads: 'section',
    pattern,
    match(ctx) {
      return (ctx.facts.pe?.sections ?? [])
        .filter((s) => pattern.test(s.name))
        .map((s) => ctx.evidence('container', s.name, `PE section ${s.name} at 0x${s.rawOffset.toString(16)}`));
    },
  };
}

/**
 * The inner matchers count only in a file where one of the anchors matched: strings only the
 * implementation carries (OpenSSL's `OPENSSLDIR: "…"`), so a dependent compiled against the
 * library's headers is not taken for the library. The first anchor's evidence is kept, in each
 * slice of a universal file: each slice is a build of its own, and the component's architectures
 * are those its evidence names (zstd was `[x86_64]` in a universal binary that links it into both).
 */
export function anchored(anchors: readonly Matcher[], ...inner: Matcher[]): Matcher {
  return {
    reads: 'combined',
    parts: [...anchors, ...inner],
    match(ctx) {
      const bySlice = new Map<string, Evidence>();
      for (const a of anchors) {
        for (const e of a.match(ctx)) if (!bySlice.has(e.arch ?? '')) bySlice.set(e.arch ?? '', e);
        // A thin file needs one anchor; a universal file one per slice, as far as the anchors go.
        if (bySlice.has('') || bySlice.size === (ctx.facts.macho?.slices.length ?? 1)) break;
      }
      if (bySlice.size === 0) return [];
      return [...bySlice.values(), ...inner.flatMap((m) => m.match(ctx))];
    },
  };
}

/** Evidence only when every part matched (an export set and a bare version, say). */
export function allOf(...parts: Matcher[]): Matcher {
  return {
    reads: 'combined',
    parts,
    match(ctx) {
      const out: Evidence[] = [];
      for (const p of parts) {
        const found = p.match(ctx);
        if (found.length === 0) return [];
        out.push(...found);
      }
      return out;
    },
  };
}

/** Every matcher, combinators flattened (for tests and the one-pass scan's needle list). */
export function flatten(matchers: readonly Matcher[]): Matcher[] {
  return matchers.flatMap((m) => [m, ...flatten(m.parts ?? [])]);
}
