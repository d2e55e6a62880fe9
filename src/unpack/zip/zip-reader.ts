import { createInflateRaw, crc32 } from 'node:zlib';
import { Readable } from 'node:stream';
import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { u16, u32, u64 as u64le } from '../../io/little-endian.js';
import { materialize } from '../materialize.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext, UnpackUnknown } from '../types.js';
import { decodeForeignMembers, OTHER_METHODS, SEVEN_ZIP_METHODS, type ForeignMember } from './foreign-methods.js';

// ZIP (APPNOTE 6.3.x): read the central directory from the end; local headers only to find data.
const EOCD_SIG = 0x06054b50;
const EOCD64_LOCATOR_SIG = 0x07064b50;
const EOCD64_SIG = 0x06064b50;
const CDIR_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const SYMLINK_TARGET_MAX = 4096;

interface CentralRecord {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  externalAttrs: number;
  madeBy: number;
}

/** Zip64 fields beyond 2^53 cannot be real offsets in a file we can read. */
function u64(b: Uint8Array, o: number): number {
  const v = u64le(b, o);
  if (!Number.isSafeInteger(v)) throw new InputError('zip64 value too large', [], o);
  return v;
}

async function findEndOfCentralDirectory(src: ByteSource): Promise<{ tail: Uint8Array; tailStart: number; at: number }> {
  // The EOCD is 22 bytes plus a comment of up to 65535 bytes.
  const tailLen = Math.min(src.size, 22 + 0xffff + 20);
  const tailStart = src.size - tailLen;
  const tail = await readExactly(src, tailStart, tailLen, 'zip end of central directory');
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) === EOCD_SIG && i + 22 + u16(tail, i + 20) <= tail.length) return { tail, tailStart, at: i };
  }
  throw new InputError('not a zip file: no end of central directory record');
}

export async function readCentralDirectory(src: ByteSource, ctx: UnpackContext): Promise<CentralRecord[]> {
  const { tail, tailStart, at } = await findEndOfCentralDirectory(src);
  let endOfDirectory = tailStart + at;
  let count = u16(tail, at + 10);
  let cdSize = u32(tail, at + 12);
  let cdOffset = u32(tail, at + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = at - 20;
    if (loc < 0 || u32(tail, loc) !== EOCD64_LOCATOR_SIG) throw new InputError('zip64 locator missing', [], tailStart + at);
    // The record sits right before its locator unless extensible data follows it; a
    // self-extractor's prepended bytes make the recorded offset miss it.
    const before = tailStart + loc - 56;
    let eocd64Offset = u64(tail, loc + 8);
    let rec = await readExactly(src, eocd64Offset, 56, 'zip64 end of central directory').catch(() => new Uint8Array(56));
    if (u32(rec, 0) !== EOCD64_SIG && before >= 0) {
      eocd64Offset = before;
      rec = await readExactly(src, before, 56, 'zip64 end of central directory');
    }
    if (u32(rec, 0) !== EOCD64_SIG) throw new InputError('bad zip64 end of central directory', [], eocd64Offset);
    endOfDirectory = eocd64Offset;
    count = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
  }
  ctx.budget.checkMetadata(cdSize, 'zip central directory', ctx.chain);
  const shift = await prependedBytes(src, cdOffset, cdSize, endOfDirectory);
  cdOffset += shift;
  const cd = await readExactly(src, cdOffset, cdSize, 'zip central directory');
  const records: CentralRecord[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || u32(cd, p) !== CDIR_SIG) throw new InputError('corrupt zip central directory', [], cdOffset + p);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    if (p + 46 + nameLen + extraLen + commentLen > cd.length) throw new InputError('corrupt zip central directory', [], cdOffset + p);
    const flags = u16(cd, p + 8);
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLen);
    // Bit 11: UTF-8 names; otherwise CP437, which agrees with UTF-8 for the ASCII names installers use.
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(nameBytes);
    const rec: CentralRecord = {
      name,
      method: u16(cd, p + 10),
      flags,
      crc: u32(cd, p + 16),
      compressedSize: u32(cd, p + 20),
      size: u32(cd, p + 24),
      localOffset: u32(cd, p + 42),
      externalAttrs: u32(cd, p + 38),
      madeBy: u16(cd, p + 4),
    };
    applyZip64Extra(rec, cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen));
    rec.localOffset += shift;
    records.push(rec);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return records;
}

/**
 * Bytes before the archive that its offsets do not count: a zip appended to a program (a
 * self-extractor) records offsets from its own start, or, after `zip -A`, from the file's.
 * The central directory ends where the end records begin; when it is found there rather than at
 * its recorded offset, every offset moves by the difference (as Info-ZIP's unzip does).
 */
async function prependedBytes(src: ByteSource, cdOffset: number, cdSize: number, endOfDirectory: number): Promise<number> {
  const actual = endOfDirectory - cdSize;
  if (actual === cdOffset || actual < 0 || cdSize === 0) return 0;
  const at = async (o: number): Promise<boolean> => o >= 0 && o + 4 <= src.size && u32(await src.read(o, 4), 0) === CDIR_SIG;
  return !(await at(cdOffset)) && (await at(actual)) ? actual - cdOffset : 0;
}

/** Zip64 extended information (header id 1) holds the fields whose 32-bit value is all ones, in order. */
function applyZip64Extra(rec: CentralRecord, extra: Uint8Array): void {
  for (let q = 0; q + 4 <= extra.length; ) {
    const id = u16(extra, q);
    const len = u16(extra, q + 2);
    if (q + 4 + len > extra.length) return;
    if (id === 1) {
      let r = q + 4;
      const take = (): number | undefined => (r + 8 <= q + 4 + len ? ((r += 8), u64(extra, r - 8)) : undefined);
      if (rec.size === 0xffffffff) rec.size = take() ?? rec.size;
      if (rec.compressedSize === 0xffffffff) rec.compressedSize = take() ?? rec.compressedSize;
      if (rec.localOffset === 0xffffffff) rec.localOffset = take() ?? rec.localOffset;
      return;
    }
    q += 4 + len;
  }
}

function kindOf(rec: CentralRecord): Entry['kind'] {
  if (rec.name.endsWith('/') || rec.name.endsWith('\\')) return 'directory';
  // Unix mode in the high 16 bits when made on Unix (host 3).
  if (rec.madeBy >> 8 === 3) {
    const type = (rec.externalAttrs >>> 16) & 0o170000;
    if (type === 0o120000) return 'symlink';
    if (type === 0o040000) return 'directory';
  }
  return 'file';
}

async function* dataChunks(src: ByteSource, offset: number, length: number): AsyncIterable<Uint8Array> {
  const step = 1 << 20;
  for (let o = 0; o < length; o += step) {
    yield await readExactly(src, offset + o, Math.min(step, length - o), 'zip member data');
  }
}

async function* inflated(
  src: ByteSource,
  offset: number,
  length: number,
  rec: CentralRecord,
  chain: readonly string[],
): AsyncIterable<Uint8Array> {
  const inflater = createInflateRaw({ chunkSize: 1 << 20 });
  const input = Readable.from(dataChunks(src, offset, length));
  input.on('error', (err) => inflater.destroy(err));
  input.pipe(inflater);
  let produced = 0;
  let crc = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      produced += chunk.length;
      if (produced > rec.size) throw new InputError(`zip member inflates past its declared size ${rec.size}`, chain);
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`corrupt deflate data: ${(err as Error).message}`, chain, offset);
  } finally {
    input.destroy();
    inflater.destroy();
  }
  if (produced !== rec.size) throw new InputError(`zip member is ${produced} bytes, declared ${rec.size}`, chain);
  if (crc !== rec.crc) throw new InputError('zip member CRC-32 mismatch', chain);
}

async function* stored(src: ByteSource, offset: number, rec: CentralRecord, chain: readonly string[]): AsyncIterable<Uint8Array> {
  let crc = 0;
  for await (const chunk of dataChunks(src, offset, rec.size)) {
    crc = crc32(chunk, crc);
    yield chunk;
  }
  if (crc !== rec.crc) throw new InputError('zip member CRC-32 mismatch', chain);
}

/**
 * ZIP archives: CPython's embeddable zip, the stdlib zip inside it, .nupkg, .whl. Stored and
 * deflated members are decoded here, streaming; the methods 7-Zip knows (Deflate64, BZip2, LZMA,
 * Zstandard, XZ, PPMd, Implode, Shrink) through 7z-wasm. A member in any other method, or
 * encrypted, is listed as an unknown with its name, size and CRC-32, and the rest is read.
 */
export const ZipReader: ContainerReader = {
  format: 'zip',

  canRead(head: Uint8Array): boolean {
    // Local header first, or an empty archive (EOCD only).
    return head.length >= 4 && (u32(head, 0) === LOCAL_SIG || u32(head, 0) === EOCD_SIG);
  },

  async open(src: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    const records = await readCentralDirectory(src, ctx);
    const unknowns: UnpackUnknown[] = [];
    // Members in 7-Zip-only methods are decoded together, once, when the first is opened.
    const foreign: ForeignMember[] = [];
    const foreignIndex = new Map<CentralRecord, number>();
    for (const rec of records) {
      if (kindOf(rec) === 'directory' || rec.flags & 1 || SEVEN_ZIP_METHODS[rec.method] === undefined) continue;
      foreignIndex.set(rec, foreign.length);
      foreign.push({ dataOffset: await dataOffsetOf(src, rec, [...ctx.chain, safeEntryPath(rec.name, ctx.chain)]), compressedSize: rec.compressedSize, size: rec.size, method: rec.method, flags: rec.flags, crc: rec.crc });
    }
    let decoded: Promise<{ slices: ByteSource[]; decoded: ByteSource }> | undefined;
    const info: ContainerInfo = { format: 'zip', properties: { entries: String(records.length) }, unknowns };
    const methods = [...new Set(records.filter((r) => kindOf(r) !== 'directory').map((r) => methodName(r.method)))].sort();
    if (methods.length > 0) info.properties.methods = methods.join(',');
    return {
      info,
      async *entries(): AsyncIterable<Entry> {
        for (const rec of records) {
          const chain = [...ctx.chain, rec.name];
          const path = safeEntryPath(rec.name, ctx.chain);
          const kind = kindOf(rec);
          if (path === '') continue;
          if (kind === 'directory') {
            yield { path, kind, size: 0, open: notAFile };
            continue;
          }
          const unreadable = rec.flags & 1 ? 'encrypted' : rec.method !== 0 && rec.method !== 8 && !foreignIndex.has(rec) ? methodName(rec.method) : undefined;
          if (unreadable !== undefined) {
            unknowns.push({
              kind: 'unsupported-member',
              path,
              format: unreadable,
              reason: rec.flags & 1 ? 'an encrypted zip member: its bytes cannot be read without the password' : `zip compression method ${rec.method} (${unreadable}) is not one we decode`,
              declared: { size: String(rec.size), compressedSize: String(rec.compressedSize), crc32: rec.crc.toString(16).padStart(8, '0'), method: String(rec.method) },
            });
            continue;
          }
          ctx.budget.checkEntry(rec.size, rec.compressedSize, chain);
          const index = foreignIndex.get(rec);
          let open: () => Promise<ByteSource>;
          if (index !== undefined) {
            open = async () => {
              decoded ??= decodeForeignMembers(src, foreign, ctx);
              return (await decoded).slices[index]!;
            };
          } else {
            const dataOffset = await dataOffsetOf(src, rec, chain);
            open = async () => materialize(rec.method === 0 ? stored(src, dataOffset, rec, chain) : inflated(src, dataOffset, rec.compressedSize, rec, chain), rec.size, ctx, chain);
          }
          if (kind === 'symlink') {
            // A link target is a path (PATH_MAX 4096). Without this bound a "symlink" member
            // declaring gigabytes was inflated whole (to a temp file) just to read its first
            // 4 KiB.
            if (rec.size > SYMLINK_TARGET_MAX) {
              throw new InputError(`zip symlink target of ${rec.size} bytes (at most ${SYMLINK_TARGET_MAX})`, chain, rec.localOffset);
            }
            const link = await open();
            let target: string;
            try {
              target = new TextDecoder().decode(await link.read(0, SYMLINK_TARGET_MAX));
            } finally {
              await link.close();
            }
            yield { path, kind, size: 0, linkTarget: target, open: notAFile };
            continue;
          }
          const entry: Entry = { path, kind: 'file', size: rec.size, storedSize: rec.compressedSize, open };
          if (rec.method !== 0 && rec.method !== 8) entry.declared = { 'zip.method': methodName(rec.method) };
          yield entry;
        }
      },
      async close() {
        const d = await decoded?.catch(() => undefined);
        await d?.decoded.close();
      },
      async member(path) {
        const rec = records.find((r) => kindOf(r) === 'file' && !(r.flags & 1) && (r.method === 0 || r.method === 8) && safeEntryPath(r.name, ctx.chain) === path);
        if (!rec) return undefined;
        const chain = [...ctx.chain, rec.name];
        const dataOffset = await dataOffsetOf(src, rec, chain);
        return materialize(rec.method === 0 ? stored(src, dataOffset, rec, chain) : inflated(src, dataOffset, rec.compressedSize, rec, chain), rec.size, ctx, chain);
      },
    };
  },
};

/** Where a member's data starts: after its local header, whose name and extra lengths may differ from the central record's. */
async function dataOffsetOf(src: ByteSource, rec: CentralRecord, chain: readonly string[]): Promise<number> {
  const local = await readExactly(src, rec.localOffset, 30, 'zip local header').catch((e: unknown) => {
    throw e instanceof InputError ? new InputError(e.message, chain, rec.localOffset) : e;
  });
  if (u32(local, 0) !== LOCAL_SIG) throw new InputError('bad zip local header', chain, rec.localOffset);
  const dataOffset = rec.localOffset + 30 + u16(local, 26) + u16(local, 28);
  if (dataOffset + rec.compressedSize > src.size) throw new InputError('zip member data past end of file', chain, dataOffset);
  return dataOffset;
}

function methodName(method: number): string {
  if (method === 0) return 'stored';
  if (method === 8) return 'deflate';
  return SEVEN_ZIP_METHODS[method] ?? OTHER_METHODS[method] ?? `method-${method}`;
}

async function notAFile(): Promise<never> {
  throw new Error('not a regular file');
}
