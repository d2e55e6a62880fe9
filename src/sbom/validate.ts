import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { SpdxDocument, SpdxPackage } from './model.js';

export interface ValidationFinding {
  /** `schema`, `id`, `relationship`, `document`, `ntia`, `quality`. */
  check: string;
  /** The element concerned (an SPDXID, a JSON path). */
  element: string;
  message: string;
}

export interface ValidationReport {
  valid: boolean;
  errors: ValidationFinding[];
  /** Worth fixing, not failing (sbomqs quality features). */
  warnings: ValidationFinding[];
}

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(new URL('../../../data/spdx-2.3-schema.json', import.meta.url), 'utf8'));
    const ajv = new Ajv({ strict: true, allErrors: true });
    compiled = ajv.compile(schema);
  }
  return compiled;
}

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.\-]+$/;
const CREATED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const SPECIAL_TARGETS = new Set(['NONE', 'NOASSERTION']);

/**
 * The checks users will hold an SBOM to: the SPDX 2.3 schema, what the schema cannot express (id
 * syntax and uniqueness, relationships resolving, created, namespace, data licence), and the NTIA
 * minimum elements as ntia-conformance-checker and sbomqs apply them (supplier, name, version,
 * creators, created, DESCRIBES, and the primary package DEPENDS_ON every component).
 */
export function validateSpdx(doc: unknown): ValidationReport {
  const errors: ValidationFinding[] = [];
  const warnings: ValidationFinding[] = [];
  const err = (check: string, element: string, message: string) => errors.push({ check, element, message });
  const warn = (check: string, element: string, message: string) => warnings.push({ check, element, message });

  const validate = schemaValidator();
  if (!validate(doc)) {
    for (const e of validate.errors ?? []) err('schema', e.instancePath || '/', `${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }
  if (!doc || typeof doc !== 'object') return { valid: false, errors, warnings };
  const d = doc as SpdxDocument;

  if (d.SPDXID !== 'SPDXRef-DOCUMENT') err('document', 'SPDXID', 'document SPDXID must be SPDXRef-DOCUMENT');
  if (d.spdxVersion !== 'SPDX-2.3') err('document', 'spdxVersion', `expected SPDX-2.3, found ${String(d.spdxVersion)}`);
  if (d.dataLicense !== 'CC0-1.0') err('document', 'dataLicense', 'dataLicense must be CC0-1.0');
  if (typeof d.documentNamespace !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\/[^#\s]+$/i.test(d.documentNamespace)) {
    err('document', 'documentNamespace', 'documentNamespace must be an absolute URI without "#"');
  }
  const created = d.creationInfo?.created;
  if (typeof created !== 'string' || !CREATED.test(created) || Number.isNaN(Date.parse(created))) {
    err('ntia', 'creationInfo.created', 'created must be a UTC timestamp YYYY-MM-DDThh:mm:ssZ');
  }
  const creators = d.creationInfo?.creators ?? [];
  if (creators.length === 0) err('ntia', 'creationInfo.creators', 'no creators');
  if (!creators.some((c) => /^Tool: /.test(c))) warn('quality', 'creationInfo.creators', 'no Tool creator');

  const packages = Array.isArray(d.packages) ? d.packages : [];
  const files = Array.isArray(d.files) ? d.files : [];
  const ids = new Map<string, string>();
  const seeId = (id: unknown, what: string) => {
    if (typeof id !== 'string' || !SPDX_ID.test(id)) {
      err('id', String(id), `${what} has an invalid SPDXID`);
      return;
    }
    if (ids.has(id)) err('id', id, `SPDXID used twice (${ids.get(id)} and ${what})`);
    ids.set(id, what);
  };
  ids.set('SPDXRef-DOCUMENT', 'document');
  for (const p of packages) seeId(p.SPDXID, 'package');
  for (const f of files) seeId(f.SPDXID, 'file');

  const rels = Array.isArray(d.relationships) ? d.relationships : [];
  const resolves = (id: string) => ids.has(id) || SPECIAL_TARGETS.has(id) || /^DocumentRef-[A-Za-z0-9.\-]+:SPDXRef-[A-Za-z0-9.\-]+$/.test(id);
  for (const r of rels) {
    if (!resolves(r.spdxElementId)) err('relationship', r.spdxElementId, `relationship ${r.relationshipType} from an unknown element`);
    if (!resolves(r.relatedSpdxElement)) err('relationship', r.relatedSpdxElement, `relationship ${r.relationshipType} to an unknown element`);
  }

  const described = new Set([
    ...rels.filter((r) => r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES').map((r) => r.relatedSpdxElement),
    ...(d.documentDescribes ?? []),
  ]);
  if (described.size === 0) err('ntia', 'relationships', 'no DESCRIBES relationship from SPDXRef-DOCUMENT');

  for (const p of packages) checkPackage(p, err, warn);

  // sbomqs: every component must be reachable from the primary package through DEPENDS_ON;
  // containers (reached through CONTAINS from the primary package) are the artifact's own parts.
  const edges = (type: string) => {
    const m = new Map<string, string[]>();
    for (const r of rels) if (r.relationshipType === type) m.set(r.spdxElementId, [...(m.get(r.spdxElementId) ?? []), r.relatedSpdxElement]);
    return m;
  };
  const reach = (starts: Iterable<string>, graph: Map<string, string[]>) => {
    const seen = new Set<string>(starts);
    const todo = [...seen];
    while (todo.length > 0) for (const n of graph.get(todo.pop()!) ?? []) if (!seen.has(n)) (seen.add(n), todo.push(n));
    return seen;
  };
  const packageIds = new Set(packages.map((p) => p.SPDXID));
  const containers = reach(described, new Map([...edges('CONTAINS')].map(([k, v]) => [k, v.filter((x) => packageIds.has(x))])));
  const dependencies = reach(described, edges('DEPENDS_ON'));
  for (const p of packages) {
    if (!containers.has(p.SPDXID) && !dependencies.has(p.SPDXID)) {
      err('ntia', p.SPDXID, 'component is not reached from the described package by DEPENDS_ON');
    }
  }
  return { valid: errors.length === 0, errors, warnings };
}

function checkPackage(
  p: SpdxPackage,
  err: (c: string, e: string, m: string) => void,
  warn: (c: string, e: string, m: string) => void,
): void {
  const id = String(p.SPDXID);
  if (!p.name) err('ntia', id, 'package has no name');
  if (!p.versionInfo) err('ntia', id, 'package has no versionInfo');
  else if (p.versionInfo === 'NOASSERTION') warn('quality', id, 'package version is NOASSERTION');
  if (!p.supplier || p.supplier === 'NOASSERTION') err('ntia', id, 'package has no supplier (NOASSERTION is not accepted)');
  else if (!/^(Organization|Person): \S/.test(p.supplier)) err('document', id, 'supplier must start with "Organization: " or "Person: "');
  const refs = p.externalRefs ?? [];
  const isComponent = p.primaryPackagePurpose === 'LIBRARY';
  if (isComponent && !refs.some((r) => r.referenceType === 'cpe23Type')) warn('quality', id, 'no CPE');
  if (isComponent && !refs.some((r) => r.referenceType === 'purl')) warn('quality', id, 'no purl');
  if (!isComponent && !(p.checksums ?? []).some((c) => c.algorithm === 'SHA256')) warn('quality', id, 'no SHA256 checksum');
}
