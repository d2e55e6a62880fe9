import type { StringRun } from '../inspect/types.js';

/**
 * Finds, in one pass over a file's string runs, every run containing each of a fixed set of
 * literals (the matchers' needles): an Aho–Corasick automaton over bytes, flattened into a table
 * of 256 transitions per state. Runs are latin1 or ASCII-range UTF-16 text, so a code unit's low
 * byte is the byte matched.
 */
export class NeedleScanner {
  private readonly delta: Int32Array;
  /** Needle indexes ending at each state (including those reached through failure links). */
  private readonly outputs: number[][];

  constructor(readonly needles: readonly string[]) {
    const next: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    needles.forEach((needle, id) => {
      let s = 0;
      for (let i = 0; i < needle.length; i++) {
        const c = needle.charCodeAt(i) & 0xff;
        let t = next[s]!.get(c);
        if (t === undefined) {
          t = next.length;
          next.push(new Map());
          ends.push([]);
          next[s]!.set(c, t);
        }
        s = t;
      }
      ends[s]!.push(id);
    });
    const n = next.length;
    const delta = new Int32Array(n * 256);
    const fail = new Int32Array(n);
    const order: number[] = [];
    for (let c = 0; c < 256; c++) {
      const t = next[0]!.get(c);
      delta[c] = t ?? 0;
      if (t !== undefined) order.push(t);
    }
    // Breadth-first: a state's failure target is shallower, so its row is complete already.
    for (let q = 0; q < order.length; q++) {
      const s = order[q]!;
      ends[s]!.push(...ends[fail[s]!]!);
      for (let c = 0; c < 256; c++) {
        const t = next[s]!.get(c);
        if (t === undefined) delta[s * 256 + c] = delta[fail[s]! * 256 + c]!;
        else {
          fail[t] = delta[fail[s]! * 256 + c]!;
          delta[s * 256 + c] = t;
          order.push(t);
        }
      }
    }
    this.delta = delta;
    this.outputs = ends;
  }

  /** For each needle, the runs that contain it, in run order. */
  scan(runs: readonly StringRun[]): StringRun[][] {
    const found: StringRun[][] = this.needles.map(() => []);
    const lastRun = new Int32Array(this.needles.length).fill(-1);
    const { delta, outputs } = this;
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
