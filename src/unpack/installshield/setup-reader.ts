import { createInflate } from 'node:zlib';
import { Readable } from 'node:stream';
import { asInputError, InputError } from '../../errors.js';
import { SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import type { Evidence } from '../../detect/types.js';
import { isPe, readPeFacts, readPeLayout } from '../../inspect/pe/index.js';
import type { PeFacts } from '../../inspect/types.js';
import { materialize } from '../materialize.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerFinding, ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext } from '../types.js';
import { readCommonHeader } from './cabinet-header.js';
import { volumeNameFor, type CabinetHeaderSource, type CabinetVolumes } from './cabinet-reader.js';
import { decodeLauncherBytes, findLauncherPayload, readLauncherFiles, type LauncherFile, type LauncherPayload } from './launcher.js';

/**
 * InstallShield `Setup.exe` launchers: the files appended to the PE (see launcher.ts) are the
 * entries, under the paths the launcher records. Cabinets among them are opened in turn: a
 * Microsoft cabinet (engine32.cab) by the cab reader, and an InstallShield cabinet set by its
 * header (data1.hdr), which is handed its sibling volumes (data1.cab, data2.cab …) from here.
 */
export const InstallShieldSetupReader: ContainerReader = {
  format: 'installshield',
  canRead(head: Uint8Array): boolean {
    return isPe(head);
  },
  async probe(source: ByteSource): Promise<boolean> {
    try {
      const { headers, imageEnd } = await readPeLayout(source);
      const end = payloadEnd(source, headers.dataDirectories[4]);
      return (await findLauncherPayload(source, imageEnd, end)) !== undefined;
    } catch {
      // A PE too broken to find its image end is left to the inspect stage.
      return false;
    }
  },
  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    try {
      const facts = await readPeFacts(source);
      const end = facts.certificate && facts.certificate.offset > 0 ? Math.min(source.size, facts.certificate.offset) : source.size;
      const payload = await findLauncherPayload(source, (await readPeLayout(source)).imageEnd, end);
      if (!payload) throw new InputError('no InstallShield launcher data after the PE image', ctx.chain);
      const files = await readLauncherFiles(source, payload);
      return new OpenedSetup(source, files, describe(facts, payload, files, ctx), ctx);
    } catch (err) {
      throw asInputError(err, ctx.chain, 'unreadable InstallShield setup');
    }
  },
};

/** The launcher's data stop at the Authenticode table when the setup is signed. */
function payloadEnd(source: ByteSource, security: { virtualAddress: number; size: number } | undefined): number {
  return security && security.virtualAddress > 0 && security.virtualAddress < source.size ? security.virtualAddress : source.size;
}

function describe(facts: PeFacts, payload: LauncherPayload, files: LauncherFile[], ctx: UnpackContext): ContainerInfo {
  const file = ctx.chain[ctx.chain.length - 1] ?? '';
  const evidence: Evidence[] = [
    {
      file,
      kind: 'container',
      text: payload.layout === 'plain' ? `launcher file record "${files[0]?.name ?? ''}"` : `"${payload.layout}" launcher header, ${files.length} files`,
      location: `0x${payload.offset.toString(16)} (after the PE image)`,
    },
  ];
  const finding: ContainerFinding = { componentId: 'installshield', evidence };
  const [lang, strings] = Object.entries(facts.versionInfo?.strings ?? {})[0] ?? [];
  const trim = (s: string | undefined): string | undefined => s?.trim() || undefined;
  const productName = trim(strings?.ProductName);
  // The stub states its own version only where it is InstallShield's product (InstallShield 11
  // and earlier); MSI-based launchers carry the packaged product's VERSIONINFO instead.
  if (productName && /^InstallShield\b/i.test(productName)) {
    const version = trim(strings?.FileVersion) ?? facts.versionInfo?.fixed?.fileVersion;
    if (version) {
      finding.version = version;
      evidence.push({ file, kind: 'versioninfo', text: `${productName} ${version}`, location: `StringFileInfo/${lang}/FileVersion`, version });
    }
  }
  const properties: Record<string, string> = { layout: payload.layout, payloadOffset: String(payload.offset), files: String(files.length) };
  const build = trim(strings?.['Internal Build Number']);
  if (build) properties.launcherBuild = build;
  const info: ContainerInfo = { format: 'installshield', properties, findings: [finding], warnings: [] };
  if (productName && !/^InstallShield\b/i.test(productName)) info.name = productName;
  const version = trim(strings?.ProductVersion);
  if (version && info.name) info.version = version;
  const company = trim(strings?.CompanyName);
  if (company && info.name) info.manufacturer = company;
  return info;
}

class OpenedSetup implements OpenedContainer {
  private readonly byName = new Map<string, LauncherFile>();

  constructor(
    private readonly source: ByteSource,
    private readonly files: LauncherFile[],
    readonly info: ContainerInfo,
    private readonly ctx: UnpackContext,
  ) {
    for (const f of files) this.byName.set(pathOf(f, ctx.chain).toLowerCase(), f);
  }

  async *entries(): AsyncIterable<Entry> {
    const seen = new Set<string>();
    for (const f of this.files) {
      const path = pathOf(f, this.ctx.chain);
      if (path === '') throw new InputError('an InstallShield launcher file has an empty name', this.ctx.chain);
      if (seen.has(path.toLowerCase())) {
        this.info.warnings!.push(`${path} is carried twice; the first is kept`);
        continue;
      }
      seen.add(path.toLowerCase());
      const declared: Record<string, string> = {};
      if (f.version) declared['installshield.version'] = f.version;
      if (f.encoding) declared['installshield.encoding'] = `0x${f.encoding.flags.toString(16)}${f.encoding.deflated ? ' deflated' : ''}`;
      // A deflated file's expanded size is not recorded; the walker takes it from the opened bytes.
      yield { path, kind: 'file', size: f.size, storedSize: f.size, declared, open: () => this.openFile(f, path) };
    }
  }

  private async openFile(f: LauncherFile, path: string): Promise<ByteSource> {
    const slice = new SliceByteSource(this.source, f.offset, f.size);
    let src: ByteSource;
    if (!f.encoding) {
      src = slice;
    } else {
      const chain = [...this.ctx.chain, path];
      const decoded = decodedChunks(slice, f.encoding);
      src = await materialize(f.encoding.deflated ? inflated(decoded, chain) : decoded, f.encoding.deflated ? undefined : f.size, this.ctx, chain);
    }
    return this.withVolumes(src, path);
  }

  /** An InstallShield cabinet header gets its sibling volumes, named as unshield names them. */
  private async withVolumes(src: ByteSource, path: string): Promise<ByteSource> {
    const common = readCommonHeader(await src.read(0, 20));
    if (!common || common.descriptorSize === 0) return src;
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    const base = path.slice(dir.length);
    const volumes: CabinetVolumes = {
      volumeName: (n) => volumeNameFor(base, n),
      volume: async (n) => {
        const name = `${dir}${volumeNameFor(base, n)}`;
        if (name.toLowerCase() === path.toLowerCase()) return src;
        const f = this.byName.get(name.toLowerCase());
        return f ? this.openFile(f, name) : undefined;
      },
    };
    const withVolumes: CabinetHeaderSource = { size: src.size, read: (o, l) => src.read(o, l), close: () => src.close(), cabinetVolumes: volumes };
    return withVolumes;
  }

  async close(): Promise<void> {}
}

function pathOf(f: LauncherFile, chain: readonly string[]): string {
  return safeEntryPath(f.path, chain);
}

async function* decodedChunks(src: ByteSource, enc: NonNullable<LauncherFile['encoding']>): AsyncIterable<Uint8Array> {
  const step = 1 << 20;
  for (let at = 0; at < src.size; at += step) {
    const bytes = await src.read(at, Math.min(step, src.size - at));
    yield decodeLauncherBytes(bytes, at, enc);
  }
}

async function* inflated(chunks: AsyncIterable<Uint8Array>, chain: readonly string[]): AsyncIterable<Uint8Array> {
  const inflater = createInflate({ chunkSize: 1 << 20 });
  const input = Readable.from(chunks);
  input.on('error', (err) => inflater.destroy(err));
  input.pipe(inflater);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) yield chunk;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`corrupt zlib data: ${(err as Error).message}`, chain);
  } finally {
    input.destroy();
    inflater.destroy();
  }
}
