import { BufferByteSource, readAll, type ByteSource } from '../../io/byte-source.js';
import { InputError, asInputError } from '../../errors.js';
import { safeEntryPath } from '../paths.js';
import type { Budget } from '../limits.js';
import type { ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext, UnpackUnknown } from '../types.js';
import { CabReader } from '../cab/cab-reader.js';
import { openCompoundFile } from './compound-sectors.js';
import { readMsiSignatures } from './msi-signature.js';
import type { SignatureFacts } from '../../inspect/types.js';
import { readStringPool } from './string-pool.js';
import { MsiDatabase, type MsiValue } from './msi-database.js';
import { directoryRows, longName, resolveDirectories } from './install-paths.js';
import {
  PID_AUTHOR,
  PID_COMMENTS,
  PID_PAGECOUNT,
  PID_REVNUMBER,
  PID_SUBJECT,
  PID_TEMPLATE,
  PID_TITLE,
  PID_WORDCOUNT,
  readSummaryInformation,
} from './summary-information.js';

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** Root-storage CLSIDs {000C1084-…} (database), {000C1086-…} (patch), {000C1082-…} (transform), as stored. */
const MSI_CLSID_TAIL = '0000000000c000000000000046';
const MSI_CLSID_HEADS = ['84100c00', '86100c00', '82100c00'];
const TABLE_PREFIX_UNIT = 0x4840;
/** Streams up to this size are read into memory when the MSI is opened; bigger ones (cabinets) on demand. */
const EAGER_STREAM_MAX = 1 << 20;

/**
 * Windows Installer databases (.msi/.msm): a compound file ([MS-CFB], compound-sectors.ts) whose
 * table streams we decode. Files are named by their install path (Directory walk), their bytes come
 * from the cabinets the Media table names: streams of the MSI (`#name`) or files beside it
 * (`EmbedCab="no"`, one per disk of a multi-disk layout). Files of a cabinet that is missing are
 * listed as absent and the cabinet is a known unknown.
 */
export const MsiReader: ContainerReader = {
  format: 'msi',
  canRead(head: Uint8Array): boolean {
    return isCompoundFile(head);
  },
  async probe(source: ByteSource): Promise<boolean> {
    return isMsiDatabase(source, '');
  },
  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    const chain = ctx.chain;
    // Tables and summary information are read into memory (each held to the metadata limit);
    // embedded cabinets and other big streams stay in the file and are read through their
    // sector chains, so a CPython-sized MSI is never held whole.
    const streams = new Map<string, Uint8Array>();
    const large = new Map<string, ByteSource>();
    let signatures: SignatureFacts[];
    try {
      const cf = await openCompoundFile(source, chain, ctx.budget);
      signatures = await readMsiSignatures(cf.root, ctx.trustRoots ? { trustRoots: ctx.trustRoots } : {});
      for (const [name, s] of cf.streams) {
        if (s.size <= EAGER_STREAM_MAX || name.startsWith('!') || name.startsWith('\x05')) {
          ctx.budget.checkMetadata(s.size, `MSI stream ${JSON.stringify(name)}`, chain);
          streams.set(name, await readAll(s.source, `MSI stream ${JSON.stringify(name)}`));
        } else {
          large.set(name, s.source);
        }
      }
    } catch (e) {
      throw asInputError(e, chain, 'unreadable MSI');
    }
    const opened = OpenedMsi.create(streams, large, ctx);
    if (signatures.length > 0) opened.info.signatures = signatures;
    return opened;
  },
};

export function isCompoundFile(head: Uint8Array): boolean {
  return CFB_MAGIC.every((b, i) => head[i] === b);
}

/** Names Windows Installer gives its databases, patches, merge modules and transforms. */
const MSI_NAME = /\.(?:msi|msm|msp|mst)$/i;

/**
 * A .doc or .xls is also a compound file: the root CLSID and the first stream names tell an
 * MSI. When the header or directory cannot be read (a truncated download), the bytes cannot say
 * which kind of compound file it is; the name then decides, so that a cut-off `.msi` is reported
 * as a corrupt MSI instead of passing as a plain file.
 */
export async function isMsiDatabase(source: ByteSource, name: string): Promise<boolean> {
  const byName = MSI_NAME.test(name);
  if (source.size < 512) return byName;
  const hdr = await source.read(0, 512);
  const dv = new DataView(hdr.buffer, hdr.byteOffset, hdr.byteLength);
  const shift = dv.getUint16(0x1e, true);
  if (shift !== 9 && shift !== 12) return byName;
  const ssz = 1 << shift;
  const at = (dv.getUint32(0x30, true) + 1) * ssz;
  if (at + ssz > source.size) return byName;
  const sector = await source.read(at, ssz);
  const clsid = Buffer.from(sector.subarray(0x50, 0x60)).toString('hex');
  if (clsid.endsWith(MSI_CLSID_TAIL) && MSI_CLSID_HEADS.includes(clsid.slice(0, 8))) return true;
  for (let e = 0; e + 128 <= sector.length; e += 128) {
    if ((sector[e]! | (sector[e + 1]! << 8)) === TABLE_PREFIX_UNIT) return true;
  }
  return false;
}

/** The string pool and table catalogue of an MSI whose streams have been read. */
export function openMsiDatabase(streams: Map<string, Uint8Array>, chain: readonly string[], budget: Budget, warn: (m: string) => void): MsiDatabase {
  const poolBytes = streams.get('!_StringPool');
  const dataBytes = streams.get('!_StringData');
  if (!poolBytes || !dataBytes) throw new InputError('not an MSI database: no string pool', chain);
  budget.checkMetadata(poolBytes.length + dataBytes.length, 'MSI string pool', chain);
  const pool = readStringPool(poolBytes, dataBytes, chain, warn);
  return new MsiDatabase(streams, pool, chain, budget, warn);
}

interface FileRow {
  key: string;
  component: string;
  fileName: string;
  size: number;
  version: string | null;
  language: string | null;
  sequence: number;
  path: string;
  cabinet: string | null;
  md5?: string;
}

interface MediaRow {
  diskId: number;
  lastSequence: number;
  cabinet: string;
}

class OpenedMsi implements OpenedContainer {
  private constructor(
    readonly info: ContainerInfo,
    private readonly ctx: UnpackContext,
    private readonly streams: Map<string, Uint8Array>,
    private readonly large: Map<string, ByteSource>,
    private readonly files: FileRow[],
    private readonly media: MediaRow[],
    private readonly warnings: string[],
  ) {}

  static create(streams: Map<string, Uint8Array>, large: Map<string, ByteSource>, ctx: UnpackContext): OpenedMsi {
    const chain = ctx.chain;
    const warnings: string[] = [];
    const warn = (m: string): void => {
      if (!warnings.includes(m)) warnings.push(m);
    };
    try {
      const db = openMsiDatabase(streams, chain, ctx.budget, warn);
      const pool = db.pool;

      const props = new Map<string, string>();
      for (const r of db.records('Property')) {
        if (typeof r.Property === 'string' && r.Value !== null) props.set(r.Property, String(r.Value));
      }
      const properties: Record<string, string> = {};
      for (const k of ['ProductCode', 'UpgradeCode', 'ProductLanguage']) {
        const v = props.get(k);
        if (v !== undefined) properties[k] = v;
      }
      properties.stringPoolCodepage = String(pool.codepage);
      const si = streams.get('\x05SummaryInformation');
      if (si) {
        const sum = readSummaryInformation(si, chain, warn);
        const str = (pid: number): string | undefined => (sum.has(pid) ? String(sum.get(pid)) : undefined);
        const put = (k: string, v: string | undefined): void => {
          if (v !== undefined && v !== '') properties[k] = v;
        };
        put('PackageCode', str(PID_REVNUMBER));
        const template = str(PID_TEMPLATE);
        if (template !== undefined) {
          const [platform, languages] = template.split(';');
          put('Platform', platform);
          put('Languages', languages);
        }
        put('Title', str(PID_TITLE));
        put('Subject', str(PID_SUBJECT));
        put('Author', str(PID_AUTHOR));
        put('Comments', str(PID_COMMENTS));
        put('MinimumInstallerVersion', str(PID_PAGECOUNT));
        put('SourceFlags', str(PID_WORDCOUNT));
      }

      const dirs = resolveDirectories(directoryRows(db.records('Directory')), warn);
      const componentDir = new Map<string, string>();
      for (const r of db.records('Component')) {
        if (typeof r.Component !== 'string') continue;
        const dirKey = String(r.Directory_ ?? '');
        const path = dirs.get(dirKey);
        if (path === undefined) warn(`component ${JSON.stringify(r.Component)} names a missing directory ${JSON.stringify(dirKey)}`);
        componentDir.set(r.Component, path ?? '');
      }

      const media: MediaRow[] = db
        .records('Media')
        .map((r) => ({ diskId: num(r.DiskId), lastSequence: num(r.LastSequence), cabinet: typeof r.Cabinet === 'string' ? r.Cabinet : '' }))
        .sort((a, b) => a.diskId - b.diskId);
      for (let i = 1; i < media.length; i++) {
        if (media[i]!.lastSequence < media[i - 1]!.lastSequence) {
          warn(`Media rows ${media[i - 1]!.diskId} and ${media[i]!.diskId}: LastSequence goes down (overlapping sequence ranges)`);
        }
      }

      const md5 = new Map<string, string>();
      for (const r of db.records('MsiFileHash')) {
        if (typeof r.File_ !== 'string') continue;
        const parts = [r.HashPart1, r.HashPart2, r.HashPart3, r.HashPart4].map((v) => (typeof v === 'number' ? v >>> 0 : 0));
        const buf = Buffer.alloc(16);
        parts.forEach((p, i) => buf.writeUInt32LE(p, i * 4));
        md5.set(r.File_, buf.toString('hex'));
      }

      const files: FileRow[] = [];
      for (const r of db.records('File')) {
        if (typeof r.File !== 'string') continue;
        const component = String(r.Component_ ?? '');
        let dir = componentDir.get(component);
        if (dir === undefined) {
          warn(`file ${JSON.stringify(r.File)} belongs to a missing component ${JSON.stringify(component)}`);
          dir = '';
        }
        const name = longName(String(r.FileName ?? r.File));
        const path = safeEntryPath(dir === '' ? name : `${dir}/${name}`, chain);
        const sequence = num(r.Sequence);
        const m = media.find((x) => x.lastSequence >= sequence);
        if (!m) warn(`file ${JSON.stringify(r.File)} (sequence ${sequence}) is mapped to no cabinet by the Media table`);
        const row: FileRow = {
          key: r.File,
          component,
          fileName: name,
          size: num(r.FileSize),
          version: r.Version === null || r.Version === undefined ? null : String(r.Version),
          language: r.Language === null || r.Language === undefined ? null : String(r.Language),
          sequence,
          path,
          cabinet: m ? m.cabinet : null,
        };
        const h = md5.get(r.File);
        if (h !== undefined) row.md5 = h;
        files.push(row);
      }

      const info: ContainerInfo = { format: 'msi', properties, warnings };
      const name = props.get('ProductName');
      const version = props.get('ProductVersion');
      const manufacturer = props.get('Manufacturer');
      if (name !== undefined) info.name = name;
      if (version !== undefined) info.version = version;
      if (manufacturer !== undefined) info.manufacturer = manufacturer;
      return new OpenedMsi(info, ctx, streams, large, files, media, warnings);
    } catch (err) {
      throw asInputError(err, chain, 'corrupt MSI database');
    }
  }

  private declaredOf(f: FileRow): Record<string, string> {
    const d: Record<string, string> = { 'msi.fileKey': f.key, 'msi.component': f.component, 'msi.sequence': String(f.sequence) };
    if (f.version !== null) d['msi.version'] = f.version;
    if (f.language !== null) d['msi.language'] = f.language;
    if (f.md5 !== undefined) d['msi.md5'] = f.md5;
    if (f.cabinet !== null) d['msi.cabinet'] = f.cabinet;
    d['msi.fileSize'] = String(f.size);
    return d;
  }

  async *entries(): AsyncIterable<Entry> {
    const chain = this.ctx.chain;
    const warn = (m: string): void => {
      if (!this.warnings.includes(m)) this.warnings.push(m);
    };
    const byKey = new Map(this.files.map((f) => [f.key, f]));
    const delivered = new Set<string>();
    const paths = new Set<string>();
    const opened = new Set<string>();
    for (const m of this.media) {
      if (m.cabinet === '' || opened.has(m.cabinet)) continue;
      opened.add(m.cabinet);
      // `#name` is a stream inside the MSI; anything else is a cabinet file beside it.
      const embedded = m.cabinet.startsWith('#');
      const name = embedded ? m.cabinet.slice(1) : m.cabinet;
      const src = embedded ? this.streamSource(name) : await this.ctx.sibling?.(name);
      if (!src) {
        if (embedded) {
          warn(`Media ${m.diskId} names embedded cabinet ${JSON.stringify(name)}, which is not in the MSI`);
        } else {
          const count = this.files.filter((f) => f.cabinet === m.cabinet).length;
          this.unknowns.push({
            kind: 'absent',
            path: '',
            format: 'cab',
            reason: `external cabinet ${JSON.stringify(name)} (Media ${m.diskId}, ${count} files) is not beside the MSI`,
            declared: { cabinet: name, diskId: String(m.diskId), files: String(count) },
          });
        }
        continue;
      }
      try {
        yield* this.cabinetEntries(src, m, name, embedded, { byKey, delivered, paths });
      } finally {
        if (!embedded) await src.close();
      }
    }
    for (const f of this.files) {
      if (delivered.has(f.key)) continue;
      if (f.cabinet !== null && f.cabinet.startsWith('#')) {
        warn(`file ${JSON.stringify(f.key)} is not in its cabinet ${JSON.stringify(f.cabinet)}`);
      } else if (f.cabinet === null) {
        // already warned when the Media table was read
      }
      this.ctx.budget.countEntry(chain);
      yield {
        path: f.path,
        kind: 'file',
        size: f.size,
        absent: true,
        declared: this.declaredOf(f),
        open: async () => {
          throw new InputError(`${f.path} is declared by the MSI but not contained in it (cabinet ${f.cabinet ?? 'none'})`, chain);
        },
      };
    }
    yield* this.streamEntries(paths);
  }

  /**
   * The streams no table decodes and no Media row names as a cabinet: the rows of binary columns,
   * stored as `<Table>.<key>` streams (custom action DLLs and scripts in `Binary`, icons, often PE
   * files, in `Icon`). The installer runs or shows them without installing them, so they are
   * members too; msiextract skips them, 7-Zip lists them by these names.
   */
  private async *streamEntries(paths: Set<string>): AsyncIterable<Entry> {
    const chain = this.ctx.chain;
    const cabinets = new Set(this.media.filter((m) => m.cabinet.startsWith('#')).map((m) => m.cabinet.slice(1)));
    const names = [...this.streams.keys(), ...this.large.keys()].filter((n) => !n.startsWith('!') && !n.startsWith('\x05') && !cabinets.has(n)).sort();
    for (const name of names) {
      const path = safeEntryPath(name, chain);
      if (paths.has(path)) {
        this.warnings.push(`stream ${JSON.stringify(name)} has the path of an installed file; kept only as that file`);
        continue;
      }
      paths.add(path);
      const src = this.streamSource(name)!;
      this.ctx.budget.countEntry(chain);
      const dot = name.indexOf('.');
      yield {
        path,
        kind: 'file',
        size: src.size,
        declared: dot > 0 ? { 'msi.stream': name, 'msi.table': name.slice(0, dot) } : { 'msi.stream': name },
        open: async () => src,
      };
    }
  }

  private get unknowns(): UnpackUnknown[] {
    return (this.info.unknowns ??= []);
  }

  private streamSource(streamName: string): ByteSource | undefined {
    const small = this.streams.get(streamName);
    return small ? new BufferByteSource(small) : this.large.get(streamName);
  }

  /** The members of one cabinet (a stream of the MSI or a file beside it), named by the File table. */
  private async *cabinetEntries(
    src: ByteSource,
    m: MediaRow,
    name: string,
    embedded: boolean,
    seen: { byKey: Map<string, FileRow>; delivered: Set<string>; paths: Set<string> },
  ): AsyncIterable<Entry> {
    const chain = this.ctx.chain;
    const warn = (w: string): void => {
      if (!this.warnings.includes(w)) this.warnings.push(w);
    };
    const cabChain = embedded ? [...chain, name] : [...chain.slice(0, -1), name];
    if (!CabReader.canRead(await src.read(0, 64), name)) {
      throw new InputError(`${embedded ? 'embedded' : 'external'} cabinet ${JSON.stringify(name)} is not a cabinet`, chain);
    }
    const cab = await CabReader.open(src, { ...this.ctx, chain: cabChain });
    try {
      for (const w of cab.info.warnings ?? []) warn(`${name}: ${w}`);
      for await (const member of cab.entries()) {
        // Cabinet members are named by File key; msiextract falls back to the member's own
        // name when no File row matches, and so do we.
        const f = seen.byKey.get(member.path);
        if (!f) warn(`${name}: member ${JSON.stringify(member.path)} has no File row; kept under its cabinet name`);
        if (f && seen.delivered.has(f.key)) {
          warn(`${name}: file key ${JSON.stringify(f.key)} appears more than once; later copies are ignored`);
          continue;
        }
        if (f) {
          seen.delivered.add(f.key);
          if (f.cabinet !== m.cabinet) {
            warn(`file ${JSON.stringify(f.key)} was found in ${name} but the Media table maps it to ${f.cabinet === null ? 'no cabinet' : JSON.stringify(f.cabinet)}`);
          }
          if (member.size !== f.size) warn(`file ${JSON.stringify(f.key)}: File table says ${f.size} bytes, cabinet holds ${member.size}`);
        }
        const path = f ? f.path : member.path;
        if (seen.paths.has(path)) warn(`two files install to ${JSON.stringify(path)}`);
        seen.paths.add(path);
        const entry: Entry = {
          path,
          kind: 'file',
          size: member.size,
          open: () => member.open(),
          declared: f ? { ...this.declaredOf(f), 'msi.cabinet': m.cabinet } : { 'msi.cabinet': m.cabinet },
        };
        if (member.absent) entry.absent = true;
        yield entry;
      }
      // The cabinet is read here, not walked as a container: what it could not show is the MSI's.
      for (const u of cab.info.unknowns ?? []) this.unknowns.push({ ...u, path: seen.byKey.get(u.path)?.path ?? u.path });
    } finally {
      await cab.close();
    }
  }

  async close(): Promise<void> {
    this.streams.clear();
    this.large.clear();
  }
}

function num(v: MsiValue | undefined): number {
  return typeof v === 'number' ? v : 0;
}
