import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import * as CDX from '@cyclonedx/cyclonedx-library';
import type { Component } from '../detect/engine.js';
import type { Evidence, EvidenceKind } from '../detect/types.js';
import type { Analysis } from '../pipeline.js';
import type { ContainerNode, FileNode } from '../unpack/walk.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { componentPurl, createdTimestamp } from './compose.js';
import { formatCpe } from './cpe.js';

export interface CycloneDxOptions {
  /** `Organization: …` or `Person: …` for the artifact when the artifact does not say. */
  supplier?: string;
  /** Seconds since the epoch for `metadata.timestamp`; defaults to SOURCE_DATE_EPOCH, else now. */
  createdEpoch?: number;
}

/** A CycloneDX 1.6 document as plain JSON data (what `toCycloneDxJson` serialises). */
export type CycloneDxBom = CDX.Serialize.JSON.Types.Normalized.Bom;

/** Stable bom-refs: one namespace per kind, keyed by what identifies the element in the artifact. */
export const bomRefs = {
  artifact: (name: string) => `artifact:${name}`,
  container: (key: string) => `container:${key}`,
  file: (path: string) => `file:${path}`,
  component: (c: Component) => `component:${c.identity.id}@${c.version ?? 'NOASSERTION'}`,
};

/**
 * `urn:uuid:` shaped as a name-based UUID (RFC 9562 §5.5, version 5): SHA-1 over a fixed namespace
 * and the artifact's SHA-256, so the same artifact always gets the same serial number.
 */
export function serialNumberFor(artifactSha256: string): string {
  // RFC 9562 Appendix A URL namespace: the name is a URL-like string of ours.
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const h = createHash('sha1').update(ns).update(`${TOOL_NAME}:artifact:sha256:${artifactSha256.toLowerCase()}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A directory has no bytes of its own: the same file list hash compose.ts uses for its namespace. */
function artifactHash(analysis: Analysis): string {
  return (
    analysis.root.digests?.sha256 ??
    createHash('sha256')
      .update(analysis.files.map((f) => `${f.path}\t${f.digests?.sha256 ?? f.linkTarget ?? ''}\n`).join(''))
      .digest('hex')
  );
}

function entity(supplier: string | undefined): CDX.Models.OrganizationalEntity | undefined {
  const name = supplier?.replace(/^(Organization|Person):\s*/, '').trim();
  return name && name !== 'NOASSERTION' ? new CDX.Models.OrganizationalEntity({ name }) : undefined;
}

function hashesOf(node: { digests?: { sha1: string; sha256: string } }): CDX.Models.HashDictionary {
  const h = new CDX.Models.HashDictionary();
  if (node.digests) {
    h.set(CDX.Enums.HashAlgorithm['SHA-1'], node.digests.sha1);
    h.set(CDX.Enums.HashAlgorithm['SHA-256'], node.digests.sha256);
  }
  return h;
}

const INSTALLER_FORMATS = new Set(['msi', 'burn', 'nsis', 'pkg', 'xar']);

function rootType(analysis: Analysis): CDX.Enums.ComponentType {
  const fmt = analysis.root.info.format;
  if (fmt === 'file') {
    const f = analysis.facts.get(analysis.root.name);
    if (f?.pe) return f.pe.isDll ? CDX.Enums.ComponentType.Library : CDX.Enums.ComponentType.Application;
    const type = f?.macho?.slices[0]?.fileType;
    if (type) return type === 'MH_EXECUTE' ? CDX.Enums.ComponentType.Application : CDX.Enums.ComponentType.Library;
    return CDX.Enums.ComponentType.File;
  }
  return INSTALLER_FORMATS.has(fmt) ? CDX.Enums.ComponentType.Application : CDX.Enums.ComponentType.File;
}

/** CycloneDX 1.6 `evidence.identity.methods[].technique` for each way we gather evidence. */
const TECHNIQUE: Record<EvidenceKind, { technique: string; confidence: number }> = {
  string: { technique: 'binary-analysis', confidence: 0.8 },
  versioninfo: { technique: 'binary-analysis', confidence: 0.9 },
  'install-name': { technique: 'binary-analysis', confidence: 0.6 },
  'load-command': { technique: 'binary-analysis', confidence: 0.4 },
  plist: { technique: 'manifest-analysis', confidence: 0.8 },
  'file-name': { technique: 'filename', confidence: 0.3 },
  'abi-name': { technique: 'filename', confidence: 0.3 },
  'known-hash': { technique: 'hash-comparison', confidence: 1 },
  container: { technique: 'binary-analysis', confidence: 0.5 },
  declared: { technique: 'manifest-analysis', confidence: 0.7 },
  symbol: { technique: 'binary-analysis', confidence: 0.7 },
  signature: { technique: 'other', confidence: 0.8 },
  'embedded-sbom': { technique: 'manifest-analysis', confidence: 0.9 },
  'package-metadata': { technique: 'manifest-analysis', confidence: 0.9 },
};

function describeEvidence(e: Evidence): string {
  const arch = e.arch ? ` [${e.arch}]` : '';
  return `${e.kind} "${e.text}" at ${e.location}${arch}`;
}

/**
 * The library's model only carries licence and copyright evidence, so identity and occurrences
 * (CycloneDX 1.6 §evidence) are added to the normalised JSON; the schema check covers them.
 */
function evidenceJson(c: Component): Record<string, unknown> {
  const field = c.version ? 'version' : 'name';
  const methods = new Map<string, { technique: string; confidence: number; value: string }>();
  for (const e of c.evidence) {
    if (c.version && e.version !== undefined && e.version !== c.version && !c.version.startsWith(e.version) && !e.version.startsWith(c.version)) continue;
    const t = TECHNIQUE[e.kind] ?? { technique: 'other', confidence: 0.2 };
    const value = `${e.file}: ${describeEvidence(e)}`;
    if (!methods.has(value)) methods.set(value, { ...t, value });
  }
  const sorted = [...methods.values()].sort((a, b) => b.confidence - a.confidence || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const confidence = sorted.length > 0 ? Math.max(...sorted.map((m) => m.confidence)) : 0;
  const occurrences = c.evidence.map((e) => {
    const offset = /^0x([0-9a-f]+)\b/i.exec(e.location);
    return {
      location: e.file,
      ...(offset ? { offset: Number.parseInt(offset[1]!, 16) } : {}),
      additionalContext: describeEvidence(e) + (e.version ? ` (version ${e.version})` : ''),
    };
  });
  const seen = new Set<string>();
  const unique = occurrences.filter((o) => {
    const k = JSON.stringify(o);
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return {
    identity: [
      {
        field,
        confidence,
        concludedValue: c.version ?? c.identity.name,
        methods: sorted,
      },
    ],
    occurrences: unique,
  };
}

/**
 * analysis → CycloneDX 1.6 (JSON data): the artifact as `metadata.component`, each container a
 * `file` component holding its members, each file a `file` component with SHA-1 and SHA-256, and
 * each detected component a `library` with purl, CPE, supplier and evidence.
 */
export function toCycloneDx(analysis: Analysis, options: CycloneDxOptions = {}): CycloneDxBom {
  const T = CDX.Enums.ComponentType;
  const root = new CDX.Models.Component(rootType(analysis), analysis.artifactName, {
    bomRef: bomRefs.artifact(analysis.artifactName),
    hashes: hashesOf(analysis.root),
  });
  const rootVersion = analysis.root.info.version;
  if (rootVersion) root.version = rootVersion;
  const rootSupplier = entity(options.supplier ?? (analysis.root.info.manufacturer ? `Organization: ${analysis.root.info.manufacturer}` : undefined));
  if (rootSupplier) root.supplier = rootSupplier;

  const tool = new CDX.Models.Component(T.Application, TOOL_NAME, { version: TOOL_VERSION, bomRef: `tool:${TOOL_NAME}` });
  const bom = new CDX.Models.Bom({
    serialNumber: serialNumberFor(artifactHash(analysis)),
    metadata: new CDX.Models.Metadata({
      timestamp: new Date(createdTimestamp(options.createdEpoch)),
      component: root,
      tools: new CDX.Models.Tools({ components: new CDX.Models.ComponentRepository([tool]) }),
    }),
  });

  const containers = new Map<string, CDX.Models.Component>();
  const holder = (key: string): CDX.Models.ComponentRepository => (key === '' ? bom.components : containers.get(key)!.components);
  for (const c of analysis.containers) {
    if (c.key === '') continue;
    containers.set(c.key, containerComponent(c));
  }
  // Containers come parent-first out of the walk, so each parent exists before its children are added.
  for (const c of analysis.containers) if (c.key !== '') holder(c.parent ?? '').add(containers.get(c.key)!);

  const files = new Map<string, CDX.Models.Component>();
  for (const f of analysis.files) {
    if (f.kind !== 'file' || f.absent || !f.digests) continue;
    const comp = fileComponent(f);
    files.set(f.path, comp);
    holder(f.container).add(comp);
  }

  const libs = new Map<Component, CDX.Models.Component>();
  for (const c of analysis.components) {
    const lib = new CDX.Models.Component(T.Library, c.identity.name, {
      bomRef: bomRefs.component(c),
      ...(c.version ? { version: c.version } : {}),
      purl: componentPurl(c),
      ...(c.identity.cpe ? { cpe: formatCpe(c.identity.cpe.vendor, c.identity.cpe.product, c.version) } : {}),
    });
    const supplier = entity(c.identity.supplier);
    if (supplier) lib.supplier = supplier;
    if (c.identity.licenseDeclared) lib.licenses.add(new CDX.Models.LicenseExpression(c.identity.licenseDeclared));
    if (c.identity.homepage) lib.externalReferences.add(new CDX.Models.ExternalReference(c.identity.homepage, CDX.Enums.ExternalReferenceType.Website));
    bom.components.add(lib);
    libs.set(c, lib);
    root.dependencies.add(lib.bomRef);
    for (const carrier of c.carriers) {
      const from = files.get(carrier.file) ?? containers.get(carrier.file);
      from?.dependencies.add(lib.bomRef);
    }
  }
  // As compose.ts: an import resolves to the shipped copy whose file name matches, else to the only copy.
  for (const link of analysis.links) {
    const from = files.get(link.file);
    const candidates = analysis.components.filter((c) => c.identity.id === link.componentId);
    const importBase = basename(link.target).toLowerCase();
    const target = candidates.find((c) => c.carriers.some((x) => basename(x.file).toLowerCase() === importBase)) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (from && target) from.dependencies.add(libs.get(target)!.bomRef);
  }

  const factory = new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6);
  const json = factory.makeForBom().normalize(bom, { sortLists: true });
  const evidence = new Map([...libs].map(([c]) => [bomRefs.component(c), evidenceJson(c)]));
  for (const comp of json.components ?? []) {
    const ev = comp['bom-ref'] ? evidence.get(comp['bom-ref']) : undefined;
    if (ev) (comp as unknown as Record<string, unknown>)['evidence'] = ev;
  }
  return json;
}

function containerComponent(c: ContainerNode): CDX.Models.Component {
  const comp = new CDX.Models.Component(CDX.Enums.ComponentType.File, c.info.name ?? c.hints?.name ?? c.name, {
    bomRef: bomRefs.container(c.key),
    hashes: hashesOf(c),
    description: `${c.info.format} container at ${c.key} (origin: ${c.chain.join(' › ')})`,
  });
  const version = c.info.version ?? c.hints?.version;
  if (version) comp.version = version;
  const supplier = entity(c.info.manufacturer ? `Organization: ${c.info.manufacturer}` : undefined);
  if (supplier) comp.supplier = supplier;
  comp.properties.add(new CDX.Models.Property('installer-sbom:path', c.key));
  comp.properties.add(new CDX.Models.Property('installer-sbom:container-format', c.info.format));
  return comp;
}

function fileComponent(f: FileNode): CDX.Models.Component {
  const comp = new CDX.Models.Component(CDX.Enums.ComponentType.File, basename(f.path), {
    bomRef: bomRefs.file(f.path),
    hashes: hashesOf(f),
  });
  comp.properties.add(new CDX.Models.Property('installer-sbom:path', `./${f.path}`));
  comp.properties.add(new CDX.Models.Property('installer-sbom:size', String(f.size)));
  return comp;
}

/** Canonical CycloneDX 1.6 JSON text (two-space indent, final newline) for an analysis. */
export function toCycloneDxJson(analysis: Analysis, options: CycloneDxOptions = {}): string {
  const bom = toCycloneDx(analysis, options);
  return `${JSON.stringify({ $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json', ...bom }, null, 2)}\n`;
}
