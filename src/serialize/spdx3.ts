import { createHash } from 'node:crypto';
import { completenessOf, packagesOf, type Bom, type FileElement, type FileKind, type PackageElement, type Party, type Purpose, type RelationType } from '../bom/model.js';
import { canonicalJson } from './canonical-json.js';
import { spdx2Ids } from './spdx2.js';
import { declarationText, declaredAbsentText, evidenceLine, knownUnknownText, signatureText } from './statements.js';

export const SPDX3_CONTEXT = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld';
/** SPDX 3.0.1 individuals (Core vocabulary) for "unknown" relationship targets. */
export const NO_ASSERTION_ELEMENT = 'https://spdx.org/rdf/3.0.1/terms/Core/NoAssertionElement';
export const NONE_ELEMENT = 'https://spdx.org/rdf/3.0.1/terms/Core/NoneElement';
const CREATION_INFO = '_:creationinfo';

const RELATION: Record<RelationType, string> = {
  contains: 'contains',
  'depends-on': 'dependsOn',
  'static-link': 'hasStaticLink',
  'dynamic-link': 'hasDynamicLink',
};

/** `software_primaryPurpose` for each model purpose (all are SPDX 3 SoftwarePurpose values). */
const PURPOSE: Record<Purpose, string> = { install: 'install', archive: 'archive', application: 'application', library: 'library', source: 'source', file: 'file' };

type Node = Record<string, unknown>;

/**
 * BSI TR-03183-2 v2.1 file properties as SPDX 3 additional purposes (its mapping table: executable
 * → `executable`, archive → `archive`, structured → `container`).
 */
function additionalPurposes(kind: FileKind, primary: string): string[] | undefined {
  const out = [...(kind.executable ? ['executable'] : []), ...(kind.archive ? ['archive'] : []), ...(kind.structured ? ['container'] : [])].filter((p) => p !== primary);
  return out.length > 0 ? out : undefined;
}

function hashes(d: { sha1?: string; sha256?: string; sha512?: string } | undefined): Node[] | undefined {
  if (!d) return undefined;
  const out: Node[] = [];
  for (const alg of ['sha1', 'sha256', 'sha512'] as const) if (d[alg]) out.push({ type: 'Hash', algorithm: alg, hashValue: d[alg] });
  return out.length > 0 ? out : undefined;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * The model as SPDX 3.0.1 JSON-LD: a `CreationInfo` blank node, an `SpdxDocument` whose root is a
 * `software_Sbom` (type `analyzed`), packages and files with hashes and external identifiers,
 * agents for suppliers and creators, relationships grouped per source and type with their
 * `completeness`, and annotations for reconciliation and known unknowns. Element ids are the
 * SPDX 2.3 ids of the same model under the document namespace, so the two documents join.
 */
export function toSpdx3(bom: Bom): Node {
  const ns = bom.document.namespace;
  const ids2 = spdx2Ids(bom);
  const iri = (ref: string) => `${ns}#${ids2.get(ref)!}`;
  const graph: Node[] = [];
  const element = (node: Node) => {
    graph.push({ creationInfo: CREATION_INFO, ...node });
    return node['spdxId'] as string;
  };

  // Agents: one element per distinct party; the tool is a Tool, and signs as a SoftwareAgent when no one else is named.
  const agents = new Map<string, string>();
  const agent = (p: Party): string => {
    const key = `${p.type}:${p.name}:${p.email ?? ''}:${p.url ?? ''}`;
    let id = agents.get(key);
    if (!id) {
      id = `${ns}#${p.type === 'person' ? 'Person' : 'Organization'}-${digest(key)}`;
      agents.set(key, id);
      const ids: Node[] = p.email ? [{ type: 'ExternalIdentifier', externalIdentifierType: 'email', identifier: p.email }] : [];
      element({
        type: p.type === 'person' ? 'Person' : 'Organization',
        spdxId: id,
        name: p.name,
        ...(ids.length > 0 ? { externalIdentifier: ids } : {}),
        ...(p.url ? { externalRef: [{ type: 'ExternalRef', externalRefType: 'altWebPage', locator: [p.url] }] } : {}),
      });
    }
    return id;
  };
  const tool = `${ns}#Tool-${bom.document.tool.name}`;
  element({ type: 'Tool', spdxId: tool, name: `${bom.document.tool.name}-${bom.document.tool.version}` });
  const createdBy = bom.document.creators.map(agent);
  if (createdBy.length === 0) {
    createdBy.push(element({ type: 'SoftwareAgent', spdxId: `${ns}#SoftwareAgent-${bom.document.tool.name}`, name: bom.document.tool.name }));
  }
  graph.push({ type: 'CreationInfo', '@id': CREATION_INFO, specVersion: '3.0.1', created: bom.document.created, createdBy, createdUsing: [tool] });

  const licenses = new Map<string, string>();
  const license = (expr: string): string => {
    let id = licenses.get(expr);
    if (!id) {
      id = `${ns}#LicenseExpression-${digest(expr)}`;
      licenses.set(expr, id);
      element({ type: 'simplelicensing_LicenseExpression', spdxId: id, simplelicensing_licenseExpression: expr });
    }
    return id;
  };

  const annotations: { subject: string; statement: string }[] = [];
  const rels: { from: string; type: string; to: string[]; completeness?: string; comment?: string }[] = [];
  // A bare binary is the artifact and its one file; a self-extractor is a container and a file.
  const fileAt = new Map(bom.files.map((f) => [f.path, f.ref]));
  for (const p of packagesOf(bom)) {
    element(packageNode(p, iri(p.ref), agent));
    // The artifact and each container are also files of the delivery: their bytes, name and hashes
    // are a software_File the package has as its distribution artifact (BSI: filename, SHA-512);
    // the file element itself when the package is also one of the files, so it is stated once.
    if (p.kind !== 'component' && p.fileName) {
      const same = fileAt.get(p.kind === 'container' ? p.path : p.fileName);
      const file = same ? iri(same) : `${iri(p.ref)}-distribution`;
      if (!same) element(distributionFile(p, file));
      rels.push({ from: iri(p.ref), type: 'hasDistributionArtifact', to: [file], completeness: 'complete' });
    }
    if (p.licenseDeclared) rels.push({ from: iri(p.ref), type: 'hasDeclaredLicense', to: [license(p.licenseDeclared)] });
    if (p.licenseConcluded) rels.push({ from: iri(p.ref), type: 'hasConcludedLicense', to: [license(p.licenseConcluded)] });
    for (const n of p.notes) annotations.push({ subject: iri(p.ref), statement: n.text });
    if (p.kind === 'component' && p.declaration) annotations.push({ subject: iri(p.ref), statement: declarationText(p.declaration) });
    if (p.kind !== 'component') for (const s of p.signatures) annotations.push({ subject: iri(p.ref), statement: signatureText(s) });
  }
  for (const f of bom.files) {
    element(fileNode(f, iri(f.ref)));
    for (const s of f.signatures) annotations.push({ subject: iri(f.ref), statement: signatureText(s) });
    for (const n of f.notes) annotations.push({ subject: iri(f.ref), statement: n.text });
  }

  // One relationship per source and type, its completeness stated (SPDX 3.0.1 Core/Relationship).
  const completeness = completenessOf(bom);
  const grouped = new Map<string, { from: string; type: RelationType; to: string[] }>();
  for (const r of bom.relationships) {
    const key = `${r.from}\u0000${r.type}`;
    const g = grouped.get(key) ?? { from: r.from, type: r.type, to: [] };
    g.to.push(iri(r.to));
    grouped.set(key, g);
  }
  for (const scope of completeness.incompleteContainment) {
    if (!grouped.has(`${scope}\u0000contains`)) grouped.set(`${scope}\u0000contains`, { from: scope, type: 'contains', to: [NO_ASSERTION_ELEMENT] });
  }
  // The artifact's dependency list is stated even when no component was found: none (NoneElement)
  // when nothing could hide one, unknown (NoAssertionElement) when something could.
  const rootDeps = `${bom.artifact.ref}\u0000depends-on`;
  if (!grouped.has(rootDeps)) grouped.set(rootDeps, { from: bom.artifact.ref, type: 'depends-on', to: [completeness.dependenciesComplete ? NONE_ELEMENT : NO_ASSERTION_ELEMENT] });
  for (const g of grouped.values()) {
    const incomplete = (g.type === 'contains' && completeness.incompleteContainment.has(g.from)) || (g.type === 'depends-on' && g.from === bom.artifact.ref && !completeness.dependenciesComplete);
    rels.push({ from: iri(g.from), type: RELATION[g.type], to: g.to, completeness: incomplete ? 'incomplete' : 'complete' });
  }
  const linkComments = bom.relationships.filter((r) => r.comment);
  for (const r of linkComments) annotations.push({ subject: iri(r.from), statement: `${r.type} ${iri(r.to)}: ${r.comment}` });
  for (const r of rels) {
    // The id names the set of targets, whatever order the model happens to list them in.
    element({
      type: 'Relationship',
      spdxId: `${ns}#Relationship-${digest(`${r.from} ${r.type} ${[...r.to].sort().join(' ')}`)}`,
      from: r.from,
      relationshipType: r.type,
      to: r.to,
      ...(r.completeness ? { completeness: r.completeness } : {}),
    });
  }

  for (const d of bom.declaredAbsent) annotations.push({ subject: iri(bom.artifact.ref), statement: declaredAbsentText(d) });
  for (const u of bom.knownUnknowns) annotations.push({ subject: iri(u.scope), statement: knownUnknownText(u) });
  // An annotation's id is its subject and statement: the same statement twice on one element is
  // one annotation (SPDX 2.3 and CycloneDX repeat it as a line or property; it says nothing more).
  const annotated = new Set<string>();
  for (const a of annotations) {
    const spdxId = `${ns}#Annotation-${digest(`${a.subject} ${a.statement}`)}`;
    if (annotated.has(spdxId)) continue;
    annotated.add(spdxId);
    element({ type: 'Annotation', spdxId, annotationType: 'other', subject: a.subject, statement: a.statement });
  }

  const sbomId = `${ns}#SBOM`;
  const members = graph.filter((n) => typeof n['spdxId'] === 'string').map((n) => n['spdxId'] as string);
  element({ type: 'software_Sbom', spdxId: sbomId, name: bom.document.name, software_sbomType: ['analyzed'], rootElement: [iri(bom.artifact.ref)], element: members });
  element({
    type: 'SpdxDocument',
    spdxId: `${ns}#SPDXRef-DOCUMENT`,
    name: bom.document.name,
    dataLicense: 'https://spdx.org/licenses/CC0-1.0',
    profileConformance: ['core', 'software', 'simpleLicensing'],
    rootElement: [sbomId],
    element: [...members, sbomId],
    ...(bom.knownUnknowns.length > 0 ? { comment: `${bom.knownUnknowns.length} known unknown(s) are stated as annotations; relationships they touch are marked incomplete.` } : {}),
  });
  return { '@context': SPDX3_CONTEXT, '@graph': graph };
}

function packageNode(p: PackageElement, id: string, agent: (p: Party) => string): Node {
  const ids: Node[] = p.cpes.map((c) => ({ type: 'ExternalIdentifier', externalIdentifierType: 'cpe23', identifier: c.cpe, ...(c.comment ? { comment: c.comment } : {}) }));
  if (p.purl) ids.push({ type: 'ExternalIdentifier', externalIdentifierType: 'packageUrl', identifier: p.purl });
  const primary = PURPOSE[p.purpose];
  const comment = p.kind === 'component' && p.evidence.length > 0 ? `Evidence:\n${p.evidence.map((e) => `- ${evidenceLine(e)}`).join('\n')}` : undefined;
  return {
    type: 'software_Package',
    spdxId: id,
    name: p.name,
    ...(p.version !== undefined ? { software_packageVersion: p.version } : {}),
    ...(p.downloadLocation ? { software_downloadLocation: p.downloadLocation } : {}),
    ...(p.homepage ? { software_homePage: p.homepage } : {}),
    ...(p.purl ? { software_packageUrl: p.purl } : {}),
    ...(p.supplier ? { suppliedBy: agent(p.supplier) } : {}),
    ...(p.originator ? { originatedBy: [agent(p.originator)] } : {}),
    ...(ids.length > 0 ? { externalIdentifier: ids } : {}),
    software_primaryPurpose: primary,
    ...(p.description ? { description: p.description } : {}),
    ...(comment ? { comment } : {}),
  };
}

function distributionFile(p: Exclude<PackageElement, { kind: 'component' }>, id: string): Node {
  const primary = p.fileKind.executable ? 'executable' : p.fileKind.archive ? 'archive' : 'file';
  const extra = additionalPurposes(p.fileKind, primary);
  return {
    type: 'software_File',
    spdxId: id,
    name: p.kind === 'container' ? p.path : p.fileName,
    software_fileKind: 'file',
    ...(hashes(p.digests) ? { verifiedUsing: hashes(p.digests) } : {}),
    software_primaryPurpose: primary,
    ...(extra ? { software_additionalPurpose: extra } : {}),
  };
}

function fileNode(f: FileElement, id: string): Node {
  const primary = f.fileKind.executable ? 'executable' : f.fileKind.archive ? 'archive' : 'file';
  const extra = additionalPurposes(f.fileKind, primary);
  const comment = [f.notInspected ? `Not inspected: ${f.notInspected}` : '', f.unopened ? `Unopened container (${f.unopened.format}): ${f.unopened.reason}` : ''].filter(Boolean).join('\n');
  return {
    type: 'software_File',
    spdxId: id,
    name: f.path,
    software_fileKind: 'file',
    verifiedUsing: hashes(f.digests),
    software_primaryPurpose: primary,
    ...(extra ? { software_additionalPurpose: extra } : {}),
    ...(comment ? { comment } : {}),
  };
}

/** Canonical SPDX 3.0.1 JSON-LD text. */
export function writeSpdx3(bom: Bom): string {
  return canonicalJson(toSpdx3(bom));
}
