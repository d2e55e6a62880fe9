import type { ByteSource } from '../../io/byte-source.js';
import { readExactly } from '../../io/byte-source.js';
import { InputError } from '../../errors.js';
import type { Budget } from '../limits.js';

/**
 * The directory of a Microsoft cabinet: CFHEADER, CFFOLDER[] and CFFILE[] ([MS-CAB] 2.1–2.4).
 * Data blocks (CFDATA) are read later, folder by folder.
 */

export const CAB_MAGIC = [0x4d, 0x53, 0x43, 0x46]; // "MSCF"

const FLAG_PREV_CABINET = 0x0001;
const FLAG_NEXT_CABINET = 0x0002;
const FLAG_RESERVE_PRESENT = 0x0004;

/** CFFILE.iFolder values for files that span cabinets. */
export const IFOLD_CONTINUED_FROM_PREV = 0xfffd;
export const IFOLD_CONTINUED_TO_NEXT = 0xfffe;
export const IFOLD_CONTINUED_PREV_AND_NEXT = 0xffff;

const ATTR_NAME_IS_UTF = 0x80;

export const COMPRESS_NONE = 0;
export const COMPRESS_MSZIP = 1;
export const COMPRESS_QUANTUM = 2;
export const COMPRESS_LZX = 3;

export interface CabHeader {
  cbCabinet: number;
  coffFiles: number;
  versionMajor: number;
  versionMinor: number;
  cFolders: number;
  cFiles: number;
  flags: number;
  setId: number;
  iCabinet: number;
  /** Per-CFDATA reserved bytes (between the 8-byte CFDATA header and the data). */
  cbCFData: number;
  prevCabinet?: string;
  nextCabinet?: string;
}

export interface CabFolder {
  index: number;
  /** Offset of the first CFDATA block of this folder. */
  coffCabStart: number;
  cCFData: number;
  /** Low 4 bits: 0 none, 1 MSZIP, 2 Quantum, 3 LZX; the rest are method parameters. */
  typeCompress: number;
}

export interface CabFile {
  /** Raw name as stored (backslash separators). */
  name: string;
  size: number;
  /** Offset of the file's first byte in its folder's uncompressed stream. */
  offsetInFolder: number;
  iFolder: number;
  date: number;
  time: number;
  attribs: number;
}

export interface CabDirectory {
  header: CabHeader;
  folders: CabFolder[];
  files: CabFile[];
}

const latin1252 = new TextDecoder('windows-1252');
const utf8 = new TextDecoder('utf-8');

/** Reads a NUL-terminated string from `buf` at `pos`; throws when there is no terminator. */
function cString(buf: Uint8Array, pos: number, max: number, what: string, base: number, chain: readonly string[]): { bytes: Uint8Array; next: number } {
  const end = Math.min(buf.length, pos + max);
  for (let i = pos; i < end; i++) {
    if (buf[i] === 0) return { bytes: buf.subarray(pos, i), next: i + 1 };
  }
  throw new InputError(`${what} has no terminator within ${max} bytes`, chain, base + pos);
}

/**
 * "MSCF" and the reserved u32 after it, which is zero in every cabinet. The version is not part
 * of the test: cabextract reads cabinets whatever their version says (libgcab's CVE-2015-4470
 * sample has 3.129), and so do we, with a warning.
 */
export function isCabHead(head: Uint8Array): boolean {
  return head.length >= 8 && CAB_MAGIC.every((b, i) => head[i] === b) && head[4] === 0 && head[5] === 0 && head[6] === 0 && head[7] === 0;
}

/** The only cabinet format version [MS-CAB] defines. */
export const CAB_VERSION = { major: 1, minor: 3 };

export async function readCabDirectory(src: ByteSource, chain: readonly string[], budget: Budget): Promise<CabDirectory> {
  const fixed = await readExactly(src, 0, 36, 'CFHEADER').catch((e) => {
    throw e instanceof InputError ? e.within(chain) : e;
  });
  if (!isCabHead(fixed)) throw new InputError('not a cabinet (bad MSCF header)', chain, 0);
  const dv = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  const header: CabHeader = {
    cbCabinet: dv.getUint32(8, true),
    coffFiles: dv.getUint32(16, true),
    versionMinor: fixed[24]!,
    versionMajor: fixed[25]!,
    cFolders: dv.getUint16(26, true),
    cFiles: dv.getUint16(28, true),
    flags: dv.getUint16(30, true),
    setId: dv.getUint16(32, true),
    iCabinet: dv.getUint16(34, true),
    cbCFData: 0,
  };
  if (header.cbCabinet > src.size) {
    throw new InputError(`truncated cabinet: header says ${header.cbCabinet} bytes, have ${src.size}`, chain, 8);
  }
  // Everything before the CFFILE area (header, reserve, cabinet names, CFFOLDERs) is read at once.
  let pos = 36;
  let cbCFHeader = 0;
  let cbCFFolder = 0;
  if (header.flags & FLAG_RESERVE_PRESENT) {
    const r = await readExactly(src, 36, 4, 'CFHEADER reserve sizes').catch(rethrowIn(chain));
    cbCFHeader = r[0]! | (r[1]! << 8);
    cbCFFolder = r[2]!;
    header.cbCFData = r[3]!;
    pos = 40 + cbCFHeader;
  }
  // Names of the previous/next cabinet: each a cabinet name and a disk name, at most 255 bytes.
  const namesLen = Math.min(4 * 256, Math.max(0, src.size - pos));
  const names = await src.read(pos, namesLen);
  let p = 0;
  if (header.flags & FLAG_PREV_CABINET) {
    const cab = cString(names, p, 256, 'szCabinetPrev', pos, chain);
    const disk = cString(names, cab.next, 256, 'szDiskPrev', pos, chain);
    header.prevCabinet = latin1252.decode(cab.bytes);
    p = disk.next;
  }
  if (header.flags & FLAG_NEXT_CABINET) {
    const cab = cString(names, p, 256, 'szCabinetNext', pos, chain);
    const disk = cString(names, cab.next, 256, 'szDiskNext', pos, chain);
    header.nextCabinet = latin1252.decode(cab.bytes);
    p = disk.next;
  }
  pos += p;

  const folderSize = 8 + cbCFFolder;
  budget.checkMetadata(header.cFolders * folderSize, 'CFFOLDER table', chain);
  const fbytes = await readExactly(src, pos, header.cFolders * folderSize, 'CFFOLDER table').catch(rethrowIn(chain));
  const fdv = new DataView(fbytes.buffer, fbytes.byteOffset, fbytes.byteLength);
  const folders: CabFolder[] = [];
  for (let i = 0; i < header.cFolders; i++) {
    const o = i * folderSize;
    folders.push({
      index: i,
      coffCabStart: fdv.getUint32(o, true),
      cCFData: fdv.getUint16(o + 4, true),
      typeCompress: fdv.getUint16(o + 6, true),
    });
  }

  // CFFILE: 16 fixed bytes and a name of at most 256 bytes with its NUL.
  const maxFilesLen = header.cFiles * (16 + 257);
  budget.checkMetadata(Math.min(maxFilesLen, src.size), 'CFFILE table', chain);
  if (header.coffFiles > src.size) throw new InputError('CFFILE table lies past the end of the cabinet', chain, 16);
  const area = await src.read(header.coffFiles, Math.min(maxFilesLen, src.size - header.coffFiles));
  const adv = new DataView(area.buffer, area.byteOffset, area.byteLength);
  const files: CabFile[] = [];
  let q = 0;
  for (let i = 0; i < header.cFiles; i++) {
    if (q + 16 > area.length) throw new InputError(`truncated: CFFILE ${i} of ${header.cFiles}`, chain, header.coffFiles + q);
    const attribs = adv.getUint16(q + 14, true);
    const nm = cString(area, q + 16, 257, `CFFILE ${i} name`, header.coffFiles, chain);
    files.push({
      size: adv.getUint32(q, true),
      offsetInFolder: adv.getUint32(q + 4, true),
      iFolder: adv.getUint16(q + 8, true),
      date: adv.getUint16(q + 10, true),
      time: adv.getUint16(q + 12, true),
      attribs,
      // [MS-CAB] 2.4: _A_NAME_IS_UTF marks UTF-8; otherwise the name is in the system code
      // page, which for cabinets made on Western Windows is 1252.
      name: (attribs & ATTR_NAME_IS_UTF ? utf8 : latin1252).decode(nm.bytes),
    });
    q = nm.next;
  }
  return { header, folders, files };
}

function rethrowIn(chain: readonly string[]): (e: unknown) => never {
  return (e) => {
    throw e instanceof InputError ? e.within(chain) : e;
  };
}

/** Human name of a folder's compression method. */
export function compressionName(typeCompress: number): string {
  switch (typeCompress & 0x000f) {
    case COMPRESS_NONE:
      return 'none';
    case COMPRESS_MSZIP:
      return 'MSZIP';
    case COMPRESS_QUANTUM:
      return 'Quantum';
    case COMPRESS_LZX:
      return 'LZX';
    default:
      return `unknown (${typeCompress & 0x000f})`;
  }
}
