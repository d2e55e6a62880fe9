/**
 * An Aho–Corasick automaton over bytes for a fixed set of literals, flattened into a table of 256
 * transitions per state so one step is one array read. Literals are latin1: a character's low byte
 * is the byte matched, which is what printable string runs hold (ASCII bytes, or the low bytes of
 * UTF-16LE code units).
 */
export class LiteralAutomaton {
  /** `delta[state * 256 + byte]`: the next state. State 0 is the root. */
  readonly delta: Int32Array;
  /** Literal indexes ending at each state (including those reached through failure links). */
  readonly outputs: readonly (readonly number[])[];
  /** 1 where at least one literal ends. */
  readonly accepting: Uint8Array;

  constructor(readonly literals: readonly string[]) {
    const next: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    literals.forEach((literal, id) => {
      let s = 0;
      for (let i = 0; i < literal.length; i++) {
        const c = literal.charCodeAt(i) & 0xff;
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
    this.accepting = Uint8Array.from(ends, (e) => (e.length > 0 ? 1 : 0));
  }
}
