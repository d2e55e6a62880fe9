import { crc32 } from 'node:zlib';
import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { u32 } from '../../io/little-endian.js';
import type { PeSection } from '../../inspect/types.js';

/**
 * The Inno Setup loader's offset table (SetupLdrOffsetTable, Inno Setup 5.1.5 and later): the
 * compiler stores it as the loader's RCDATA resource 11111, and it says where the compressed
 * Setup program, setup-0 (the setup header, entries and file locations) and setup-1 (the file
 * data) lie in the installer. Revision 1 has 32-bit offsets; revision 2 (Inno Setup 6.5 and
 * later) 64-bit ones. The last field is the CRC-32 of the fields before it.
 */
export const TABLE_MAGIC = Buffer.from([0x72, 0x44, 0x6c, 0x50, 0x74, 0x53, 0xcd, 0xe6, 0xd7, 0x7b, 0x0b, 0x2a]);
/** The resource section is small in a loader; a bigger one is not scanned whole. */
const RSRC_SCAN_MAX = 16 * 1024 * 1024;

export interface OffsetTable {
  /** Where the table is in the installer. */
  at: number;
  revision: number;
  totalSize: number;
  offsetExe: number;
  uncompressedSizeExe: number;
  /** setup-0: the setup header; setup-1: the file data (0 when the data are in external .bin files). */
  offset0: number;
  offset1: number;
}

export async function findTableIn(src: ByteSource, sections: readonly PeSection[]): Promise<number | undefined> {
  const rsrc = sections.find((s) => s.name === '.rsrc');
  if (!rsrc || rsrc.rawSize === 0) return undefined;
  const bytes = await src.read(rsrc.rawOffset, Math.min(rsrc.rawSize, RSRC_SCAN_MAX));
  const at = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(TABLE_MAGIC);
  return at < 0 ? undefined : rsrc.rawOffset + at;
}

export async function readOffsetTable(src: ByteSource, at: number): Promise<OffsetTable> {
  const head = await readExactly(src, at, 16, 'Inno Setup offset table');
  const revision = u32(head, 12);
  if (revision === 1) {
    const t = await readExactly(src, at, 44, 'Inno Setup offset table');
    checkCrc(t, 40, at);
    return { at, revision, totalSize: u32(t, 16), offsetExe: u32(t, 20), uncompressedSizeExe: u32(t, 24), offset0: u32(t, 32), offset1: u32(t, 36) };
  }
  if (revision === 2) {
    const t = await readExactly(src, at, 64, 'Inno Setup offset table');
    checkCrc(t, 60, at);
    const u64 = (o: number): number => {
      const v = u32(t, o) + u32(t, o + 4) * 2 ** 32;
      if (!Number.isSafeInteger(v)) throw new InputError('Inno Setup offset table: an offset is too large', [], at + o);
      return v;
    };
    return { at, revision, totalSize: u64(16), offsetExe: u64(24), uncompressedSizeExe: u64(32), offset0: u64(44), offset1: u64(52) };
  }
  throw new InputError(`Inno Setup offset table revision ${revision} is not one we know (1 or 2)`, [], at + 12);
}

function checkCrc(t: Uint8Array, crcAt: number, at: number): void {
  const stored = u32(t, crcAt);
  const computed = crc32(t.subarray(0, crcAt)) >>> 0;
  if (stored !== computed) throw new InputError(`Inno Setup offset table CRC mismatch (stored 0x${stored.toString(16)}, computed 0x${computed.toString(16)})`, [], at + crcAt);
}
