import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Component, Link } from '../detect/engine.js';
import type { Evidence } from '../detect/types.js';
import type { BinaryFacts } from '../inspect/types.js';
import type { Analysis } from '../pipeline.js';
import { describeFormat } from '../unpack/registry.js';
import type { ContainerNode } from '../unpack/walk.js';
import { componentPackage } from './component-package.js';
import { documentInfo, type DocumentOptions } from './document-info.js';
import {
  parseParty,
  type ArtifactPackage,
  type Bom,
  type ComponentPackage,
  type ContainerPackage,
  type FileElement,
  type FileKind,
  type KnownUnknown,
  type Party,
  type Purpose,
  type Relationship,
} from './model.js';

export interface ResolveOptions extends DocumentOptions {
  /** `Organization: …` or `Person: …` for the artifact itself, used only when the artifact states none. */
  supplier?: string;
}

export const ARTIFACT_REF = 'artifact';
export const containerRef = (path: string): string => `container:${path}`;

/**
 * analysis → the resolved model, with the decisions every format shares: the artifact's identity
 * and purpose, containers and files with their digests and BSI file properties, one package per
 * component copy, relationships that mean what they say, and what could not be seen.
 */
export function resolveBom(analysis: Analysis, options: ResolveOptions = {}): Bom {
  const files = resolveFiles(analysis);
  const refsByPath = new Map<string, string[]>();
  for (const f of files) refsByPath.set(f.path, [...(refsByPath.get(f.path) ?? []), f.ref]);
  const containerRefs = new Map(analysis.containers.map((c) => [c.key, c.key === '' ? ARTIFACT_REF : containerRef(c.key)]));

  const { artifact, statedSupplier } = resolveArtifact(analysis, options.supplier);
  const containers = analysis.containers.filter((c) => c.key !== '').map((c) => resolveContainer(c, statedSupplier, analysis));
  const relationships: Relationship[] = [];
  for (const c of analysis.containers) {
    if (c.parent !== undefined) relationships.push({ from: containerRefs.get(c.parent)!, type: 'contains', to: containerRefs.get(c.key)! });
  }
  for (const f of files) relationships.push({ from: f.container, type: 'contains', to: f.ref });

  const copies = foldSameBuild(analysis.components, analysis.links);
  const components: ComponentPackage[] = [];
  const refOfCopy = new Map<Component, string>();
  const usedRefs = new Set<string>();
  for (const c of copies) {
    const pkg = componentPackage(c, usedRefs);
    components.push(pkg);
    refOfCopy.set(c, pkg.ref);
    relationships.push({ from: ARTIFACT_REF, type: 'depends-on', to: pkg.ref });
    for (const carrier of c.carriers) {
      const binary = isBinary(analysis.facts.get(carrier.file));
      const container = carrier.file === analysis.root.name && analysis.root.info.format !== 'file' ? ARTIFACT_REF : containerRefs.get(carrier.file);
      if (container) {
        // The container format itself reveals the component (the Burn engine in a bundle's stub).
        relationships.push({ from: container, type: 'contains', to: pkg.ref });
        continue;
      }
      // Metadata (an Info.plist, versions.json) is evidence of a component, never a copy of it.
      if (!binary) continue;
      for (const file of refsByPath.get(carrier.file) ?? []) {
        // The library file is the component (`libcrypto-3.dll` is OpenSSL); any other binary holds a compiled-in copy.
        if (carrier.relation === 'contains') relationships.push({ from: pkg.ref, type: 'contains', to: file });
        else relationships.push({ from: file, type: 'static-link', to: pkg.ref });
      }
    }
  }
  relationships.push(...dynamicLinks(analysis.links, copies, refOfCopy, refsByPath));

  return {
    document: documentInfo(analysis.artifactName, contentHash(analysis), options),
    artifact,
    containers,
    files,
    components,
    relationships: dedupe(relationships),
    declaredAbsent: [],
    knownUnknowns: knownUnknowns(analysis, files),
  };
}

/** A directory has no bytes of its own: its identity is the hash of its file list. */
function contentHash(analysis: Analysis): string {
  return (
    analysis.root.digests?.sha256 ??
    createHash('sha256')
      .update(analysis.files.map((f) => `${f.path}\t${f.digests?.sha256 ?? f.linkTarget ?? ''}\n`).join(''))
      .digest('hex')
  );
}

function isBinary(facts: BinaryFacts | undefined): boolean {
  return !!(facts?.pe || facts?.macho || facts?.format === 'elf' || facts?.format === 'wasm');
}

function resolveFiles(analysis: Analysis): FileElement[] {
  const out: FileElement[] = [];
  const seen = new Map<string, number>();
  for (const f of analysis.files) {
    if (f.kind !== 'file' || f.absent || !f.digests) continue;
    const n = (seen.get(f.path) ?? 0) + 1;
    seen.set(f.path, n);
    const facts = analysis.facts.get(f.path);
    const file: FileElement = {
      ref: n === 1 ? `file:${f.path}` : `file:${f.path}#${n}`,
      path: f.path,
      container: f.container === '' ? ARTIFACT_REF : containerRef(f.container),
      size: f.size,
      digests: f.digests,
      fileKind: { executable: isBinary(facts), archive: !!f.unopened, structured: false },
      signatures: [...(facts?.pe?.signatures ?? []), ...(facts?.macho?.slices.flatMap((s) => (s.signature ? [s.signature] : [])) ?? [])],
      // A file named like a format its bytes are not (a text file called setup.msi): said where it is.
      notes: (f.warnings ?? []).map((text) => ({ text: `Warning: ${text}` })),
    };
    if (facts && facts.format !== 'other') file.binaryFormat = facts.format;
    const warning = analysis.inspectWarnings.get(f.path) ?? facts?.notInspected;
    if (warning) file.notInspected = warning;
    if (f.unopened) file.unopened = f.unopened;
    out.push(file);
  }
  return out;
}

/** The version resource's first string table, as the artifact itself states it. */
function versionStrings(facts: BinaryFacts | undefined): Record<string, string> | undefined {
  const tables = facts?.pe?.versionInfo?.strings;
  return tables ? Object.values(tables)[0] : undefined;
}

/** VERSIONINFO values carry padding (`0.10.6 +kernels `); the stated value is what is left. */
function stated(value: string | undefined): string | undefined {
  const v = value?.replace(/\0+$/, '').trim();
  return v ? v : undefined;
}

/** The artifact's package, and the supplier the artifact states itself (never the `--supplier` fallback). */
function resolveArtifact(analysis: Analysis, fallbackSupplier: string | undefined): { artifact: ArtifactPackage; statedSupplier: Party | undefined } {
  const root = analysis.root;
  const info = root.info;
  const facts = info.format === 'file' ? analysis.facts.get(root.name) : undefined;
  const strings = versionStrings(facts);
  let version = stated(info.version) ?? stated(strings?.['ProductVersion']) ?? stated(strings?.['FileVersion']);
  let supplier: Party | undefined = info.manufacturer ? parseParty(`Organization: ${info.manufacturer}`) : undefined;
  const company = stated(strings?.['CompanyName']);
  supplier ??= company ? parseParty(`Organization: ${company}`) : undefined;
  if (info.format === 'file') {
    // A bare library that is itself one component (zlib1.dll) is supplied by that component's supplier.
    const own = analysis.components.filter((c) => c.carriers.some((x) => x.file === root.name && x.relation === 'contains'));
    if (own.length === 1) {
      supplier ??= parseParty(own[0]!.identity.supplier);
      version ??= own[0]!.version;
    }
  }
  const statedSupplier = supplier;
  supplier ??= parseParty(fallbackSupplier);
  const purpose = artifactPurpose(analysis, facts);
  const opened = info.format !== 'file';
  const artifact: ArtifactPackage = {
    kind: 'artifact',
    ref: ARTIFACT_REF,
    name: root.name,
    ...(version ? { version } : {}),
    ...(supplier ? { supplier } : {}),
    ...(info.format !== 'directory' ? { fileName: root.name } : {}),
    ...(root.digests ? { digests: root.digests } : {}),
    cpes: [],
    purpose,
    format: info.format,
    properties: { ...info.properties },
    fileKind: {
      executable: isBinary(facts) || isExecutableFormat(info.format),
      archive: opened && info.format !== 'directory',
      structured: opened,
    },
    signatures: [...(info.signatures ?? []), ...(facts?.pe?.signatures ?? []), ...(facts?.macho?.slices.flatMap((s) => (s.signature ? [s.signature] : [])) ?? [])],
    description: containerDescription(root, analysis),
    notes: [],
  };
  return { artifact, statedSupplier };
}

function artifactPurpose(analysis: Analysis, facts: BinaryFacts | undefined): Purpose {
  const fmt = analysis.root.info.format;
  if (fmt === 'file') {
    if (facts?.pe) return facts.pe.isDll ? 'library' : 'application';
    const type = facts?.macho?.slices[0]?.fileType;
    if (type) return type === 'MH_EXECUTE' ? 'application' : 'library';
    return 'file';
  }
  if (fmt === 'directory') return 'file';
  return purposeOfFormat(fmt);
}

function resolveContainer(c: ContainerNode, artifactSupplier: Party | undefined, analysis: Analysis): ContainerPackage {
  const version = stated(c.info.version) ?? stated(c.hints?.version);
  // A container that names no supplier comes from whoever supplies the artifact that carries it.
  const supplier = (c.info.manufacturer ? parseParty(`Organization: ${c.info.manufacturer}`) : undefined) ?? artifactSupplier;
  const purpose = purposeOfFormat(c.info.format);
  return {
    kind: 'container',
    ref: containerRef(c.key),
    name: c.info.name ?? c.hints?.name ?? c.name,
    ...(version ? { version } : {}),
    ...(supplier ? { supplier } : {}),
    fileName: c.key,
    ...(c.digests ? { digests: c.digests } : {}),
    cpes: [],
    purpose,
    path: c.key,
    format: c.info.format,
    chain: c.chain,
    size: c.size,
    properties: { ...(c.hints?.properties ?? {}), ...c.info.properties },
    warnings: [...(c.info.warnings ?? [])],
    fileKind: { executable: isExecutableFormat(c.info.format), archive: true, structured: true },
    signatures: [...(c.info.signatures ?? [])],
    description: containerDescription(c, analysis),
    notes: [],
  };
}

/** What the format's descriptor declares: installers are `install`, everything else that holds members an `archive`. */
function purposeOfFormat(format: string): Purpose {
  return describeFormat(format)?.purpose === 'installer' ? 'install' : 'archive';
}

/** A container whose own bytes run (a Burn bundle's stub, a self-extractor): its format lives in `.exe` files. */
function isExecutableFormat(format: string): boolean {
  return describeFormat(format)?.extensions.some((e) => e.toLowerCase() === '.exe') ?? false;
}

/** Format and origin, and the links it holds (recorded, never followed). */
function containerDescription(c: ContainerNode, analysis: Analysis): string {
  if (c.info.format === 'file') return `The file ${c.name}.`;
  const lines = [`Container format: ${c.info.format}. Origin: ${c.chain.join(' › ')}.`];
  const links = analysis.files.filter((f) => f.container === c.key && (f.kind === 'symlink' || f.kind === 'hardlink'));
  if (links.length > 0) lines.push(`Links (not followed): ${links.map((f) => `${f.path} -> ${f.linkTarget ?? '?'}`).join('; ')}.`);
  return lines.join('\n');
}

/**
 * A library without a version mark that imports a versioned copy of the same component is part of
 * that build (macOS `libssl.3.dylib` loads `libcrypto.3.dylib`, which carries OpenSSL's version):
 * one copy with two carriers, not a NOASSERTION twin. Anything else without a version stays its own copy.
 */
function foldSameBuild(components: readonly Component[], links: readonly Link[]): Component[] {
  const out = components.map((c) => ({ ...c, carriers: [...c.carriers], evidence: [...c.evidence], archs: [...c.archs] }));
  for (const loose of out.filter((c) => c.version === undefined)) {
    const versioned = out.filter((c) => c.identity.id === loose.identity.id && c.version !== undefined);
    if (versioned.length === 0) continue;
    const keep: typeof loose.carriers = [];
    for (const carrier of loose.carriers) {
      const target = links
        .filter((l) => l.file === carrier.file && l.componentId === loose.identity.id)
        .map((l) => versioned.find((v) => v.carriers.some((x) => x.relation === 'contains' && basename(x.file).toLowerCase() === basename(l.target).toLowerCase())))
        .find((v) => v !== undefined);
      if (!target || carrier.relation !== 'contains') {
        keep.push(carrier);
        continue;
      }
      target.carriers.push(carrier);
      const link = links.find((l) => l.file === carrier.file && l.componentId === loose.identity.id)!;
      target.evidence.push(...loose.evidence.filter((e) => e.file === carrier.file), {
        file: carrier.file,
        kind: 'load-command',
        text: link.target,
        location: `${link.evidence[0]?.location ?? 'import'}: same build as ${target.carriers.find((x) => x.relation === 'contains')!.file}`,
      });
      for (const a of loose.archs) if (!target.archs.includes(a)) target.archs.push(a);
    }
    loose.carriers = keep;
    loose.evidence = loose.evidence.filter((e) => keep.some((k) => k.file === e.file));
  }
  const kept = out.filter((c) => c.carriers.length > 0);
  for (const c of kept) {
    c.carriers.sort((a, b) => cmp(a.file, b.file) || cmp(a.relation, b.relation));
    c.evidence.sort(evidenceOrder);
    c.archs.sort();
  }
  return kept;
}

function evidenceOrder(a: Evidence, b: Evidence): number {
  return cmp(a.file, b.file) || cmp(a.kind, b.kind) || cmp(a.location, b.location) || cmp(a.text, b.text);
}

/**
 * Every import of a component's library is a DYNAMIC_LINK from the importer to the shipped copy it
 * loads: the copy whose carrier has the imported file name, else the only copy of that component.
 * An import of a library the artifact does not ship (a system libffi) links to nothing here.
 */
function dynamicLinks(links: readonly Link[], copies: readonly Component[], refOf: Map<Component, string>, refsByPath: Map<string, string[]>): Relationship[] {
  const out: Relationship[] = [];
  for (const link of links) {
    const candidates = copies.filter((c) => c.identity.id === link.componentId);
    const importBase = basename(link.target).toLowerCase();
    const target = candidates.find((c) => c.carriers.some((x) => basename(x.file).toLowerCase() === importBase)) ?? (candidates.length === 1 ? candidates[0] : undefined);
    if (!target) continue;
    // A library importing itself under another name (libssl folded into its libcrypto build) is not a link.
    if (target.carriers.some((x) => x.file === link.file)) continue;
    for (const from of refsByPath.get(link.file) ?? []) {
      out.push({ from, type: 'dynamic-link', to: refOf.get(target)!, comment: `${link.evidence[0]?.location ?? 'import'}: ${link.target}` });
    }
  }
  return out;
}

/**
 * What could not be seen: unpack unknowns (unopened containers, undecodable members, absent
 * payloads), declared-but-absent files, and files whose facts could not be read. Each may hide a
 * component, so each makes the lists it touches incomplete.
 */
function knownUnknowns(analysis: Analysis, files: FileElement[]): KnownUnknown[] {
  const out: KnownUnknown[] = [];
  const scopeOf = (path: string): string => {
    const containers = analysis.containers.filter((c) => c.key !== '' && (path === c.key || path.startsWith(`${c.membersRoot}/`)));
    const deepest = containers.sort((a, b) => b.membersRoot.length - a.membersRoot.length)[0];
    return deepest ? containerRef(deepest.key) : ARTIFACT_REF;
  };
  const seen = new Set<string>();
  for (const u of analysis.unknowns ?? []) {
    seen.add(u.path);
    out.push({ kind: u.kind, subject: u.path, reason: `${u.reason}${u.format ? ` (${u.format})` : ''}`, scope: scopeOf(u.path) });
  }
  for (const f of analysis.files) {
    if (!f.absent || seen.has(f.path)) continue;
    out.push({ kind: 'absent', subject: f.path, reason: 'declared by its container but its bytes are not in this artifact', scope: f.container === '' ? ARTIFACT_REF : containerRef(f.container) });
  }
  for (const f of files) {
    if (f.unopened && !seen.has(f.path)) out.push({ kind: 'unopened-container', subject: f.path, reason: `${f.unopened.reason} (${f.unopened.format})`, scope: f.ref });
    if (f.notInspected) out.push({ kind: 'not-inspected', subject: f.path, reason: f.notInspected, scope: f.ref });
  }
  return out;
}

function dedupe(rels: Relationship[]): Relationship[] {
  const seen = new Set<string>();
  return rels.filter((r) => {
    const key = `${r.from}\u0000${r.type}\u0000${r.to}`;
    if (seen.has(key) || r.from === r.to) return false;
    seen.add(key);
    return true;
  });
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
