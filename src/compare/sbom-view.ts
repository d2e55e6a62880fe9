import type { SpdxChecksum, SpdxDocument, SpdxPackage } from '../sbom/model.js';

/** Checksums by algorithm, lower-case hex (`SHA256` → …). */
export type Checksums = Record<string, string>;

export interface ViewFile {
  /** Path inside the artifact without a leading `./`. */
  path: string;
  checksums: Checksums;
  spdxId: string;
}

export interface ViewContainer {
  /** `packageFileName`: the container's path inside the artifact. */
  path: string;
  name: string;
  version?: string;
  checksums: Checksums;
  spdxId: string;
}

export interface ViewComponent {
  name: string;
  /** Undefined when the document says NOASSERTION or nothing. */
  version?: string;
  /** CPE 2.3 `vendor:product`, lower-case. */
  cpe?: string;
  /** purl `type/namespace/name` without version, lower-case. */
  purl?: string;
  spdxId: string;
  /** Names this component can be matched by (normalised name, CPE product, purl name). */
  keys: string[];
  package: SpdxPackage;
}

/**
 * What an SPDX document states about an artifact, whichever tool wrote it: the described package,
 * its container packages, its files and the components. installer-sbom's own documents, CPython's
 * metadata-only Windows SBOMs and other tools' documents all reduce to this.
 */
export interface SbomView {
  name: string;
  /** Written by installer-sbom (a `Tool: installer-sbom-…` creator). */
  ownTool: boolean;
  root?: { name: string; fileName?: string; version?: string; checksums: Checksums; spdxId: string; keys: string[] };
  /** False when the document has no `files` at all (metadata-only SBOMs). */
  hasFiles: boolean;
  files: Map<string, ViewFile>;
  containers: Map<string, ViewContainer>;
  components: ViewComponent[];
}

const NOASSERTION = 'NOASSERTION';

export function checksumMap(list: readonly SpdxChecksum[] | undefined): Checksums {
  const out: Checksums = {};
  for (const c of list ?? []) {
    if (typeof c?.algorithm === 'string' && typeof c.checksumValue === 'string') out[c.algorithm.toUpperCase().replace('-', '')] = c.checksumValue.toLowerCase();
  }
  return out;
}

/** `./a/b`, `a/b` and `a\b` name one file. */
export function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
}

/** Case, spaces, `_` and `-` do not distinguish component names (`tcl-core`, `Tcl_Core`). */
export function nameKey(raw: string): string {
  return raw.toLowerCase().replace(/[\s_\-.]+/g, '');
}

/** `cpe:2.3:a:openssl:openssl:3.0.13:…` → `openssl:openssl`; CPE 2.2 URIs too. */
export function cpeVendorProduct(locator: string): string | undefined {
  const m = /^cpe:2\.3:[aho\*\-]:((?:\\.|[^:\\])+):((?:\\.|[^:\\])+)/i.exec(locator) ?? /^cpe:\/[aho]:([^:]+):([^:]+)/i.exec(locator);
  return m ? `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}` : undefined;
}

/** `pkg:pypi/pip@24.0` → `pypi/pip`; namespace kept (`npm/@img/sharp`). */
export function purlName(locator: string): string | undefined {
  const m = /^pkg:([^/]+)\/([^@?#]+)/i.exec(locator);
  return m ? `${m[1]!.toLowerCase()}/${decodeURIComponent(m[2]!).toLowerCase()}` : undefined;
}

function refOf(p: SpdxPackage, type: string): string | undefined {
  return (Array.isArray(p.externalRefs) ? p.externalRefs : []).find((r) => r?.referenceType === type && typeof r.referenceLocator === 'string')?.referenceLocator;
}

function cpeOf(p: SpdxPackage): string | undefined {
  const ref = refOf(p, 'cpe23Type') ?? refOf(p, 'cpe22Type');
  return ref ? cpeVendorProduct(ref) : undefined;
}

function purlOf(p: SpdxPackage): string | undefined {
  const ref = refOf(p, 'purl');
  return ref ? purlName(ref) : undefined;
}

function versionOf(p: SpdxPackage): string | undefined {
  const v = typeof p.versionInfo === 'string' ? p.versionInfo.trim() : '';
  return v && v !== NOASSERTION ? v : undefined;
}

export function componentKeys(name: string, cpe?: string, purl?: string): string[] {
  const keys = new Set<string>([`name:${nameKey(name)}`]);
  if (cpe) keys.add(`cpe:${cpe}`).add(`name:${nameKey(cpe.split(':')[1]!)}`);
  if (purl) keys.add(`name:${nameKey(purl.slice(purl.lastIndexOf('/') + 1))}`);
  return [...keys];
}

function described(doc: SpdxDocument): Set<string> {
  const rels = Array.isArray(doc.relationships) ? doc.relationships : [];
  return new Set([
    ...rels.filter((r) => r?.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES').map((r) => r.relatedSpdxElement),
    ...(Array.isArray(doc.documentDescribes) ? doc.documentDescribes : []),
  ]);
}

/**
 * A container is a package with a `packageFileName` inside the artifact: installer-sbom names them
 * `SPDXRef-CONTAINER-…`; other tools at least give the file name and purpose INSTALL/ARCHIVE.
 */
function isContainer(p: SpdxPackage): boolean {
  if (typeof p.SPDXID === 'string' && p.SPDXID.startsWith('SPDXRef-CONTAINER-')) return true;
  return typeof p.packageFileName === 'string' && (p.primaryPackagePurpose === 'INSTALL' || p.primaryPackagePurpose === 'ARCHIVE') && !refOf(p, 'cpe23Type') && !refOf(p, 'purl');
}

export function viewOf(doc: SpdxDocument): SbomView {
  const packages = (Array.isArray(doc.packages) ? doc.packages : []).filter((p): p is SpdxPackage => !!p && typeof p === 'object');
  const rootIds = described(doc);
  const rootPkg = packages.find((p) => rootIds.has(p.SPDXID));
  const view: SbomView = {
    name: typeof doc.name === 'string' ? doc.name : '(unnamed)',
    ownTool: (doc.creationInfo?.creators ?? []).some((c) => typeof c === 'string' && /^Tool: installer-sbom-/.test(c)),
    hasFiles: Array.isArray(doc.files),
    files: new Map(),
    containers: new Map(),
    components: [],
  };
  if (rootPkg) {
    view.root = {
      name: rootPkg.name,
      ...(typeof rootPkg.packageFileName === 'string' ? { fileName: rootPkg.packageFileName } : {}),
      ...(versionOf(rootPkg) ? { version: versionOf(rootPkg)! } : {}),
      checksums: checksumMap(rootPkg.checksums),
      spdxId: rootPkg.SPDXID,
      keys: componentKeys(rootPkg.name, cpeOf(rootPkg), purlOf(rootPkg)),
    };
  }
  for (const f of Array.isArray(doc.files) ? doc.files : []) {
    if (!f || typeof f.fileName !== 'string') continue;
    const path = normalizePath(f.fileName);
    view.files.set(path, { path, checksums: checksumMap(f.checksums), spdxId: String(f.SPDXID) });
  }
  for (const p of packages) {
    if (p === rootPkg) continue;
    if (isContainer(p)) {
      const path = normalizePath(String(p.packageFileName ?? p.name));
      view.containers.set(path, {
        path,
        name: String(p.name),
        ...(versionOf(p) ? { version: versionOf(p)! } : {}),
        checksums: checksumMap(p.checksums),
        spdxId: p.SPDXID,
      });
      continue;
    }
    const cpe = cpeOf(p);
    const purl = purlOf(p);
    const name = typeof p.name === 'string' ? p.name : String(p.SPDXID);
    const version = versionOf(p);
    view.components.push({
      name,
      ...(version ? { version } : {}),
      ...(cpe ? { cpe } : {}),
      ...(purl ? { purl } : {}),
      spdxId: String(p.SPDXID),
      keys: componentKeys(name, cpe, purl),
      package: p,
    });
  }
  return view;
}

/** `3.45.3.0` and `3.45.3` are one version (SQLite's four-part numbers); case never matters. */
export function sameVersion(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const norm = (v: string) => v.trim().toLowerCase().replace(/^v(?=\d)/, '').replace(/(?:\.0)+$/, '');
  return norm(a) === norm(b);
}

export function sharesKey(a: { keys: string[] }, b: { keys: string[] }): boolean {
  return a.keys.some((k) => b.keys.includes(k));
}
