import { basename } from 'node:path';
import { sanitizeIdPart } from '../serialize/ids.js';
import type { SpdxPackage } from '../serialize/spdx2-types.js';
import { normalizedVersion } from './component-package.js';
import { cpeVendorProduct, purlName, sameVersion } from './read/keys.js';
import { ARTIFACT_REF } from './resolve.js';
import { parseParty, type Bom, type ComponentPackage, type DeclaredAbsent, type ReconcileStatus } from './model.js';
import type { DeclaredPackage, SourceSboms } from './source-sbom.js';

/** Names CPython's source SBOMs use → detection ids. */
export const DECLARED_TO_COMPONENT: Record<string, string> = {
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

/** Pure-Python packages a source SBOM declares, and where their modules live in an installed tree. */
const SOURCE_PACKAGES: Record<string, RegExp> = {
  macholib: /(?:^|\/)ctypes\/macholib\/[^/]+\.py$/,
};

/** What happened to one declared package, for the build summary and the gate. */
export interface ReconcileOutcome {
  name: string;
  /** The version the source SBOM declares. */
  declared: string;
  document: string;
  status: ReconcileStatus | 'not-shipped' | 'not-found';
  /** Shipped versions and the files that carry them (corroborated, contradicted). */
  shipped: string[];
  where: string[];
  note: string;
}

export interface ReconcileOptions {
  /** Detection ids a platform manifest says this kind of artifact does not carry. */
  notShipped: ReadonlySet<string>;
}

/** The detection id a declared package maps to: CPython's names, or a PyPI project by its purl. */
function componentIdOf(p: SpdxPackage): string | undefined {
  const mapped = DECLARED_TO_COMPONENT[p.name];
  if (mapped) return mapped;
  const purl = (p.externalRefs ?? []).find((r) => r.referenceType === 'purl')?.referenceLocator;
  const name = purl ? purlName(purl) : undefined;
  return name?.startsWith('pypi/') ? `pypi/${name.slice(5).replace(/[-_.]+/g, '-')}` : undefined;
}

function declaredCpes(p: SpdxPackage): { cpe: string; comment?: string }[] {
  const out: { cpe: string; comment?: string }[] = [];
  for (const r of p.externalRefs ?? []) if (r.referenceType === 'cpe23Type') out.push({ cpe: r.referenceLocator });
  const v = p.versionInfo;
  if (v && normalizedVersion(v) !== v) {
    // CPython puts the cpython-source-deps tag (3.45.3.0) into its CPEs; NVD uses 3.45.3.
    for (const c of [...out]) out.push({ cpe: c.cpe.replace(`:${v}:`, `:${normalizedVersion(v)}:`), comment: 'normalised version' });
  }
  return out;
}

function declaredPurl(p: SpdxPackage): string | undefined {
  return (p.externalRefs ?? []).find((r) => r.referenceType === 'purl')?.referenceLocator;
}

function carriersOf(bom: Bom, c: ComponentPackage): string[] {
  const paths = new Map<string, string>([...bom.files.map((f) => [f.ref, f.path] as const), ...bom.containers.map((x) => [x.ref, x.path] as const)]);
  // What carries the copy: the files it is made of or compiled into; an importer only loads it.
  const carrying = bom.relationships.filter((r) => (r.to === c.ref && (r.type === 'contains' || r.type === 'static-link')) || (r.from === c.ref && r.type === 'contains'));
  return [...new Set(carrying.map((r) => paths.get(r.to === c.ref ? r.from : r.to)).filter((p): p is string => !!p))];
}

function list(paths: string[]): string {
  const names = [...new Set(paths.map((p) => basename(p)))];
  return names.slice(0, 3).join(', ') + (names.length > 3 ? ` +${names.length - 3}` : '');
}

/**
 * Declared (a source SBOM) against shipped (the binaries), decided once for every format:
 * - the copy that shows the declared version is *corroborated* and takes the declaration's
 *   identity (CPython's id, its CPEs verbatim beside normalised ones, its download location);
 * - a copy that shows another version is *contradicted*: one package with the shipped version,
 *   the declared version recorded beside it;
 * - a copy whose bytes carry no version, and a package compiled in without a version mark (HACL*,
 *   libb2), are *not-verifiable*: taken as declared, and said so;
 * - a declaration the artifact does not ship (the platform manifest says so, or its twin
 *   declaration is the one built in, or nothing shows it) is not a component of this artifact:
 *   it is recorded beside the document, never listed as a package scanners would match;
 * - a shipped copy nobody declared is *added*.
 */
export function reconcileDeclared(bom: Bom, sources: SourceSboms, options: ReconcileOptions): ReconcileOutcome[] {
  const outcomes: ReconcileOutcome[] = [];
  const claimed = new Set<ComponentPackage>();
  const pending: { d: DeclaredPackage; id: string | undefined }[] = sources.packages.map((d) => ({ d, id: componentIdOf(d.pkg) }));
  // Corroborations first, so that a twin declaration (the in-tree mpdecimal 2.5.1 beside the external 4.0.0) knows its twin shipped.
  pending.sort((a, b) => Number(!corroborates(bom, a)) - Number(!corroborates(bom, b)));
  const corroboratedIds = new Map<string, DeclaredPackage>();

  for (const { d, id } of pending) {
    const pkg = d.pkg;
    const version = pkg.versionInfo ?? '';
    const base = { name: pkg.name, declared: version, document: d.document };
    const absent = (status: DeclaredAbsent['status'], note: string) => {
      const cpes = declaredCpes(pkg).map((c) => c.cpe);
      const purl = declaredPurl(pkg);
      bom.declaredAbsent.push({ name: pkg.name, version, document: d.document, status, note, cpes, ...(purl ? { purl } : {}) });
      outcomes.push({ ...base, status, shipped: [], where: [], note });
    };
    const source = SOURCE_PACKAGES[pkg.name];
    if (source) {
      const files = bom.files.filter((f) => source.test(f.path));
      if (files.length === 0) {
        absent('not-shipped', `a pure-Python package; none of its modules is in this artifact`);
        continue;
      }
      const c = declaredOnly(bom, d, 'source', `pure-Python source (${files.length} module(s) such as ${files[0]!.path}); its bytes carry no version mark, so the declared version is taken as declared`);
      for (const f of files) bom.relationships.push({ from: c.ref, type: 'contains', to: f.ref });
      outcomes.push({ ...base, status: 'not-verifiable', shipped: [version], where: files.map((f) => f.path), note: c.declaration!.note });
      continue;
    }
    if (!id) {
      const c = declaredOnly(bom, d, 'library', `compiled in without a version mark and no detection rule can see it; taken from ${d.document} as declared`);
      outcomes.push({ ...base, status: 'not-verifiable', shipped: [version], where: [], note: c.declaration!.note });
      continue;
    }
    if (options.notShipped.has(id)) {
      absent('not-shipped', 'the platform manifest says this kind of artifact does not carry it');
      continue;
    }
    const copies = bom.components.filter((c) => c.componentId === id && !claimed.has(c));
    const same = copies.filter((c) => c.version !== undefined && sameVersion(c.version, version));
    const other = copies.filter((c) => c.version !== undefined && !sameVersion(c.version, version));
    const unversioned = copies.filter((c) => c.version === undefined);
    if (same.length > 0) {
      const where = same.flatMap((c) => carriersOf(bom, c));
      const note = `the binaries show ${same[0]!.version} (${list(where)})`;
      same.forEach((c, i) => adopt(c, d, i === 0, { status: 'corroborated', version, document: d.document, note }));
      same.forEach((c) => claimed.add(c));
      corroboratedIds.set(id, d);
      outcomes.push({ ...base, status: 'corroborated', shipped: same.map((c) => c.version!), where, note });
      continue;
    }
    const twin = corroboratedIds.get(id);
    if (twin) {
      absent('not-shipped', `the binaries show the ${twin.pkg.versionInfo} declared by ${twin.document}; this copy is not built into the artifact`);
      continue;
    }
    if (other.length > 0) {
      const where = other.flatMap((c) => carriersOf(bom, c));
      const note = `the binaries show ${[...new Set(other.map((c) => c.version))].join(', ')} (${list(where)})`;
      other.forEach((c, i) => adopt(c, d, i === 0, { status: 'contradicted', version, document: d.document, note }, false));
      other.forEach((c) => claimed.add(c));
      outcomes.push({ ...base, status: 'contradicted', shipped: other.map((c) => c.version!), where, note });
      continue;
    }
    if (unversioned.length > 0) {
      const where = unversioned.flatMap((c) => carriersOf(bom, c));
      const note = `the binaries show ${pkg.name} (${list(where)}) without a version mark; the declared version is taken as declared`;
      unversioned.forEach((c, i) => {
        c.version = version;
        if (c.purl && !c.purl.includes('@')) c.purl = `${c.purl}@${encodeURIComponent(normalizedVersion(version))}`;
        c.evidence = [...c.evidence, { file: d.document, kind: 'declared', text: `${pkg.name} ${version}`, location: 'source SBOM', version }];
        adopt(c, d, i === 0, { status: 'not-verifiable', version, document: d.document, note });
      });
      unversioned.forEach((c) => claimed.add(c));
      outcomes.push({ ...base, status: 'not-verifiable', shipped: [version], where, note });
      continue;
    }
    absent('not-found', `nothing in this artifact shows ${pkg.name}`);
  }

  const documents = [...new Set(sources.packages.map((d) => d.document))].join(', ');
  for (const c of bom.components) {
    if (claimed.has(c) || c.declaration) continue;
    c.declaration = { status: 'added', note: `shipped in this artifact; not declared by ${documents || 'the source SBOM'}` };
  }
  return outcomes;
}

function corroborates(bom: Bom, p: { d: DeclaredPackage; id: string | undefined }): boolean {
  return !!p.id && bom.components.some((c) => c.componentId === p.id && c.version !== undefined && sameVersion(c.version, p.d.pkg.versionInfo ?? ''));
}

/**
 * A shipped copy takes on the declared package's identity: CPython's SPDX id (for the first copy),
 * its CPEs verbatim with normalised ones beside them (and ours where it names another product), its
 * download location. A contradicted copy keeps its own version in every identifier.
 */
function adopt(c: ComponentPackage, d: DeclaredPackage, first: boolean, declaration: ComponentPackage['declaration'] & object, sameVersionAsDeclared = true): void {
  const pkg = d.pkg;
  // A source-tree id names its version (`SPDXRef-PACKAGE-expat-2.5.0`): a copy of another version does not take it.
  const idNamesOtherVersion = !sameVersionAsDeclared && pkg.SPDXID.endsWith(`-${sanitizeIdPart(pkg.versionInfo ?? '')}`);
  if (first && !idNamesOtherVersion) c.idHint = pkg.SPDXID;
  c.declaration = declaration;
  if (!sameVersionAsDeclared) return;
  // Equal up to trailing zeros: CPython's own spelling (the cpython-source-deps tag, `3.45.3.0`) is kept.
  if (pkg.versionInfo) c.version = pkg.versionInfo;
  const declared = declaredCpes(pkg);
  const products = new Set(declared.map((x) => cpeVendorProduct(x.cpe)));
  c.cpes = [...declared, ...c.cpes.filter((x) => !products.has(cpeVendorProduct(x.cpe)))];
  const purl = declaredPurl(pkg);
  if (purl) c.purl = purl;
  if (pkg.downloadLocation && pkg.downloadLocation !== 'NOASSERTION') c.downloadLocation = pkg.downloadLocation;
  const originator = parseParty(pkg.originator);
  if (originator) c.originator = originator;
}

/** A declared package no binary can date (HACL*, libb2, macholib): listed with its declared identity, said to be unverified. */
function declaredOnly(bom: Bom, d: DeclaredPackage, purpose: 'library' | 'source', note: string): ComponentPackage {
  const pkg = d.pkg;
  const version = pkg.versionInfo;
  const supplier = parseParty(pkg.supplier);
  const originator = parseParty(pkg.originator);
  const purl = declaredPurl(pkg);
  const c: ComponentPackage = {
    kind: 'component',
    ref: `component:declared:${pkg.SPDXID}`,
    idHint: pkg.SPDXID,
    componentId: `declared:${pkg.name}`,
    name: pkg.name,
    ...(version ? { version } : {}),
    ...(supplier ? { supplier } : {}),
    ...(originator ? { originator } : {}),
    ...(pkg.downloadLocation && pkg.downloadLocation !== 'NOASSERTION' ? { downloadLocation: pkg.downloadLocation } : {}),
    ...(typeof pkg.licenseDeclared === 'string' && pkg.licenseDeclared !== 'NOASSERTION' ? { licenseDeclared: pkg.licenseDeclared } : {}),
    cpes: declaredCpes(pkg),
    ...(purl ? { purl } : {}),
    purpose,
    description: `Declared by ${d.document}.`,
    evidence: [{ file: d.document, kind: 'declared', text: `${pkg.name} ${version ?? ''}`.trim(), location: 'source SBOM', ...(version ? { version } : {}) }],
    archs: [],
    declaration: { status: 'not-verifiable', ...(version ? { version } : {}), document: d.document, note },
    notes: [],
  };
  bom.components.push(c);
  bom.relationships.push({ from: ARTIFACT_REF, type: 'depends-on', to: c.ref });
  return c;
}
