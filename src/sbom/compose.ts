import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { PackageURL } from 'packageurl-js';
import type { Component } from '../detect/engine.js';
import type { Analysis } from '../pipeline.js';
import type { ContainerNode, FileNode } from '../unpack/walk.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { formatCpe } from './cpe.js';
import { sanitizeIdPart, type SpdxDocument, type SpdxExternalRef, type SpdxFile, type SpdxPackage, type SpdxRelationship } from './model.js';

export interface ComposeOptions {
  /** `Organization: …` or `Person: …` for the artifact's package when the artifact does not say. */
  supplier?: string;
  /** Extra creators besides the tool (`Organization: Python Release Managers`). */
  creators?: string[];
  /** Overrides the derived documentNamespace. */
  namespace?: string;
  /** Overrides the document name (default: the artifact's file name). */
  documentName?: string;
  /** Seconds since the epoch for `created`; defaults to SOURCE_DATE_EPOCH, else now. */
  createdEpoch?: number;
}

const NOASSERTION = 'NOASSERTION';
const INSTALLER_FORMATS = new Set(['msi', 'burn', 'nsis', 'pkg', 'xar']);
const ARCHIVE_FORMATS = new Set(['zip', 'cab', 'cpio', 'gzip', 'pbzx', 'tar']);

/** SPDX ids handed out in one document; a clash gets CPython's 8-hex suffix (release-tools spdx_id). */
export class IdAllocator {
  private readonly used = new Set<string>();

  take(prefix: string, raw: string): string {
    let id = `${prefix}${sanitizeIdPart(raw)}`;
    if (this.used.has(id)) id = `${id}-${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
    for (let n = 2; this.used.has(id); n++) id = `${id}-${n}`;
    this.used.add(id);
    return id;
  }
}

export function createdTimestamp(epoch?: number): string {
  const env = process.env['SOURCE_DATE_EPOCH'];
  const seconds = epoch ?? (env && /^\d+$/.test(env) ? Number(env) : Math.floor(Date.now() / 1000));
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The artifact's own identity, as far as its container or its version resource states it. */
function artifactIdentity(analysis: Analysis): { version?: string; supplier?: string } {
  const info = analysis.root.info;
  const out: { version?: string; supplier?: string } = {};
  if (info.version) out.version = info.version;
  if (info.manufacturer) out.supplier = `Organization: ${info.manufacturer}`;
  if (info.format === 'file') {
    const vi = analysis.facts.get(analysis.root.name)?.pe?.versionInfo;
    const table = vi ? Object.values(vi.strings)[0] : undefined;
    const version = table?.['ProductVersion']?.trim() || table?.['FileVersion']?.trim();
    if (version && !out.version) out.version = version;
    const company = table?.['CompanyName']?.trim();
    if (company && !out.supplier) out.supplier = `Organization: ${company}`;
    // A bare library that is itself one component (zlib1.dll) is supplied by that component's supplier.
    const own = analysis.components.filter((c) => c.carriers.some((x) => x.file === analysis.root.name && x.relation === 'contains'));
    if (own.length === 1) {
      out.supplier ??= own[0]!.identity.supplier;
      if (own[0]!.version) out.version ??= own[0]!.version;
    }
  }
  return out;
}

function rootPurpose(analysis: Analysis): string {
  const fmt = analysis.root.info.format;
  if (INSTALLER_FORMATS.has(fmt)) return 'INSTALL';
  if (ARCHIVE_FORMATS.has(fmt)) return 'ARCHIVE';
  if (fmt === 'file') {
    const f = analysis.facts.get(analysis.root.name);
    if (f?.pe) return f.pe.isDll ? 'LIBRARY' : 'APPLICATION';
    const type = f?.macho?.slices[0]?.fileType;
    if (type) return type === 'MH_EXECUTE' ? 'APPLICATION' : 'LIBRARY';
    return 'FILE';
  }
  return 'OTHER';
}

function checksums(node: { digests?: { sha1: string; sha256: string } }) {
  return node.digests
    ? [
        { algorithm: 'SHA1', checksumValue: node.digests.sha1 },
        { algorithm: 'SHA256', checksumValue: node.digests.sha256 },
      ]
    : undefined;
}

/** Namespace from the artifact's SHA-256, or from the file list for a directory. */
function deriveNamespace(analysis: Analysis): string {
  const hash =
    analysis.root.digests?.sha256 ??
    createHash('sha256')
      .update(analysis.files.map((f) => `${f.path}\t${f.digests?.sha256 ?? f.linkTarget ?? ''}\n`).join(''))
      .digest('hex');
  return `https://spdx.org/spdxdocs/${TOOL_NAME}/${encodeURIComponent(analysis.artifactName)}-${hash}`;
}

export function componentPurl(c: Component): string {
  const p = c.identity.purl;
  return new PackageURL(p.type, p.namespace ?? null, p.name, c.version ?? null, null, null).toString();
}

function componentRefs(c: Component): SpdxExternalRef[] {
  const refs: SpdxExternalRef[] = [];
  if (c.identity.cpe) {
    refs.push({ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: formatCpe(c.identity.cpe.vendor, c.identity.cpe.product, c.version) });
  }
  refs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: componentPurl(c) });
  return refs;
}

/** One line per evidence item: where the version (or identity) was seen. */
export function evidenceComment(c: Component): string {
  const lines = c.evidence.map((e) => {
    const v = e.version ? ` → ${e.version}` : '';
    const arch = e.arch ? ` [${e.arch}]` : '';
    return `- ${e.file}: ${e.kind} "${e.text}" at ${e.location}${arch}${v}`;
  });
  const archs = c.archs.length > 0 ? ` Architectures: ${c.archs.join(', ')}.` : '';
  const version = c.version ? ` at version ${c.version}` : '; no version could be evidenced (NOASSERTION)';
  return `Detected by ${TOOL_NAME}${version}.${archs} Evidence:\n${lines.join('\n')}`;
}

function downloadFor(c: Component): string {
  if (!c.version) return NOASSERTION;
  const base = c.version.replace(/^(\d+\.\d+\.\d+).*$/, '$1');
  return c.identity.downloadLocation.replaceAll('{version}', c.version).replaceAll('{base}', base);
}

/** The SPDX id a component gets: `SPDXRef-PACKAGE-<id>-<version>`. */
export function componentIdStem(c: Component): string {
  return c.version ? `${c.identity.id}-${c.version}` : c.identity.id;
}

/** The document and the ids compose handed out, for steps that extend it (CPython conventions). */
export interface ComposedSbom {
  doc: SpdxDocument;
  rootId: string;
  componentIds: Map<Component, string>;
  fileIds: Map<string, string>;
  ids: IdAllocator;
}

/** compose: analysis → one SPDX 2.3 document (not yet serialised). */
export function composeSbom(analysis: Analysis, options: ComposeOptions = {}): SpdxDocument {
  return composeParts(analysis, options).doc;
}

export function composeParts(analysis: Analysis, options: ComposeOptions = {}): ComposedSbom {
  const ids = new IdAllocator();
  const created = createdTimestamp(options.createdEpoch);
  const packages: SpdxPackage[] = [];
  const files: SpdxFile[] = [];
  const rels: SpdxRelationship[] = [];
  const rel = (a: string, type: string, b: string) => rels.push({ spdxElementId: a, relationshipType: type, relatedSpdxElement: b });

  const identity = artifactIdentity(analysis);
  const rootSupplier = options.supplier ?? identity.supplier ?? NOASSERTION;
  const rootId = ids.take('SPDXRef-PACKAGE-', analysis.artifactName);
  const containerIds = new Map<string, string>([['', rootId]]);

  const rootPkg: SpdxPackage = {
    SPDXID: rootId,
    name: analysis.artifactName,
    versionInfo: identity.version ?? NOASSERTION,
    packageFileName: analysis.artifactName,
    supplier: rootSupplier,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    primaryPackagePurpose: rootPurpose(analysis),
    comment: containerComment(analysis.root, analysis),
  };
  const rootSums = checksums(analysis.root);
  if (rootSums) rootPkg.checksums = rootSums;
  packages.push(rootPkg);
  rel('SPDXRef-DOCUMENT', 'DESCRIBES', rootId);

  for (const c of analysis.containers) {
    if (c.key === '') continue;
    const id = ids.take('SPDXRef-CONTAINER-', c.key);
    containerIds.set(c.key, id);
    const pkg: SpdxPackage = {
      SPDXID: id,
      name: c.info.name ?? c.hints?.name ?? c.name,
      versionInfo: c.info.version ?? c.hints?.version ?? NOASSERTION,
      packageFileName: c.key,
      supplier: c.info.manufacturer ? `Organization: ${c.info.manufacturer}` : rootSupplier,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      primaryPackagePurpose: INSTALLER_FORMATS.has(c.info.format) ? 'INSTALL' : 'ARCHIVE',
      comment: containerComment(c, analysis),
    };
    const sums = checksums(c);
    if (sums) pkg.checksums = sums;
    packages.push(pkg);
  }
  for (const c of analysis.containers) {
    if (c.parent !== undefined) rel(containerIds.get(c.parent)!, 'CONTAINS', containerIds.get(c.key)!);
  }

  const fileIds = new Map<string, string>();
  for (const f of analysis.files) {
    if (f.kind !== 'file' || f.absent || !f.digests) continue;
    const id = ids.take('SPDXRef-FILE-', f.path);
    fileIds.set(f.path, id);
    const facts = analysis.facts.get(f.path);
    const file: SpdxFile = {
      SPDXID: id,
      fileName: `./${f.path}`,
      checksums: checksums(f)!,
      ...(facts?.pe || facts?.macho ? { fileTypes: ['BINARY'] } : {}),
    };
    const warning = analysis.inspectWarnings.get(f.path);
    if (warning) file.comment = `Not inspected: ${warning}`;
    files.push(file);
    rel(containerIds.get(f.container)!, 'CONTAINS', id);
  }

  const componentIds = new Map<Component, string>();
  for (const c of analysis.components) {
    const id = ids.take('SPDXRef-PACKAGE-', componentIdStem(c));
    componentIds.set(c, id);
    const pkg: SpdxPackage = {
      SPDXID: id,
      name: c.identity.name,
      versionInfo: c.version ?? NOASSERTION,
      supplier: c.identity.supplier,
      ...(c.identity.originator ? { originator: c.identity.originator } : {}),
      downloadLocation: downloadFor(c),
      filesAnalyzed: false,
      ...(c.identity.homepage ? { homepage: c.identity.homepage } : {}),
      licenseConcluded: NOASSERTION,
      licenseDeclared: c.identity.licenseDeclared ?? NOASSERTION,
      copyrightText: NOASSERTION,
      externalRefs: componentRefs(c),
      primaryPackagePurpose: 'LIBRARY',
      comment: evidenceComment(c),
    };
    packages.push(pkg);
    rel(rootId, 'DEPENDS_ON', id);
    for (const carrier of c.carriers) {
      const from = fileIds.get(carrier.file) ?? containerIdForPath(carrier.file, analysis, containerIds);
      if (from) rel(from, carrier.relation === 'contains' ? 'CONTAINS' : 'STATIC_LINK', id);
    }
  }

  // A file importing a component's library links to that component (when the artifact ships it).
  for (const link of analysis.links) {
    const from = fileIds.get(link.file);
    const candidates = analysis.components.filter((c) => c.identity.id === link.componentId);
    const importBase = basename(link.target).toLowerCase();
    const target = candidates.find((c) => c.carriers.some((x) => basename(x.file).toLowerCase() === importBase)) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!from || !target) continue;
    const to = componentIds.get(target)!;
    if (!rels.some((r) => r.spdxElementId === from && r.relatedSpdxElement === to)) rel(from, 'DYNAMIC_LINK', to);
  }

  const doc: SpdxDocument = {
    SPDXID: 'SPDXRef-DOCUMENT',
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    name: options.documentName ?? analysis.artifactName,
    documentNamespace: options.namespace ?? deriveNamespace(analysis),
    creationInfo: {
      created,
      creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`, ...(options.creators ?? [])],
      licenseListVersion: '3.22',
    },
    packages,
    files,
    relationships: rels,
  };
  return { doc, rootId, componentIds, fileIds, ids };
}

function containerIdForPath(path: string, analysis: Analysis, containerIds: Map<string, string>): string | undefined {
  if (path === analysis.root.name) return containerIds.get('');
  return containerIds.get(path);
}

/** Format, declared properties, links and absent files of a container, for its package comment. */
function containerComment(c: ContainerNode, analysis: Analysis): string {
  const lines = [`Container format: ${c.info.format}. Origin: ${c.chain.join(' › ')}.`];
  const props = Object.entries({ ...(c.hints?.properties ?? {}), ...c.info.properties }).sort(([a], [b]) => (a < b ? -1 : 1));
  if (props.length > 0) lines.push(`Declared: ${props.map(([k, v]) => `${k}=${v}`).join('; ')}.`);
  for (const w of c.info.warnings ?? []) lines.push(`Warning: ${w}`);
  const mine = (f: FileNode) => f.container === c.key;
  const links = analysis.files.filter((f) => mine(f) && (f.kind === 'symlink' || f.kind === 'hardlink'));
  if (links.length > 0) lines.push(`Links (not followed): ${links.map((f) => `${f.path} -> ${f.linkTarget ?? '?'}`).join('; ')}.`);
  const absent = analysis.files.filter((f) => mine(f) && f.absent);
  if (absent.length > 0) lines.push(`Declared but not contained in this artifact: ${absent.map((f) => f.path).join('; ')}.`);
  return lines.join('\n');
}
