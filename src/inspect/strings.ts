import type { StringRun } from './types.js';

export interface StringOptions {
  /** Shortest run kept, in characters. */
  minLength?: number;
  /** Longer runs are cut to this many characters (the offset still points at the start). */
  maxLength?: number;
}

function printable(b: number): boolean {
  return (b >= 0x20 && b <= 0x7e) || b === 0x09;
}

/**
 * Printable ASCII runs and UTF-16LE runs (printable ASCII code units, as Windows resources and
 * some version strings are stored) in a window of bytes. `base` is the window's file offset.
 */
export function extractStrings(bytes: Uint8Array, base: number, where: string, options: StringOptions = {}): StringRun[] {
  const min = options.minLength ?? 4;
  const max = options.maxLength ?? 1024;
  const runs: StringRun[] = [];
  const n = bytes.length;

  let start = -1;
  for (let i = 0; i <= n; i++) {
    if (i < n && printable(bytes[i]!)) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start >= min) {
      const end = Math.min(i, start + max);
      runs.push({ offset: base + start, text: latin1(bytes, start, end), encoding: 'ascii', where });
    }
    start = -1;
  }

  // UTF-16LE at both byte alignments: a printable low byte followed by a zero high byte.
  for (const phase of [0, 1]) {
    let s = -1;
    let i = phase;
    for (; i + 1 < n; i += 2) {
      if (bytes[i + 1] === 0 && printable(bytes[i]!)) {
        if (s < 0) s = i;
        continue;
      }
      if (s >= 0 && (i - s) / 2 >= min) runs.push(utf16Run(bytes, s, i, base, where, max));
      s = -1;
    }
    if (s >= 0 && (i - s) / 2 >= min) runs.push(utf16Run(bytes, s, i, base, where, max));
  }
  return runs;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
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
