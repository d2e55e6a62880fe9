import { InputError } from '../../errors.js';
import { u16, u32 } from '../../io/little-endian.js';

/**
 * InstallShield cabinets (`ISc(`), versions 5 to 2016+: the header (data1.hdr, or volume 1 when
 * there is no .hdr) holds a common header, a cabinet descriptor, a file table with the directory
 * names and file descriptors, and the file groups; the data sit in the volumes data1.cab,
 * data2.cab … Layout as unshield reads it (lib/cabfile.h, libunshield.c, file.c).
 */
export const ISC_SIGNATURE = 0x28635349;
export const COMMON_HEADER_SIZE = 20;
const DESCRIPTOR_SIZE = 0x276;
const OFFSET_COUNT = 0x47;
const FILE_DESCRIPTOR_V6 = 0x57;
const FILE_DESCRIPTOR_V5 = 0x3a;

export const FILE_SPLIT = 1;
export const FILE_OBFUSCATED = 2;
export const FILE_COMPRESSED = 4;
export const FILE_INVALID = 8;
export const LINK_PREV = 1;

export interface CommonHeader {
  version: number;
  volumeInfo: number;
  descriptorOffset: number;
  descriptorSize: number;
}

export interface IscFile {
  index: number;
  name: string;
  directory: number;
  flags: number;
  expandedSize: number;
  compressedSize: number;
  dataOffset: number;
  /** Version 6+: MD5 of the expanded bytes. */
  md5?: string;
  volume: number;
  linkPrevious: number;
  linkFlags: number;
}

export interface IscGroup {
  name: string;
  firstFile: number;
  lastFile: number;
}

export interface IscHeader {
  common: CommonHeader;
  /** The format generation unshield derives from the version word (5, 6 … 9, 12, 17 …). */
  majorVersion: number;
  directories: string[];
  files: IscFile[];
  groups: IscGroup[];
}

export function readCommonHeader(b: Uint8Array): CommonHeader | undefined {
  if (b.length < COMMON_HEADER_SIZE || u32(b, 0) !== ISC_SIGNATURE) return undefined;
  return { version: u32(b, 4), volumeInfo: u32(b, 8), descriptorOffset: u32(b, 12), descriptorSize: u32(b, 16) };
}

/** unshield's reading of the version word: type 1 keeps the generation in bits 12–15, types 2 and 4 the version × 100. */
export function majorVersionOf(version: number): number {
  const type = version >>> 24;
  if (type === 1) return (version >>> 12) & 0xf;
  if (type === 2 || type === 4) return Math.floor((version & 0xffff) / 100);
  return 0;
}

function u64(b: Uint8Array, at: number): number {
  const v = u32(b, at) + u32(b, at + 4) * 2 ** 32;
  if (!Number.isSafeInteger(v)) throw new InputError('InstallShield cabinet: a 64-bit size too large', [], at);
  return v;
}

export function parseIscHeader(b: Uint8Array): IscHeader {
  const common = readCommonHeader(b);
  if (!common) throw new InputError('not an InstallShield cabinet (no ISc( signature)');
  if (common.descriptorSize === 0) throw new InputError('InstallShield cabinet volume without a header (its files are listed by the .hdr)');
  const major = majorVersionOf(common.version);
  const base = common.descriptorOffset;
  if (base + DESCRIPTOR_SIZE > b.length) throw new InputError('InstallShield cabinet descriptor lies past the end of the header', [], base);
  const fileTableOffset = u32(b, base + 0x0c);
  const directoryCount = u32(b, base + 0x1c);
  const fileCount = u32(b, base + 0x28);
  const fileTableOffset2 = u32(b, base + 0x2c);
  const tableAt = base + fileTableOffset;
  const tableEntries = directoryCount + fileCount;
  if (tableEntries > b.length / 4 || tableAt + 4 * tableEntries > b.length) {
    throw new InputError(`InstallShield cabinet file table (${directoryCount} directories, ${fileCount} files) lies past the end of the header`, [], base + 0x1c);
  }
  const unicode = major >= 17;
  const stringAt = (at: number): string => {
    if (at <= 0 || at >= b.length) throw new InputError('InstallShield cabinet: a name lies outside the header', [], at);
    if (unicode) {
      let end = at;
      while (end + 1 < b.length && (b[end] !== 0 || b[end + 1] !== 0)) end += 2;
      return Buffer.from(b.subarray(at, end)).toString('utf16le');
    }
    const end = b.indexOf(0, at);
    // Names are in the build machine's ANSI code page; latin1 keeps every byte.
    return Buffer.from(b.subarray(at, end < 0 ? b.length : end)).toString('latin1');
  };
  const directories: string[] = [];
  for (let i = 0; i < directoryCount; i++) directories.push(stringAt(tableAt + u32(b, tableAt + 4 * i)));

  const files: IscFile[] = [];
  for (let i = 0; i < fileCount; i++) {
    if (major === 0 || major === 5) {
      const p = tableAt + u32(b, tableAt + 4 * (directoryCount + i));
      if (p + FILE_DESCRIPTOR_V5 > b.length) throw new InputError(`InstallShield cabinet: file descriptor ${i} lies past the end of the header`, [], p);
      files.push({
        index: i,
        name: stringAt(tableAt + u32(b, p)),
        directory: u32(b, p + 4),
        flags: u16(b, p + 8),
        expandedSize: u32(b, p + 10),
        compressedSize: u32(b, p + 14),
        dataOffset: u32(b, p + 38),
        volume: 1,
        linkPrevious: 0,
        linkFlags: 0,
      });
      continue;
    }
    const p = tableAt + fileTableOffset2 + i * FILE_DESCRIPTOR_V6;
    if (p + FILE_DESCRIPTOR_V6 > b.length) throw new InputError(`InstallShield cabinet: file descriptor ${i} lies past the end of the header`, [], p);
    const flags = u16(b, p);
    const nameOffset = u32(b, p + 0x3a);
    files.push({
      index: i,
      name: flags & FILE_INVALID || nameOffset === 0 ? '' : stringAt(tableAt + nameOffset),
      directory: u16(b, p + 0x3e),
      flags,
      expandedSize: u64(b, p + 2),
      compressedSize: u64(b, p + 10),
      dataOffset: u64(b, p + 18),
      md5: Buffer.from(b.subarray(p + 26, p + 42)).toString('hex'),
      linkPrevious: u32(b, p + 0x4c),
      linkFlags: b[p + 0x54]!,
      volume: u16(b, p + 0x55),
    });
  }

  const groups: IscGroup[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < OFFSET_COUNT; i++) {
    let next = u32(b, base + 0x3e + 4 * i);
    while (next !== 0) {
      if (seen.has(next) || seen.size > 10_000) throw new InputError('InstallShield cabinet: the file group list loops', [], base + next);
      seen.add(next);
      const entry = base + next;
      if (entry + 12 > b.length) throw new InputError('InstallShield cabinet: a file group entry lies past the end of the header', [], entry);
      const d = base + u32(b, entry + 4);
      next = u32(b, entry + 8);
      const at = d + 4 + (major === 5 ? 0x48 : 0x12);
      if (at + 8 > b.length) throw new InputError('InstallShield cabinet: a file group lies past the end of the header', [], d);
      groups.push({ name: stringAt(base + u32(b, d)), firstFile: u32(b, at), lastFile: u32(b, at + 4) });
    }
  }
  return { common, majorVersion: major, directories, files, groups };
}
