/**
 * One thin Mach-O image (a whole thin file, or one slice of a fat file): the mach_header and the
 * load commands that matter for an SBOM. Layouts are from <mach-o/loader.h>.
 */
import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import type { MachoDylibRef, MachoSection, MachoSegment, MachoSlice } from '../types.js';
import { archName, fileTypeName, platformName } from './names.js';

export const MH_MAGIC = 0xfeedface;
export const MH_MAGIC_64 = 0xfeedfacf;

const MAX_NCMDS = 10_000;
/** Load commands of real binaries are kilobytes; a larger claim is hostile, not big. */
const MAX_SIZEOFCMDS = 16 << 20;

/** LC_REQ_DYLD (0x80000000) is spelled out: JS `|` would make these negative int32s. */
const LC = {
  SEGMENT: 0x1,
  SYMTAB: 0x2,
  DYSYMTAB: 0xb,
  LOAD_DYLIB: 0xc,
  ID_DYLIB: 0xd,
  SEGMENT_64: 0x19,
  UUID: 0x1b,
  RPATH: 0x8000001c,
  CODE_SIGNATURE: 0x1d,
  REEXPORT_DYLIB: 0x8000001f,
  LAZY_LOAD_DYLIB: 0x20,
  ENCRYPTION_INFO: 0x21,
  LOAD_WEAK_DYLIB: 0x80000018,
  LOAD_UPWARD_DYLIB: 0x80000023,
  VERSION_MIN_MACOSX: 0x24,
  VERSION_MIN_IPHONEOS: 0x25,
  SOURCE_VERSION: 0x2a,
  ENCRYPTION_INFO_64: 0x2c,
  VERSION_MIN_TVOS: 0x2f,
  VERSION_MIN_WATCHOS: 0x30,
  BUILD_VERSION: 0x32,
} as const;

const DYLIB_KINDS = new Map<number, MachoDylibRef['kind']>([
  [LC.LOAD_DYLIB, 'load'],
  [LC.LOAD_WEAK_DYLIB, 'weak'],
  [LC.REEXPORT_DYLIB, 'reexport'],
  [LC.LAZY_LOAD_DYLIB, 'lazy'],
  [LC.LOAD_UPWARD_DYLIB, 'upward'],
]);

const VERSION_MIN_PLATFORMS = new Map<number, string>([
  [LC.VERSION_MIN_MACOSX, 'macos'],
  [LC.VERSION_MIN_IPHONEOS, 'ios'],
  [LC.VERSION_MIN_TVOS, 'tvos'],
  [LC.VERSION_MIN_WATCHOS, 'watchos'],
]);

/** Section types whose bytes exist only in memory (S_ZEROFILL, S_GB_ZEROFILL, S_THREAD_LOCAL_ZEROFILL). */
const ZEROFILL_TYPES = new Set([0x1, 0xc, 0x12]);

/** Dylib and OS versions pack X.Y.Z as 16.8.8 bits. */
export function formatPackedVersion(v: number): string {
  return `${v >>> 16}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/**
 * LC_SOURCE_VERSION packs A.B.C.D.E as 24.10.10.10.10 bits; printed the way ld64/otool do:
 * A.B always, then only as many of C, D, E as are needed.
 */
export function formatSourceVersion(v: bigint): string {
  const a = v >> 40n;
  const parts = [a, (v >> 30n) & 0x3ffn, (v >> 20n) & 0x3ffn, (v >> 10n) & 0x3ffn, v & 0x3ffn];
  let n = 5;
  while (n > 2 && parts[n - 1] === 0n) n--;
  return parts.slice(0, n).join('.');
}

function formatUuid(b: Uint8Array): string {
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fixed-width name field (segname, sectname): NUL-terminated unless it fills all 16 bytes. */
function fixedName(b: Uint8Array, at: number): string {
  let end = at;
  while (end < at + 16 && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + at, end - at).toString('latin1');
}

/** Where the slice lives in the file and what the fat header said about it. */
export interface SlicePlace {
  offset: number;
  size: number;
}

/**
 * Reads the header and load commands of the image at `place`. Every offset in the result is an
 * offset in the whole file (the slice offset is added), so a caller can read section bytes
 * from the same source without knowing about fat files.
 */
export async function readSlice(src: ByteSource, place: SlicePlace): Promise<MachoSlice> {
  const base = place.offset;
  if (place.size < 28) throw new InputError(`Mach-O image of ${place.size} bytes is too small for a header`, [], base);
  const head = await readExactly(src, base, Math.min(32, place.size), 'Mach-O header');
  const hv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magicLE = hv.getUint32(0, true);
  let le: boolean;
  let bits: 32 | 64;
  if (magicLE === MH_MAGIC || magicLE === MH_MAGIC_64) le = true;
  else if (hv.getUint32(0, false) === MH_MAGIC || hv.getUint32(0, false) === MH_MAGIC_64) le = false;
  else throw new InputError('not a thin Mach-O image (bad magic)', [], base);
  bits = hv.getUint32(0, le) === MH_MAGIC_64 ? 64 : 32;
  const headerSize = bits === 64 ? 32 : 28;
  if (place.size < headerSize) throw new InputError('Mach-O header truncated', [], base);

  const cputype = hv.getInt32(4, le);
  const cpusubtype = hv.getInt32(8, le);
  const filetype = hv.getUint32(12, le);
  const ncmds = hv.getUint32(16, le);
  const sizeofcmds = hv.getUint32(20, le);
  if (ncmds > MAX_NCMDS) throw new InputError(`Mach-O ncmds ${ncmds} is implausible`, [], base + 16);
  if (sizeofcmds > place.size - headerSize || sizeofcmds > MAX_SIZEOFCMDS) {
    throw new InputError(`Mach-O sizeofcmds ${sizeofcmds} exceeds the image (${place.size} bytes)`, [], base + 20);
  }
  if (ncmds * 8 > sizeofcmds) throw new InputError(`Mach-O ncmds ${ncmds} cannot fit in sizeofcmds ${sizeofcmds}`, [], base + 16);

  const cmds = await readExactly(src, base + headerSize, sizeofcmds, 'Mach-O load commands');
  const cv = new DataView(cmds.buffer, cmds.byteOffset, cmds.byteLength);
  const u32 = (at: number): number => cv.getUint32(at, le);
  const u64 = (at: number): bigint => cv.getBigUint64(at, le);

  const slice: MachoSlice = {
    arch: archName(cputype, cpusubtype),
    cputype,
    cpusubtype,
    offset: base,
    size: place.size,
    bits,
    fileType: fileTypeName(filetype),
    dylibs: [],
    rpaths: [],
    segments: [],
    encrypted: false,
  };
  let versionMin: MachoSlice['platform'];
  let symtab: { symbols: { offset: number; size: number }; strings: { offset: number; size: number } } | undefined;
  let extdef: { first: number; count: number } | undefined;

  /** A file range given relative to the slice, checked against it and made file-absolute. */
  const fileRange = (off: bigint | number, size: bigint | number, what: string, at: number): { offset: number; size: number } => {
    const o = BigInt(off);
    const s = BigInt(size);
    if (o + s > BigInt(place.size)) {
      throw new InputError(`${what} (${o}+${s}) lies outside the Mach-O image of ${place.size} bytes`, [], at);
    }
    return { offset: base + Number(o), size: Number(s) };
  };

  const align = bits === 64 ? 8 : 4;
  let pos = 0;
  for (let i = 0; i < ncmds; i++) {
    const at = base + headerSize + pos; // file offset of this command, for error messages
    if (pos + 8 > sizeofcmds) throw new InputError(`load command ${i} starts past sizeofcmds`, [], at);
    const cmd = u32(pos);
    const cmdsize = u32(pos + 4);
    if (cmdsize < 8 || cmdsize % align !== 0) {
      throw new InputError(`load command ${i} has cmdsize ${cmdsize} (must be ≥ 8 and a multiple of ${align})`, [], at + 4);
    }
    if (cmdsize > sizeofcmds - pos) throw new InputError(`load command ${i} (cmdsize ${cmdsize}) runs past sizeofcmds`, [], at + 4);
    const need = (n: number): void => {
      if (cmdsize < n) throw new InputError(`load command ${i} (0x${cmd.toString(16)}) too short: ${cmdsize} < ${n}`, [], at);
    };
    /** An lc_str: offset from the command start, NUL-terminated inside the command. */
    const lcStr = (field: number, fixed: number): string => {
      const rel = u32(pos + field);
      if (rel < fixed || rel >= cmdsize) throw new InputError(`load command ${i} string offset ${rel} outside the command`, [], at + field);
      const start = pos + rel;
      const end = cmds.indexOf(0, start);
      const stop = end === -1 || end > pos + cmdsize ? pos + cmdsize : end;
      return Buffer.from(cmds.buffer, cmds.byteOffset + start, stop - start).toString('utf8');
    };

    const dylibKind = DYLIB_KINDS.get(cmd);
    if (dylibKind !== undefined || cmd === LC.ID_DYLIB) {
      need(24);
      const ref = {
        name: lcStr(8, 24),
        currentVersion: formatPackedVersion(u32(pos + 16)),
        compatibilityVersion: formatPackedVersion(u32(pos + 20)),
      };
      if (dylibKind !== undefined) slice.dylibs.push({ kind: dylibKind, ...ref });
      else slice.idDylib ??= ref;
    } else if (cmd === LC.RPATH) {
      need(12);
      slice.rpaths.push(lcStr(8, 12));
    } else if (cmd === LC.UUID) {
      need(24);
      slice.uuid ??= formatUuid(cmds.subarray(pos + 8, pos + 24));
    } else if (cmd === LC.BUILD_VERSION) {
      need(24);
      // A zippered binary carries two (macos + maccatalyst); the first is the native platform.
      slice.platform ??= {
        platform: platformName(u32(pos + 8)),
        minos: formatPackedVersion(u32(pos + 12)),
        sdk: formatPackedVersion(u32(pos + 16)),
      };
    } else if (VERSION_MIN_PLATFORMS.has(cmd)) {
      need(16);
      versionMin ??= {
        platform: VERSION_MIN_PLATFORMS.get(cmd)!,
        minos: formatPackedVersion(u32(pos + 8)),
        sdk: formatPackedVersion(u32(pos + 12)),
      };
    } else if (cmd === LC.SOURCE_VERSION) {
      need(16);
      slice.sourceVersion ??= formatSourceVersion(u64(pos + 8));
    } else if (cmd === LC.CODE_SIGNATURE) {
      need(16);
      const dataoff = u32(pos + 8);
      const datasize = u32(pos + 12);
      // A signature pointing outside the image is a finding about the signature, not a corrupt image.
      if (slice.codeSignature === undefined && slice.signature === undefined) {
        if (dataoff + datasize <= place.size) slice.codeSignature = { offset: base + dataoff, size: datasize };
        else slice.signature = { kind: 'macho', status: 'unreadable', problem: `LC_CODE_SIGNATURE (${dataoff}+${datasize}) lies outside the Mach-O image of ${place.size} bytes` };
      }
    } else if (cmd === LC.ENCRYPTION_INFO || cmd === LC.ENCRYPTION_INFO_64) {
      need(20);
      if (u32(pos + 16) !== 0) slice.encrypted = true;
    } else if (cmd === LC.SYMTAB) {
      need(24);
      const entry = bits === 64 ? 16 : 12;
      symtab ??= { symbols: fileRange(u32(pos + 8), u32(pos + 12) * entry, 'symbol table', at + 8), strings: fileRange(u32(pos + 16), u32(pos + 20), 'string table', at + 16) };
    } else if (cmd === LC.DYSYMTAB) {
      need(24);
      extdef ??= { first: u32(pos + 16), count: u32(pos + 20) };
    } else if (cmd === LC.SEGMENT || cmd === LC.SEGMENT_64) {
      slice.segments.push(readSegment(cmds, cv, le, pos, cmdsize, cmd === LC.SEGMENT_64, at, fileRange));
    }
    pos += cmdsize;
  }
  if (slice.platform === undefined && versionMin !== undefined) slice.platform = versionMin;
  if (symtab) {
    // LC_DYSYMTAB names the run of externally defined symbols; without it the whole table is read.
    const entry = bits === 64 ? 16 : 12;
    const symbols = extdef && (extdef.first + extdef.count) * entry <= symtab.symbols.size ? { offset: symtab.symbols.offset + extdef.first * entry, size: extdef.count * entry } : symtab.symbols;
    if (symbols.size + symtab.strings.size <= MAX_SYMTAB_BYTES) slice.definedSymbols = await readDefinedSymbols(src, symbols, symtab.strings, bits, le);
  }
  return slice;
}

/**
 * Defined external symbols kept per slice. The symbols and their string pool are read only when
 * together at most MAX_SYMTAB_BYTES: a dylib or bundle's (libvips-cpp: 0.8 MB), not a large
 * executable's (node: 16 MB of names), whose copies carry their versions as text anyway.
 */
export const MAX_MACHO_SYMBOLS = 100_000;
const MAX_SYMTAB_BYTES = 2 << 20;
const N_STAB = 0xe0;
const N_TYPE = 0x0e;
const N_EXT = 0x01;
const N_UNDF = 0x0;

/**
 * LC_SYMTAB's external symbols that the image itself defines (nlist entries with N_EXT set, not
 * N_UNDF and not a debugger entry), in table order.
 */
async function readDefinedSymbols(src: ByteSource, symbols: { offset: number; size: number }, strings: { offset: number; size: number }, bits: 32 | 64, le: boolean): Promise<string[]> {
  const entry = bits === 64 ? 16 : 12;
  const table = await readExactly(src, symbols.offset, symbols.size, 'symbol table');
  const pool = await readExactly(src, strings.offset, strings.size, 'string table');
  const tv = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const names: string[] = [];
  for (let at = 0; at + entry <= table.length && names.length < MAX_MACHO_SYMBOLS; at += entry) {
    const type = table[at + 4]!;
    if (type & N_STAB || !(type & N_EXT) || (type & N_TYPE) === N_UNDF) continue;
    const strx = tv.getUint32(at, le);
    if (strx === 0 || strx >= pool.length) continue;
    const end = pool.indexOf(0, strx);
    names.push(Buffer.from(pool.buffer, pool.byteOffset + strx, (end === -1 ? pool.length : end) - strx).toString('latin1'));
  }
  return names;
}

function readSegment(
  cmds: Uint8Array,
  cv: DataView,
  le: boolean,
  pos: number,
  cmdsize: number,
  is64: boolean,
  at: number,
  fileRange: (off: bigint | number, size: bigint | number, what: string, at: number) => { offset: number; size: number },
): MachoSegment {
  const headerSize = is64 ? 72 : 56;
  const sectSize = is64 ? 80 : 68;
  if (cmdsize < headerSize) throw new InputError(`segment command too short: ${cmdsize} < ${headerSize}`, [], at);
  const word = (off: number): bigint => (is64 ? cv.getBigUint64(pos + off, le) : BigInt(cv.getUint32(pos + off, le)));
  const name = fixedName(cmds, pos + 8);
  const vmaddr = word(24);
  const vmsize = word(is64 ? 32 : 28);
  const fileoff = word(is64 ? 40 : 32);
  const filesize = word(is64 ? 48 : 36);
  const nsects = cv.getUint32(pos + (is64 ? 64 : 48), le);
  if (headerSize + nsects * sectSize > cmdsize) {
    throw new InputError(`segment ${name} claims ${nsects} sections but its command is ${cmdsize} bytes`, [], at);
  }
  const range = fileRange(fileoff, filesize, `segment ${name}`, at);
  const segment: MachoSegment = {
    name,
    // Addresses above 2^53 (kernel images) lose low bits as numbers; they are informational only.
    vmaddr: Number(vmaddr),
    vmsize: Number(vmsize),
    fileoff: range.offset,
    filesize: range.size,
    sections: [],
  };
  for (let s = 0; s < nsects; s++) {
    const sp = pos + headerSize + s * sectSize;
    const sectAt = at + headerSize + s * sectSize;
    const sectname = fixedName(cmds, sp);
    const segname = fixedName(cmds, sp + 16);
    const size = is64 ? cv.getBigUint64(sp + 40, le) : BigInt(cv.getUint32(sp + 36, le));
    const offset = cv.getUint32(sp + (is64 ? 48 : 40), le);
    const flags = cv.getUint32(sp + (is64 ? 64 : 56), le);
    const section: MachoSection = { segment: segname, name: sectname, offset: 0, size: 0 };
    // Zerofill sections, and sections of segments with no file bytes (dSYM companions keep the
    // headers of stripped __TEXT), have no bytes in the file: reported as offset 0, size 0 so a
    // reader of section bytes never reads unrelated data.
    const fileBacked = !ZEROFILL_TYPES.has(flags & 0xff) && offset !== 0 && filesize !== 0n;
    if (fileBacked) Object.assign(section, fileRange(offset, size, `section ${segname},${sectname}`, sectAt));
    segment.sections.push(section);
  }
  return segment;
}
