/**
 * What the schemas cannot express, per format: identifiers well-formed and unique, every
 * reference resolving, the document's own fields. Each finding names the element.
 */
import type { BomFormat } from '../bom/view.js';
import { listOf, str } from '../bom/read/keys.js';
import type { Finding } from './findings.js';

type Obj = Record<string, unknown>;

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.\-]+$/;
const CREATED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SPECIAL_TARGETS = new Set(['NONE', 'NOASSERTION']);
/** SPDX 3.0.1 Core individuals a relationship may point at. */
const SPDX3_INDIVIDUALS = new Set(['https://spdx.org/rdf/3.0.1/terms/Core/NoAssertionElement', 'https://spdx.org/rdf/3.0.1/terms/Core/NoneElement']);

export function integrityFindings(format: BomFormat, doc: Obj): Finding[] {
  if (format === 'spdx-2.3') return spdx2(doc);
  if (format === 'spdx-3.0.1') return spdx3(doc);
  return cyclonedx(doc);
}

export function validCreated(created: unknown): boolean {
  return typeof created === 'string' && CREATED.test(created) && !Number.isNaN(Date.parse(created));
}

function spdx2(d: Obj): Finding[] {
  const out: Finding[] = [];
  const err = (check: string, element: string, message: string) => out.push({ severity: 'error', check, element, message });
  if (d['SPDXID'] !== 'SPDXRef-DOCUMENT') err('document', 'SPDXID', 'document SPDXID must be SPDXRef-DOCUMENT');
  if (d['spdxVersion'] !== 'SPDX-2.3') err('document', 'spdxVersion', `expected SPDX-2.3, found ${String(d['spdxVersion'])}`);
  if (d['dataLicense'] !== 'CC0-1.0') err('document', 'dataLicense', 'dataLicense must be CC0-1.0');
  const ns = d['documentNamespace'];
  if (typeof ns !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\/[^#\s]+$/i.test(ns)) err('document', 'documentNamespace', 'documentNamespace must be an absolute URI without "#"');

  const packages = listOf<Obj>(d['packages']);
  const files = listOf<Obj>(d['files']);
  const ids = new Map<string, string>([['SPDXRef-DOCUMENT', 'document']]);
  const see = (id: unknown, what: string) => {
    if (typeof id !== 'string' || !SPDX_ID.test(id)) return err('id', String(id), `${what} has an invalid SPDXID`);
    if (ids.has(id)) return err('id', id, `SPDXID used twice (${ids.get(id)} and ${what})`);
    ids.set(id, what);
  };
  for (const p of packages) {
    see(p['SPDXID'], 'package');
    // NTIA asks every component's version: SPDX 2.3 lets the field be left out, NOASSERTION states it unknown.
    if (p['versionInfo'] === undefined) out.push({ severity: 'error', check: 'ntia', element: String(p['SPDXID']), message: `${String(p['name'])}: no versionInfo (write NOASSERTION when it is unknown)` });
  }
  for (const f of files) see(f['SPDXID'], 'file');
  const rels = listOf<Obj>(d['relationships']);
  const resolves = (id: string) => ids.has(id) || SPECIAL_TARGETS.has(id) || /^DocumentRef-[A-Za-z0-9.\-]+:SPDXRef-[A-Za-z0-9.\-]+$/.test(id);
  for (const r of rels) {
    const from = String(r['spdxElementId']);
    const to = String(r['relatedSpdxElement']);
    if (!resolves(from)) err('relationship', from, `relationship ${String(r['relationshipType'])} from an unknown element`);
    if (!resolves(to)) err('relationship', to, `relationship ${String(r['relationshipType'])} to an unknown element`);
  }
  // SPDX 2.3 §7.8: a package whose files were not analysed shall not contain files.
  const fileIds = new Set(files.map((f) => String(f['SPDXID'])));
  for (const p of packages) {
    const id = String(p['SPDXID']);
    const holds = rels.some((r) => r['spdxElementId'] === id && r['relationshipType'] === 'CONTAINS' && fileIds.has(String(r['relatedSpdxElement']))) || listOf(p['hasFiles']).length > 0;
    if (p['filesAnalyzed'] === false && holds) err('files-analyzed', id, 'filesAnalyzed is false but the package contains files (SPDX 2.3 §7.8)');
  }
  return out;
}

function spdx3(d: Obj): Finding[] {
  const out: Finding[] = [];
  const err = (check: string, element: string, message: string) => out.push({ severity: 'error', check, element, message });
  const graph = listOf<Obj>(d['@graph']);
  const ids = new Map<string, string>();
  for (const n of graph) {
    const id = str(n['spdxId']) ?? str(n['@id']);
    if (!id) continue;
    if (ids.has(id)) err('id', id, `id used twice (${ids.get(id)} and ${String(n['type'])})`);
    ids.set(id, String(n['type']));
  }
  const documents = graph.filter((n) => n['type'] === 'SpdxDocument');
  if (documents.length !== 1) err('document', 'SpdxDocument', `expected one SpdxDocument, found ${documents.length}`);
  const resolves = (id: unknown) => typeof id === 'string' && (ids.has(id) || SPDX3_INDIVIDUALS.has(id) || /^https:\/\/spdx\.org\/licenses\//.test(id));
  for (const n of graph) {
    const id = str(n['spdxId']) ?? '(blank node)';
    if (n['type'] === 'Relationship' || n['type'] === 'LifecycleScopedRelationship') {
      if (!resolves(n['from'])) err('relationship', id, `relationship from an unknown element ${String(n['from'])}`);
      for (const t of listOf<unknown>(n['to'])) if (!resolves(t)) err('relationship', id, `relationship to an unknown element ${String(t)}`);
    }
    if (n['type'] === 'Annotation' && !resolves(n['subject'])) err('relationship', id, `annotation on an unknown element ${String(n['subject'])}`);
    if (n['creationInfo'] !== undefined && typeof n['creationInfo'] === 'string' && !ids.has(n['creationInfo'])) err('document', id, `creationInfo ${n['creationInfo']} is not in the graph`);
    for (const key of ['rootElement', 'element']) for (const e of listOf<unknown>(n[key])) if (!resolves(e)) err('relationship', id, `${key} names an unknown element ${String(e)}`);
  }
  return out;
}

function cyclonedx(d: Obj): Finding[] {
  const out: Finding[] = [];
  const err = (check: string, element: string, message: string) => out.push({ severity: 'error', check, element, message });
  const refs = new Map<string, string>();
  const visit = (c: Obj) => {
    const ref = str(c['bom-ref']);
    if (ref) {
      if (refs.has(ref)) err('id', ref, 'bom-ref used twice');
      refs.set(ref, String(c['name']));
    }
    for (const child of listOf<Obj>(c['components'])) visit(child);
  };
  const metadata = (d['metadata'] ?? {}) as Obj;
  if (metadata['component']) visit(metadata['component'] as Obj);
  for (const c of listOf<Obj>(d['components'])) visit(c);
  for (const dep of listOf<Obj>(d['dependencies'])) {
    const from = String(dep['ref']);
    if (!refs.has(from)) err('relationship', from, 'dependency from an unknown bom-ref');
    for (const t of listOf<unknown>(dep['dependsOn'])) if (!refs.has(String(t))) err('relationship', String(t), `dependency of ${from} on an unknown bom-ref`);
  }
  for (const comp of listOf<Obj>(d['compositions'])) {
    for (const key of ['assemblies', 'dependencies']) for (const t of listOf<unknown>(comp[key])) if (!refs.has(String(t))) err('relationship', String(t), `composition names an unknown bom-ref`);
  }
  for (const a of listOf<Obj>(d['annotations'])) for (const s of listOf<unknown>(a['subjects'])) if (!refs.has(String(s))) err('relationship', String(s), 'annotation on an unknown bom-ref');
  return out;
}
