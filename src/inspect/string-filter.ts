import { LiteralAutomaton } from './literals.js';
import { wholeMatchLengths } from './pattern-length.js';

/**
 * Which string runs are worth building: a run is kept when its text (cut to the scan's maximum
 * length) contains one of the literals and, where patterns are given for that literal, matches
 * one of them. This is what a detection rule's string matcher looks for (a needle every match
 * contains, then the matcher's pattern), so a filter made from the rules keeps every run a rule
 * can match and drops the many runs that merely contain a common needle such as `.` or `, `.
 */
export interface StringFilterSpec {
  readonly literals: readonly string[];
  /** Per literal: the patterns a run holding it must match one of (`[source, flags]`), or null: any run. */
  readonly patterns: readonly (readonly (readonly [string, string])[] | null)[];
}

/** ASCII runs are printable ASCII and tab; UTF-16LE runs are such code units with a zero high byte. */
export function isPrintable(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || b === 0x09;
}

export class StringFilter {
  /** Over run texts: which literals a run holds. */
  readonly automaton: LiteralAutomaton;
  /** True when a literal is empty: every run must be looked at (none can be skipped unseen). */
  readonly everyRun: boolean;
  private readonly patterns: readonly (readonly RegExp[] | null)[];
  private raw?: RawAutomaton;

  constructor(readonly spec: StringFilterSpec) {
    if (spec.patterns.length !== spec.literals.length) throw new Error('a string filter needs one pattern list per literal');
    this.automaton = new LiteralAutomaton(spec.literals);
    this.everyRun = spec.literals.some((l) => l.length === 0);
    // Without `g` or `y`, test() keeps no state between runs.
    this.patterns = spec.patterns.map((list) => list?.map(([source, flags]) => new RegExp(source, flags.replace(/[gy]/g, ''))) ?? null);
  }

  /** Literals only: a run holding any of them is kept. */
  static ofLiterals(literals: readonly string[]): StringFilter {
    return new StringFilter({ literals, patterns: literals.map(() => null) });
  }

  /** Whether a run with this (cut) text is kept. */
  keeps(text: string): boolean {
    const { delta, outputs } = this.automaton;
    let checked: Set<number> | undefined;
    let s = 0;
    // The literals ending at each state, the root's (an empty literal) first.
    for (let i = 0; ; i++) {
      const out = outputs[s]!;
      if (out.length > 0 && this.keepsLiterals(out, text, (checked ??= new Set()))) return true;
      if (i === text.length) return false;
      s = delta[s * 256 + (text.charCodeAt(i) & 0xff)]!;
    }
  }

  private keepsLiterals(ids: readonly number[], text: string, checked: Set<number>): boolean {
    for (const id of ids) {
      if (checked.has(id)) continue;
      checked.add(id);
      const patterns = this.patterns[id]!;
      if (patterns === null || patterns.some((p) => p.test(text))) return true;
    }
    return false;
  }

  /**
   * One automaton over raw bytes for every literal as ASCII and as UTF-16LE (each character then a
   * zero byte). Only printable literals can occur inside a run, and an occurrence of one in the
   * bytes always lies inside a run, so the runs worth building are found without tracking runs.
   */
  get bytes(): RawAutomaton {
    if (!this.raw) {
      const printable = this.spec.literals.map((l, id) => [l, id] as const).filter(([l]) => l.length > 0 && [...l].every((c) => isPrintable(c.charCodeAt(0))));
      const wide = printable.map(([l]) => [...l].map((c) => `${c}\0`).join(''));
      const automaton = new LiteralAutomaton([...printable.map(([l]) => l), ...wide]);
      const lengths = this.spec.patterns.map(runLengths);
      const states = automaton.outputs.length;
      // Per state: 1 when an ASCII literal ends there, 2 when a UTF-16LE one does; and the run
      // lengths (in characters, as cut) that one of those literals' patterns can keep.
      const ends = new Uint8Array(states);
      const bounds = new Int32Array(states * 4);
      automaton.outputs.forEach((ids, s) => {
        bounds.set([MAX_LENGTH, 0, MAX_LENGTH, 0], s * 4);
        for (const id of ids) {
          const kind = id < printable.length ? 0 : 1;
          const [lo, hi] = lengths[printable[id % printable.length]![1]]!;
          ends[s] |= kind + 1;
          bounds[s * 4 + kind * 2] = Math.min(bounds[s * 4 + kind * 2]!, lo);
          bounds[s * 4 + kind * 2 + 1] = Math.max(bounds[s * 4 + kind * 2 + 1]!, hi);
        }
      });
      this.raw = { delta: automaton.delta, ends, bounds, longest: Math.max(0, ...wide.map((l) => l.length)) };
    }
    return this.raw;
  }
}

/** Longer than any run's text (runs are cut to at most this many characters). */
const MAX_LENGTH = 0x7fffffff;

/** The lengths of text a literal's patterns can keep: any, unless every pattern is anchored at both ends. */
function runLengths(patterns: readonly (readonly [string, string])[] | null): [number, number] {
  let lo = MAX_LENGTH;
  let hi = 0;
  for (const [source, flags] of patterns ?? [['', '']]) {
    const r = wholeMatchLengths(source, flags) ?? { min: 0, max: MAX_LENGTH };
    lo = Math.min(lo, r.min);
    hi = Math.max(hi, Math.min(MAX_LENGTH, r.max));
  }
  return [lo, hi];
}

export interface RawAutomaton {
  readonly delta: Int32Array;
  readonly ends: Uint8Array;
  /**
   * Per state, four numbers: the shortest and longest run (in characters, after the cut to the
   * scan's maximum) that an ASCII literal ending there can be kept in, then the same for UTF-16LE.
   */
  readonly bounds: Int32Array;
  /** The longest literal, in bytes (its UTF-16LE form). */
  readonly longest: number;
}

const cache = new Map<string, StringFilter>();

/** The filter for a spec received from another thread, built once per spec. */
export function filterFor(spec: StringFilterSpec): StringFilter {
  const key = JSON.stringify(spec);
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new StringFilter(spec)));
  return f;
}
