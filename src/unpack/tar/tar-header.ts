import { InputError } from '../../errors.js';

/**
 * One 512-byte tar header block (POSIX ustar, with the GNU and pax extensions handled by
 * tar-index.ts). Fields are NUL- or space-terminated ASCII; numbers are octal, or base-256 when the
 * first byte has its high bit set (GNU and star write that for values octal cannot hold).
 */
export const BLOCK = 512;

export interface TarHeader {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname: string;
  /** 'ustar' (POSIX, with prefix), 'gnu' ("ustar  "), or 'v7' (no magic). */
  flavour: 'ustar' | 'gnu' | 'v7';
  uname: string;
  gname: string;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

function text(b: Uint8Array, at: number, len: number): string {
  const field = b.subarray(at, at + len);
  const end = field.indexOf(0);
  const raw = end < 0 ? field : field.subarray(0, end);
  // Names are bytes; UTF-8 when they decode as such (what GNU tar and bsdtar write today).
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    return latin1.decode(raw);
  }
}

/** Octal or base-256 number; undefined when the field holds neither. */
export function tarNumber(b: Uint8Array, at: number, len: number): number | undefined {
  const first = b[at]!;
  if (first & 0x80) {
    // Base-256, big-endian two's complement; 0xff marks a negative value, never a size.
    if (first === 0xff) return undefined;
    let v = first & 0x7f;
    for (let i = 1; i < len; i++) {
      v = v * 256 + b[at + i]!;
      if (!Number.isSafeInteger(v)) return undefined;
    }
    return v;
  }
  const s = latin1.decode(b.subarray(at, at + len)).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return undefined;
  const v = parseInt(s, 8);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** The header's checksum field equals the sum of its bytes with that field read as spaces. */
export function checksumMatches(b: Uint8Array): boolean {
  if (b.length < BLOCK) return false;
  const stored = tarNumber(b, 148, 8);
  if (stored === undefined) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const v = i >= 148 && i < 156 ? 0x20 : b[i]!;
    unsigned += v;
    signed += v > 127 ? v - 256 : v;
  }
  // Some old tars summed signed chars; an all-zero block is never a header.
  return unsigned !== 8 * 0x20 && (stored === unsigned || stored === signed);
}

export function ustarMagic(b: Uint8Array): TarHeader['flavour'] {
  const m = latin1.decode(b.subarray(257, 265));
  if (m.startsWith('ustar\u0000')) return 'ustar';
  if (m === 'ustar  \u0000') return 'gnu';
  return 'v7';
}

/** True when the head starts with a tar header: the ustar magic, or a valid checksum (v7 tar). */
export function isTarHead(head: Uint8Array): boolean {
  if (head.length < BLOCK) return false;
  return ustarMagic(head) !== 'v7' || checksumMatches(head);
}

export function isZeroBlock(b: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

/** Parses a header block; a bad checksum or an unreadable number is corrupt input. */
export function parseTarHeader(b: Uint8Array, at: number, chain: readonly string[]): TarHeader {
  if (!checksumMatches(b)) throw new InputError('tar header checksum mismatch', chain, at);
  const num = (off: number, len: number, what: string): number => {
    const v = tarNumber(b, off, len);
    if (v === undefined) throw new InputError(`tar header field ${what} is not a number`, chain, at + off);
    return v;
  };
  const flavour = ustarMagic(b);
  let name = text(b, 0, 100);
  // POSIX ustar splits long names into prefix/name; GNU uses those bytes for other fields.
  if (flavour === 'ustar') {
    const prefix = text(b, 345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  return {
    name,
    mode: num(100, 8, 'mode'),
    uid: tarNumber(b, 108, 8) ?? 0,
    gid: tarNumber(b, 116, 8) ?? 0,
    size: num(124, 12, 'size'),
    mtime: tarNumber(b, 136, 12) ?? 0,
    typeflag: String.fromCharCode(b[156]!),
    linkname: text(b, 157, 100),
    flavour,
    uname: flavour === 'v7' ? '' : text(b, 265, 32),
    gname: flavour === 'v7' ? '' : text(b, 297, 32),
  };
}

/** Pax extended header records: `"<len> <key>=<value>\n"`, len counting the whole record. */
export function parsePaxRecords(data: Uint8Array, chain: readonly string[], at: number): Map<string, string> {
  const out = new Map<string, string>();
  let p = 0;
  while (p < data.length) {
    if (data[p] === 0) break;
    let sp = p;
    while (sp < data.length && data[sp] !== 0x20) sp++;
    const len = Number(latin1.decode(data.subarray(p, sp)));
    if (!Number.isSafeInteger(len) || len <= sp - p + 1 || p + len > data.length || data[p + len - 1] !== 0x0a) {
      throw new InputError('corrupt pax extended header record', chain, at + p);
    }
    const record = utf8.decode(data.subarray(sp + 1, p + len - 1));
    const eq = record.indexOf('=');
    if (eq <= 0) throw new InputError('corrupt pax extended header record', chain, at + p);
    out.set(record.slice(0, eq), record.slice(eq + 1));
    p += len;
  }
  return out;
}
