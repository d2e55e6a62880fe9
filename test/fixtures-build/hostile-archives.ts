/**
 * Hand-written hostile archives for the containment and bomb tests (test/hostile/): names no
 * well-behaved tool writes (`../../evil`, `/etc/x`, `C:\x`, NUL), links pointing outside, and
 * decompression bombs. Minimal writers for exactly the fields the formats define (zip APPNOTE
 * 4.3.7/4.3.12/4.3.16, cpio odc as in GNU cpio, xar header + zlib TOC), so every byte is
 * under the test's control.
 */
import { constants, crc32, deflateRawSync, deflateSync } from 'node:zlib';

export interface ZipMember {
  /** Raw name bytes (a string is written as UTF-8 with flag bit 11). */
  name: string | Buffer;
  data?: Buffer;
  /** 0 stored, 8 deflated here; any other method needs `compressed`. */
  method?: number;
  /** The member's bytes as stored, already compressed in `method` by the caller. */
  compressed?: Buffer;
  /** Unix st_mode (S_IFLNK 0o120000 for a symlink); sets "made by Unix". */
  unixMode?: number;
}

interface ZipPart {
  local: Buffer;
  central: Buffer;
}

function zipRecords(name: Buffer, utf8: boolean, method: number, crc: number, compressed: number, size: number, localOffset: number, unixMode?: number): ZipPart {
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(utf8 ? 0x800 : 0, 6);
  local.writeUInt16LE(method, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(compressed, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(unixMode !== undefined ? (3 << 8) | 20 : 20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(utf8 ? 0x800 : 0, 8);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(compressed, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(unixMode !== undefined ? (unixMode << 16) >>> 0 : 0, 38);
  central.writeUInt32LE(localOffset, 42);
  return { local: Buffer.concat([local, name]), central: Buffer.concat([central, name]) };
}

function endOfCentralDirectory(count: number, cdSize: number, cdOffset: number): Buffer {
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(cdSize, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return eocd;
}

/** A zip of exactly these members, in this order (duplicates and hostile names kept as given). */
export function zipOf(members: ZipMember[]): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = typeof m.name === 'string' ? Buffer.from(m.name, 'utf8') : m.name;
    const data = m.data ?? Buffer.alloc(0);
    const method = m.method ?? 0;
    const stored = m.compressed ?? (method === 8 ? deflateRawSync(data) : data);
    const rec = zipRecords(name, typeof m.name === 'string', method, crc32(data), stored.length, data.length, offset, m.unixMode);
    parts.push(rec.local, stored);
    centrals.push(rec.central);
    offset += rec.local.length + stored.length;
  }
  const cd = Buffer.concat(centrals);
  return Buffer.concat([...parts, cd, endOfCentralDirectory(members.length, cd.length, offset)]);
}

/**
 * A zip with one deflated member of `size` zero bytes (a multiple of 1 MiB), about 1000:1.
 * Each MiB is deflated once with a full flush (byte-aligned, dictionary reset), so the same
 * block repeats; the stream ends with an empty final fixed-Huffman block.
 */
export function zerosBombZip(size: number, name = 'zeros.bin'): Buffer {
  const MiB = 1 << 20;
  if (size % MiB !== 0) throw new Error('size must be a multiple of 1 MiB');
  const zero = Buffer.alloc(MiB);
  const block = deflateRawSync(zero, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const deflated = Buffer.concat([...Array<Buffer>(size / MiB).fill(block), Buffer.from([0x03, 0x00])]);
  let crc = 0;
  for (let i = 0; i < size / MiB; i++) crc = crc32(zero, crc);
  const nameBytes = Buffer.from(name);
  const rec = zipRecords(nameBytes, false, 8, crc, deflated.length, size, 0);
  const cdOffset = rec.local.length + deflated.length;
  return Buffer.concat([rec.local, deflated, rec.central, endOfCentralDirectory(1, rec.central.length, cdOffset)]);
}

/** `depth` zips, each holding the next as `level-N.zip` (stored), the innermost a text file. */
export function nestedZip(depth: number): Buffer {
  let inner = zipOf([{ name: 'core.txt', data: Buffer.from('the middle\n') }]);
  for (let d = depth - 1; d >= 1; d--) inner = zipOf([{ name: `level-${d}.zip`, data: inner }]);
  return inner;
}

/** A zip of `count` directory entries (cheap members: only the count limit can stop it). */
export function manyEntriesZip(count: number): Buffer {
  const centrals: Buffer[] = [];
  const locals: Buffer[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const rec = zipRecords(Buffer.from(`d/${i}/`), false, 0, 0, 0, 0, offset);
    locals.push(rec.local);
    centrals.push(rec.central);
    offset += rec.local.length;
  }
  const cd = Buffer.concat(centrals);
  // More than 65535 entries: the 16-bit count is saturated, so write zip64 end records.
  if (count < 0xffff) return Buffer.concat([...locals, cd, endOfCentralDirectory(count, cd.length, offset)]);
  const eocd64 = Buffer.alloc(56);
  eocd64.writeUInt32LE(0x06064b50, 0);
  eocd64.writeBigUInt64LE(44n, 4);
  eocd64.writeUInt16LE(45, 12);
  eocd64.writeUInt16LE(45, 14);
  eocd64.writeBigUInt64LE(BigInt(count), 24);
  eocd64.writeBigUInt64LE(BigInt(count), 32);
  eocd64.writeBigUInt64LE(BigInt(cd.length), 40);
  eocd64.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
  locator.writeUInt32LE(1, 16);
  const eocd = endOfCentralDirectory(0xffff, 0xffffffff, 0xffffffff);
  return Buffer.concat([...locals, cd, eocd64, locator, eocd]);
}

export interface CpioMember {
  name: string | Buffer;
  data?: Buffer;
  /** st_mode; default a regular file 0o100644. */
  mode?: number;
  ino?: number;
  nlink?: number;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width, '0');
}

/** POSIX.1 "odc" cpio (magic 070707), as GNU `cpio -H odc` writes it, with its TRAILER!!!. */
export function cpioOdcOf(members: CpioMember[]): Buffer {
  const parts: Buffer[] = [];
  const entry = (m: CpioMember, i: number): void => {
    const name = Buffer.concat([typeof m.name === 'string' ? Buffer.from(m.name) : m.name, Buffer.from([0])]);
    const data = m.data ?? Buffer.alloc(0);
    const header =
      '070707' + octal(0, 6) + octal(m.ino ?? i + 1, 6) + octal(m.mode ?? 0o100644, 6) + octal(0, 6) + octal(0, 6) + octal(m.nlink ?? 1, 6) +
      octal(0, 6) + octal(0, 11) + octal(name.length, 6) + octal(data.length, 11);
    parts.push(Buffer.from(header, 'latin1'), name, data);
  };
  members.forEach(entry);
  entry({ name: 'TRAILER!!!', mode: 0, ino: 0, nlink: 1 }, 0);
  return Buffer.concat(parts);
}

export interface XarMember {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'hardlink';
  data?: Buffer;
  /** symlink target, or for a hardlink the id of the original. */
  link?: string;
  children?: XarMember[];
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A xar with no TOC checksum (algorithm 0) and stored members, the TOC written here. */
export function xarOfMembers(members: XarMember[]): Buffer {
  const heap: Buffer[] = [];
  let heapSize = 0;
  let id = 0;
  const fileXml = (m: XarMember): string => {
    id += 1;
    const own = id;
    let inner = `<name>${xmlEscape(m.name)}</name>`;
    if (m.type === 'hardlink') inner += `<type link="${m.link ?? 'original'}">hardlink</type>`;
    else inner += `<type>${m.type}</type>`;
    if (m.type === 'symlink') inner += `<link type="broken">${xmlEscape(m.link ?? '')}</link>`;
    if (m.data !== undefined) {
      inner += `<data><offset>${heapSize}</offset><size>${m.data.length}</size><length>${m.data.length}</length><encoding style="application/octet-stream"/></data>`;
      heap.push(m.data);
      heapSize += m.data.length;
    }
    for (const c of m.children ?? []) inner += fileXml(c);
    return `<file id="${own}">${inner}</file>`;
  };
  const toc = `<?xml version="1.0" encoding="UTF-8"?>\n<xar><toc><creation-time>2024-01-01T00:00:00</creation-time>${members.map(fileXml).join('')}</toc></xar>\n`;
  const tocBytes = Buffer.from(toc, 'utf8');
  const compressed = deflateSync(tocBytes);
  const header = Buffer.alloc(28);
  header.write('xar!', 0, 'latin1');
  header.writeUInt16BE(28, 4);
  header.writeUInt16BE(1, 6);
  header.writeBigUInt64BE(BigInt(compressed.length), 8);
  header.writeBigUInt64BE(BigInt(tocBytes.length), 16);
  header.writeUInt32BE(0, 24);
  return Buffer.concat([header, compressed, ...heap]);
}
