/**
 * Where `vex` gets its BomView: an SBOM file, or an artifact built in memory. A thin adapter over
 * today's SPDX 2.3 output (compose + CPython conventions); the VEX derivation sees only BomView.
 */
import { open } from 'node:fs/promises';
import type { BomView, CarrierRelation, ViewComponent, ViewDeclaredAbsent } from '../bom/view.js';
import { buildSbom, type BuildOptions } from '../build-sbom.js';
import { readSpdxJson } from '../compare/read-sbom.js';
import { checksumMap, cpeVendorProduct, normalizePath, purlName, viewOf } from '../compare/sbom-view.js';
import type { SpdxDocument, SpdxPackage } from '../sbom/model.js';

const CARRIER: Record<string, CarrierRelation> = { CONTAINS: 'contains', STATIC_LINK: 'static-link', DYNAMIC_LINK: 'dynamic-link' };

/** Reconciliation annotations as applyCpythonConventions writes them (`status: note`). */
const RECONCILED = /^(corroborated|contradicted|not-shipped|not-found|not-verifiable|added): ([\s\S]*)$/;

function refs(p: SpdxPackage, types: string[]): string[] {
  return (Array.isArray(p.externalRefs) ? p.externalRefs : []).filter((r) => types.includes(r?.referenceType)).map((r) => r.referenceLocator);
}

function reconciliationOf(p: SpdxPackage): { status: string; note: string } | undefined {
  for (const a of (p.annotations ?? []) as { comment?: string }[]) {
    const m = RECONCILED.exec(a.comment ?? '');
    if (m) return { status: m[1]!, note: m[2]! };
    if (a.comment?.startsWith('shipped instead of the declared')) return { status: 'contradicted', note: a.comment };
  }
  return undefined;
}

/** Today's SPDX 2.3 documents (ours and others') as a BomView. */
export function bomViewOfSpdx(doc: SpdxDocument): BomView {
  const base = viewOf(doc);
  const packages = new Map((doc.packages ?? []).map((p) => [p.SPDXID, p]));
  const pathOf = new Map<string, string>([...[...base.files.values()].map((f) => [f.spdxId, f.path] as const), ...[...base.containers.values()].map((c) => [c.spdxId, c.path] as const)]);
  const rels = doc.relationships ?? [];
  const components: ViewComponent[] = [];
  const declaredAbsent: ViewDeclaredAbsent[] = [];
  for (const c of base.components) {
    const p = c.package;
    const cpes = refs(p, ['cpe23Type', 'cpe22Type']);
    const purl = refs(p, ['purl'])[0];
    const reconciliation = reconciliationOf(p);
    const evidence = (p.comment ?? '').split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
    let carriers = rels
      .filter((r) => r.relatedSpdxElement === c.spdxId && CARRIER[r.relationshipType] && pathOf.has(r.spdxElementId))
      .map((r) => ({ path: pathOf.get(r.spdxElementId)!, relation: CARRIER[r.relationshipType]! }));
    // Some detections (a library known by its file name) get no carrier relationship; their evidence names the file.
    if (carriers.length === 0) carriers = [...new Set(evidence.map((l) => l.slice(0, l.indexOf(': ')).trim()).filter((f) => f && base.files.has(f)))].map((path) => ({ path, relation: 'contains' as const }));
    // A declaration the binaries contradict, or one this kind of artifact does not carry, is not shipped.
    if (reconciliation && (reconciliation.status === 'not-shipped' || reconciliation.status === 'contradicted') && carriers.length === 0) {
      declaredAbsent.push({ name: c.name, ...(c.version ? { version: c.version } : {}), note: `${reconciliation.status}: ${reconciliation.note}`, cpes, ...(purl ? { purl } : {}) });
      continue;
    }
    // compose writes this when no file shows a version: versionInfo is then the source SBOM's declaration.
    const unevidenced = (p.comment ?? '').includes('no version could be evidenced');
    const version = unevidenced ? undefined : c.version;
    const cpe = cpes[0] ? cpeVendorProduct(cpes[0]) : undefined;
    const name = purl ? purlName(purl) : undefined;
    components.push({
      name: c.name,
      ...(version ? { version } : {}),
      cpes,
      ...(purl ? { purl } : {}),
      ...(cpe ? { cpeVendorProduct: cpe } : {}),
      ...(name ? { purlName: name } : {}),
      id: c.spdxId,
      keys: c.keys,
      ...(typeof p.supplier === 'string' ? { supplier: p.supplier } : {}),
      carriers,
      evidence,
      ...(reconciliation ? { reconciliation, ...(c.version && reconciliation.status === 'corroborated' ? { declaredVersion: c.version } : {}) } : {}),
      ...(typeof p.primaryPackagePurpose === 'string' ? { purpose: p.primaryPackagePurpose.toLowerCase() } : {}),
    });
  }
  const rootPkg = base.root ? packages.get(base.root.spdxId) : undefined;
  return {
    format: 'spdx-2.3',
    name: base.name,
    ownTool: base.ownTool,
    ...(doc.creationInfo?.created ? { created: doc.creationInfo.created } : {}),
    creators: doc.creationInfo?.creators ?? [],
    ...(base.root && rootPkg
      ? {
          root: {
            name: base.root.name,
            ...(base.root.fileName ? { fileName: base.root.fileName } : {}),
            ...(base.root.version ? { version: base.root.version } : {}),
            checksums: base.root.checksums,
            id: base.root.spdxId,
            keys: base.root.keys,
            ...(refs(rootPkg, ['purl'])[0] ? { purl: refs(rootPkg, ['purl'])[0]! } : {}),
            cpes: refs(rootPkg, ['cpe23Type', 'cpe22Type']),
            ...(typeof rootPkg.primaryPackagePurpose === 'string' ? { purpose: rootPkg.primaryPackagePurpose.toLowerCase() } : {}),
          },
        }
      : {}),
    hasFiles: base.hasFiles,
    files: (doc.files ?? []).map((f) => ({ path: normalizePath(f.fileName), checksums: checksumMap(f.checksums), id: f.SPDXID })),
    containers: [...base.containers.values()].map((c) => ({ path: c.path, name: c.name, ...(c.version ? { version: c.version } : {}), checksums: c.checksums, id: c.spdxId })),
    components,
    declaredAbsent,
    knownUnknowns: [],
  };
}

/** A JSON document rather than an artifact: no installer, archive or binary format starts with `{`. */
async function isJsonDocument(path: string): Promise<boolean> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return false;
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(64), 0, 64, 0);
    return /^\s*\{/.test(buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

/** The BomView of an SBOM file, or of an artifact analysed with `options` (as `build` would). */
export async function loadBomView(path: string, options: BuildOptions = {}): Promise<BomView> {
  if (await isJsonDocument(path)) return bomViewOfSpdx(await readSpdxJson(path));
  return bomViewOfSpdx((await buildSbom(path, options)).doc);
}
