import { StringFilter } from '../inspect/string-filter.js';
import type { StringRun } from '../inspect/types.js';
import type { StringLookup } from './matchers.js';

/**
 * Finds, in one pass over a file's string runs, every run containing each of a fixed set of
 * literals (the matchers' needles). Runs are latin1 or ASCII-range UTF-16 text, so a code unit's
 * low byte is the byte matched. Its `filter`, handed to inspect, keeps only the runs that hold a
 * needle and match a pattern some matcher tests the runs holding that needle against, so runs no
 * matcher could read are never built.
 */
export class NeedleScanner {
  readonly needles: readonly string[];
  readonly filter: StringFilter;
  private readonly known: ReadonlySet<string>;

  /** `lookups`: each needle with a pattern it is tested against; a bare needle keeps every run holding it. */
  constructor(lookups: readonly (StringLookup | string)[]) {
    const patterns = new Map<string, Map<string, [string, string]> | null>();
    for (const l of lookups) {
      const needle = typeof l === 'string' ? l : l.needle;
      if (typeof l === 'string' || patterns.get(needle) === null) patterns.set(needle, null);
      else {
        const list = patterns.get(needle) ?? new Map<string, [string, string]>();
        list.set(`${l.pattern.source}/${l.pattern.flags}`, [l.pattern.source, l.pattern.flags]);
        patterns.set(needle, list);
      }
    }
    this.needles = [...patterns.keys()];
    const patternsOf = (n: string) => {
      const list = patterns.get(n);
      return list ? [...list.values()].sort() : null;
    };
    this.filter = new StringFilter({ literals: this.needles, patterns: this.needles.map(patternsOf) });
    this.known = new Set(this.needles);
  }

  has(needle: string): boolean {
    return this.known.has(needle);
  }

  /** For each needle, the runs that contain it, in run order. */
  scan(runs: readonly StringRun[]): StringRun[][] {
    const found: StringRun[][] = this.needles.map(() => []);
    const lastRun = new Int32Array(this.needles.length).fill(-1);
    const { delta, outputs } = this.filter.automaton;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      const text = run.text;
      let s = 0;
      for (let i = 0; i < text.length; i++) {
        s = delta[s * 256 + (text.charCodeAt(i) & 0xff)]!;
        const out = outputs[s]!;
        for (let k = 0; k < out.length; k++) {
          const id = out[k]!;
          if (lastRun[id] !== r) {
            lastRun[id] = r;
            found[id]!.push(run);
          }
        }
      }
    }
    return found;
  }
}
