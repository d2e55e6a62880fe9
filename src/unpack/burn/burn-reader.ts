import { createHash } from 'node:crypto';
import { asInputError, InputError } from '../../errors.js';
import { chunksOf, readAll, SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { readPeFacts } from '../../inspect/pe/index.js';
import type { PeFacts } from '../../inspect/types.js';
import { CabReader } from '../cab/cab-reader.js';
import { safeEntryPath } from '../paths.js';
import { HEAD_BYTES, type ContainerFinding, type ContainerHints, type ContainerInfo, type ContainerReader, type Entry, type OpenedContainer, type UnpackContext, type UnpackUnknown } from '../types.js';
import { parseBurnManifest, type BurnManifest, type BurnPackage, type BurnPayload } from './burn-manifest.js';
import { containerRanges, findWixburnInHead, readWixburnSection, type ContainerRange, type WixburnSection } from './wixburn-section.js';

/** The UX container member holding the BurnManifest (WiX: BurnCommon, "0"). */
const MANIFEST_MEMBER = '0';

/**
 * WiX Burn bundles (`python-3.13.1-amd64.exe`): a PE stub with a `.wixburn` section that says where
 * the UX container (a cabinet whose member `0` is the BurnManifest) and the attached containers
 * (cabinets whose members are named by payload SourcePath: `a0`, `a1`, …) lie in the file. Entries
 * are the payloads under the names the manifest gives them (`core.msi`), with what the manifest
 * declares; payloads the manifest lists as downloaded or external are listed as absent.
 */
export const BurnReader: ContainerReader = {
  format: 'burn',
  canRead(head: Uint8Array): boolean {
    return findWixburnInHead(head) !== undefined;
  },
  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    const bundle = new OpenedBundle(source, ctx);
    try {
      await bundle.load();
    } catch (err) {
      await bundle.close();
      throw asInputError(err, ctx.chain, 'unreadable Burn bundle');
    }
    return bundle;
  },
};

/** One attached container, opened as a cabinet, with its members by SourcePath. */
interface OpenedCabinet {
  range: ContainerRange;
  label: string;
  opened: OpenedContainer;
  members: Map<string, Entry>;
}

class OpenedBundle implements OpenedContainer {
  info: ContainerInfo = { format: 'burn', properties: {} };
  private readonly warnings: string[] = [];
  private readonly cabinets: OpenedCabinet[] = [];
  private readonly absentContainers: ContainerRange[] = [];
  private readonly unknowns: UnpackUnknown[] = [];
  private ux: OpenedCabinet | undefined;
  private manifest: BurnManifest | undefined;

  constructor(
    private readonly source: ByteSource,
    private readonly ctx: UnpackContext,
  ) {}

  async load(): Promise<void> {
    const facts = await readPeFacts(this.source);
    const header = facts.sections.find((s) => s.name === '.wixburn');
    if (!header) throw new InputError('no .wixburn section', this.ctx.chain);
    const section = await readWixburnSection(this.source, header);
    if (section.containerCount === 0) {
      this.info = this.describeEngine(facts, section);
      return;
    }
    let imageEnd = 0;
    for (const s of facts.sections) if (s.rawSize > 0) imageEnd = Math.max(imageEnd, s.rawOffset + s.rawSize);
    const ranges = containerRanges(section, { fileSize: this.source.size, imageEnd, certificate: facts.certificate });

    this.ux = await this.openCabinet(ranges[0]!, 'UX container');
    const manifestEntry = this.ux.members.get(MANIFEST_MEMBER);
    if (!manifestEntry) throw new InputError(`the UX container has no member "${MANIFEST_MEMBER}" (the BurnManifest)`, [...this.ctx.chain, this.ux.label]);
    const manifestChain = [...this.ctx.chain, this.ux.label, MANIFEST_MEMBER];
    this.ctx.budget.checkMetadata(manifestEntry.size, 'BurnManifest', manifestChain);
    const bytes = await readMember(manifestEntry, 'BurnManifest');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    this.manifest = parseBurnManifest(text, manifestChain);

    for (const range of ranges.slice(1)) {
      if (range.absent) {
        this.absentContainers.push(range);
        this.unknowns.push({
          kind: 'absent',
          path: '',
          format: 'cab',
          reason: `attached container ${range.index} (${range.size} bytes) is not in the file: the bundle ends before it (a web installer downloads its packages; a cut-off file loses them)`,
          declared: { attachedIndex: String(range.index), size: String(range.size) },
        });
        continue;
      }
      this.cabinets.push(await this.openCabinet(range, `attached container ${range.index}`));
    }
    this.info = this.describe(facts, section, ranges);
  }

  /**
   * The Burn engine as the WiX toolset ships it (burn.exe): a `.wixburn` section with no
   * containers, so no manifest and no payloads. Its own VERSIONINFO is the toolset's (the binder
   * has not rewritten it), so a WiX product name there dates the engine.
   */
  private describeEngine(facts: PeFacts, section: WixburnSection): ContainerInfo {
    const file = this.ctx.chain[this.ctx.chain.length - 1] ?? '';
    const finding: ContainerFinding = {
      componentId: 'wix-burn',
      evidence: [{ file, kind: 'container', text: `.wixburn magic 0x00F14300 version ${section.version}, 0 containers`, location: `.wixburn section at 0x${section.offset.toString(16)}` }],
    };
    const strings = Object.values(facts.versionInfo?.strings ?? {})[0];
    const product = strings?.ProductName ?? '';
    const version = strings?.FileVersion?.trim() ?? facts.versionInfo?.fixed?.fileVersion;
    if (/\bWiX\b|Windows Installer XML/i.test(product) && version && /^\d+(\.\d+){1,3}$/.test(version)) {
      finding.version = version;
      finding.evidence.push({ file, kind: 'versioninfo', text: `ProductName "${product}", FileVersion "${version}"`, location: 'VERSIONINFO', version });
    }
    return { format: 'burn', properties: { engineOnly: 'yes', wixburnVersion: String(section.version) }, findings: [finding], warnings: this.warnings, unknowns: this.unknowns };
  }

  private async openCabinet(range: ContainerRange, label: string): Promise<OpenedCabinet> {
    const chain = [...this.ctx.chain, label];
    const slice = new SliceByteSource(this.source, range.offset, range.size);
    const head = await slice.read(0, Math.min(HEAD_BYTES, slice.size));
    if (!CabReader.canRead(head, label)) throw new InputError(`${label} at byte ${range.offset} is not a cabinet`, this.ctx.chain, range.offset);
    const opened = await CabReader.open(slice, { ...this.ctx, chain });
    const members = new Map<string, Entry>();
    try {
      for await (const e of opened.entries()) {
        if (members.has(e.path)) throw new InputError(`member ${JSON.stringify(e.path)} appears twice`, chain);
        members.set(e.path, e);
      }
    } catch (err) {
      await opened.close();
      throw err;
    }
    return { range, label, opened, members };
  }

  private describe(facts: PeFacts, section: WixburnSection, ranges: ContainerRange[]): ContainerInfo {
    const m = this.manifest!;
    const reg = m.registration;
    const props: Record<string, string> = {
      BundleId: section.bundleId,
      wixburnVersion: String(section.version),
      stubSize: String(section.stubSize),
      containerCount: String(section.containerCount),
      containers: ranges.map((r) => `${r.index}@${r.offset}+${r.size}`).join(' '),
    };
    // WiX 3 writes the bundle id as Registration/@Id, WiX 4+ as @Code; both should equal the section's.
    const regId = reg.Id ?? reg.Code;
    if (regId && regId.toUpperCase() !== section.bundleId) {
      props.RegistrationId = regId;
      this.warnings.push(`Registration id ${regId} differs from the .wixburn bundle id ${section.bundleId}`);
    }
    if (m.upgradeCodes.length > 0) props.UpgradeCode = m.upgradeCodes.join(' ');
    for (const key of ['ProviderKey', 'Tag', 'PerMachine', 'ExecutableName'] as const) if (reg[key]) props[key] = reg[key]!;
    for (const key of ['EngineVersion', 'ProtocolVersion', 'Win64'] as const) if (m.attributes[key]) props[key] = m.attributes[key]!;
    if (section.originalSignatureOffset > 0) props.originalSignature = `${section.originalSignatureOffset}+${section.originalSignatureSize}`;
    if (m.packages.length > 0) props.chain = m.packages.map((p) => (p.attributes.Version ? `${p.id}@${p.attributes.Version}` : p.id)).join(' ');
    // The stub's VERSIONINFO is rewritten by WiX's binder with the bundle's name and version,
    // so it describes the bundle, never the engine.
    const strings = Object.values(facts.versionInfo?.strings ?? {})[0];
    if (strings?.FileVersion) props.stubFileVersion = strings.FileVersion;
    if (strings?.ProductName) props.stubProductName = strings.ProductName;

    const info: ContainerInfo = { format: 'burn', properties: props, findings: [this.engineFinding(section)], warnings: this.warnings, unknowns: this.unknowns };
    const name = m.arp.DisplayName ?? strings?.ProductName;
    const version = reg.Version ?? m.arp.DisplayVersion;
    if (name) info.name = name;
    if (version) info.version = version;
    if (m.arp.Publisher) info.manufacturer = m.arp.Publisher;
    return info;
  }

  /**
   * The Burn engine. Only WiX 4+ manifests state the engine's version (BurnManifest/@EngineVersion);
   * for WiX 3 bundles the version stays unasserted rather than guessed from the bundle's VERSIONINFO.
   */
  private engineFinding(section: WixburnSection): ContainerFinding {
    const file = this.ctx.chain[this.ctx.chain.length - 1] ?? '';
    const finding: ContainerFinding = {
      componentId: 'wix-burn',
      evidence: [
        {
          file,
          kind: 'container',
          text: `.wixburn magic 0x00F14300 version ${section.version}`,
          location: `.wixburn section at 0x${section.offset.toString(16)}`,
        },
      ],
    };
    const engineVersion = this.manifest!.attributes.EngineVersion;
    if (engineVersion && /^\d+(\.\d+){1,3}$/.test(engineVersion)) {
      finding.version = engineVersion;
      finding.evidence.push({ file, kind: 'container', text: `EngineVersion="${engineVersion}"`, location: 'UX container › 0 (BurnManifest)/@EngineVersion', version: engineVersion });
    }
    return finding;
  }

  async *entries(): AsyncIterable<Entry> {
    if (!this.manifest) return;
    const m = this.manifest;
    const used = new Map<string, string>();
    const claimed = new Set<string>();
    const packageOf = new Map<string, { pkg: BurnPackage; primary: boolean }>();
    for (const pkg of m.packages) {
      pkg.payloadIds.forEach((id, i) => {
        if (!packageOf.has(id)) packageOf.set(id, { pkg, primary: i === 0 });
      });
    }
    const uxLabel = this.ux!.label;

    for (const p of m.uxPayloads) {
      const member = p.sourcePath !== undefined ? this.ux!.members.get(p.sourcePath) : undefined;
      if (p.sourcePath !== undefined) claimed.add(`${uxLabel}/${p.sourcePath}`);
      if (!member) this.warnings.push(`UX payload ${p.id} (${p.sourcePath ?? 'no SourcePath'}) is not in the UX container`);
      const entry = this.payloadEntry(p, member, used, packageOf.get(p.id));
      if (entry) yield entry;
    }

    const byContainerId = new Map<string, OpenedCabinet>();
    /** Why a container's payloads are not here, by container id. */
    const missing = new Map<string, string>();
    for (const c of m.containers) {
      if (!c.attached || c.attachedIndex === undefined) {
        missing.set(c.id, `its container ${c.id} is not attached to the bundle (downloaded at install time${c.downloadUrl ? ` from ${c.downloadUrl}` : ''})`);
        continue;
      }
      const cab = this.cabinets.find((x) => x.range.index === c.attachedIndex);
      if (cab) byContainerId.set(c.id, cab);
      else if (this.absentContainers.some((r) => r.index === c.attachedIndex)) missing.set(c.id, `its container ${c.id} (attached container ${c.attachedIndex}) is not in the file`);
      else this.warnings.push(`attached container ${c.id} (index ${c.attachedIndex}) is not in the .wixburn section`);
    }
    for (const p of m.payloads) {
      const cab = p.container !== undefined && p.packaging !== 'external' ? byContainerId.get(p.container) : undefined;
      const member = cab && p.sourcePath !== undefined ? cab.members.get(p.sourcePath) : undefined;
      if (cab && p.sourcePath !== undefined) claimed.add(`${cab.label}/${p.sourcePath}`);
      if (cab && !member) this.warnings.push(`payload ${p.id} (${p.sourcePath ?? 'no SourcePath'}) is not in ${cab.label}`);
      const entry = this.payloadEntry(p, member, used, packageOf.get(p.id));
      if (!entry) continue;
      if (entry.absent) {
        const why = (p.container !== undefined ? missing.get(p.container) : undefined) ?? (cab ? `it is not in ${cab.label}` : p.downloadUrl ? `it is downloaded at install time from ${p.downloadUrl}` : `the bundle does not carry it (packaging ${p.packaging ?? 'unstated'})`);
        this.unknowns.push({ kind: 'absent', path: entry.path, format: 'burn-payload', reason: `Burn payload ${p.id}: ${why}`, declared: entry.declared ?? {} });
      }
      yield entry;
    }

    // Members no manifest entry names: still bytes of the artifact, so listed under their own names.
    for (const cab of [this.ux!, ...this.cabinets]) {
      for (const [name, member] of cab.members) {
        if (cab === this.ux && name === MANIFEST_MEMBER) continue;
        if (claimed.has(`${cab.label}/${name}`)) continue;
        this.warnings.push(`${cab.label} member ${name} is not named by the BurnManifest`);
        const path = this.unique(safeEntryPath(`${cab === this.ux ? 'ux' : `container${cab.range.index}`}/${name}`, this.ctx.chain), used);
        yield { ...member, path };
      }
    }
  }

  /**
   * A payload by its FilePath: an MsiPackage whose cabinet ships as a payload of its own
   * (`EmbedCab="no"`) finds it here, beside it in the bundle.
   */
  async member(path: string): Promise<ByteSource | undefined> {
    const m = this.manifest;
    if (!m) return undefined;
    for (const p of [...m.uxPayloads, ...m.payloads]) {
      if (p.sourcePath === undefined || safeEntryPath(p.filePath, this.ctx.chain) !== path) continue;
      const container = p.container !== undefined ? m.containers.find((c) => c.id === p.container) : undefined;
      const cab = p.ux || container === undefined ? this.ux : this.cabinets.find((x) => x.range.index === container.attachedIndex);
      const member = cab?.members.get(p.sourcePath);
      if (member) return member.open();
    }
    return undefined;
  }

  private unique(path: string, used: Map<string, string>, identity = `#${used.size}`): string {
    if (path === '' || used.has(path)) throw new InputError(`two payloads map to the same name ${JSON.stringify(path)}`, this.ctx.chain);
    used.set(path, identity);
    return path;
  }

  /**
   * Payloads are named by FilePath, which is not unique: CPython's bundle has `core_AllUsers` and
   * `core_JustForMe` both as `core.msi` (one MSI, two chain entries). The same bytes declared twice
   * are listed once; different bytes under one name are told apart by the payload id.
   */
  private payloadPath(p: BurnPayload, used: Map<string, string>): string | undefined {
    const path = safeEntryPath(p.filePath, this.ctx.chain);
    const identity = `${p.hash?.toLowerCase() ?? `id:${p.id}`}/${p.fileSize ?? ''}`;
    const seen = used.get(path);
    if (seen === undefined) return this.unique(path, used, identity);
    if (seen === identity) return undefined;
    return this.unique(safeEntryPath(`${p.id}/${p.filePath}`, this.ctx.chain), used, identity);
  }

  private payloadEntry(p: BurnPayload, member: Entry | undefined, used: Map<string, string>, owner: { pkg: BurnPackage; primary: boolean } | undefined): Entry | undefined {
    const path = this.payloadPath(p, used);
    if (path === undefined) return undefined;
    const declared: Record<string, string> = { 'burn.payloadId': p.id };
    if (p.sourcePath !== undefined) declared['burn.sourcePath'] = p.sourcePath;
    if (p.packaging !== undefined) declared['burn.packaging'] = p.packaging;
    if (p.container !== undefined) declared['burn.container'] = p.container;
    if (p.fileSize !== undefined) declared['burn.fileSize'] = String(p.fileSize);
    if (p.hash !== undefined) declared['burn.hash'] = p.hash;
    if (p.downloadUrl !== undefined) declared['burn.downloadUrl'] = p.downloadUrl;
    if (owner) {
      declared['burn.packageId'] = owner.pkg.id;
      declared['burn.packageType'] = owner.pkg.type;
      if (owner.pkg.attributes.Version) declared['burn.packageVersion'] = owner.pkg.attributes.Version;
    }
    const hints = owner?.primary ? packageHints(owner.pkg) : undefined;
    if (!member) {
      const entry: Entry = {
        path,
        kind: 'file',
        size: p.fileSize ?? 0,
        absent: true,
        declared,
        open: () => Promise.reject(new InputError(`${path} is not contained in this bundle`, this.ctx.chain)),
      };
      if (hints) entry.containerHints = hints;
      return entry;
    }
    if (p.fileSize !== undefined && p.fileSize !== member.size) {
      this.warnings.push(`${path}: the manifest says ${p.fileSize} bytes, the container holds ${member.size}`);
    }
    const entry: Entry = {
      path,
      kind: 'file',
      size: member.size,
      declared: { ...declared },
      open: async () => {
        const src = await member.open();
        if (p.hash) await this.checkHash(src, p.hash, path);
        return src;
      },
    };
    if (member.storedSize !== undefined) entry.storedSize = member.storedSize;
    if (hints) entry.containerHints = hints;
    return entry;
  }

  /** WiX 3 writes SHA-1 payload hashes, WiX 4+ SHA-512; a mismatch is reported, not fatal. */
  private async checkHash(src: ByteSource, declared: string, path: string): Promise<void> {
    const algorithm = ({ 40: 'sha1', 64: 'sha256', 128: 'sha512' } as Record<number, string>)[declared.length];
    if (!algorithm || !/^[0-9a-fA-F]+$/.test(declared)) return;
    const h = createHash(algorithm);
    for await (const chunk of chunksOf(src)) h.update(chunk);
    const got = h.digest('hex');
    if (got !== declared.toLowerCase()) this.warnings.push(`${path}: ${algorithm} ${got} differs from the manifest's Hash ${declared}`);
  }

  async close(): Promise<void> {
    const all = [...(this.ux ? [this.ux] : []), ...this.cabinets];
    this.ux = undefined;
    this.cabinets.length = 0;
    for (const c of all) await c.opened.close();
  }
}

/** What the chain declares about a package, handed to the reader of the payload (MSI) itself. */
function packageHints(pkg: BurnPackage): ContainerHints {
  const a = pkg.attributes;
  const properties: Record<string, string> = { BurnPackageType: pkg.type };
  for (const key of ['ProductCode', 'UpgradeCode', 'Language', 'Cache', 'CacheId', 'Vital', 'Permanent', 'PerMachine', 'InstallCondition', 'PatchCode', 'KB'] as const) {
    if (a[key] !== undefined && a[key] !== '') properties[key] = a[key]!;
  }
  if (pkg.providerKey) properties.ProviderKey = pkg.providerKey;
  const hints: ContainerHints = { name: pkg.id, properties };
  if (a.Version) hints.version = a.Version;
  return hints;
}

async function readMember(entry: Entry, what: string): Promise<Uint8Array> {
  const src = await entry.open();
  try {
    return await readAll(src, what);
  } finally {
    await src.close();
  }
}
