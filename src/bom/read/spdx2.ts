import { evidenceLinesOf, isKnownUnknownText, parseDeclarationText, parseDeclaredAbsentText } from '../../serialize/statements.js';
import type { BomView, CarrierRelation, ViewComponent, ViewContainer, ViewFile } from '../view.js';
import { checksumsIn, identityOf, listOf, normalizePath, signatureOf, statedVersion, str, valuesWhere } from './keys.js';

type Obj = Record<string, unknown>;

const CARRIER: Record<string, CarrierRelation> = { CONTAINS: 'contains', STATIC_LINK: 'static-link', DYNAMIC_LINK: 'dynamic-link' };

const checksums = (list: unknown) => checksumsIn(list, 'algorithm', 'checksumValue');

const refs = (p: Obj, type: string): string[] => valuesWhere(p['externalRefs'], 'referenceType', type, 'referenceLocator');

function annotationTexts(x: Obj): string[] {
  return listOf<Obj>(x['annotations'])
    .map((a) => a['comment'])
    .filter((c): c is string => typeof c === 'string');
}

/**
 * A container is a package with a file name inside the artifact: installer-sbom names them
 * `SPDXRef-CONTAINER-…`; other tools at least give the file name and purpose INSTALL/ARCHIVE and no
 * component identifier.
 */
function isContainer(p: Obj): boolean {
  if (String(p['SPDXID']).startsWith('SPDXRef-CONTAINER-')) return true;
  return typeof p['packageFileName'] === 'string' && (p['primaryPackagePurpose'] === 'INSTALL' || p['primaryPackagePurpose'] === 'ARCHIVE') && refs(p, 'cpe23Type').length === 0 && refs(p, 'purl').length === 0;
}

const containerPath = (p: Obj) => normalizePath(String(p['packageFileName'] ?? p['name']));

/**
 * SPDX 2.3 (and 2.2) JSON, from installer-sbom, from CPython's release tooling or from any other
 * tool, as the neutral view. Only the shape the view needs is read; odd values are left for
 * `validate` to report.
 */
export function viewOfSpdx2(doc: Obj): BomView {
  const packages = listOf<Obj>(doc['packages']).filter((p) => typeof p === 'object');
  const files = listOf<Obj>(doc['files']).filter((f) => typeof f === 'object' && typeof f['fileName'] === 'string');
  const rels = listOf<Obj>(doc['relationships']);
  const creationInfo = (doc['creationInfo'] ?? {}) as Obj;
  const creators = listOf<unknown>(creationInfo['creators']).filter((c): c is string => typeof c === 'string');
  const described = new Set([
    ...rels.filter((r) => r['spdxElementId'] === 'SPDXRef-DOCUMENT' && r['relationshipType'] === 'DESCRIBES').map((r) => String(r['relatedSpdxElement'])),
    ...listOf<unknown>(doc['documentDescribes']).map(String),
  ]);
  const rootPkg = packages.find((p) => described.has(String(p['SPDXID'])));
  const pathOfId = new Map<string, string>();
  for (const f of files) pathOfId.set(String(f['SPDXID']), normalizePath(f['fileName'] as string));
  for (const p of packages) {
    if (typeof p['packageFileName'] === 'string') pathOfId.set(String(p['SPDXID']), p === rootPkg ? p['packageFileName'] : normalizePath(p['packageFileName']));
    // A container named only by its SPDXID prefix is known by its name, as in the view's containers.
    else if (p !== rootPkg && isContainer(p)) pathOfId.set(String(p['SPDXID']), containerPath(p));
  }

  const view: BomView = {
    format: 'spdx-2.3',
    name: str(doc['name']) ?? '(unnamed)',
    ownTool: creators.some((c) => /^Tool: installer-sbom-/.test(c)),
    ...(typeof creationInfo['created'] === 'string' ? { created: creationInfo['created'] } : {}),
    creators,
    hasFiles: Array.isArray(doc['files']),
    files: [],
    containers: [],
    components: [],
    declaredAbsent: [],
    knownUnknowns: [],
    creatorContacts: creators.map((c) => /\(([^()]*(?:@|:\/\/)[^()]*)\)\s*$/.exec(c)?.[1]).filter((c): c is string => !!c),
    dependencies: groupEdges(rels.filter((r) => r['relationshipType'] === 'DEPENDS_ON').map((r) => [String(r['spdxElementId']), String(r['relatedSpdxElement'])])),
  };
  if (rootPkg) {
    const cpes = refs(rootPkg, 'cpe23Type');
    const purl = refs(rootPkg, 'purl')[0];
    const version = statedVersion(rootPkg['versionInfo']);
    view.root = {
      name: String(rootPkg['name']),
      ...(typeof rootPkg['packageFileName'] === 'string' ? { fileName: rootPkg['packageFileName'] } : {}),
      ...(version ? { version } : {}),
      checksums: checksums(rootPkg['checksums']),
      id: String(rootPkg['SPDXID']),
      keys: identityOf(String(rootPkg['name']), cpes, purl).keys,
      ...(purl ? { purl } : {}),
      cpes,
      ...(typeof rootPkg['supplier'] === 'string' && rootPkg['supplier'] !== 'NOASSERTION' ? { supplier: rootPkg['supplier'] } : {}),
      ...(typeof rootPkg['primaryPackagePurpose'] === 'string' ? { purpose: rootPkg['primaryPackagePurpose'].toLowerCase() } : {}),
      ...signatureOf(annotationTexts(rootPkg)),
    };
  }
  // Who contains whom (CONTAINS from the artifact or a container package), as paths.
  const containerIds = new Set(packages.filter((p) => p === rootPkg || isContainer(p)).map((p) => String(p['SPDXID'])));
  const parentOf = new Map<string, string>();
  for (const r of rels) {
    const from = String(r['spdxElementId']);
    if (r['relationshipType'] === 'CONTAINS' && containerIds.has(from)) parentOf.set(String(r['relatedSpdxElement']), from === String(rootPkg?.['SPDXID']) ? '' : (pathOfId.get(from) ?? from));
  }
  for (const f of files) {
    const comment = str(f['comment']) ?? '';
    const parent = parentOf.get(String(f['SPDXID']));
    const file: ViewFile = { path: normalizePath(f['fileName'] as string), checksums: checksums(f['checksums']), id: String(f['SPDXID']), ...(parent !== undefined ? { container: parent } : {}) };
    const types = listOf<unknown>(f['fileTypes']);
    if (types.length > 0) file.properties = { executable: types.includes('BINARY'), archive: types.includes('ARCHIVE'), structured: false };
    view.files.push({ ...file, ...signatureOf([comment]) });
  }
  for (const p of packages) {
    if (p === rootPkg) continue;
    if (isContainer(p)) {
      const version = statedVersion(p['versionInfo']);
      const format = /^Container format: ([\w-]+)\./.exec(str(p['comment']) ?? '')?.[1];
      const c: ViewContainer = {
        path: containerPath(p),
        name: String(p['name']),
        ...(version ? { version } : {}),
        checksums: checksums(p['checksums']),
        id: String(p['SPDXID']),
        ...(format ? { format } : {}),
        ...(parentOf.has(String(p['SPDXID'])) ? { parent: parentOf.get(String(p['SPDXID']))! } : {}),
        ...signatureOf(annotationTexts(p)),
      };
      view.containers.push(c);
      continue;
    }
    view.components.push(componentOf(p, rels, pathOfId));
  }
  for (const text of [...annotationTexts(doc), ...(rootPkg ? annotationTexts(rootPkg) : [])]) {
    const absent = parseDeclaredAbsentText(text);
    if (absent) view.declaredAbsent.push({ name: absent.name, ...(absent.version !== undefined ? { version: absent.version } : {}), note: `${absent.status}: ${absent.note}`, cpes: absent.cpes, ...(absent.purl ? { purl: absent.purl } : {}) });
    else if (isKnownUnknownText(text)) view.knownUnknowns.push(text);
  }
  const rootId = rootPkg ? String(rootPkg['SPDXID']) : undefined;
  if (rootId && view.ownTool) {
    view.complete = !rels.some((r) => r['spdxElementId'] === rootId && r['relationshipType'] === 'DEPENDS_ON' && r['relatedSpdxElement'] === 'NOASSERTION');
  }
  return view;
}

function componentOf(p: Obj, rels: Obj[], pathOfId: Map<string, string>): ViewComponent {
  const id = String(p['SPDXID']);
  const name = typeof p['name'] === 'string' ? p['name'] : id;
  const cpes = refs(p, 'cpe23Type').concat(refs(p, 'cpe22Type'));
  const purl = refs(p, 'purl')[0];
  const version = statedVersion(p['versionInfo']);
  // A carrier holds the component (`X CONTAINS/STATIC_LINK/DYNAMIC_LINK component`) or is what it is made of (`component CONTAINS X`).
  const carriers = [
    ...rels
      .filter((r) => r['relatedSpdxElement'] === id && typeof r['relationshipType'] === 'string' && CARRIER[r['relationshipType']])
      .map((r) => ({ path: pathOfId.get(String(r['spdxElementId'])) ?? String(r['spdxElementId']), relation: CARRIER[r['relationshipType'] as string]! })),
    ...rels
      .filter((r) => r['spdxElementId'] === id && r['relationshipType'] === 'CONTAINS' && pathOfId.has(String(r['relatedSpdxElement'])))
      .map((r) => ({ path: pathOfId.get(String(r['relatedSpdxElement']))!, relation: 'contains' as const })),
  ];
  const declaration = annotationTexts(p).map(parseDeclarationText).find((d) => d !== undefined);
  return {
    name,
    ...(version ? { version } : {}),
    ...identityOf(name, cpes, purl),
    id,
    ...(typeof p['supplier'] === 'string' && p['supplier'] !== 'NOASSERTION' ? { supplier: p['supplier'] } : {}),
    ...(typeof p['licenseDeclared'] === 'string' && p['licenseDeclared'] !== 'NOASSERTION' ? { licenseDeclared: p['licenseDeclared'] } : {}),
    carriers,
    evidence: evidenceLinesOf(p['comment']),
    ...(declaration?.version !== undefined && declaration.status !== 'corroborated' ? { declaredVersion: declaration.version } : {}),
    ...(declaration ? { reconciliation: { status: declaration.status, note: declaration.note } } : {}),
    ...(typeof p['primaryPackagePurpose'] === 'string' ? { purpose: p['primaryPackagePurpose'].toLowerCase() } : {}),
  };
}

/** Edges grouped by source, in document order. */
export function groupEdges(edges: [string, string][]): { from: string; to: string[] }[] {
  const out = new Map<string, string[]>();
  for (const [from, to] of edges) out.set(from, [...(out.get(from) ?? []), to]);
  return [...out].map(([from, to]) => ({ from, to }));
}
