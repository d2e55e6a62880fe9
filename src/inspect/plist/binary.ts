/**
 * Binary property lists ("bplist00", CoreFoundation's CFBinaryPList.c layout): objects, then an
 * offset table, then a 32-byte trailer naming the sizes and the top object.
 */
import { InputError } from '../../errors.js';
import { isoDate, MAX_DEPTH, plistInteger, setKey } from './values.js';

/** 2001-01-01T00:00:00Z, the epoch of binary-plist dates, in Unix milliseconds. */
const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);
/** Shared objects make a DAG; this caps its expansion into a tree (and thus output size). */
const MAX_VALUES = 1_000_000;

/** The top object, and whether it is a dict (a `data` value also decodes to a record). */
export function readBinaryPlist(bytes: Uint8Array): { value: unknown; isDict: boolean } {
  const len = bytes.length;
  if (len < 8 + 32) throw new InputError(`binary plist of ${len} bytes is too small`, [], 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const t = len - 32;
  const offsetSize = bytes[t + 6]!;
  const refSize = bytes[t + 7]!;
  const numObjects = dv.getBigUint64(t + 8, false);
  const topObject = dv.getBigUint64(t + 16, false);
  const tableOffset = dv.getBigUint64(t + 24, false);
  if (offsetSize < 1 || offsetSize > 8 || refSize < 1 || refSize > 8) {
    throw new InputError(`binary plist trailer has offset size ${offsetSize}, ref size ${refSize}`, [], t + 6);
  }
  if (numObjects < 1n || topObject >= numObjects) throw new InputError('binary plist trailer: bad object count or top object', [], t + 8);
  if (tableOffset < 8n || tableOffset + numObjects * BigInt(offsetSize) > BigInt(t)) {
    throw new InputError('binary plist offset table lies outside the file', [], t + 24);
  }
  const count = Number(numObjects);
  const table = Number(tableOffset);

  /** Big-endian unsigned of 1..8 bytes; above 2^53 it cannot be a valid offset or count anyway. */
  const uint = (at: number, size: number): number => {
    let v = 0;
    for (let i = 0; i < size; i++) v = v * 256 + bytes[at + i]!;
    return v;
  };
  const objectOffset = (ref: number): number => {
    const off = uint(table + ref * offsetSize, offsetSize);
    if (off < 8 || off >= table) throw new InputError(`binary plist object ${ref} at ${off} lies outside the object area`, [], table + ref * offsetSize);
    return off;
  };
  const need = (at: number, n: number): void => {
    if (n < 0 || at + n > table) throw new InputError(`binary plist object runs past the object area`, [], at);
  };

  /** Marker low nibble is a count, or 0xF followed by an int object holding the count. */
  const lengthAt = (at: number): { n: number; start: number } => {
    const low = bytes[at]! & 0x0f;
    if (low !== 0x0f) return { n: low, start: at + 1 };
    need(at + 1, 1);
    const m = bytes[at + 1]!;
    if ((m & 0xf0) !== 0x10 || (m & 0x0f) > 3) throw new InputError('binary plist: bad extended length', [], at + 1);
    const size = 1 << (m & 0x0f);
    need(at + 2, size);
    return { n: uint(at + 2, size), start: at + 2 + size };
  };

  let produced = 0;
  const onPath = new Set<number>();

  const readObject = (ref: number, depth: number): unknown => {
    if (ref >= count) throw new InputError(`binary plist object ref ${ref} ≥ object count ${count}`);
    if (depth > MAX_DEPTH) throw new InputError(`binary plist nests deeper than ${MAX_DEPTH}`);
    if (++produced > MAX_VALUES) throw new InputError(`binary plist expands to more than ${MAX_VALUES} values`);
    const at = objectOffset(ref);
    const marker = bytes[at]!;
    const kind = marker >> 4;
    const low = marker & 0x0f;
    switch (kind) {
      case 0x0:
        if (low === 0x0) return null;
        if (low === 0x8) return false;
        if (low === 0x9) return true;
        break;
      case 0x1: {
        if (low > 4) break;
        const size = 1 << low;
        need(at + 1, size);
        // 1, 2, 4 bytes are unsigned; 8 and 16 bytes are two's complement (CFBinaryPList writes
        // negatives as 8 bytes, and unsigned values ≥ 2^63 as 16).
        if (size < 8) return uint(at + 1, size);
        let v = 0n;
        for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(bytes[at + 1 + i]!);
        return plistInteger(BigInt.asIntN(size * 8, v));
      }
      case 0x2:
        if (low === 2) {
          need(at + 1, 4);
          return dv.getFloat32(at + 1, false);
        }
        if (low === 3) {
          need(at + 1, 8);
          return dv.getFloat64(at + 1, false);
        }
        break;
      case 0x3:
        if (low === 3) {
          need(at + 1, 8);
          const ms = APPLE_EPOCH_MS + dv.getFloat64(at + 1, false) * 1000;
          if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) throw new InputError('binary plist date out of range', [], at);
          return isoDate(Math.round(ms));
        }
        break;
      case 0x4: {
        const { n, start } = lengthAt(at);
        need(start, n);
        return { base64: Buffer.from(bytes.buffer, bytes.byteOffset + start, n).toString('base64') };
      }
      case 0x5: {
        const { n, start } = lengthAt(at);
        need(start, n);
        return Buffer.from(bytes.buffer, bytes.byteOffset + start, n).toString('latin1');
      }
      case 0x6: {
        const { n, start } = lengthAt(at);
        need(start, n * 2);
        const units = new Uint16Array(n);
        for (let i = 0; i < n; i++) units[i] = dv.getUint16(start + i * 2, false);
        // Built in chunks: fromCharCode's argument count is limited.
        let s = '';
        for (let i = 0; i < n; i += 8192) s += String.fromCharCode(...units.subarray(i, i + 8192));
        return s;
      }
      case 0x8: {
        // UID (NSKeyedArchiver): shown the way plutil's XML output spells it.
        need(at + 1, low + 1);
        return { 'CF$UID': uint(at + 1, low + 1) };
      }
      case 0xa:
      case 0xc:
      case 0xd: {
        const { n, start } = lengthAt(at);
        const refs = kind === 0xd ? n * 2 : n;
        need(start, refs * refSize);
        if (onPath.has(ref)) throw new InputError(`binary plist object ${ref} contains itself`, [], at);
        onPath.add(ref);
        const refAt = (i: number): number => uint(start + i * refSize, refSize);
        let out: unknown;
        if (kind === 0xd) {
          const record: Record<string, unknown> = {};
          for (let i = 0; i < n; i++) {
            const key = readObject(refAt(i), depth + 1);
            if (typeof key !== 'string') throw new InputError('binary plist dict key is not a string', [], at);
            setKey(record, key, readObject(refAt(n + i), depth + 1));
          }
          out = record;
        } else {
          const list: unknown[] = [];
          for (let i = 0; i < n; i++) list.push(readObject(refAt(i), depth + 1));
          out = list;
        }
        onPath.delete(ref);
        return out;
      }
    }
    throw new InputError(`binary plist: unknown object marker 0x${marker.toString(16)}`, [], at);
  };

  const top = Number(topObject);
  const value = readObject(top, 0);
  return { value, isDict: bytes[objectOffset(top)]! >> 4 === 0xd };
}
