import { LiteralAutomaton } from '../inspect/literals.js';
import type { StringRun } from '../inspect/types.js';

/**
 * Finds, in one pass over a file's string runs, every run containing each of a fixed set of
 * literals (the matchers' needles). Runs are latin1 or ASCII-range UTF-16 text, so a code unit's
 * low byte is the byte matched. The same automaton, handed to inspect, keeps only the runs that
 * contain a needle, so runs no matcher could read are never built.
 */
export class NeedleScanner {
  readonly automaton: LiteralAutomaton;
  private readonly known: ReadonlySet<string>;

  constructor(readonly needles: readonly string[]) {
    this.automaton = new LiteralAutomaton(needles);
    this.known = new Set(needles);
  }

  has(needle: string): boolean {
    return this.known.has(needle);
  }

  /** For each needle, the runs that contain it, in run order. */
  scan(runs: readonly StringRun[]): StringRun[][] {
    const found: StringRun[][] = this.needles.map(() => []);
    const lastRun = new Int32Array(this.needles.length).fill(-1);
    const { delta, outputs } = this.automaton;
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
