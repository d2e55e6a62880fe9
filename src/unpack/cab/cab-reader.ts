import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { BufferByteSource, FileByteSource, writeSourceTo, type ByteSource } from '../../io/byte-source.js';
import { SpillFile } from '../../io/spill-file.js';
import { InputError, asInputError } from '../../errors.js';
import { IN_MEMORY_MAX } from '../materialize.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext, UnpackUnknown } from '../types.js';
import { extractWith7z } from '../sevenzip/seven-zip.js';
import {
  CAB_VERSION,
  COMPRESS_MSZIP,
  COMPRESS_NONE,
  IFOLD_CONTINUED_FROM_PREV,
  IFOLD_CONTINUED_PREV_AND_NEXT,
  IFOLD_CONTINUED_TO_NEXT,
  compressionName,
  isCabHead,
  readCabDirectory,
  type CabDirectory,
  type CabFile,
} from './cab-directory.js';
import { FolderCursor, folderBlocks } from './folder-stream.js';
import { openCabSet, type CabSet } from './cab-set.js';


/**
 * Microsoft cabinets ([MS-CAB]). Stored and MSZIP folders are decoded here, streaming through
 * each solid folder once when files are read in order; LZX and Quantum folders are extracted by
 * 7-Zip (7z-wasm) into a private directory.
 */
export const CabReader: ContainerReader = {
  format: 'cab',
  canRead(head: Uint8Array): boolean {
    return isCabHead(head);
  },
  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    let dir: CabDirectory;
    try {
      dir = await readCabDirectory(source, ctx.chain, ctx.budget);
    } catch (err) {
      throw asInputError(err, ctx.chain, 'unreadable cabinet');
    }
    const missing: UnpackUnknown[] = [];
    const set = await openCabSet(source, dir, ctx, (u) => missing.push(u)).catch((err: unknown) => {
      throw asInputError(err, ctx.chain, 'unreadable cabinet set');
    });
    return new OpenedCab(source, ctx, dir, set, missing);
  },
};

/** What a member is, once its folder and position have been checked. */
interface Member {
  file: CabFile;
  path: string;
  absent: boolean;
}

class OpenedCab implements OpenedContainer {
  readonly info: ContainerInfo;
  private readonly warnings: string[] = [];
  private readonly unknowns: UnpackUnknown[] = [];
  private readonly cursors = new Map<number, FolderCursor>();
  private extracted: Promise<string> | undefined;
  private spillDir: Promise<string> | undefined;
  private spillCount = 0;
  private readonly members: Member[];

  constructor(
    private readonly source: ByteSource,
    private readonly ctx: UnpackContext,
    private readonly dir: CabDirectory,
    private readonly set: CabSet | undefined,
    missing: UnpackUnknown[],
  ) {
    this.unknowns.push(...missing);
    const { header, folders } = dir;
    const properties: Record<string, string> = {
      setId: String(header.setId),
      cabinetIndex: String(header.iCabinet),
      compression: [...new Set(folders.map((f) => compressionName(f.typeCompress)))].join(',') || 'none',
    };
    if (header.prevCabinet !== undefined) properties.previousCabinet = header.prevCabinet;
    if (header.nextCabinet !== undefined) properties.nextCabinet = header.nextCabinet;
    if (header.versionMajor !== CAB_VERSION.major || header.versionMinor !== CAB_VERSION.minor) {
      properties.version = `${header.versionMajor}.${header.versionMinor}`;
      this.warnings.push(`cabinet format version ${header.versionMajor}.${header.versionMinor} is not 1.3; read as 1.3`);
    }
    if (set) properties.volumes = [ctx.chain[ctx.chain.length - 1] ?? '', ...set.volumes].join(',');
    this.members = set ? [] : this.planMembers();
    this.info = { format: 'cab', properties, warnings: this.warnings, unknowns: this.unknowns };
  }

  private planMembers(): Member[] {
    const { files, folders } = this.dir;
    const out: Member[] = [];
    for (const file of files) {
      const path = safeEntryPath(file.name, this.ctx.chain);
      if (path === '') throw new InputError(`a member has an empty name`, this.ctx.chain);
      const spansCabinets =
        file.iFolder === IFOLD_CONTINUED_FROM_PREV || file.iFolder === IFOLD_CONTINUED_TO_NEXT || file.iFolder === IFOLD_CONTINUED_PREV_AND_NEXT;
      if (spansCabinets) {
        // A file split across the cabinets of a set is not assembled from the other volumes: it
        // is listed, and what it lacks is a known unknown.
        const { prevCabinet, nextCabinet } = this.dir.header;
        const where =
          file.iFolder === IFOLD_CONTINUED_FROM_PREV
            ? `continued from the previous cabinet of its set (${prevCabinet ?? 'unnamed'})`
            : file.iFolder === IFOLD_CONTINUED_TO_NEXT
              ? `continued into the next cabinet of its set (${nextCabinet ?? 'unnamed'})`
              : `continued across the cabinets of its set (${prevCabinet ?? 'unnamed'}, ${nextCabinet ?? 'unnamed'})`;
        this.warnings.push(`${path}: ${where}; not contained here`);
        this.unknowns.push({ kind: 'absent', path, format: 'cab', reason: `${where}: a file split across the volumes of a set is read from the set's first cabinet, with the others beside it`, declared: { size: String(file.size) } });
        out.push({ file, path, absent: true });
        continue;
      }
      if (file.iFolder >= folders.length) {
        throw new InputError(`${path}: folder ${file.iFolder} does not exist (${folders.length} folders)`, this.ctx.chain);
      }
      out.push({ file, path, absent: false });
    }
    // Solid folders are cheapest to read front to back, so members come out in stream order.
    return out
      .map((m, i) => ({ m, i }))
      .sort((a, b) => a.m.file.iFolder - b.m.file.iFolder || a.m.file.offsetInFolder - b.m.file.offsetInFolder || a.i - b.i)
      .map(({ m }) => m);
  }

  async *entries(): AsyncIterable<Entry> {
    for (const m of this.set?.members ?? []) {
      this.ctx.budget.checkEntry(m.file.size, undefined, this.ctx.chain);
      const declared: Record<string, string> = { 'cab.volume': m.volume, 'cab.attributes': String(m.file.attribs) };
      yield { path: m.path, kind: 'file', size: m.file.size, declared, open: () => m.open() };
    }
    for (const m of this.members) {
      this.ctx.budget.countEntry(this.ctx.chain);
      this.ctx.budget.checkEntry(m.file.size, undefined, this.ctx.chain);
      const declared: Record<string, string> = { 'cab.folder': String(m.file.iFolder), 'cab.attributes': String(m.file.attribs) };
      const entry: Entry = {
        path: m.path,
        kind: 'file',
        size: m.file.size,
        declared,
        open: () => this.openMember(m),
      };
      if (m.absent) entry.absent = true;
      yield entry;
    }
  }

  private async openMember(m: Member): Promise<ByteSource> {
    if (m.absent) throw new InputError(`${m.path} is not contained in this cabinet`, this.ctx.chain);
    const folder = this.dir.folders[m.file.iFolder]!;
    const method = folder.typeCompress & 0x000f;
    if (method !== COMPRESS_NONE && method !== COMPRESS_MSZIP) {
      const root = await this.extractWith7z();
      return FileByteSource.open(join(root, m.path)).catch(() => {
        throw new InputError(`${m.path}: 7-Zip did not extract it`, this.ctx.chain);
      });
    }
    const chain = [...this.ctx.chain, m.path];
    const cursor = this.cursorFor(m.file.iFolder);
    // Files up to materialize's bound are handed out from memory; bigger ones go to a temp file.
    if (m.file.size <= IN_MEMORY_MAX) {
      const buf = new Uint8Array(m.file.size);
      let at = 0;
      await cursor.read(m.file.offsetInFolder, m.file.size, (chunk) => {
        buf.set(chunk, at);
        at += chunk.length;
      }, chain);
      return new BufferByteSource(buf);
    }
    const path = join(await this.spillRoot(), `member-${++this.spillCount}`);
    const out = new SpillFile(path);
    try {
      await cursor.read(m.file.offsetInFolder, m.file.size, (chunk) => out.write(chunk), chain);
    } finally {
      out.close();
    }
    return FileByteSource.open(path);
  }

  private cursorFor(iFolder: number): FolderCursor {
    let c = this.cursors.get(iFolder);
    if (!c) {
      const folder = this.dir.folders[iFolder]!;
      c = new FolderCursor(() =>
        folderBlocks(this.source, folder, this.dir.header.cbCFData, this.ctx.chain, this.ctx.budget, (msg) => {
          if (!this.warnings.includes(msg)) this.warnings.push(msg);
        }),
      );
      this.cursors.set(iFolder, c);
    }
    return c;
  }

  private spillRoot(): Promise<string> {
    this.spillDir ??= this.ctx.tempDir().then((d) => mkdtemp(join(d, 'cab-')));
    return this.spillDir;
  }

  /** LZX/Quantum: the whole cabinet goes through 7-Zip once, into a private directory. */
  private extractWith7z(): Promise<string> {
    this.extracted ??= (async () => {
      const root = await this.spillRoot();
      const archive = join(root, 'input.cab');
      await writeSourceTo(this.source, archive);
      const dest = await mkdtemp(join(root, 'x-'));
      await extractWith7z(archive, dest, { type: 'Cab', chain: this.ctx.chain });
      return dest;
    })();
    return this.extracted;
  }

  async close(): Promise<void> {
    await this.set?.close();
    for (const c of this.cursors.values()) await c.close();
    this.cursors.clear();
  }
}
