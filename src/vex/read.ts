import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { cpeVendorProduct, purlName } from '../bom/read/keys.js';
import type { VexStatus } from './model.js';
import { CDX_STATE } from './cyclonedx-vex.js';

/** One (vulnerability, product, component) status as any VEX document states it. */
export interface VexRow {
  vulnerability: string;
  aliases: string[];
  /** How the product is identified (purl, `@id`, bom-ref), as written. */
  product: string;
  /** The same, without version: stable across releases of the product. */
  productKey: string;
  /** Undefined when the statement is about the product itself. */
  component?: string;
  componentKey?: string;
  status: VexStatus;
  justification?: string;
  /** Impact statement, status notes or CycloneDX detail. */
  detail?: string;
}

export interface VexView {
  format: 'openvex' | 'cyclonedx';
  id: string;
  author?: string;
  timestamp?: string;
  rows: VexRow[];
}

const STATUS_OF_CDX_STATE: Record<string, VexStatus> = {
  ...Object.fromEntries(Object.entries(CDX_STATE).map(([status, state]) => [state, status as VexStatus])),
  resolved_with_pedigree: 'fixed',
  false_positive: 'not_affected',
};

type Json = Record<string, unknown>;

const isObject = (x: unknown): x is Json => !!x && typeof x === 'object' && !Array.isArray(x);
const list = (x: unknown): Json[] => (Array.isArray(x) ? x.filter(isObject) : []);
const text = (x: unknown): string | undefined => (typeof x === 'string' && x ? x : undefined);

/** A versionless key: CPE `vendor:product`, purl `type/namespace/name`, else the identifier itself. */
function keyOf(id: string): string {
  return (id.startsWith('pkg:') ? purlName(id) : id.startsWith('cpe:') ? cpeVendorProduct(id) : undefined) ?? id;
}

function identity(c: Json): string {
  const ids = isObject(c['identifiers']) ? c['identifiers'] : {};
  return text(c['@id']) ?? text(ids['purl']) ?? text(ids['cpe23']) ?? text(ids['cpe22']) ?? '(unidentified)';
}

/**
 * The CPE first: a package a source SBOM declares often has only a CPE, and the copy the artifact
 * ships has the same CPE and a purl too; keyed by CPE, the two are one component across releases.
 */
function identityKey(c: Json): string {
  const ids = isObject(c['identifiers']) ? c['identifiers'] : {};
  return keyOf(text(ids['cpe23']) ?? text(ids['cpe22']) ?? text(ids['purl']) ?? identity(c));
}

export function isOpenVex(doc: unknown): boolean {
  return isObject(doc) && typeof doc['@context'] === 'string' && doc['@context'].startsWith('https://openvex.dev/ns');
}

/** A CycloneDX BOM that states analyses: a VEX (a plain SBOM has no `vulnerabilities[].analysis`). */
export function isCycloneDxVex(doc: unknown): boolean {
  return isObject(doc) && doc['bomFormat'] === 'CycloneDX' && list(doc['vulnerabilities']).some((v) => isObject(v['analysis']));
}

export function isVexDocument(doc: unknown): boolean {
  return isOpenVex(doc) || isCycloneDxVex(doc);
}

function openVexRows(doc: Json): VexRow[] {
  const rows: VexRow[] = [];
  for (const s of list(doc['statements'])) {
    const v = isObject(s['vulnerability']) ? s['vulnerability'] : {};
    const base = {
      vulnerability: text(v['name']) ?? text(v['@id']) ?? '(unnamed)',
      aliases: Array.isArray(v['aliases']) ? v['aliases'].filter((x): x is string => typeof x === 'string') : [],
      status: s['status'] as VexStatus,
      ...(text(s['justification']) ? { justification: text(s['justification'])! } : {}),
    };
    const detail = text(s['impact_statement']) ?? text(s['status_notes']) ?? text(s['action_statement']);
    for (const p of list(s['products'])) {
      const subs = list(p['subcomponents']);
      const product = { product: identity(p), productKey: identityKey(p), ...(detail ? { detail } : {}) };
      if (subs.length === 0) rows.push({ ...base, ...product });
      for (const c of subs) rows.push({ ...base, ...product, component: identity(c), componentKey: identityKey(c) });
    }
  }
  return rows;
}

function cycloneDxRows(doc: Json): VexRow[] {
  const meta = isObject(doc['metadata']) && isObject(doc['metadata']['component']) ? doc['metadata']['component'] : {};
  const byRef = new Map(list(doc['components']).map((c) => [text(c['bom-ref']) ?? '', c]));
  const label = (c: Json) => text(c['purl']) ?? text(c['cpe']) ?? [text(c['name']), text(c['version'])].filter(Boolean).join(' ');
  const key = (c: Json) => keyOf(text(c['cpe']) ?? text(c['purl']) ?? text(c['name']) ?? '');
  const product = label(meta) || '(unidentified)';
  const productKey = key(meta) || product;
  const rows: VexRow[] = [];
  for (const v of list(doc['vulnerabilities'])) {
    const analysis = isObject(v['analysis']) ? v['analysis'] : {};
    const status = STATUS_OF_CDX_STATE[String(analysis['state'])];
    if (!status) continue;
    const base = {
      vulnerability: text(v['id']) ?? '(unnamed)',
      aliases: list(v['references']).map((r) => text(r['id'])).filter((x): x is string => !!x),
      product,
      productKey,
      status,
      ...(text(analysis['justification']) ? { justification: text(analysis['justification'])! } : {}),
      ...(text(analysis['detail']) ? { detail: text(analysis['detail'])! } : {}),
    };
    for (const a of list(v['affects'])) {
      const ref = text(a['ref']) ?? '';
      if (ref === text(meta['bom-ref'])) {
        rows.push(base);
        continue;
      }
      const c = byRef.get(ref);
      rows.push({ ...base, component: (c && label(c)) || ref, componentKey: (c && key(c)) || ref });
    }
  }
  return rows;
}

/** Any VEX we read (OpenVEX, CycloneDX VEX) as rows; `name` names the document in errors. */
export function readVex(doc: unknown, name = '(document)'): VexView {
  if (isOpenVex(doc)) {
    const d = doc as Json;
    return { format: 'openvex', id: text(d['@id']) ?? name, ...(text(d['author']) ? { author: text(d['author'])! } : {}), ...(text(d['timestamp']) ? { timestamp: text(d['timestamp'])! } : {}), rows: openVexRows(d) };
  }
  if (isCycloneDxVex(doc)) {
    const d = doc as Json;
    const meta = isObject(d['metadata']) ? d['metadata'] : {};
    return { format: 'cyclonedx', id: text(d['serialNumber']) ?? name, ...(text(meta['timestamp']) ? { timestamp: text(meta['timestamp'])! } : {}), rows: cycloneDxRows(d) };
  }
  throw new InputError('not a VEX document (neither OpenVEX nor a CycloneDX BOM with vulnerability analyses)', [name]);
}

/** The VEX in a file, or undefined when the file is JSON of another kind (an SBOM). */
export async function readVexFile(path: string): Promise<VexView | undefined> {
  let doc: unknown;
  try {
    doc = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
  return isVexDocument(doc) ? readVex(doc, basename(path)) : undefined;
}
