import { isKnownUnknownText, parseDeclarationText, parseDeclaredAbsentText } from '../../serialize/statements.js';
import type { BomView, CarrierRelation, ViewComponent } from '../view.js';
import { groupEdges } from './spdx2.js';
import { checksumsIn, identityOf, listOf, normalizePath, signatureOf, statedVersion, str, valuesWhere } from './keys.js';

type Obj = Record<string, unknown>;

const CARRIER: Record<string, CarrierRelation> = { contains: 'contains', hasStaticLink: 'static-link', hasDynamicLink: 'dynamic-link' };

/** JSON-LD terms may come compacted (`software_Package`) or as full IRIs; we read the compact form the context defines. */
function typeOf(n: Obj): string {
  const t = str(n['type']) ?? str(n['@type']) ?? '';
  return t.replace(/^https:\/\/spdx\.org\/rdf\/3\.0\.1\/terms\/(?:Core|Software)\//, (m) => (m.endsWith('Software/') ? 'software_' : ''));
}

const hashesOf = (n: Obj) => checksumsIn(n['verifiedUsing'], 'algorithm', 'hashValue', (h) => typeOf(h) === 'Hash');

const identifiers = (n: Obj, type: string): string[] => valuesWhere(n['externalIdentifier'], 'externalIdentifierType', type, 'identifier');

function evidenceLines(comment: unknown): string[] {
  if (typeof comment !== 'string' || !comment.startsWith('Evidence:\n')) return [];
  return comment
    .split('\n')
    .filter((l) => l.startsWith('- '))
    .map((l) => l.slice(2));
}

/** SPDX 3.0.1 JSON-LD (`@context` + `@graph`) as the neutral view. */
export function viewOfSpdx3(doc: Obj): BomView {
  const graph = listOf<Obj>(doc['@graph']).filter((n) => typeof n === 'object');
  const byId = new Map<string, Obj>();
  for (const n of graph) {
    const id = str(n['spdxId']) ?? str(n['@id']);
    if (id) byId.set(id, n);
  }
  const docNode = graph.find((n) => typeOf(n) === 'SpdxDocument');
  const sbom = listOf<unknown>(docNode?.['rootElement']).map((r) => byId.get(String(r))).find((n) => n && typeOf(n) === 'software_Sbom');
  const rootId = String(listOf<unknown>((sbom ?? docNode)?.['rootElement'])[0] ?? '');
  const creationInfo = graph.find((n) => typeOf(n) === 'CreationInfo') ?? {};
  const agentName = (id: unknown) => {
    const a = byId.get(String(id));
    return a ? `${typeOf(a) === 'Person' ? 'Person' : typeOf(a) === 'Tool' || typeOf(a) === 'SoftwareAgent' ? 'Tool' : 'Organization'}: ${str(a['name']) ?? String(id)}` : String(id);
  };
  const creators = [...listOf<unknown>(creationInfo['createdUsing']).map(agentName), ...listOf<unknown>(creationInfo['createdBy']).map(agentName)];
  const rels = graph.filter((n) => typeOf(n) === 'Relationship' || typeOf(n) === 'LifecycleScopedRelationship');
  const annotations = graph.filter((n) => typeOf(n) === 'Annotation');
  const notesOf = (id: string) => annotations.filter((a) => a['subject'] === id).map((a) => str(a['statement']) ?? '');

  // A package's own bytes are its distribution artifact (a software_File).
  const distribution = new Map<string, Obj>();
  for (const r of rels) {
    if (r['relationshipType'] !== 'hasDistributionArtifact') continue;
    const f = byId.get(String(listOf<unknown>(r['to'])[0]));
    if (f) distribution.set(String(r['from']), f);
  }
  // Only the bytes of a package: a file some package also contains (a bare binary, which is the
  // artifact and its one file, or a self-extractor) is a file of the delivery as well.
  const contained = new Set(rels.filter((r) => r['relationshipType'] === 'contains').flatMap((r) => listOf<unknown>(r['to']).map(String)));
  const distributionFiles = new Set([...distribution.values()].filter((f) => !contained.has(String(f['spdxId']))));
  const pathOfId = new Map<string, string>();
  for (const n of graph) if (typeOf(n) === 'software_File' && !distributionFiles.has(n)) pathOfId.set(String(n['spdxId']), normalizePath(str(n['name']) ?? ''));
  for (const [pkg, f] of distribution) pathOfId.set(pkg, pkg === rootId ? str(f['name']) ?? '' : normalizePath(str(f['name']) ?? ''));

  const packages = graph.filter((n) => typeOf(n) === 'software_Package');
  // Who contains whom among the artifact and its containers (packages with their own bytes), as paths.
  const parentOf = new Map<string, string>();
  for (const r of rels) {
    const from = String(r['from']);
    if (r['relationshipType'] !== 'contains' || !distribution.has(from)) continue;
    for (const t of listOf<unknown>(r['to'])) parentOf.set(String(t), from === rootId ? '' : (pathOfId.get(from) ?? from));
  }
  const view: BomView = {
    format: 'spdx-3.0.1',
    name: str(docNode?.['name']) ?? '(unnamed)',
    ownTool: creators.some((c) => /^Tool: installer-sbom/.test(c)),
    ...(typeof creationInfo['created'] === 'string' ? { created: creationInfo['created'] } : {}),
    creators,
    hasFiles: graph.some((n) => typeOf(n) === 'software_File' && !distributionFiles.has(n)),
    files: [],
    containers: [],
    components: [],
    declaredAbsent: [],
    knownUnknowns: [],
    creatorContacts: listOf<unknown>(creationInfo['createdBy']).flatMap((id) => contactsOf(byId.get(String(id)))),
    dependencies: groupEdges(rels.filter((r) => r['relationshipType'] === 'dependsOn').flatMap((r) => listOf<unknown>(r['to']).map((t) => [String(r['from']), String(t)] as [string, string]))),
  };
  const rootNode = byId.get(rootId);
  if (rootNode) {
    const cpes = identifiers(rootNode, 'cpe23');
    const purl = str(rootNode['software_packageUrl']) ?? identifiers(rootNode, 'packageUrl')[0];
    const version = statedVersion(rootNode['software_packageVersion']);
    const dist = distribution.get(rootId);
    view.root = {
      name: str(rootNode['name']) ?? rootId,
      ...(dist && str(dist['name']) ? { fileName: str(dist['name'])! } : {}),
      ...(version ? { version } : {}),
      checksums: { ...hashesOf(rootNode), ...(dist ? hashesOf(dist) : {}) },
      id: rootId,
      keys: identityOf(str(rootNode['name']) ?? rootId, cpes, purl).keys,
      ...(purl ? { purl } : {}),
      cpes,
      ...(rootNode['suppliedBy'] ? { supplier: agentName(rootNode['suppliedBy']) } : {}),
      ...(typeof rootNode['software_primaryPurpose'] === 'string' ? { purpose: rootNode['software_primaryPurpose'].toLowerCase() } : {}),
      ...(dist ? { properties: purposeProperties(dist) } : {}),
      ...signatureOf(notesOf(rootId)),
    };
  }
  for (const n of graph) {
    if (typeOf(n) !== 'software_File' || distributionFiles.has(n)) continue;
    view.files.push({
      path: normalizePath(str(n['name']) ?? ''),
      checksums: hashesOf(n),
      id: String(n['spdxId']),
      ...(parentOf.has(String(n['spdxId'])) ? { container: parentOf.get(String(n['spdxId']))! } : {}),
      properties: purposeProperties(n),
      ...signatureOf(notesOf(String(n['spdxId']))),
    });
  }
  for (const p of packages) {
    const id = String(p['spdxId']);
    if (id === rootId) continue;
    const dist = distribution.get(id);
    // A container is a package with its own bytes in the artifact that holds other things.
    if (dist && contained.has(id)) {
      const version = statedVersion(p['software_packageVersion']);
      const format = /^Container format: ([\w-]+)\./.exec(str(p['description']) ?? '')?.[1];
      view.containers.push({
        path: normalizePath(str(dist['name']) ?? ''),
        name: str(p['name']) ?? id,
        ...(version ? { version } : {}),
        checksums: hashesOf(dist),
        id,
        ...(format ? { format } : {}),
        ...(parentOf.has(id) ? { parent: parentOf.get(id)! } : {}),
        properties: purposeProperties(dist),
        ...signatureOf(notesOf(id)),
      });
      continue;
    }
    view.components.push(componentOf(p, id, rels, pathOfId, notesOf(id), agentName, byId));
  }
  for (const text of rootNode ? notesOf(rootId) : []) {
    const absent = parseDeclaredAbsentText(text);
    if (absent) view.declaredAbsent.push({ name: absent.name, ...(absent.version !== undefined ? { version: absent.version } : {}), note: `${absent.status}: ${absent.note}`, cpes: absent.cpes, ...(absent.purl ? { purl: absent.purl } : {}) });
  }
  for (const a of annotations) {
    const text = str(a['statement']) ?? '';
    if (isKnownUnknownText(text)) view.knownUnknowns.push(text);
  }
  const rootDeps = rels.find((r) => r['from'] === rootId && r['relationshipType'] === 'dependsOn');
  if (rootDeps && typeof rootDeps['completeness'] === 'string') view.complete = rootDeps['completeness'] === 'complete';
  return view;
}

function componentOf(p: Obj, id: string, rels: Obj[], pathOfId: Map<string, string>, notes: string[], agentName: (id: unknown) => string, byId: Map<string, Obj>): ViewComponent {
  const name = str(p['name']) ?? id;
  const cpes = identifiers(p, 'cpe23').concat(identifiers(p, 'cpe22'));
  const purl = str(p['software_packageUrl']) ?? identifiers(p, 'packageUrl')[0];
  const version = statedVersion(p['software_packageVersion']);
  const carriers = [
    ...rels
      .filter((r) => typeof r['relationshipType'] === 'string' && CARRIER[r['relationshipType']] && listOf<unknown>(r['to']).includes(id) && pathOfId.has(String(r['from'])))
      .map((r) => ({ path: pathOfId.get(String(r['from']))!, relation: CARRIER[r['relationshipType'] as string]! })),
    ...rels
      .filter((r) => r['from'] === id && r['relationshipType'] === 'contains')
      .flatMap((r) => listOf<unknown>(r['to']).map(String).filter((t) => pathOfId.has(t)))
      .map((t) => ({ path: pathOfId.get(t)!, relation: 'contains' as const })),
  ];
  const declaration = notes.map(parseDeclarationText).find((d) => d !== undefined);
  const declaredRel = rels.find((r) => r['from'] === id && r['relationshipType'] === 'hasDeclaredLicense');
  const declaredLicense = declaredRel ? str(byId.get(String(listOf<unknown>(declaredRel['to'])[0]))?.['simplelicensing_licenseExpression']) : undefined;
  return {
    name,
    ...(version ? { version } : {}),
    ...identityOf(name, cpes, purl),
    id,
    ...(p['suppliedBy'] ? { supplier: agentName(p['suppliedBy']) } : {}),
    ...(declaredLicense ? { licenseDeclared: declaredLicense } : {}),
    carriers,
    evidence: evidenceLines(p['comment']),
    ...(declaration?.version !== undefined && declaration.status !== 'corroborated' ? { declaredVersion: declaration.version } : {}),
    ...(declaration ? { reconciliation: { status: declaration.status, note: declaration.note } } : {}),
    ...(typeof p['software_primaryPurpose'] === 'string' ? { purpose: p['software_primaryPurpose'].toLowerCase() } : {}),
  };
}

/** BSI's file properties as SPDX 3 purposes: executable, archive, and `container` for structured. */
function purposeProperties(n: Obj) {
  const purposes = [str(n['software_primaryPurpose']), ...listOf<unknown>(n['software_additionalPurpose']).map(String)];
  return { executable: purposes.includes('executable'), archive: purposes.includes('archive'), structured: purposes.includes('container') };
}

/** An agent's email (ExternalIdentifier) and web pages (ExternalRef). */
function contactsOf(agent: Obj | undefined): string[] {
  if (!agent) return [];
  return [
    ...identifiers(agent, 'email'),
    ...listOf<Obj>(agent['externalRef']).flatMap((r) => listOf<unknown>(r['locator']).map(String)),
  ];
}
