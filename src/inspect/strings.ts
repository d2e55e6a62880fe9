import { LiteralAutomaton } from './literals.js';
import type { StringRun } from './types.js';

export interface StringOptions {
  /** Shortest run kept, in characters. */
  minLength?: number;
  /** Longer runs are cut to this many characters (the offset still points at the start). */
  maxLength?: number;
  /**
   * Keep only the runs whose (cut) text contains one of these literals; the others are counted
   * but never turned into strings, which is most of the cost of a large binary.
   */
  keep?: LiteralAutomaton;
  /** Runs starting before this index of the window are neither kept nor counted (a window overlap). */
  from?: number;
}

/** 1 for printable ASCII and tab. */
const PRINTABLE = new Uint8Array(256);
for (let b = 0x20; b <= 0x7e; b++) PRINTABLE[b] = 1;
PRINTABLE[0x09] = 1;

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
 * One pass over the window for the three kinds of run at once, each with its own position in
 * `keep`'s automaton. Appends the kept runs to `out` (in extractStrings' order) and returns how
 * many runs the window holds.
 */
export function scanStrings(bytes: Uint8Array, base: number, where: string, out: StringRun[], options: StringOptions = {}): number {
  const min = options.minLength ?? 4;
  const max = options.maxLength ?? 1024;
  const from = options.from ?? 0;
  const delta = options.keep?.delta ?? NO_LITERALS.delta;
  const accepting = options.keep?.accepting ?? NO_LITERALS.accepting;
  // Without literals every run is kept: the root state counts as a match.
  const rootHit = options.keep ? accepting[0] === 1 : true;
  const n = bytes.length;
  const ascii: StringRun[] = [];
  const even: StringRun[] = [];
  const odd: StringRun[] = [];
  let count = 0;
  // Each open run: where it starts (-1: none), its automaton state, whether a literal ended in
  // its first `max` characters. ASCII, then UTF-16LE at even (0) and odd (1) byte alignment, where
  // a code unit is a printable low byte and a zero high byte.
  let aStart = -1;
  let aState = 0;
  let aHit = false;
  let s0 = -1;
  let st0 = 0;
  let h0 = false;
  let s1 = -1;
  let st1 = 0;
  let h1 = false;
  const last = n - 1;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    const printable = PRINTABLE[b] === 1;
    if (printable) {
      if (aStart < 0) {
        aStart = i;
        aState = 0;
        aHit = rootHit;
      }
      if (!aHit && i - aStart < max) {
        aState = delta[(aState << 8) | b]!;
        if (accepting[aState] === 1) aHit = true;
      }
    } else if (aStart >= 0) {
      if (i - aStart >= min && aStart >= from) {
        count++;
        if (aHit) ascii.push(asciiRun(bytes, aStart, Math.min(i, aStart + max), base, where));
      }
      aStart = -1;
    }
    if (i === last) break;
    const unit = printable && bytes[i + 1] === 0;
    if ((i & 1) === 0) {
      if (unit) {
        if (s0 < 0) {
          s0 = i;
          st0 = 0;
          h0 = rootHit;
        }
        if (!h0 && (i - s0) >> 1 < max) {
          st0 = delta[(st0 << 8) | b]!;
          if (accepting[st0] === 1) h0 = true;
        }
      } else if (s0 >= 0) {
        if ((i - s0) >> 1 >= min && s0 >= from) {
          count++;
          if (h0) even.push(utf16Run(bytes, s0, i, base, where, max));
        }
        s0 = -1;
      }
    } else if (unit) {
      if (s1 < 0) {
        s1 = i;
        st1 = 0;
        h1 = rootHit;
      }
      if (!h1 && (i - s1) >> 1 < max) {
        st1 = delta[(st1 << 8) | b]!;
        if (accepting[st1] === 1) h1 = true;
      }
    } else if (s1 >= 0) {
      if ((i - s1) >> 1 >= min && s1 >= from) {
        count++;
        if (h1) odd.push(utf16Run(bytes, s1, i, base, where, max));
      }
      s1 = -1;
    }
  }
  // Runs still open at the end of the window; a UTF-16 run ends after its last whole code unit.
  if (aStart >= 0 && n - aStart >= min && aStart >= from) {
    count++;
    if (aHit) ascii.push(asciiRun(bytes, aStart, Math.min(n, aStart + max), base, where));
  }
  const end0 = (n & 1) === 0 ? n : n - 1;
  if (s0 >= 0 && (end0 - s0) >> 1 >= min && s0 >= from) {
    count++;
    if (h0) even.push(utf16Run(bytes, s0, end0, base, where, max));
  }
  const end1 = (n & 1) === 1 ? n : n - 1;
  if (s1 >= 0 && (end1 - s1) >> 1 >= min && s1 >= from) {
    count++;
    if (h1) odd.push(utf16Run(bytes, s1, end1, base, where, max));
  }
  for (const r of ascii) out.push(r);
  for (const r of even) out.push(r);
  for (const r of odd) out.push(r);
  return count;
}

const NO_LITERALS = new LiteralAutomaton([]);

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
