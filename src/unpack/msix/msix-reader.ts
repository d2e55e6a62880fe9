import { InputError, asInputError } from '../../errors.js';
import { readAll, type ByteSource } from '../../io/byte-source.js';
import { pathInArtifact, safeEntryPath } from '../paths.js';
import type { ContainerHints, ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext, UnpackUnknown } from '../types.js';
import { readCentralDirectory, ZipReader } from '../zip/zip-reader.js';
import { parseAppxManifest, parseBundleManifest, type AppxManifest } from './appx-manifest.js';
import { firstBadBlock, parseBlockMap, type BlockMapFile } from './block-map.js';
import { packageFamilyName, publisherId } from './package-family.js';

const MANIFEST = 'AppxManifest.xml';
const BUNDLE_MANIFEST = 'AppxMetadata/AppxBundleManifest.xml';
const BLOCK_MAP = 'AppxBlockMap.xml';
const SIGNATURE = 'AppxSignature.p7x';
/** Package footprint files the block map does not (cannot) cover. */
const NOT_IN_BLOCK_MAP = new Set([BLOCK_MAP, '[Content_Types].xml', SIGNATURE].map((n) => n.toLowerCase()));

/**
 * MSIX/APPX packages and .msixbundle/.appxbundle bundles: OPC zips whose footprint files name the
 * package (AppxManifest.xml, or AppxMetadata/AppxBundleManifest.xml for a bundle) and hash every
 * payload file block by block (AppxBlockMap.xml). Members are read by the zip reader; this reader
 * gives them their decoded names, checks each against the block map, and states the identity.
 * Packages inside a bundle are entries, opened in turn by this reader.
 */
export const MsixReader: ContainerReader = {
  format: 'msix',
  canRead(head: Uint8Array, name: string): boolean {
    return ZipReader.canRead(head, name);
  },
  async probe(source: ByteSource, ctx: UnpackContext): Promise<boolean> {
    try {
      const names = new Set((await readCentralDirectory(source, ctx)).map((r) => r.name));
      return names.has(BLOCK_MAP) && (names.has(MANIFEST) || names.has(BUNDLE_MANIFEST));
    } catch {
      // Not a readable zip: the zip reader, tried next, says what is wrong with it.
      return false;
    }
  },
  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    const zip = await ZipReader.open(source, ctx);
    try {
      const members: Entry[] = [];
      for await (const e of zip.entries()) members.push(e);
      return await openPackage(members, ctx);
    } catch (err) {
      await zip.close();
      throw asInputError(err, ctx.chain, 'unreadable MSIX package');
    }
  },
};

async function readXml(entry: Entry | undefined, what: string, ctx: UnpackContext): Promise<string | undefined> {
  if (!entry) return undefined;
  // A hostile package can name a directory or a link AppxManifest.xml.
  if (entry.kind !== 'file') throw new InputError(`${what} is not a regular file`, ctx.chain);
  ctx.budget.checkMetadata(entry.size, what, ctx.chain);
  const src = await entry.open();
  try {
    return new TextDecoder('utf-8').decode(await readAll(src, what));
  } finally {
    await src.close();
  }
}

/** OPC part names are percent-encoded URIs; the installed name is the decoded one. */
function partName(zipPath: string, chain: readonly string[]): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(zipPath);
  } catch {
    throw new InputError(`part name ${JSON.stringify(zipPath)} is not a valid percent-encoded name`, chain);
  }
  return safeEntryPath(decoded, chain);
}

async function openPackage(members: Entry[], ctx: UnpackContext): Promise<OpenedContainer> {
  const byPath = new Map(members.map((e) => [e.path, e]));
  const bundleText = await readXml(byPath.get(BUNDLE_MANIFEST), BUNDLE_MANIFEST, ctx);
  const manifestText = bundleText === undefined ? await readXml(byPath.get(MANIFEST), MANIFEST, ctx) : undefined;
  const blockMapText = await readXml(byPath.get(BLOCK_MAP), BLOCK_MAP, ctx);
  if (blockMapText === undefined || (bundleText === undefined && manifestText === undefined)) {
    throw new InputError(`not an MSIX/APPX package: ${BLOCK_MAP} or the manifest is missing`, ctx.chain);
  }
  const manifest = bundleText !== undefined ? parseBundleManifest(bundleText, ctx.chain) : parseAppxManifest(manifestText!, ctx.chain);
  const blockMap = parseBlockMap(blockMapText, ctx.chain);
  const info = describe(manifest, byPath.has(SIGNATURE));
  return new OpenedMsix(members, manifest, blockMap, info, ctx);
}

function describe(m: AppxManifest, signed: boolean): ContainerInfo {
  const id = m.identity;
  const properties: Record<string, string> = {
    packageType: m.kind,
    identityName: id.name,
    publisher: id.publisher,
    publisherId: publisherId(id.publisher),
    packageFamilyName: packageFamilyName(id.name, id.publisher),
    signed: signed ? 'yes' : 'no',
  };
  if (id.architecture) properties.architecture = id.architecture;
  if (id.resourceId) properties.resourceId = id.resourceId;
  if (m.displayName) properties.displayName = m.displayName;
  if (m.kind === 'bundle') properties.packages = m.packages.map((p) => p.fileName).join(' ');
  const info: ContainerInfo = { format: 'msix', name: id.name, version: id.version, properties, warnings: [], unknowns: [] };
  if (m.publisherDisplayName) info.manufacturer = m.publisherDisplayName;
  return info;
}

class OpenedMsix implements OpenedContainer {
  constructor(
    private readonly members: Entry[],
    private readonly manifest: AppxManifest,
    private readonly blockMap: Map<string, BlockMapFile>,
    readonly info: ContainerInfo,
    private readonly ctx: UnpackContext,
  ) {}

  async *entries(): AsyncIterable<Entry> {
    const warnings = this.info.warnings!;
    const covered = new Set<string>();
    for (const member of this.members) {
      const path = partName(member.path, this.ctx.chain);
      if (path === '') continue;
      const key = path.toLowerCase();
      const mapped = this.blockMap.get(key);
      const entry: Entry = { ...member, path, declared: { ...member.declared } };
      if (member.kind === 'file' && !NOT_IN_BLOCK_MAP.has(key)) {
        if (!mapped) {
          warnings.push(`${path} is not in the block map (its bytes are not covered by the package signature)`);
          entry.declared!['msix.blockMap'] = 'absent';
        } else {
          covered.add(key);
          entry.open = () => this.verified(member, entry, mapped);
        }
      }
      const hints = this.hintsFor(path);
      if (hints) entry.containerHints = hints;
      yield entry;
    }
    for (const [key, file] of this.blockMap) {
      if (covered.has(key)) continue;
      const unknown: UnpackUnknown = { kind: 'absent', path: pathInArtifact(this.ctx.chain, file.name), reason: 'listed in AppxBlockMap.xml but not in the package', declared: { size: String(file.size) } };
      this.info.unknowns!.push(unknown);
      warnings.push(`${file.name}: ${unknown.reason}`);
    }
  }

  /** Opens a member and checks its size and every block hash against the block map. */
  private async verified(member: Entry, entry: Entry, file: BlockMapFile): Promise<ByteSource> {
    const src = await member.open();
    const bad = await firstBadBlock(src, file);
    if (bad < 0) {
      entry.declared!['msix.blockMap'] = 'verified';
    } else {
      entry.declared!['msix.blockMap'] = 'mismatch';
      const why = src.size !== file.size ? `is ${src.size} bytes, the block map says ${file.size}` : `block ${bad} does not match its SHA-256 in the block map`;
      this.info.warnings!.push(`${entry.path} ${why}`);
    }
    return src;
  }

  private hintsFor(path: string): ContainerHints | undefined {
    const p = this.manifest.packages.find((x) => x.fileName.replace(/\\/g, '/').toLowerCase() === path.toLowerCase());
    if (!p) return undefined;
    const properties: Record<string, string> = {};
    if (p.type) properties.bundledPackageType = p.type;
    if (p.architecture) properties.architecture = p.architecture;
    if (p.resourceId) properties.resourceId = p.resourceId;
    const hints: ContainerHints = { properties };
    if (p.version) hints.version = p.version;
    return hints;
  }

  async close(): Promise<void> {}
}
