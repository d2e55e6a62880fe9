import { isPrintable, type StringFilter } from './string-filter.js';
import type { StringRun } from './types.js';

export interface StringOptions {
  /** Shortest run kept, in characters. */
  minLength?: number;
  /** Longer runs are cut to this many characters (the offset still points at the start). */
  maxLength?: number;
  /**
   * Keep only the runs the filter keeps; the others are counted but never turned into strings,
   * which is most of the cost of a large binary.
   */
  keep?: StringFilter;
  /** Runs starting before this index of the window are neither kept nor counted (a window overlap). */
  from?: number;
  /**
   * With a filter, count the runs it drops too (default true). Counting steps a second automaton
   * over every byte, a third of the scan's cost, and only `inspect` shows the count.
   */
  count?: boolean;
}

/** 1 for printable ASCII and tab. */
const PRINTABLE = Uint8Array.from({ length: 256 }, (_, b) => (isPrintable(b) ? 1 : 0));

/**
 * Printable ASCII runs and UTF-16LE runs (printable ASCII code units, as Windows resources and
 * some version strings are stored) in a window of bytes. `base` is the window's file offset.
 * Runs come ASCII first, then UTF-16LE at even, then at odd byte alignment, each in order.
 */
export function extractStrings(bytes: Uint8Array, base: number, where: string, options: StringOptions = {}): StringRun[] {
  const runs: StringRun[] = [];
  scanStrings(bytes, base, where, runs, options);
  return runs;
}

/**
 * Appends the window's kept runs to `out` (in extractStrings' order) and returns how many runs
 * the window holds (undefined when not counted). With a filter, the few runs worth building are
 * found by their literals, without building the others; without one, every run is built.
 */
export function scanStrings(bytes: Uint8Array, base: number, where: string, out: StringRun[], options: StringOptions = {}): number | undefined {
  const min = options.minLength ?? 4;
  const max = options.maxLength ?? 1024;
  const from = options.from ?? 0;
  const keep = options.keep;
  if (keep && !keep.everyRun) {
    const found = options.count === false ? literalHits(bytes, from, keep) : countedLiteralHits(bytes, from, keep, min);
    runsAtHits(bytes, base, where, out, min, max, from, keep, found);
    return found.count;
  }
  const runs: StringRun[] = [];
  allRuns(bytes, base, where, runs, min, max, from);
  for (const r of runs) if (!keep || keep.keeps(r.text)) out.push(r);
  return runs.length;
}

/** Every run of the window, built. */
function allRuns(bytes: Uint8Array, base: number, where: string, out: StringRun[], min: number, max: number, from: number): void {
  const n = bytes.length;
  const even: StringRun[] = [];
  const odd: StringRun[] = [];
  // Where each open run starts (-1: none): ASCII, then UTF-16LE at even (0) and odd (1) byte
  // alignment, where a code unit is a printable low byte and a zero high byte.
  let a = -1;
  let s0 = -1;
  let s1 = -1;
  const last = n - 1;
  for (let i = 0; i < n; i++) {
    const printable = PRINTABLE[bytes[i]!] === 1;
    if (printable) {
      if (a < 0) a = i;
    } else if (a >= 0) {
      if (i - a >= min && a >= from) out.push(asciiRun(bytes, a, Math.min(i, a + max), base, where));
      a = -1;
    }
    if (i === last) break;
    const unit = printable && bytes[i + 1] === 0;
    if ((i & 1) === 0) {
      if (unit) {
        if (s0 < 0) s0 = i;
      } else if (s0 >= 0) {
        if ((i - s0) >> 1 >= min && s0 >= from) even.push(utf16Run(bytes, s0, i, base, where, max));
        s0 = -1;
      }
    } else if (unit) {
      if (s1 < 0) s1 = i;
    } else if (s1 >= 0) {
      if ((i - s1) >> 1 >= min && s1 >= from) odd.push(utf16Run(bytes, s1, i, base, where, max));
      s1 = -1;
    }
  }
  // Runs still open at the end of the window; a UTF-16 run ends after its last whole code unit.
  if (a >= 0 && n - a >= min && a >= from) out.push(asciiRun(bytes, a, Math.min(n, a + max), base, where));
  const end0 = (n & 1) === 0 ? n : n - 1;
  if (s0 >= 0 && (end0 - s0) >> 1 >= min && s0 >= from) even.push(utf16Run(bytes, s0, end0, base, where, max));
  const end1 = (n & 1) === 1 ? n : n - 1;
  if (s1 >= 0 && (end1 - s1) >> 1 >= min && s1 >= from) odd.push(utf16Run(bytes, s1, end1, base, where, max));
  for (const r of even) out.push(r);
  for (const r of odd) out.push(r);
}

/** Where the filter's literals end in a window, and the automaton's state there. */
interface LiteralHits {
  at: Int32Array;
  states: Int32Array;
  length: number;
  /** How many runs the window holds, when counted. */
  count?: number;
}

class HitList implements LiteralHits {
  at = new Int32Array(1024);
  states = new Int32Array(1024);
  length = 0;
  count?: number;

  push(i: number, s: number): void {
    if (this.length === this.at.length) this.grow();
    this.at[this.length] = i;
    this.states[this.length++] = s;
  }

  /** Appends another list's hits. */
  append(h: HitList): void {
    for (let j = 0; j < h.length; j++) this.push(h.at[j]!, h.states[j]!);
  }

  private grow(): void {
    this.at = grown(this.at);
    this.states = grown(this.states);
  }
}

/** Below this many bytes a window is scanned as one stream. */
const INTERLEAVE_MIN = 1 << 16;

/**
 * The filter's literals over the raw bytes. Each occurrence of a literal lies inside a run, whose
 * bounds are read around it afterwards (runsAtHits).
 *
 * Each step of an automaton waits for the previous one's table read, so one stream runs at the
 * latency of that read. The window is cut into four quarters whose automata step in the same loop,
 * which lets the processor overlap their reads (twice the speed here). A quarter's automaton starts
 * `longest - 1` bytes early, so it is in the right state at its first byte for any literal that
 * ends inside the quarter, and records only those; joined in order, the hits are one stream's.
 */
function literalHits(bytes: Uint8Array, from: number, keep: StringFilter): LiteralHits {
  const { delta, ends, longest } = keep.bytes;
  const start = Math.max(0, from);
  const n = bytes.length;
  const q = (n - start) >> 2;
  if (n - start < INTERLEAVE_MIN || q < longest) return streamHits(bytes, start, n, delta, ends, new HitList(), 0);
  const lead = longest - 1;
  const hits = [new HitList(), new HitList(), new HitList(), new HitList()] as const;
  const last = quarterHits(bytes, start, q, lead, delta, ends, hits);
  // The last quarter also takes the bytes the division left over.
  streamHits(bytes, start + 4 * q, n, delta, ends, hits[3], last);
  for (let k = 1; k < 4; k++) hits[0].append(hits[k]!);
  return hits[0];
}

/**
 * The four quarters' automata stepped together, each started in the state it has at its first
 * byte; returns the last quarter's final state. (Kept apart from its caller so the optimizing
 * compiler sees one small loop, compiled once.)
 */
function quarterHits(bytes: Uint8Array, start: number, q: number, lead: number, delta: Int32Array, ends: Uint8Array, hits: readonly [HitList, HitList, HitList, HitList]): number {
  const p1 = start + q;
  const p2 = p1 + q;
  const p3 = p2 + q;
  let s0 = 0;
  let s1 = warm(bytes, p1 - lead, p1, delta);
  let s2 = warm(bytes, p2 - lead, p2, delta);
  let s3 = warm(bytes, p3 - lead, p3, delta);
  const [h0, h1, h2, h3] = hits;
  for (let i = 0; i < q; i++) {
    s0 = delta[(s0 << 8) | bytes[start + i]!]!;
    s1 = delta[(s1 << 8) | bytes[p1 + i]!]!;
    s2 = delta[(s2 << 8) | bytes[p2 + i]!]!;
    s3 = delta[(s3 << 8) | bytes[p3 + i]!]!;
    if ((ends[s0]! | ends[s1]! | ends[s2]! | ends[s3]!) !== 0) {
      if (ends[s0] !== 0) h0.push(start + i, s0);
      if (ends[s1] !== 0) h1.push(p1 + i, s1);
      if (ends[s2] !== 0) h2.push(p2 + i, s2);
      if (ends[s3] !== 0) h3.push(p3 + i, s3);
    }
  }
  return s3;
}

/** The automaton's state after `bytes[from, to)`, started at the root. */
function warm(bytes: Uint8Array, from: number, to: number, delta: Int32Array): number {
  let s = 0;
  for (let i = from; i < to; i++) s = delta[(s << 8) | bytes[i]!]!;
  return s;
}

/** One automaton over `bytes[from, to)` from state `s`, its hits appended to `hits`; returns the state at `to`. */
function streamHits(bytes: Uint8Array, from: number, to: number, delta: Int32Array, ends: Uint8Array, hits: HitList, s: number): HitList {
  for (let i = from; i < to; i++) {
    s = delta[(s << 8) | bytes[i]!]!;
    if (ends[s] !== 0) hits.push(i, s);
  }
  return hits;
}

/** literalHits, with the run counter (see runTable) stepped beside it to count the window's runs. */
function countedLiteralHits(bytes: Uint8Array, from: number, keep: StringFilter, min: number): LiteralHits {
  const { delta, ends } = keep.bytes;
  const t = runTable(min);
  const { next, counted } = t;
  const hits = new HitList();
  const n = bytes.length;
  let c = 0;
  for (let i = 0; i < from && i < n; i++) c = next[c + CLASS[bytes[i]!]!]!;
  if (from > 0) c = t.taint(c, from);
  let count = 0;
  let s = 0;
  for (let i = Math.max(0, from); i < n; i++) {
    const b = bytes[i]!;
    const x = c + CLASS[b]!;
    count += counted[x]!;
    c = next[x]!;
    s = delta[(s << 8) | b]!;
    if (ends[s] !== 0) hits.push(i, s);
  }
  hits.count = count;
  return hits;
}

/** Runs worth building, as `[start, end)` byte pairs in order. */
class Spans {
  at = new Int32Array(64);
  length = 0;

  push(start: number, end: number): void {
    if (this.length + 2 > this.at.length) this.at = grown(this.at);
    this.at[this.length++] = start;
    this.at[this.length++] = end;
  }
}

/**
 * Appends the runs around the literal hits that the filter keeps. A run is built only when it is
 * long enough, starts at or after `from`, its first hit lies within its first `max` characters,
 * and one of its hits is a literal whose patterns allow the run's (cut) length.
 */
function runsAtHits(bytes: Uint8Array, base: number, where: string, out: StringRun[], min: number, max: number, from: number, keep: StringFilter, hits: LiteralHits): void {
  const { ends, bounds } = keep.bytes;
  const ascii = new Spans();
  const wide: [Spans, Spans] = [new Spans(), new Spans()];
  spansOf(bytes, hits, ends, bounds, min, max, from, 1, 0, ascii);
  spansOf(bytes, hits, ends, bounds, min, max, from, 2, 0, wide[0]);
  spansOf(bytes, hits, ends, bounds, min, max, from, 2, 1, wide[1]);
  for (let k = 0; k < ascii.length; k += 2) {
    const start = ascii.at[k]!;
    const run = asciiRun(bytes, start, Math.min(ascii.at[k + 1]!, start + max), base, where);
    if (keep.keeps(run.text)) out.push(run);
  }
  for (const spans of wide) {
    for (let k = 0; k < spans.length; k += 2) {
      const run = utf16Run(bytes, spans.at[k]!, spans.at[k + 1]!, base, where, max);
      if (keep.keeps(run.text)) out.push(run);
    }
  }
}

/**
 * The runs of one encoding worth building (see runsAtHits), each read once, at its first hit:
 * ASCII (`kind` 1, a character per byte), or UTF-16LE (`kind` 2, a character per two bytes) at
 * byte alignment `q`. A UTF-16LE literal ends with the zero high byte of its last code unit, so
 * its last character is the byte before the hit.
 */
function spansOf(bytes: Uint8Array, hits: LiteralHits, ends: Uint8Array, bounds: Int32Array, min: number, max: number, from: number, kind: 1 | 2, q: number, out: Spans): void {
  const n = bytes.length;
  const unit = kind;
  const shift = kind - 1;
  // This encoding's two bounds among a state's four.
  const lo = shift * 2;
  // The run holding the last hit looked at, and whether it is settled (taken, or never to be).
  let start = 0;
  let end = 0;
  let settled = true;
  for (let j = 0; j < hits.length; j++) {
    const s = hits.states[j]!;
    const last = hits.at[j]! - shift;
    if ((ends[s]! & kind) === 0 || (last & shift) !== q) continue;
    if (last >= end) {
      start = last;
      while (start >= unit && isChar(bytes, start - unit, unit)) start -= unit;
      end = last + unit;
      while (end + shift < n && isChar(bytes, end, unit)) end += unit;
      settled = start < from || (end - start) >> shift < min;
    }
    if (settled || (last - start) >> shift >= max) continue;
    const length = Math.min((end - start) >> shift, max);
    if (bounds[s * 4 + lo]! <= length && length <= bounds[s * 4 + lo + 1]!) {
      out.push(start, end);
      settled = true;
    }
  }
}

/** A printable character at `p`: its byte, or for UTF-16LE its low byte with a zero high byte. */
function isChar(bytes: Uint8Array, p: number, unit: number): boolean {
  return PRINTABLE[bytes[p]!] === 1 && (unit === 1 || bytes[p + 1] === 0);
}

function grown<T extends Int32Array | Uint8Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** 0: neither printable nor zero; 1: zero; 2: printable. */
const CLASS = Uint8Array.from({ length: 256 }, (_, b) => (b === 0 ? 1 : isPrintable(b) ? 2 : 0));

interface RunTable {
  /** Indexed by state * 3 + class: the next state (times 3) and how many runs reached `min`. */
  next: Uint32Array;
  counted: Uint8Array;
  taint(state: number, at: number): number;
}

const tables = new Map<number, RunTable>();

/**
 * The run counter: a small automaton over byte classes (other, zero, printable) whose state holds
 * the length so far of the open ASCII run and of the open UTF-16LE run at each alignment, each
 * capped at `min`, and the parity of the position. A run is counted when its length reaches
 * `min`. `taint` sets the runs already open at `from` to `min`, so they are never counted.
 */
function runTable(min: number): RunTable {
  let t = tables.get(min);
  if (t) return t;
  const m = Math.max(1, min);
  const side = m + 1;
  // State: ASCII length a, UTF-16LE lengths at even (r0) and odd (r1) alignment, parity p of
  // the next byte's position.
  const encode = (a: number, r0: number, r1: number, p: number): number => (((a * side + r0) * side + r1) * 2 + p) * 3;
  const decode = (s: number): [number, number, number, number] => {
    let x = s / 3;
    const p = x % 2;
    x = (x - p) / 2;
    const r1 = x % side;
    x = (x - r1) / side;
    const r0 = x % side;
    return [(x - r0) / side, r0, r1, p];
  };
  const states = side * side * side * 2;
  const next = new Uint32Array(states * 3);
  const counted = new Uint8Array(states * 3);
  for (let s = 0; s < states * 3; s += 3) {
    const [a, r0, r1, p] = decode(s);
    for (let c = 0; c < 3; c++) {
      const runs = [r0, r1];
      let add = 0;
      // The byte at this position completes a code unit whose low byte came just before it
      // (alignment 1 - p) when it is zero and that byte was printable; otherwise that run ends.
      // (At position 0 there is no such byte; the start state has every length at 0.)
      const q = 1 - p;
      if (c === 1 && a > 0) {
        if (runs[q] === m - 1) add++;
        runs[q] = Math.min(m, runs[q]! + 1);
      } else runs[q] = 0;
      let na = 0;
      if (c === 2) {
        if (a === m - 1) add++;
        na = Math.min(m, a + 1);
      }
      next[s + c] = encode(na, runs[0]!, runs[1]!, 1 - p);
      counted[s + c] = add;
    }
  }
  const taint = (state: number, at: number): number => {
    const [a, r0, r1, p] = decode(state);
    const runs = [r0, r1];
    // A code unit whose low byte is just before `at` belongs to a run that starts before it.
    const pending = (at - 1) & 1;
    for (const q of [0, 1]) if (runs[q]! > 0 || (q === pending && a > 0)) runs[q] = m;
    return encode(a > 0 ? m : 0, runs[0]!, runs[1]!, p);
  };
  t = { next, counted, taint };
  tables.set(min, t);
  return t;
}

function asciiRun(bytes: Uint8Array, start: number, end: number, base: number, where: string): StringRun {
  return { offset: base + start, text: Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1'), encoding: 'ascii', where };
}

function utf16Run(bytes: Uint8Array, s: number, e: number, base: number, where: string, max: number): StringRun {
  let text = '';
  for (let j = s; j < e && text.length < max; j += 2) text += String.fromCharCode(bytes[j]!);
  return { offset: base + s, text, encoding: 'utf16le', where };
}

/** Lines of a small text file as runs (for version files such as init.tcl or vendor.txt). */
export function textLines(bytes: Uint8Array, where: string, maxLength = 1024): StringRun[] {
  const runs: StringRun[] = [];
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  let offset = 0;
  for (const line of text.split('\n')) {
    const trimmed = line.replace(/\r$/, '');
    if (trimmed.trim().length > 0) runs.push({ offset, text: trimmed.slice(0, maxLength), encoding: 'ascii', where });
    offset += Buffer.byteLength(line, 'utf8') + 1;
  }
  return runs;
}
