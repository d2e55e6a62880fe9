import { InputError } from '../../errors.js';
import { backingSlice, BufferByteSource, joinBackings, readExactly, type Backing, type ByteSource } from '../../io/byte-source.js';
import type { Budget } from '../limits.js';
import { decodeStreamName } from './stream-names.js';

/**
 * A compound file ([MS-CFB]) read by positional I/O: header, DIFAT, FAT, directory and mini
 * stream are loaded (each held to the metadata limit); stream contents stay in the file and are
 * read through their sector chains. reading the whole file into memory first would, for a
 * CPython-sized MSI, hold its embedded cabinet twice.
 */

const ENDOFCHAIN = 0xfffffffe;
const MAXREGSECT = 0xfffffffa;
const NOSTREAM = 0xffffffff;
const ENTRY = 128;
const TYPE_STREAM = 2;
const TYPE_ROOT = 5;

export interface CompoundStream {
  /** Decoded MSI name (`!File`, `\x05SummaryInformation`, `main.cab`). */
  name: string;
  size: number;
  /** The stream's bytes, read through its sector chain. */
  source: ByteSource;
}

export interface CompoundFile {
  /** Streams directly under the root storage (sub-storages hold transforms, not this database). */
  streams: Map<string, CompoundStream>;
  /** Root storage CLSID as hex, as stored. */
  rootClsid: string;
  /** The whole directory tree, as stored: what a signature over the file covers. */
  root: CompoundStorage;
}

/** A directory entry as stored: its raw name (UTF-16LE with the terminator, as its length field says). */
export interface CompoundEntryBase {
  rawName: Uint8Array;
  /** The entry's 128 bytes (state bits, times, size: what an MsiDigitalSignatureEx signs). */
  entry: Uint8Array;
}

export interface CompoundStorage extends CompoundEntryBase {
  kind: 'storage';
  children: CompoundEntry[];
}

export interface CompoundStreamEntry extends CompoundEntryBase, CompoundStream {
  kind: 'stream';
}

export type CompoundEntry = CompoundStorage | CompoundStreamEntry;

/** Storages inside storages (an MSI's embedded transforms are one level down). */
const MAX_STORAGE_DEPTH = 16;
const TYPE_STORAGE = 1;

/** A source whose bytes lie in a list of extents of the parent (a sector chain, runs merged). */
export class ExtentByteSource implements ByteSource {
  /** Start of each extent in this source's own offsets. */
  private readonly starts: number[] = [];

  constructor(
    private readonly parent: ByteSource,
    private readonly extents: { at: number; len: number }[],
    readonly size: number,
  ) {
    let pos = 0;
    for (const e of extents) {
      this.starts.push(pos);
      pos += e.len;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.min(this.size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);
    let i = this.extentAt(start);
    const first = this.extents[i]!;
    const inFirst = start - this.starts[i]!;
    // The common case (writers lay big streams out contiguously): one positional read.
    if (end - start <= first.len - inFirst) return this.parent.read(first.at + inFirst, end - start);
    const out = new Uint8Array(end - start);
    let pos = start;
    while (pos < end) {
      const e = this.extents[i]!;
      const within = pos - this.starts[i]!;
      const n = Math.min(e.len - within, end - pos);
      const bytes = await readExactly(this.parent, e.at + within, n, 'compound file sector');
      out.set(bytes, pos - start);
      pos += n;
      i++;
    }
    return out;
  }

  backing(): Backing | undefined {
    const parent = this.parent.backing?.();
    if (parent === undefined) return undefined;
    const parts: Backing[] = [];
    let pos = 0;
    for (const e of this.extents) {
      if (pos >= this.size) break;
      const len = Math.min(e.len, this.size - pos);
      parts.push(backingSlice(parent, e.at, len));
      pos += len;
    }
    return joinBackings(parts);
  }

  private extentAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async close(): Promise<void> {}
}

export async function openCompoundFile(src: ByteSource, chain: readonly string[], budget: Budget): Promise<CompoundFile> {
  const fail = (msg: string, at?: number): never => {
    throw new InputError(`corrupt compound file: ${msg}`, chain, at);
  };
  const hdr = await readExactly(src, 0, 512, 'compound file header');
  const dv = new DataView(hdr.buffer, hdr.byteOffset, hdr.byteLength);
  if (dv.getUint16(0x1c, true) !== 0xfffe) fail('byte order mark is not 0xFFFE', 0x1c);
  const shift = dv.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) fail(`sector shift ${shift} (must be 9 or 12)`, 0x1e);
  const major = dv.getUint16(0x1a, true);
  const ssz = 1 << shift;
  const miniShift = dv.getUint16(0x20, true);
  if (miniShift !== 6) fail(`mini sector shift ${miniShift} (must be 6)`, 0x20);
  const miniSize = 1 << miniShift;
  const nFat = dv.getUint32(0x2c, true);
  const firstDir = dv.getUint32(0x30, true);
  const cutoff = dv.getUint32(0x38, true);
  const firstMiniFat = dv.getUint32(0x3c, true);
  const nMiniFat = dv.getUint32(0x40, true);
  let difatSector = dv.getUint32(0x44, true);
  const nDifat = dv.getUint32(0x48, true);
  // Sector n starts at (n+1)·ssz: the header occupies sector -1 (4096 bytes in version 4).
  const sectorCount = Math.floor(src.size / ssz) - 1;
  if (sectorCount <= 0) fail('file is shorter than one sector');
  const at = (sector: number): number => (sector + 1) * ssz;
  const isSector = (s: number): boolean => s <= MAXREGSECT && s < sectorCount;
  budget.checkMetadata(nFat * ssz, 'compound file FAT', chain);
  if (nFat > sectorCount) fail(`${nFat} FAT sectors in a file of ${sectorCount} sectors`, 0x2c);

  // DIFAT: 109 FAT sector numbers in the header, the rest in a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < nFat; i++) fatSectors.push(dv.getUint32(0x4c + 4 * i, true));
  for (let d = 0; fatSectors.length < nFat; d++) {
    if (d >= nDifat || !isSector(difatSector)) fail(`DIFAT chain ends after ${d} sectors with ${fatSectors.length} of ${nFat} FAT sectors`);
    const bytes = await readExactly(src, at(difatSector), ssz, 'DIFAT sector');
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < ssz / 4 - 1 && fatSectors.length < nFat; i++) fatSectors.push(v.getUint32(4 * i, true));
    difatSector = v.getUint32(ssz - 4, true);
  }
  const fat = new Uint32Array(nFat * (ssz / 4));
  for (let i = 0; i < fatSectors.length; ) {
    // Writers put the FAT in consecutive sectors: read runs, not one sector at a time.
    let run = 1;
    while (i + run < fatSectors.length && fatSectors[i + run] === fatSectors[i]! + run) run++;
    if (!isSector(fatSectors[i]!) || !isSector(fatSectors[i]! + run - 1)) fail(`FAT sector ${fatSectors[i]} lies outside the file`);
    const bytes = await readExactly(src, at(fatSectors[i]!), run * ssz, 'FAT sectors');
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let k = 0; k < run * (ssz / 4); k++) fat[i * (ssz / 4) + k] = v.getUint32(4 * k, true);
    i += run;
  }

  /** The sectors of a chain; a cycle or a dangling link is corrupt input. */
  const chainOf = (start: number, table: Uint32Array, limit: number, what: string): number[] => {
    const out: number[] = [];
    for (let s = start; s !== ENDOFCHAIN; s = table[s]!) {
      if (s >= table.length || s >= limit) fail(`${what}: sector ${s} is outside the file`);
      if (out.length >= limit) fail(`${what}: sector chain loops`);
      out.push(s);
    }
    return out;
  };
  const extentsOf = (sectors: number[]): { at: number; len: number }[] => {
    const out: { at: number; len: number }[] = [];
    for (const s of sectors) {
      const last = out[out.length - 1];
      if (last && last.at + last.len === at(s)) last.len += ssz;
      else out.push({ at: at(s), len: ssz });
    }
    return out;
  };
  const regular = (start: number, size: number, what: string): ByteSource => {
    const sectors = start === ENDOFCHAIN && size === 0 ? [] : chainOf(start, fat, sectorCount, what);
    if (sectors.length * ssz < size) fail(`${what}: ${size} bytes declared but its chain holds ${sectors.length * ssz}`);
    return new ExtentByteSource(src, extentsOf(sectors), size);
  };

  // Directory: 128-byte entries in the chain from the header.
  const dirSectors = chainOf(firstDir, fat, sectorCount, 'directory');
  budget.checkMetadata(dirSectors.length * ssz, 'compound file directory', chain);
  const dirSrc = new ExtentByteSource(src, extentsOf(dirSectors), dirSectors.length * ssz);
  const dir = await readExactly(dirSrc, 0, dirSrc.size, 'directory');
  const ddv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
  const nEntries = Math.floor(dir.length / ENTRY);
  if (nEntries === 0 || dir[0x42] !== TYPE_ROOT) fail('first directory entry is not the root storage');
  const entry = (i: number) => {
    const o = i * ENTRY;
    const nameLen = Math.min(64, ddv.getUint16(o + 0x40, true));
    const units: number[] = [];
    for (let k = 0; k + 2 <= nameLen - 2; k += 2) units.push(ddv.getUint16(o + k, true));
    const lo = ddv.getUint32(o + 0x78, true);
    const hi = ddv.getUint32(o + 0x7c, true);
    // Version 3 files may leave garbage in the high half of the size ([MS-CFB] 2.6.3).
    const size = major === 3 ? lo : hi * 2 ** 32 + lo;
    return {
      name: String.fromCharCode(...units),
      nameLen,
      type: dir[o + 0x42]!,
      left: ddv.getUint32(o + 0x44, true),
      right: ddv.getUint32(o + 0x48, true),
      child: ddv.getUint32(o + 0x4c, true),
      start: ddv.getUint32(o + 0x74, true),
      size,
    };
  };
  const root0 = entry(0);
  const rootClsid = Buffer.from(dir.subarray(0x50, 0x60)).toString('hex');

  // Mini stream (the root entry's chain) and mini FAT: every stream under the cutoff lives there.
  let mini: Uint8Array = new Uint8Array(0);
  let miniFat = new Uint32Array(0);
  if (root0.size > 0) {
    budget.checkMetadata(root0.size, 'compound file mini stream', chain);
    mini = await readExactly(regular(root0.start, root0.size, 'mini stream'), 0, root0.size, 'mini stream');
    const mfSectors = nMiniFat === 0 ? [] : chainOf(firstMiniFat, fat, sectorCount, 'mini FAT');
    budget.checkMetadata(mfSectors.length * ssz, 'compound file mini FAT', chain);
    const mf = await readExactly(new ExtentByteSource(src, extentsOf(mfSectors), mfSectors.length * ssz), 0, mfSectors.length * ssz, 'mini FAT');
    const mv = new DataView(mf.buffer, mf.byteOffset, mf.byteLength);
    miniFat = new Uint32Array(mf.length / 4);
    for (let k = 0; k < miniFat.length; k++) miniFat[k] = mv.getUint32(4 * k, true);
  }
  const miniSectors = Math.floor(mini.length / miniSize);

  const streamSource = (e: ReturnType<typeof entry>, what: string): ByteSource => {
    if (e.size >= cutoff) return regular(e.start, e.size, what);
    const ms = e.size === 0 ? [] : chainOf(e.start, miniFat, miniSectors, `${what} (mini)`);
    if (ms.length * miniSize < e.size) fail(`${what}: ${e.size} bytes declared but its mini chain holds ${ms.length * miniSize}`);
    const bytes = new Uint8Array(e.size);
    ms.forEach((s, k) => bytes.set(mini.subarray(s * miniSize, Math.min((s + 1) * miniSize, s * miniSize + e.size - k * miniSize)), k * miniSize));
    return new BufferByteSource(bytes);
  };

  // A storage's children form a red-black tree through left/right links; each entry belongs to
  // one storage, so an entry seen twice is a loop.
  const seen = new Set<number>([0]);
  const childrenOf = (first: number, depth: number): CompoundEntry[] => {
    const out: CompoundEntry[] = [];
    const stack = first === NOSTREAM ? [] : [first];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (i >= nEntries) fail(`directory link to entry ${i} of ${nEntries}`);
      if (seen.has(i)) fail(`directory tree visits entry ${i} twice`);
      seen.add(i);
      const e = entry(i);
      if (e.left !== NOSTREAM) stack.push(e.left);
      if (e.right !== NOSTREAM) stack.push(e.right);
      const o = i * ENTRY;
      const rawName = dir.slice(o, o + e.nameLen);
      if (e.type === TYPE_STREAM) {
        const name = decodeStreamName(e.name);
        out.push({ kind: 'stream', rawName, entry: dir.slice(o, o + ENTRY), name, size: e.size, source: streamSource(e, `stream ${JSON.stringify(name)}`) });
      } else if (e.type === TYPE_STORAGE) {
        if (depth >= MAX_STORAGE_DEPTH) fail(`storages nested deeper than ${MAX_STORAGE_DEPTH}`);
        out.push({ kind: 'storage', rawName, entry: dir.slice(o, o + ENTRY), children: childrenOf(e.child, depth + 1) });
      }
    }
    return out;
  };
  const root: CompoundStorage = { kind: 'storage', rawName: dir.slice(0, root0.nameLen), entry: dir.slice(0, ENTRY), children: childrenOf(root0.child, 0) };
  // Storages (sub-databases, transforms) and their streams are not this database's.
  const streams = new Map<string, CompoundStream>();
  for (const c of root.children) if (c.kind === 'stream') streams.set(c.name, c);
  return { streams, rootClsid, root };
}
