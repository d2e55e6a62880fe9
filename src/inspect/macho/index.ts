/**
 * Mach-O reader: thin 32/64-bit images in either byte order and fat (universal) files with
 * 32- or 64-bit fat_arch tables. Positional reads only: a 100 MB executable costs a few
 * kilobytes of I/O (the fat table and each slice's load commands).
 */
import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { readCodeSignature } from '../signing/code-signature.js';
import type { SignerOptions } from '../signing/cms.js';
import type { MachoFacts, MachoSlice } from '../types.js';
import { MH_MAGIC, MH_MAGIC_64, readSlice, type SlicePlace } from './slice.js';

export { archName, fileTypeName, platformName } from './names.js';
export { formatPackedVersion, formatSourceVersion } from './slice.js';

const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
const MAX_FAT_ARCH = 64;
/**
 * Java class files share 0xCAFEBABE; their next u32 is minor<<16 | major, and the smallest major
 * version ever shipped is 45 (0x2D). Real universal files carry a handful of slices.
 */
const SNIFF_MAX_FAT_ARCH = 0x2c;

function isThinMagic(v: DataView): boolean {
  const le = v.getUint32(0, true);
  const be = v.getUint32(0, false);
  return le === MH_MAGIC || le === MH_MAGIC_64 || be === MH_MAGIC || be === MH_MAGIC_64;
}

/** Content sniff on the first bytes of a file (at least 8 for fat files; more makes it stricter). */
export function isMacho(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (isThinMagic(v)) return head.length >= 28;
  const magic = v.getUint32(0, false);
  if (magic !== FAT_MAGIC && magic !== FAT_MAGIC_64) return false;
  if (head.length < 8) return false;
  const n = v.getUint32(4, false);
  if (n === 0 || n > SNIFF_MAX_FAT_ARCH) return false;
  // When the head holds fat_arch entries, each must place its slice after the table.
  const entrySize = magic === FAT_MAGIC_64 ? 32 : 20;
  const tableEnd = 8 + n * entrySize;
  for (let i = 0; i < n && 8 + (i + 1) * entrySize <= head.length; i++) {
    const e = 8 + i * entrySize;
    const offset = magic === FAT_MAGIC_64 ? Number(v.getBigUint64(e + 8, false)) : v.getUint32(e + 8, false);
    const size = magic === FAT_MAGIC_64 ? Number(v.getBigUint64(e + 16, false)) : v.getUint32(e + 12, false);
    if (offset < tableEnd || size < 28) return false;
  }
  return true;
}

/** The slices a fat header lists, validated against the file and each other. */
async function readFatPlaces(src: ByteSource, is64: boolean): Promise<SlicePlace[]> {
  const head = await readExactly(src, 0, 8, 'fat header');
  const n = new DataView(head.buffer, head.byteOffset, 8).getUint32(4, false);
  if (n === 0 || n > MAX_FAT_ARCH) throw new InputError(`fat header nfat_arch ${n} is implausible`, [], 4);
  const entrySize = is64 ? 32 : 20;
  const tableEnd = 8 + n * entrySize;
  const table = await readExactly(src, 8, n * entrySize, 'fat_arch table');
  const tv = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const places: (SlicePlace & { at: number })[] = [];
  for (let i = 0; i < n; i++) {
    const e = i * entrySize;
    const offset = is64 ? tv.getBigUint64(e + 8, false) : BigInt(tv.getUint32(e + 8, false));
    const size = is64 ? tv.getBigUint64(e + 16, false) : BigInt(tv.getUint32(e + 12, false));
    const at = 8 + e;
    if (offset < BigInt(tableEnd)) throw new InputError(`fat slice ${i} at ${offset} overlaps the fat header`, [], at);
    if (offset + size > BigInt(src.size)) {
      throw new InputError(`fat slice ${i} (${offset}+${size}) lies past the end of the file (${src.size} bytes)`, [], at);
    }
    places.push({ offset: Number(offset), size: Number(size), at });
  }
  const sorted = [...places].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    if (sorted[i]!.offset < prev.offset + prev.size) throw new InputError('fat slices overlap', [], sorted[i]!.at);
  }
  return places.map(({ offset, size }) => ({ offset, size }));
}

export interface MachoReadOptions {
  /** Read and check each slice's code signature (hashes every signed page once). */
  signatures?: Pick<SignerOptions, 'trustRoots'>;
}

/** Facts of every slice of a thin or fat Mach-O file. Corrupt input throws InputError. */
export async function readMachoFacts(source: ByteSource, options: MachoReadOptions = {}): Promise<MachoFacts> {
  const head = await readExactly(source, 0, Math.min(8, source.size), 'Mach-O magic');
  if (head.length < 4) throw new InputError('too small for a Mach-O file', [], 0);
  const magic = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0, false);
  const fat = magic === FAT_MAGIC || magic === FAT_MAGIC_64;
  const places = fat ? await readFatPlaces(source, magic === FAT_MAGIC_64) : [{ offset: 0, size: source.size }];
  const slices: MachoSlice[] = [];
  for (const place of places) slices.push(await readSlice(source, place));
  const facts = { fat, slices };
  if (options.signatures) await readMachoSignatures(source, facts, options.signatures);
  return facts;
}

/** Reads and checks each slice's code signature into `facts` (hashes every signed page once). */
export async function readMachoSignatures(source: ByteSource, facts: MachoFacts, signatures: Pick<SignerOptions, 'trustRoots'>): Promise<void> {
  await Promise.all(
    facts.slices.map(async (slice) => {
      if (!slice.codeSignature || slice.codeSignature.size === 0) return;
      const signature = await readCodeSignature(source, slice, slice.codeSignature, signatures);
      slice.signature = facts.slices.length > 1 ? { ...signature, slice: slice.arch } : signature;
    }),
  );
}
