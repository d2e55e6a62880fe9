import { mkdtemp, open } from 'node:fs/promises';
import { join } from 'node:path';
import { readExactly, SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { decodeFileWith7z } from '../sevenzip/decode.js';
import type { UnpackContext } from '../types.js';

/**
 * Zip compression methods (APPNOTE 4.4.5) that 7-Zip decodes and node:zlib does not: Shrink (1),
 * Implode (6, PKZIP 1.x), Deflate64 (9, what Windows Explorer writes for large files), BZip2
 * (12), LZMA (14), Zstandard (93), XZ (95) and PPMd (98).
 */
export const SEVEN_ZIP_METHODS: Readonly<Record<number, string>> = {
  1: 'shrink',
  6: 'implode',
  9: 'deflate64',
  12: 'bzip2',
  14: 'lzma',
  93: 'zstd',
  95: 'xz',
  98: 'ppmd',
};

/** Names of the other methods APPNOTE defines, for the unknowns of members we cannot decode. */
export const OTHER_METHODS: Readonly<Record<number, string>> = {
  2: 'reduce-1',
  3: 'reduce-2',
  4: 'reduce-3',
  5: 'reduce-4',
  10: 'pkware-dcl-implode',
  16: 'ibm-cmpsc',
  18: 'ibm-terse',
  19: 'ibm-lz77',
  94: 'mp3',
  96: 'jpeg',
  97: 'wavpack',
  99: 'aes',
};

export interface ForeignMember {
  /** Where the compressed data lies in the zip. */
  dataOffset: number;
  compressedSize: number;
  size: number;
  method: number;
  /** General-purpose flags: Implode and LZMA keep method options in bits 1–2. */
  flags: number;
  crc: number;
}

/**
 * Decodes the members of one zip that use 7-Zip-only methods, all in one 7-Zip run: their
 * compressed bytes are copied into a private zip whose members are named 0, 1, 2 … (so no name
 * from the artifact reaches 7-Zip or the disk), 7-Zip checks each CRC-32 and streams the
 * decoded bytes (`-so`) into one temp file, and member i is the slice at the sum of the sizes
 * before it. `decoded` is the caller's to close.
 */
export async function decodeForeignMembers(src: ByteSource, members: readonly ForeignMember[], ctx: UnpackContext): Promise<{ slices: ByteSource[]; decoded: ByteSource }> {
  const dir = await mkdtemp(join(await ctx.tempDir(), 'zip-7z-'));
  const path = join(dir, 'members.zip');
  const out = await open(path, 'wx');
  const centrals: Buffer[] = [];
  let offset = 0;
  try {
    for (const [i, m] of members.entries()) {
      const name = Buffer.from(String(i));
      const local = localHeader(m, name);
      await out.write(local);
      for (let o = 0; o < m.compressedSize; o += 1 << 20) {
        await out.write(await readExactly(src, m.dataOffset + o, Math.min(1 << 20, m.compressedSize - o), 'zip member data'));
      }
      centrals.push(centralHeader(m, name, offset));
      offset += local.length + m.compressedSize;
    }
    const cd = Buffer.concat(centrals);
    await out.write(cd);
    await out.write(zip64End(members.length, cd.length, offset));
  } finally {
    await out.close();
  }
  const total = members.reduce((n, m) => n + m.size, 0);
  const decoded = await decodeFileWith7z(path, ctx, { type: 'zip', what: 'zip members', expectedSize: total, storedSize: members.reduce((n, m) => n + m.compressedSize, 0) });
  if (decoded.size !== total) {
    await decoded.close();
    throw new RangeError(`zip members decode to ${decoded.size} bytes, declared ${total}`);
  }
  let at = 0;
  const slices = members.map((m) => {
    const slice = new SliceByteSource(decoded, at, m.size);
    at += m.size;
    return slice;
  });
  return { slices, decoded };
}

/** Flags kept from the artifact: method options (bits 1–2); no data descriptor, no encryption. */
const keptFlags = (m: ForeignMember): number => m.flags & 0x0006;

/** Every size and offset goes in a Zip64 extra field, so any member fits whatever its size. */
function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(1, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

/**
 * The fields local and central headers share, in the same order (APPNOTE 4.3.7, 4.3.12): flags,
 * method, time/date (zero), CRC-32, sizes (in the Zip64 extra), name and extra lengths.
 */
function sharedFields(h: Buffer, at: number, m: ForeignMember, name: Buffer, extra: Buffer): void {
  h.writeUInt16LE(keptFlags(m), at);
  h.writeUInt16LE(m.method, at + 2);
  h.writeUInt32LE(m.crc >>> 0, at + 8);
  h.writeUInt32LE(0xffffffff, at + 12);
  h.writeUInt32LE(0xffffffff, at + 16);
  h.writeUInt16LE(name.length, at + 20);
  h.writeUInt16LE(extra.length, at + 22);
}

function localHeader(m: ForeignMember, name: Buffer): Buffer {
  const extra = zip64Extra([m.size, m.compressedSize]);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(63, 4);
  sharedFields(h, 6, m, name, extra);
  return Buffer.concat([h, name, extra]);
}

function centralHeader(m: ForeignMember, name: Buffer, localOffset: number): Buffer {
  const extra = zip64Extra([m.size, m.compressedSize, localOffset]);
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(63, 4);
  h.writeUInt16LE(63, 6);
  sharedFields(h, 8, m, name, extra);
  h.writeUInt32LE(0xffffffff, 42);
  return Buffer.concat([h, name, extra]);
}

/** Zip64 end of central directory, its locator, and the classic record pointing at them. */
function zip64End(count: number, cdSize: number, cdOffset: number): Buffer {
  const rec = Buffer.alloc(56);
  rec.writeUInt32LE(0x06064b50, 0);
  rec.writeBigUInt64LE(44n, 4);
  rec.writeUInt16LE(63, 12);
  rec.writeUInt16LE(63, 14);
  rec.writeBigUInt64LE(BigInt(count), 24);
  rec.writeBigUInt64LE(BigInt(count), 32);
  rec.writeBigUInt64LE(BigInt(cdSize), 40);
  rec.writeBigUInt64LE(BigInt(cdOffset), 48);
  const loc = Buffer.alloc(20);
  loc.writeUInt32LE(0x07064b50, 0);
  loc.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
  loc.writeUInt32LE(1, 16);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(0xffff, 8);
  eocd.writeUInt16LE(0xffff, 10);
  eocd.writeUInt32LE(0xffffffff, 12);
  eocd.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([rec, loc, eocd]);
}
