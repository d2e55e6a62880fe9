import { InputError } from '../../errors.js';
import type { PeVersionInfo } from '../types.js';
import { u16, u32 } from './paged-reader.js';

const FIXED_SIGNATURE = 0xfeef04bd;
const FIXED_SIZE = 52;
const NODE_HEADER = 6;

/** One VS_VERSIONINFO-style node: {wLength, wValueLength, wType, UTF-16Z key, pad, value, pad, children}. */
interface VersionNode {
  key: string;
  valueLength: number;
  valueStart: number;
  end: number;
}

const align4 = (n: number): number => (n + 3) & ~3;

function readNode(b: Uint8Array, start: number, limit: number): VersionNode | undefined {
  if (start + NODE_HEADER > limit) return undefined;
  const length = u16(b, start);
  // Zero padding after the last child, or a length that cannot hold a header, ends the list.
  if (length < NODE_HEADER) return undefined;
  const end = Math.min(start + length, limit);
  const key = utf16z(b, start + NODE_HEADER, end);
  const p = Math.min(start + NODE_HEADER + key.length * 2 + 2, end);
  return { key, valueLength: u16(b, start + 2), valueStart: Math.min(align4(p), end), end };
}

function* children(b: Uint8Array, from: number, end: number): Generator<VersionNode> {
  let p = align4(from);
  while (p < end) {
    const node = readNode(b, p, end);
    if (!node) return;
    yield node;
    p = align4(node.end);
  }
}

/** UTF-16 text from `start` up to the first NUL or `end`. */
function utf16z(b: Uint8Array, start: number, end: number): string {
  const units: number[] = [];
  for (let p = start; p + 2 <= end; p += 2) {
    const c = u16(b, p);
    if (c === 0) break;
    units.push(c);
  }
  // Chunked so a 32 K-unit value cannot overflow the argument list.
  let s = '';
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.slice(i, i + 4096));
  return s;
}

/** A key from the file may be `__proto__`; define it as plain data instead of assigning. */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function dotted(ms: number, ls: number): string {
  return `${ms >>> 16}.${ms & 0xffff}.${ls >>> 16}.${ls & 0xffff}`;
}

/**
 * Parses a VS_VERSIONINFO resource. Its tree has fixed depth (root → StringFileInfo →
 * StringTable → String, root → VarFileInfo → Var), so the walk is explicit, not recursive;
 * every node must advance by at least its header, which bounds the work by the data size.
 */
export function parseVersionInfo(b: Uint8Array, fileOffset = 0): PeVersionInfo {
  const root = readNode(b, 0, b.length);
  if (!root || root.key !== 'VS_VERSION_INFO') {
    throw new InputError('version resource is not a VS_VERSIONINFO', [], fileOffset);
  }
  const info: PeVersionInfo = { strings: {}, translations: [] };
  if (root.valueLength >= FIXED_SIZE && root.valueStart + FIXED_SIZE <= root.end && u32(b, root.valueStart) === FIXED_SIGNATURE) {
    const f = root.valueStart;
    info.fixed = {
      fileVersion: dotted(u32(b, f + 8), u32(b, f + 12)),
      productVersion: dotted(u32(b, f + 16), u32(b, f + 20)),
      fileFlags: u32(b, f + 28),
      fileOS: u32(b, f + 32),
      fileType: u32(b, f + 36),
    };
  }
  for (const block of children(b, root.valueStart + root.valueLength, root.end)) {
    if (block.key === 'StringFileInfo') {
      for (const table of children(b, block.valueStart, block.end)) {
        const strings: Record<string, string> = Object.prototype.hasOwnProperty.call(info.strings, table.key) ? info.strings[table.key]! : {};
        setOwn(info.strings, table.key, strings);
        for (const entry of children(b, table.valueStart, table.end)) {
          setOwn(strings, entry.key, entry.valueLength === 0 ? '' : utf16z(b, entry.valueStart, entry.end));
        }
      }
    } else if (block.key === 'VarFileInfo') {
      for (const v of children(b, block.valueStart, block.end)) {
        if (v.key !== 'Translation') continue;
        const end = Math.min(v.valueStart + v.valueLength, v.end);
        for (let p = v.valueStart; p + 4 <= end; p += 4) {
          info.translations.push(u16(b, p).toString(16).padStart(4, '0') + u16(b, p + 2).toString(16).padStart(4, '0'));
        }
      }
    }
  }
  return info;
}

/**
 * One PeVersionInfo from the per-language resources of a file: the first fixed part, every
 * string table (a later table with the same langcodepage adds to it), translations once each.
 */
export function mergeVersionInfo(parts: readonly PeVersionInfo[]): PeVersionInfo {
  const merged: PeVersionInfo = { strings: {}, translations: [] };
  for (const part of parts) {
    if (!merged.fixed && part.fixed) merged.fixed = part.fixed;
    for (const [id, table] of Object.entries(part.strings)) {
      const into = Object.prototype.hasOwnProperty.call(merged.strings, id) ? merged.strings[id]! : {};
      setOwn(merged.strings, id, into);
      for (const [key, value] of Object.entries(table)) setOwn(into, key, value);
    }
    for (const t of part.translations) if (!merged.translations.includes(t)) merged.translations.push(t);
  }
  return merged;
}
