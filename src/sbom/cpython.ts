import { basename } from 'node:path';
import type { Component } from '../detect/engine.js';
import type { Analysis } from '../pipeline.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { componentPurl, evidenceComment, type ComposedSbom } from './compose.js';
import type { SpdxAnnotation, SpdxExternalRef, SpdxPackage } from './model.js';
import type { DeclaredPackage, SourceSboms } from './source-sbom.js';

export const PSF = 'Organization: Python Software Foundation';
const NOASSERTION = 'NOASSERTION';

/** `python-3.13.0rc2-amd64.exe`, `python-3.12.6-embed-win32.zip`, `python-3.13.0-macos11.pkg` (release-tools' regex, plus .pkg). */
const ARTIFACT_NAME = /^python-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)t?(?:-|\.exe$|\.zip$|\.msi$|\.pkg$)/;

/** Names CPython's SBOMs use → our rule ids. */
export const DECLARED_TO_RULE: Record<string, string> = {
  openssl: 'openssl',
  sqlite: 'sqlite',
  'tcl-core': 'tcl',
  tcl: 'tcl',
  tk: 'tk',
  tix: 'tix',
  xz: 'xz',
  zlib: 'zlib',
  'zlib-ng': 'zlib-ng',
  bzip2: 'bzip2',
  libffi: 'libffi',
  mpdecimal: 'mpdecimal',
  expat: 'expat',
  zstd: 'zstd',
};

/** Declared packages whose presence no binary can evidence (compiled in without a version string). */
const NOT_VERIFIABLE = new Set(['hacl-star', 'libb2', 'macholib', 'mimalloc']);

export type ReconcileStatus = 'corroborated' | 'contradicted' | 'not-shipped' | 'not-found' | 'not-verifiable';

export interface Reconciliation {
  declared: DeclaredPackage;
  status: ReconcileStatus;
  /** What the binaries show (for corroborated / contradicted). */
  shipped?: Component[];
  note: string;
}

/** The CPython version of the artifact: from its file name (release naming) or a source-release SBOM. */
export function cpythonVersionOf(analysis: Analysis, sources?: SourceSboms): string | undefined {
  return ARTIFACT_NAME.exec(analysis.artifactName)?.[1] ?? sources?.cpythonVersion;
}

/** `3.45.3.0` (cpython-source-deps tag) and `3.45.3` (the binary) are one version. */
export function sameVersion(a: string, b: string): boolean {
  const n = (v: string) => v.replace(/^v/, '').replace(/(?:\.0)+$/, '');
  return n(a) === n(b);
}

/** The version CPEs and purls should carry: three parts where the tag has a fourth `.0`. */
export function normalizedVersion(v: string): string {
  return /^\d+\.\d+\.\d+\.0$/.test(v) ? v.replace(/\.0$/, '') : v;
}

/**
 * Declared (source SBOM) vs shipped (binaries): a declared package is corroborated when a detected
 * component with the same rule agrees on the version, contradicted when the binaries show another
 * version, not shipped when the platform manifest says this artifact kind does not carry it, and
 * not found when nothing in the binaries shows it.
 */
export function reconcile(declared: DeclaredPackage[], components: Component[], notShipped: ReadonlySet<string>): Reconciliation[] {
  const results = declared.map((d) => reconcileOne(d, components, notShipped));
  // Two declarations of one component (CPython 3.13's in-tree mpdecimal 2.5.1 and the external
  // 4.0.0): when the binaries corroborate one, the other is not built into this artifact.
  for (const r of results) {
    if (r.status !== 'contradicted') continue;
    const ruleId = DECLARED_TO_RULE[r.declared.pkg.name];
    const twin = results.find((o) => o !== r && o.status === 'corroborated' && DECLARED_TO_RULE[o.declared.pkg.name] === ruleId);
    if (twin) {
      r.status = 'not-shipped';
      r.note = `declared ${r.declared.pkg.versionInfo} by ${r.declared.document}, but the binaries show the ${twin.declared.pkg.versionInfo} declared by ${twin.declared.document}; this copy is not built into the artifact`;
      delete r.shipped;
    }
  }
  return results;
}

function reconcileOne(d: DeclaredPackage, components: Component[], notShipped: ReadonlySet<string>): Reconciliation {
  {
    const name = d.pkg.name;
    const version = d.pkg.versionInfo ?? '';
    const ruleId = DECLARED_TO_RULE[name];
    if (!ruleId) {
      if (NOT_VERIFIABLE.has(name)) return { declared: d, status: 'not-verifiable', note: `${name} is compiled in without a version mark; taken from ${d.document} as declared` };
      return { declared: d, status: 'not-verifiable', note: `no detection rule for ${name}; taken from ${d.document} as declared` };
    }
    if (notShipped.has(ruleId)) return { declared: d, status: 'not-shipped', note: `declared by ${d.document} but not shipped in this kind of artifact (platform manifest)` };
    const found = components.filter((c) => c.identity.id === ruleId);
    const versioned = found.filter((c) => c.version);
    if (versioned.some((c) => sameVersion(c.version!, version))) {
      const same = versioned.filter((c) => sameVersion(c.version!, version));
      return { declared: d, status: 'corroborated', shipped: same, note: `declared ${version}; the binaries show ${same[0]!.version} (${carriersOf(same)})` };
    }
    if (versioned.length > 0) {
      return { declared: d, status: 'contradicted', shipped: versioned, note: `declared ${version}; the binaries show ${versioned.map((c) => c.version).join(', ')} (${carriersOf(versioned)})` };
    }
    if (found.length > 0) return { declared: d, status: 'corroborated', shipped: found, note: `declared ${version}; the binaries show ${name} (${carriersOf(found)}) without a version mark` };
    return { declared: d, status: 'not-found', note: `declared ${version}; nothing in this artifact shows ${name}` };
  }
}

function carriersOf(cs: Component[]): string {
  const files = [...new Set(cs.flatMap((c) => c.carriers.map((x) => basename(x.file))))];
  return files.slice(0, 3).join(', ') + (files.length > 3 ? ` +${files.length - 3}` : '');
}

function annotation(created: string, comment: string): SpdxAnnotation {
  return { annotationDate: created, annotationType: 'REVIEW', annotator: `Tool: ${TOOL_NAME}-${TOOL_VERSION}`, comment };
}

/** CPython writes `PACKAGE_MANAGER`, which the SPDX 2.3 schema spells `PACKAGE-MANAGER`. */
function fixCategory(refs: SpdxExternalRef[] | undefined): SpdxExternalRef[] {
  return (refs ?? []).map((r) => ((r.referenceCategory as string) === 'PACKAGE_MANAGER' ? { ...r, referenceCategory: 'PACKAGE-MANAGER' } : r));
}

export interface CpythonOptions {
  version: string;
  sources: SourceSboms;
  notShipped: ReadonlySet<string>;
  /** pip and its vendored packages, already built by pip-wheel.ts (absent for embeddable zips). */
  pipPackages?: { pip: SpdxPackage; vendored: SpdxPackage[] };
}

/**
 * Turns a generic document into one that follows CPython's release-tools conventions
 * (research/cpython-sbom.md §1.3–1.6): root `SPDXRef-PACKAGE-cpython` named CPython, externals with
 * their own ids, source-tree packages as `SPDXRef-PACKAGE-{name}-{version}`, CPEs copied verbatim,
 * supplier PSF, SOURCE → LIBRARY, DESCRIBES and DEPENDS_ON as theirs — and then adds what they
 * cannot: what the binaries show, reconciled with what was declared, recorded as annotations.
 */
export function applyCpythonConventions(composed: ComposedSbom, analysis: Analysis, opts: CpythonOptions): Reconciliation[] {
  const doc = composed.doc;
  const created = doc.creationInfo.created;
  const packages = doc.packages!;
  const rels = doc.relationships!;
  const base = /^(\d+\.\d+\.\d+)/.exec(opts.version)![1]!;
  const artifact = analysis.artifactName;

  // Root: the artifact as CPython names it.
  const oldRoot = composed.rootId;
  const root = packages.find((p) => p.SPDXID === oldRoot)!;
  const rootId = 'SPDXRef-PACKAGE-cpython';
  const cpythonComponents = analysis.components.filter((c) => c.identity.id === 'cpython');
  const cpythonNotes = cpythonComponents.map((c) => (c.version && !sameVersion(c.version, opts.version) ? `contradicted: the binaries show CPython ${c.version}` : `corroborated by the binaries: CPython ${c.version ?? '(no version mark)'}`));
  Object.assign(root, {
    SPDXID: rootId,
    name: 'CPython',
    versionInfo: opts.version,
    supplier: PSF,
    originator: PSF,
    licenseConcluded: 'PSF-2.0',
    downloadLocation: `https://www.python.org/ftp/python/${base}/${artifact}`,
    externalRefs: [
      { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: `cpe:2.3:a:python:python:${opts.version}:*:*:*:*:*:*:*` },
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:generic/cpython@${opts.version}?download_url=${encodeURIComponent(`https://www.python.org/ftp/python/${base}/${artifact}`)}` },
    ],
  });
  if (cpythonNotes.length > 0) root.annotations = cpythonNotes.map((n) => annotation(created, n));
  for (const r of rels) {
    if (r.spdxElementId === oldRoot) r.spdxElementId = rootId;
    if (r.relatedSpdxElement === oldRoot) r.relatedSpdxElement = rootId;
  }
  // The CPython component is the root itself: its carriers point at the root, not at a second package.
  for (const c of cpythonComponents) {
    const id = composed.componentIds.get(c)!;
    removePackage(doc, id);
    composed.componentIds.delete(c);
  }

  doc.name = 'CPython SBOM';
  doc.documentNamespace = `https://www.python.org/ftp/python/${base}/${artifact}.spdx.json`;

  // Declared packages, reconciled.
  const declared = opts.pipPackages ? opts.sources.packages.filter((d) => !isPipFamily(d, opts.sources)) : opts.sources.packages;
  const results = reconcile(declared, analysis.components, opts.notShipped);
  const taken = new Set<Component>();
  for (const r of results) {
    const pkg: SpdxPackage = structuredClone(r.declared.pkg);
    pkg.supplier = PSF;
    if (pkg.primaryPackagePurpose === 'SOURCE' || !pkg.primaryPackagePurpose) pkg.primaryPackagePurpose = 'LIBRARY';
    pkg.licenseConcluded = NOASSERTION;
    pkg.externalRefs = fixCategory(pkg.externalRefs);
    if (pkg.filesAnalyzed === undefined) pkg.filesAnalyzed = false;
    pkg.annotations = [annotation(created, `${r.status}: ${r.note}`)];
    const v = pkg.versionInfo;
    if (v && normalizedVersion(v) !== v && pkg.externalRefs.some((x) => x.referenceType === 'cpe23Type')) {
      // CPython puts the cpython-source-deps tag (3.45.3.0) into the CPE; NVD uses 3.45.3.
      const cpe = pkg.externalRefs.find((x) => x.referenceType === 'cpe23Type')!.referenceLocator;
      pkg.externalRefs.push({ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: cpe.replace(`:${v}:`, `:${normalizedVersion(v)}:`), comment: 'normalised version' });
    }
    if (r.status === 'corroborated' && r.shipped) {
      // The detected package is this declared package: keep CPython's id, carry the evidence over.
      for (const c of r.shipped) {
        const id = composed.componentIds.get(c);
        if (!id) continue;
        const detected = packages.find((p) => p.SPDXID === id)!;
        pkg.comment = [pkg.comment, evidenceComment(c)].filter(Boolean).join('\n');
        if (!pkg.externalRefs.some((x) => x.referenceType === 'purl')) pkg.externalRefs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: componentPurl({ ...c, ...(v ? { version: normalizedVersion(v) } : {}) }) });
        for (const rel of rels) {
          if (rel.relatedSpdxElement === id) rel.relatedSpdxElement = pkg.SPDXID;
          if (rel.spdxElementId === id) rel.spdxElementId = pkg.SPDXID;
        }
        removePackage(doc, detected.SPDXID);
        taken.add(c);
      }
    } else if (r.status === 'contradicted' && r.shipped) {
      for (const c of r.shipped) {
        const id = composed.componentIds.get(c);
        const detected = id ? packages.find((p) => p.SPDXID === id) : undefined;
        if (detected) detected.annotations = [annotation(created, `shipped instead of the declared ${r.declared.pkg.name} ${v} (${r.declared.document})`)];
      }
    }
    packages.push(pkg);
    rels.push({ spdxElementId: rootId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: pkg.SPDXID });
  }
  // Detected components nobody declared keep their own packages; CPython's convention: PSF supplies all.
  for (const c of analysis.components) {
    if (taken.has(c) || c.identity.id === 'cpython') continue;
    const id = composed.componentIds.get(c);
    const p = id ? packages.find((x) => x.SPDXID === id) : undefined;
    if (!p) continue;
    const declaredHere = results.some((r) => r.status === 'contradicted' && r.shipped?.includes(c));
    if (!declaredHere) p.annotations = [...(p.annotations ?? []), annotation(created, 'added: shipped in this artifact but not declared by the source SBOM')];
  }

  if (opts.pipPackages) {
    const { pip, vendored } = opts.pipPackages;
    packages.push(pip, ...vendored);
    rels.push({ spdxElementId: rootId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: pip.SPDXID });
    for (const v of vendored) rels.push({ spdxElementId: pip.SPDXID, relationshipType: 'DEPENDS_ON', relatedSpdxElement: v.SPDXID });
  }
  dedupeRelationships(doc);
  return results;
}

function isPipFamily(d: DeclaredPackage, sources: SourceSboms): boolean {
  if (d.pkg.name === 'pip') return true;
  return sources.packages.some((p) => p.pkg.name === 'pip' && p.dependsOn.includes(d.pkg.SPDXID));
}

/** In place: callers hold references to these arrays. */
function removePackage(doc: ComposedSbom['doc'], id: string): void {
  const packages = doc.packages!;
  for (let i = packages.length - 1; i >= 0; i--) if (packages[i]!.SPDXID === id) packages.splice(i, 1);
  const rels = doc.relationships!;
  for (let i = rels.length - 1; i >= 0; i--) if (rels[i]!.spdxElementId === id || rels[i]!.relatedSpdxElement === id) rels.splice(i, 1);
}

function dedupeRelationships(doc: ComposedSbom['doc']): void {
  const seen = new Set<string>();
  const rels = doc.relationships!;
  for (let i = 0; i < rels.length; ) {
    const r = rels[i]!;
    const k = `${r.spdxElementId} ${r.relationshipType} ${r.relatedSpdxElement}`;
    if (seen.has(k) || r.spdxElementId === r.relatedSpdxElement) rels.splice(i, 1);
    else (seen.add(k), i++);
  }
}
