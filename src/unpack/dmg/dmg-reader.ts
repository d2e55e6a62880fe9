import { mkdtemp, readlink, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { asInputError, InputError, LimitError } from '../../errors.js';
import { FileByteSource, type ByteSource } from '../../io/byte-source.js';
import { LIMIT_FLAGS } from '../limits.js';
import { filesUnder } from '../nsis/nsis-reader.js';
import { writeSourceTo } from '../../io/byte-source.js';
import { pathInArtifact, safeEntryPath } from '../paths.js';
import { extractWith7z, list7z, type SevenZipListing } from '../sevenzip/seven-zip.js';
import type { ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext, UnpackUnknown } from '../types.js';
import { hasKolyTrailer, readUdif, type UdifImage } from './udif.js';

/** Encrypted images (FileVault-style AES) start with this header instead of plain sectors. */
const ENCRYPTED_V2 = 'encrcdsa';
/** File systems 7-Zip opens inside a partition; a partition left as one of these was not opened. */
const FILE_SYSTEM_IMAGE = /\.(hfs|hfsx|apfs)$/i;

/**
 * macOS disk images (UDIF .dmg) down to the files of their HFS+/HFSX or APFS volume, through
 * 7-Zip (7z-wasm), which decodes every UDIF chunk method (zlib, bzip2, ADC, LZFSE, LZMA) and both
 * file systems. Measured on a 340 MB HFS+ image (zlib chunks): 7z-wasm lists and extracts it in
 * 2.0 s at 200 MB RSS; our own UDIF layer inflated the same chunks in 0.8 s at 90 MB, but a reader
 * of our own would also need bzip2, LZFSE and LZMA decoders (none in pure JS/WASM here), an
 * HFS+ and an APFS reader before it saw as much; 7-Zip's cost is acceptable, so it reads.
 * The koly trailer and blkx block tables are still read here: they describe the image (its
 * partitions and chunk methods) and refuse a damaged one in one line before 7-Zip runs.
 *
 * Entries are the volume's files under their paths below the volume (its name is dropped:
 * `Demo.app/Contents/Info.plist`); symlinks are recorded with their target, never followed;
 * resource forks and extended attributes are not listed (7-Zip reports them as alternate
 * streams, which are skipped); hard links are listed as 7-Zip lists them.
 */
export const DmgReader: ContainerReader = {
  format: 'dmg',

  canRead(head: Uint8Array): boolean {
    // The UDIF magic is in the trailer, so every head qualifies and the probe decides.
    return head.length >= 8;
  },

  async probe(source: ByteSource): Promise<boolean> {
    const head = await source.read(0, 8);
    if (Buffer.from(head).toString('latin1') === ENCRYPTED_V2) return true;
    return hasKolyTrailer(source);
  },

  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    try {
      const head = await source.read(0, 8);
      if (Buffer.from(head).toString('latin1') === ENCRYPTED_V2) return encrypted(ctx);
      const udif = await readUdif(source, ctx.budget, ctx.chain);
      const work = await mkdtemp(join(await ctx.tempDir(), 'dmg-'));
      const image = join(work, 'image.dmg');
      await writeSourceTo(source, image);
      const listing = await list7z(image, { chain: ctx.chain });
      checkBudget(listing, source.size, ctx);
      const dest = await mkdtemp(join(work, 'x-'));
      await extractWith7z(image, dest, { chain: ctx.chain });
      return new OpenedDmg(dest, listing, describe(udif, listing, ctx), ctx);
    } catch (err) {
      throw asInputError(err, ctx.chain, 'unreadable disk image');
    }
  },
};

function encrypted(ctx: UnpackContext): OpenedContainer {
  const unknown: UnpackUnknown = {
    kind: 'unopened-container',
    path: pathInArtifact(ctx.chain, ''),
    format: 'dmg',
    reason: 'the disk image is encrypted (encrcdsa header); its volume cannot be read without the passphrase',
  };
  return {
    info: { format: 'dmg', properties: { encryption: ENCRYPTED_V2 }, unknowns: [unknown], warnings: [unknown.reason] },
    async *entries() {},
    async close() {},
  };
}

/** 7-Zip extracts everything before we see a byte, so the listing's sizes are held to the limits first. */
function checkBudget(listing: SevenZipListing, imageSize: number, ctx: UnpackContext): void {
  let total = 0;
  for (const e of listing.entries) {
    const size = Number(e.Size ?? 0);
    if (!Number.isFinite(size)) continue;
    ctx.budget.checkEntry(size, undefined, ctx.chain);
    total += size;
  }
  const { maxTotalBytes, maxRatio } = ctx.budget.limits;
  if (total > maxTotalBytes) throw new LimitError('maxTotalBytes', LIMIT_FLAGS.maxTotalBytes, `the volume holds ${total} bytes`, ctx.chain);
  if (total > 64 * 1024 ** 2 && total / Math.max(1, imageSize) > maxRatio) {
    throw new LimitError('maxRatio', LIMIT_FLAGS.maxRatio, `the volume holds ${total} bytes in a ${imageSize}-byte image`, ctx.chain);
  }
}

function describe(udif: UdifImage, listing: SevenZipListing, ctx: UnpackContext): ContainerInfo {
  const methods = new Set(udif.partitions.flatMap((p) => [...p.methods]));
  const properties: Record<string, string> = {
    udifVersion: String(udif.version),
    sectorCount: String(udif.sectorCount),
    partitions: udif.partitions.map((p) => p.name).join(' | '),
    chunkMethods: [...methods].sort().join(','),
  };
  const fileSystem = listing.archive.Type;
  if (fileSystem && fileSystem !== 'Dmg') properties.fileSystem = fileSystem;
  const info: ContainerInfo = { format: 'dmg', properties, warnings: [], unknowns: [] };
  if (listing.archive.WARNING) info.warnings!.push(`7-Zip: ${listing.archive.WARNING}`);
  if (!properties.fileSystem) {
    // 7-Zip listed partitions rather than a volume: the file systems in them stay unopened.
    for (const e of listing.entries) {
      if (!FILE_SYSTEM_IMAGE.test(e.Path ?? '')) continue;
      info.unknowns!.push({ kind: 'unopened-container', path: pathInArtifact(ctx.chain, e.Path!), format: e.Path!.split('.').pop()!.toLowerCase(), reason: 'a file system partition 7-Zip did not open' });
    }
  }
  return info;
}

class OpenedDmg implements OpenedContainer {
  constructor(
    private readonly dest: string,
    private readonly listing: SevenZipListing,
    readonly info: ContainerInfo,
    private readonly ctx: UnpackContext,
  ) {}

  /** Paths below the volume: 7-Zip prefixes every member with the volume name. */
  private volumePrefix(): string {
    if (!this.info.properties.fileSystem) return '';
    const tops = new Set(this.listing.entries.map((e) => (e.Path ?? '').split('/')[0]));
    return tops.size === 1 ? `${[...tops][0]}/` : '';
  }

  async *entries(): AsyncIterable<Entry> {
    const prefix = this.volumePrefix();
    const listed = new Set<string>();
    for (const item of this.listing.entries) {
      const raw = item.Path ?? '';
      listed.add(raw);
      if (item['Alternate Stream'] === '+') continue;
      const path = safeEntryPath(raw.startsWith(prefix) ? raw.slice(prefix.length) : raw, this.ctx.chain);
      if (path === '') continue;
      if (item.Folder === '+') {
        yield { path, kind: 'directory', size: 0, open: notAFile };
        continue;
      }
      const onDisk = join(this.dest, ...raw.split('/'));
      const st = await lstat(onDisk).catch(() => undefined);
      if (!st) {
        this.info.warnings!.push(`${path}: listed by 7-Zip but not extracted`);
        continue;
      }
      const declared: Record<string, string> = {};
      if (item.Mode) declared['dmg.mode'] = item.Mode;
      if (item.Modified) declared['dmg.modified'] = item.Modified;
      if (st.isSymbolicLink()) {
        yield { path, kind: 'symlink', size: 0, linkTarget: await readlink(onDisk), declared, open: notAFile };
        continue;
      }
      this.ctx.budget.countBytes(st.size, this.ctx.chain);
      yield { path, kind: 'file', size: st.size, declared, open: () => FileByteSource.open(onDisk) };
    }
    for (const raw of await filesUnder(this.dest)) {
      if (listed.has(raw)) continue;
      this.info.warnings!.push(`${raw}: extracted by 7-Zip but not in its listing`);
    }
  }

  async close(): Promise<void> {}
}

async function notAFile(): Promise<never> {
  throw new InputError('not a regular file');
}
