import { createHash } from 'node:crypto';
import { constants, inflateRawSync } from 'node:zlib';
import { asInputError, InputError, LimitError } from '../../errors.js';
import { LIMIT_FLAGS } from '../limits.js';
import { readAll, readExactly, type ByteSource } from '../../io/byte-source.js';
import { u32 } from '../../io/little-endian.js';
import { materialize } from '../materialize.js';
import { pathInArtifact, safeEntryPath } from '../paths.js';
import type { ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext, UnpackUnknown } from '../types.js';
import {
  COMMON_HEADER_SIZE,
  FILE_COMPRESSED,
  FILE_INVALID,
  FILE_OBFUSCATED,
  FILE_SPLIT,
  LINK_PREV,
  majorVersionOf,
  parseIscHeader,
  readCommonHeader,
  type IscFile,
  type IscHeader,
} from './cabinet-header.js';

/**
 * The volumes of a cabinet set, as the container holding the header provides them (the launcher
 * records of a Setup.exe). A header read on its own has only itself.
 */
export interface CabinetVolumes {
  /** Volume `n` (1-based) by its file name, or undefined when it is not at hand. */
  volume(n: number): Promise<ByteSource | undefined>;
  /** The file name volume `n` has (`data2.cab`). */
  volumeName(n: number): string;
}

/** A header source that also knows its sibling volumes. */
export interface CabinetHeaderSource extends ByteSource {
  readonly cabinetVolumes: CabinetVolumes;
}

function hasVolumes(src: ByteSource): src is CabinetHeaderSource {
  return typeof (src as Partial<CabinetHeaderSource>).cabinetVolumes === 'object';
}

/** unshield's volume naming: the header's name up to its first digit or dot, then `<n>.cab`. */
export function volumeNameFor(headerName: string, n: number): string {
  const m = /^[^.\d]*/.exec(headerName)!;
  return `${m[0]}${n}.cab`;
}

const VOLUME_HEADER_V5 = 40;
const VOLUME_HEADER_V6 = 64;
const CHUNK_OUT_MAX = 64 * 1024;

export const InstallShieldCabinetReader: ContainerReader = {
  format: 'installshield-cab',
  canRead(head: Uint8Array): boolean {
    const common = readCommonHeader(head);
    // Volumes whose descriptor size is 0 only carry data; the header names their files.
    return common !== undefined && common.descriptorSize !== 0;
  },
  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    try {
      ctx.budget.checkMetadata(source.size, 'InstallShield cabinet header', ctx.chain);
      const header = parseIscHeader(await readAll(source, 'InstallShield cabinet header'));
      const own = ctx.chain[ctx.chain.length - 1] ?? '';
      const volumes: CabinetVolumes = hasVolumes(source)
        ? source.cabinetVolumes
        : {
            // Without its siblings a header that is itself volume 1 (no .hdr) still has its own data.
            volume: async (n) => (n === 1 && !/\.hdr$/i.test(own) ? source : undefined),
            volumeName: (n) => volumeNameFor(own.split('/').pop() ?? own, n),
          };
      return new OpenedCabinet(header, volumes, ctx);
    } catch (err) {
      throw asInputError(err, ctx.chain, 'unreadable InstallShield cabinet');
    }
  },
};

interface Planned {
  file: IscFile;
  path: string;
}

class OpenedCabinet implements OpenedContainer {
  readonly info: ContainerInfo;
  private readonly volumeHeaders = new Map<number, Promise<VolumeHeader | undefined>>();

  constructor(
    private readonly header: IscHeader,
    private readonly volumes: CabinetVolumes,
    private readonly ctx: UnpackContext,
  ) {
    const c = header.common;
    // The version word names the cabinet format's generation (0x01009500 is generation 9 in an
    // InstallShield 11 setup), not a release: it is kept as a property, and InstallShield is
    // named by the launcher that carries the cabinet.
    this.info = {
      format: 'installshield-cab',
      properties: {
        versionWord: `0x${c.version.toString(16).padStart(8, '0')}`,
        formatGeneration: String(header.majorVersion),
        files: String(header.files.length),
        fileGroups: header.groups.map((g) => g.name).join(', '),
      },
      warnings: [],
      unknowns: [],
    };
  }

  /** Paths as unshield lists them: `<file group>\<directory>\<name>`, files in no group by directory alone. */
  private plan(): Planned[] {
    const { files, groups, directories } = this.header;
    const out: Planned[] = [];
    const pathOf = (f: IscFile, group: string | undefined): string => {
      const dir = directories[f.directory] ?? '';
      return safeEntryPath([group ?? '', dir, f.name].filter((s) => s !== '').join('\\'), this.ctx.chain);
    };
    const valid = (f: IscFile | undefined): f is IscFile => f !== undefined && !(f.flags & FILE_INVALID) && f.dataOffset !== 0 && f.name !== '';
    const grouped = new Set<number>();
    const max = this.ctx.budget.limits.maxEntries;
    // Hostile headers can name the same files in thousands of groups: the plan itself is bounded.
    const add = (p: Planned): void => {
      out.push(p);
      if (out.length > max) throw new LimitError('maxEntries', LIMIT_FLAGS.maxEntries, `more than ${max} files in the cabinet's file groups`, this.ctx.chain);
    };
    for (const g of groups) {
      if (g.lastFile >= files.length && g.firstFile <= g.lastFile) {
        throw new InputError(`file group ${JSON.stringify(g.name)} ends at file ${g.lastFile} of ${files.length}`, this.ctx.chain);
      }
      for (let i = g.firstFile; i <= g.lastFile; i++) {
        grouped.add(i);
        if (valid(files[i])) add({ file: files[i]!, path: pathOf(files[i]!, g.name) });
      }
    }
    for (const f of files) if (!grouped.has(f.index) && valid(f)) add({ file: f, path: pathOf(f, undefined) });
    return out;
  }

  async *entries(): AsyncIterable<Entry> {
    const seen = new Set<string>();
    for (const { file, path } of this.plan()) {
      if (path === '') continue;
      if (seen.has(path)) {
        this.info.warnings!.push(`${path} is listed twice; the first is kept`);
        continue;
      }
      seen.add(path);
      const data = file.linkFlags & LINK_PREV ? this.header.files[file.linkPrevious] : file;
      if (!data) throw new InputError(`${path} links to file ${file.linkPrevious}, which does not exist`, this.ctx.chain);
      this.ctx.budget.checkEntry(data.expandedSize, data.flags & FILE_COMPRESSED ? data.compressedSize : undefined, [...this.ctx.chain, path]);
      const declared: Record<string, string> = { 'installshield.volume': String(data.volume), 'installshield.flags': `0x${data.flags.toString(16)}` };
      if (data.md5) declared['installshield.md5'] = data.md5;
      const entry: Entry = { path, kind: 'file', size: data.expandedSize, declared, open: () => this.openFile(data, path) };
      if (data.flags & FILE_COMPRESSED) entry.storedSize = data.compressedSize;
      const missing = await this.missingVolume(data);
      if (missing !== undefined) {
        entry.absent = true;
        const unknown: UnpackUnknown = {
          kind: 'absent',
          path: pathInArtifact(this.ctx.chain, path),
          format: 'installshield-cab',
          reason: `its data cabinet ${this.volumes.volumeName(missing)} is not beside the header`,
          declared: { size: String(data.expandedSize), volume: String(missing) },
        };
        this.info.unknowns!.push(unknown);
      }
      yield entry;
    }
  }

  /** The first volume the file's bytes need that is not at hand. */
  private async missingVolume(f: IscFile): Promise<number | undefined> {
    for (const v of await this.volumesOf(f)) if (!(await this.volumeHeader(v))) return v;
    return undefined;
  }

  private async volumesOf(f: IscFile): Promise<number[]> {
    let v = Math.max(1, f.volume);
    if (this.header.majorVersion <= 5) {
      // Version 5 records no volume: the file lives in the first volume whose range reaches it.
      for (;;) {
        const h = await this.volumeHeader(v);
        if (!h || f.index <= h.lastFileIndex || v > 64) break;
        v += 1;
      }
    }
    if (!(f.flags & FILE_SPLIT)) return [v];
    const out = [v];
    for (;;) {
      const h = await this.volumeHeader(v);
      if (!h || h.lastFileIndex !== f.index || out.length > 64) return out;
      v += 1;
      out.push(v);
      const next = await this.volumeHeader(v);
      if (!next || next.firstFileIndex !== f.index) return out;
    }
  }

  private volumeHeader(n: number): Promise<VolumeHeader | undefined> {
    let p = this.volumeHeaders.get(n);
    if (!p) {
      p = (async () => {
        const src = await this.volumes.volume(n);
        if (!src) return undefined;
        return readVolumeHeader(src, this.header.majorVersion, [...this.ctx.chain.slice(0, -1), this.volumes.volumeName(n)]);
      })();
      this.volumeHeaders.set(n, p);
    }
    return p;
  }

  private async openFile(f: IscFile, path: string): Promise<ByteSource> {
    const chain = [...this.ctx.chain, path];
    const stored = this.storedBytes(f, chain);
    const expanded = f.flags & FILE_COMPRESSED ? inflateChunks(stored, chain) : stored;
    return materialize(checked(expanded, f, this.header.majorVersion >= 6, chain), f.expandedSize, this.ctx, chain);
  }

  /** The file's stored bytes across its volumes, de-obfuscated. */
  private async *storedBytes(f: IscFile, chain: readonly string[]): AsyncIterable<Uint8Array> {
    let total = f.flags & FILE_COMPRESSED ? f.compressedSize : f.expandedSize;
    let seed = 0;
    const vols = await this.volumesOf(f);
    for (const v of vols) {
      const src = await this.volumes.volume(v);
      const h = await this.volumeHeader(v);
      if (!src || !h) throw new InputError(`data cabinet ${this.volumes.volumeName(v)} is missing`, chain);
      let offset = f.dataOffset;
      let here = total;
      if (f.flags & FILE_SPLIT && vols.length > 1) {
        const compressed = (f.flags & FILE_COMPRESSED) !== 0;
        if (h.lastFileIndex === f.index && v !== vols[vols.length - 1]) {
          offset = h.lastFileOffset;
          here = compressed ? h.lastFileSizeCompressed : h.lastFileSizeExpanded;
        } else if (h.firstFileIndex === f.index) {
          offset = h.firstFileOffset;
          here = compressed ? h.firstFileSizeCompressed : h.firstFileSizeExpanded;
        }
      }
      here = Math.min(here, total);
      if (offset + here > src.size) throw new InputError(`truncated: ${this.volumes.volumeName(v)} holds ${src.size} bytes, the file needs ${offset + here}`, chain, offset);
      for (let done = 0; done < here; ) {
        const n = Math.min(1 << 20, here - done);
        let bytes = await readExactly(src, offset + done, n, 'InstallShield file data');
        if (f.flags & FILE_OBFUSCATED) {
          bytes = deobfuscate(bytes, seed);
          seed += n;
        }
        done += n;
        yield bytes;
      }
      total -= here;
      if (total === 0) return;
    }
    if (total > 0) throw new InputError(`the file's data ends ${total} bytes early`, chain);
  }

  async close(): Promise<void> {}
}

interface VolumeHeader {
  firstFileIndex: number;
  lastFileIndex: number;
  firstFileOffset: number;
  firstFileSizeExpanded: number;
  firstFileSizeCompressed: number;
  lastFileOffset: number;
  lastFileSizeExpanded: number;
  lastFileSizeCompressed: number;
}

async function readVolumeHeader(src: ByteSource, major: number, chain: readonly string[]): Promise<VolumeHeader> {
  const v5 = major <= 5;
  const b = await readExactly(src, 0, COMMON_HEADER_SIZE + (v5 ? VOLUME_HEADER_V5 : VOLUME_HEADER_V6), 'InstallShield volume header').catch((err: unknown) => {
    throw asInputError(err, chain, 'unreadable InstallShield volume');
  });
  const common = readCommonHeader(b);
  if (!common) throw new InputError('not an InstallShield cabinet volume (no ISc( signature)', chain);
  if (majorVersionOf(common.version) !== major && majorVersionOf(common.version) !== 0) {
    throw new InputError(`volume format ${majorVersionOf(common.version)} differs from the header's ${major}`, chain);
  }
  const p = COMMON_HEADER_SIZE;
  if (v5) {
    return {
      firstFileIndex: u32(b, p + 8),
      lastFileIndex: u32(b, p + 12),
      firstFileOffset: u32(b, p + 16),
      firstFileSizeExpanded: u32(b, p + 20),
      firstFileSizeCompressed: u32(b, p + 24),
      lastFileOffset: u32(b, p + 28),
      lastFileSizeExpanded: u32(b, p + 32),
      lastFileSizeCompressed: u32(b, p + 36),
    };
  }
  return {
    firstFileIndex: u32(b, p + 8),
    lastFileIndex: u32(b, p + 12),
    firstFileOffset: u32(b, p + 16),
    firstFileSizeExpanded: u32(b, p + 24),
    firstFileSizeCompressed: u32(b, p + 32),
    lastFileOffset: u32(b, p + 40),
    lastFileSizeExpanded: u32(b, p + 48),
    lastFileSizeCompressed: u32(b, p + 56),
  };
}

/** The cabinet's byte obfuscation: rotate right by 2 after XOR 0xd5, minus a running seed mod 0x47. */
function deobfuscate(b: Uint8Array, seed: number): Uint8Array {
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const x = b[i]! ^ 0xd5;
    out[i] = ((((x >> 2) | (x << 6)) & 0xff) - ((seed + i) % 0x47)) & 0xff;
  }
  return out;
}

/** Compressed files are a run of chunks, each a 16-bit length and an independent raw-deflate stream. */
async function* inflateChunks(stored: AsyncIterable<Uint8Array>, chain: readonly string[]): AsyncIterable<Uint8Array> {
  let pending: Uint8Array = new Uint8Array(0);
  let at = 0;
  const it = stored[Symbol.asyncIterator]();
  const need = async (n: number): Promise<boolean> => {
    while (pending.length - at < n) {
      const next = await it.next();
      if (next.done) return false;
      pending = Buffer.concat([pending.subarray(at), next.value]);
      at = 0;
    }
    return true;
  };
  let chunks = 0;
  while (await need(1)) {
    if (!(await need(2))) throw new InputError('a compressed chunk header is cut short', chain);
    const len = pending[at]! | (pending[at + 1]! << 8);
    at += 2;
    if (len === 0) throw new InputError(`compressed chunk ${chunks} has length 0`, chain);
    if (!(await need(len))) throw new InputError(`compressed chunk ${chunks} needs ${len} bytes past the file's data`, chain);
    const input = pending.subarray(at, at + len);
    at += len;
    let out: Buffer;
    try {
      out = inflateRawSync(input, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: CHUNK_OUT_MAX });
    } catch (err) {
      throw new InputError(`compressed chunk ${chunks} is corrupt: ${(err as Error).message}`, chain);
    }
    chunks += 1;
    yield out;
  }
}

/** The expanded bytes must add up to the declared size, and (version 6+) to the declared MD5. */
async function* checked(chunks: AsyncIterable<Uint8Array>, f: IscFile, md5: boolean, chain: readonly string[]): AsyncIterable<Uint8Array> {
  const hash = createHash('md5');
  let total = 0;
  for await (const c of chunks) {
    total += c.length;
    if (total > f.expandedSize) throw new InputError(`expands past its declared size ${f.expandedSize}`, chain);
    hash.update(c);
    yield c;
  }
  if (total !== f.expandedSize) throw new InputError(`expands to ${total} bytes, ${f.expandedSize} declared`, chain);
  if (md5 && f.md5 && hash.digest('hex') !== f.md5) throw new InputError('MD5 mismatch against the cabinet header', chain);
}
