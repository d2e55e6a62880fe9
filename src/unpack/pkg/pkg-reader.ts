import { InputError } from '../../errors.js';
import { readAll, SliceByteSource } from '../../io/byte-source.js';
import { APPLE_ARCHIVE_UNSUPPORTED, isAppleArchive } from '../cpio/apple-archive.js';
import { isCpioMagic } from '../cpio/cpio-index.js';
import { inflatedHead } from '../gzip/gzip-reader.js';
import { safeEntryPath, joinEntryPath } from '../paths.js';
import { isPbzx } from '../pbzx/pbzx-decoder.js';
import type { ContainerInfo, ContainerReader, Entry, UnpackContext } from '../types.js';
import { loadXarArchive, type XarArchive, type XarFile } from '../xar/xar-archive.js';
import { openXarData } from '../xar/xar-data.js';
import { isXar } from '../xar/xar-header.js';
import { signaturesOf, xarEntries } from '../xar/xar-reader.js';
import { parseDistribution, type Distribution } from './distribution.js';
import { parsePackageInfo, type PackageInfo } from './package-info.js';

/** One component package: `Name.pkg/` in a product archive, or the archive root ('') itself. */
interface Component {
  dir: string;
  info: PackageInfo;
  /** Where its payload members are installed, relative to this container (`Name.pkg/Library/…`). */
  membersRoot: string;
}

/**
 * An Apple flat package: a xar holding `Distribution` (product archive, productbuild) or a
 * top-level `PackageInfo` (component package, pkgbuild). Every xar member is yielded under its
 * xar path (Distribution, PackageInfo, Bom — listed and hashed, never parsed —, Resources/…);
 * each `Payload` carries containerHints whose membersRoot is `<Name>.pkg/<install-location>`,
 * so payload files get their installed paths, and `Scripts` gets `<Name>.pkg/Scripts`.
 */
export const PkgReader: ContainerReader = {
  format: 'pkg',
  canRead(head) {
    return isXar(head);
  },
  async probe(source, ctx) {
    try {
      const archive = await loadXarArchive(source, ctx);
      return archive.files.some((f) => f.type === 'file' && (f.path === 'Distribution' || f.path === 'PackageInfo'));
    } catch {
      // Corrupt xar: let XarReader open it and report the error.
      return false;
    }
  },
  async open(source, ctx) {
    const archive = await loadXarArchive(source, ctx);
    const byPath = new Map(archive.files.map((f) => [f.path, f]));
    const info: ContainerInfo = { format: 'pkg', properties: { ...archive.properties }, warnings: [...archive.warnings], ...signaturesOf(archive) };
    const components: Component[] = [];

    const distFile = byPath.get('Distribution');
    if (distFile !== undefined && distFile.type === 'file') {
      const dist = parseDistribution(await readMetadata(archive, distFile, ctx), ctx.chain);
      describeProduct(dist, info);
      const dirs = new Set<string>();
      for (const f of archive.files) {
        const m = /^([^/]+\.pkg)\/PackageInfo$/.exec(f.path);
        if (m && f.type === 'file') dirs.add(m[1]!);
      }
      for (const ref of dist.pkgRefs) {
        if (ref.path !== undefined && !dirs.has(ref.path)) {
          info.warnings!.push(`pkg-ref ${ref.id} points at ${ref.path}, which is not in the archive`);
        }
      }
      for (const dir of [...dirs].sort()) components.push(await readComponent(archive, byPath, dir, ctx));
    } else {
      info.properties.kind = 'component';
      const c = await readComponent(archive, byPath, '', ctx);
      components.push(c);
      if (c.info.identifier !== undefined) info.name = c.info.identifier;
      if (c.info.version !== undefined) info.version = c.info.version;
    }
    for (const c of components) describeComponent(c, byPath, info);

    const byDir = new Map(components.map((c) => [c.dir, c]));
    const decorate = async (entry: Entry, file: XarFile): Promise<Entry> => {
      const slash = file.path.lastIndexOf('/');
      const dir = slash < 0 ? '' : file.path.slice(0, slash);
      const base = file.path.slice(slash + 1);
      const c = byDir.get(dir);
      if (c === undefined || entry.kind !== 'file') return entry;
      const hints = {
        ...(c.info.identifier !== undefined ? { name: c.info.identifier } : {}),
        ...(c.info.version !== undefined ? { version: c.info.version } : {}),
      };
      const properties: Record<string, string> = { installLocation: c.info.installLocation };
      if (c.dir !== '') properties.componentPackage = c.dir;
      if (base === 'Payload') {
        properties.payloadFormat = await checkPayload(archive, file, ctx);
        return { ...entry, containerHints: { ...hints, properties, membersRoot: c.membersRoot } };
      }
      if (base === 'Scripts') {
        properties.role = 'scripts';
        return { ...entry, containerHints: { ...hints, properties, membersRoot: joinEntryPath(c.dir, 'Scripts') } };
      }
      if (base === 'PackageInfo') {
        return { ...entry, declared: { ...entry.declared, ...hints, installLocation: c.info.installLocation } };
      }
      return entry;
    };
    return {
      info,
      entries: () => xarEntries(archive, ctx, decorate),
      close: async () => undefined,
    };
  },
};

async function readMetadata(archive: XarArchive, file: XarFile, ctx: UnpackContext): Promise<string> {
  ctx.budget.checkMetadata(file.data?.size ?? 0, file.path, ctx.chain);
  const src = await openXarData(archive, file, ctx);
  try {
    return Buffer.from(await readAll(src, file.path)).toString('utf8');
  } finally {
    await src.close();
  }
}

async function readComponent(
  archive: XarArchive,
  byPath: Map<string, XarFile>,
  dir: string,
  ctx: UnpackContext,
): Promise<Component> {
  const f = byPath.get(joinEntryPath(dir, 'PackageInfo'));
  if (f === undefined || f.type !== 'file') throw new InputError(`${dir || 'package'} has no PackageInfo`, ctx.chain);
  const info = parsePackageInfo(await readMetadata(archive, f, ctx), [...ctx.chain, f.path]);
  // install-location is absolute on the target; members are placed relative to this container.
  const location = safeEntryPath(info.installLocation, [...ctx.chain, f.path]);
  return { dir, info, membersRoot: joinEntryPath(dir, location) };
}

function describeProduct(dist: Distribution, info: ContainerInfo): void {
  const p = info.properties;
  p.kind = 'product';
  if (dist.title !== undefined) p.title = dist.title;
  if (dist.productId !== undefined) p.productId = dist.productId;
  if (dist.productVersion !== undefined) p.productVersion = dist.productVersion;
  if (dist.hostArchitectures !== undefined) p.hostArchitectures = dist.hostArchitectures;
  if (dist.minSpecVersion !== undefined) p.minSpecVersion = dist.minSpecVersion;
  if (dist.minOSVersion !== undefined) p.minOSVersion = dist.minOSVersion;
  p.pkgRefs = dist.pkgRefs.map((r) => r.id).join(',');
  for (const r of dist.pkgRefs) {
    if (r.version !== undefined) p[`pkgRef.${r.id}.version`] = r.version;
    if (r.installKBytes !== undefined) p[`pkgRef.${r.id}.installKBytes`] = r.installKBytes;
    if (r.path !== undefined) p[`pkgRef.${r.id}.path`] = r.path;
  }
  const name = dist.title ?? dist.productId;
  if (name !== undefined) info.name = name;
  if (dist.productVersion !== undefined) info.version = dist.productVersion;
}

/**
 * Component facts go into the container's properties too, so components without a Payload
 * (`pkgbuild --nopayload`, e.g. Python_Shell_Profile_Updater.pkg) still reach the SBOM.
 */
function describeComponent(c: Component, byPath: Map<string, XarFile>, info: ContainerInfo): void {
  const key = `component.${c.dir || '.'}`;
  const p = info.properties;
  const put = (k: string, v: string | undefined): void => {
    if (v !== undefined && v !== '') p[`${key}.${k}`] = v;
  };
  put('identifier', c.info.identifier);
  put('version', c.info.version);
  put('installLocation', c.info.installLocation);
  put('numberOfFiles', c.info.numberOfFiles);
  put('installKBytes', c.info.installKBytes);
  put('scripts', Object.keys(c.info.scripts).join(','));
  const hasPayload = byPath.get(joinEntryPath(c.dir, 'Payload'))?.type === 'file';
  put('payload', hasPayload ? 'present' : 'none');
  p.components = [p.components, c.dir || '.'].filter(Boolean).join(',');
}

/**
 * What the Payload holds, checked before the walker opens it: gzip'd cpio, pbzx or raw cpio. Apple
 * Archive and anything else are refused here, so a bad Payload fails the pkg (exit 3) instead of
 * passing silently as an opaque file. Stored members are sniffed in place; compressed ones are
 * decoded once.
 */
async function checkPayload(archive: XarArchive, file: XarFile, ctx: UnpackContext): Promise<string> {
  const chain = [...ctx.chain, file.path];
  let head: Uint8Array;
  const data = file.data;
  if (data === undefined) {
    head = new Uint8Array(0);
  } else if (data.encoding === 'application/octet-stream') {
    head = await new SliceByteSource(archive.source, data.offset, Math.min(data.length, 8 * 1024)).read(0, 8 * 1024);
  } else {
    const src = await openXarData(archive, file, ctx);
    try {
      head = await src.read(0, 8 * 1024);
    } finally {
      await src.close();
    }
  }
  if (isPbzx(head)) return 'pbzx';
  if (isCpioMagic(head)) return 'cpio';
  if (isAppleArchive(head)) throw new InputError(APPLE_ARCHIVE_UNSUPPORTED, chain);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const inner = inflatedHead(head);
    if (isCpioMagic(inner)) return 'gzip';
    if (isAppleArchive(inner)) throw new InputError(APPLE_ARCHIVE_UNSUPPORTED, chain);
    throw new InputError('Payload is gzip but does not hold a cpio archive', chain);
  }
  throw new InputError('Payload is not a cpio archive (neither gzip, pbzx nor raw cpio)', chain);
}
