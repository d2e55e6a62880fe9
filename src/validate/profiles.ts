/**
 * Minimum-element profiles, checked on the neutral view so that they mean the same in every
 * format. Each finding names the element that falls short.
 */
import type { BomView, Checksums } from '../bom/view.js';
import type { Finding } from './findings.js';
import { validCreated } from './integrity.js';

export type Profile = 'ntia' | 'bsi';

type Report = (severity: Finding['severity'], element: string, message: string) => void;

/**
 * NTIA minimum elements (2021): supplier, component name, version, other unique identifiers,
 * dependency relationship, author of the SBOM data, timestamp — as ntia-conformance-checker and
 * sbomqs apply them. A version the document states as unknown is a warning (a known unknown),
 * not an error.
 */
export function ntiaFindings(view: BomView): Finding[] {
  const out: Finding[] = [];
  const report: Report = (severity, element, message) => out.push({ severity, check: 'ntia', element, message });
  if (view.creators.length === 0) report('error', 'creators', 'the document names no author (creator)');
  if (!validCreated(view.created)) report('error', 'created', 'no creation timestamp in UTC (YYYY-MM-DDThh:mm:ssZ)');
  if (!view.root) report('error', 'root', 'the document describes no package (no DESCRIBES / rootElement / metadata.component)');
  else {
    if (!view.root.supplier) report('error', view.root.id, `${view.root.name}: no supplier`);
    if (!view.root.version) report('warning', view.root.id, `${view.root.name}: no version`);
  }
  for (const c of view.components) {
    const what = `${c.name} ${c.version ?? ''}`.trim();
    if (!c.name) report('error', c.id, 'component has no name');
    if (!c.supplier) report('error', c.id, `${what}: no supplier`);
    if (!c.version) report('warning', c.id, `${what}: no version (a known unknown)`);
    if (c.cpes.length === 0 && !c.purl) report('warning', c.id, `${what}: no unique identifier (CPE or purl)`);
  }
  // Every component is reached from the described package through DEPENDS_ON (sbomqs' dependency check).
  if (view.root) {
    const edges = new Map(view.dependencies.map((d) => [d.from, d.to]));
    const reached = new Set<string>([view.root.id]);
    const todo = [view.root.id];
    while (todo.length > 0) for (const n of edges.get(todo.pop()!) ?? []) if (!reached.has(n)) (reached.add(n), todo.push(n));
    for (const c of view.components) if (!reached.has(c.id)) report('error', c.id, `${c.name}: not reached from the described package by a dependency relationship`);
  }
  return out;
}

const hasSha512 = (sums: Checksums | undefined) => !!sums && /^[0-9a-f]{128}$/.test(sums['SHA512'] ?? '');

/**
 * BSI TR-03183-2 v2.1 (2025-08-20): CycloneDX ≥ 1.6 or SPDX ≥ 3.0.1; the SBOM creator's contact
 * (email or URL); a timestamp; per component its name, version, file name, the SHA-512 of the
 * deployable file and the executable / archive / structured properties; and the completeness of
 * the dependency list stated.
 */
export function bsiFindings(view: BomView): Finding[] {
  const out: Finding[] = [];
  const report: Report = (severity, element, message) => out.push({ severity, check: 'bsi', element, message });
  if (view.format === 'spdx-2.3') report('error', 'spdxVersion', 'BSI TR-03183-2 v2.1 accepts only CycloneDX 1.6 or later and SPDX 3.0.1 or later, not SPDX 2.3');
  if (view.creatorContacts.length === 0) report('error', 'creator', "no email or URL for the SBOM's creator (pass --creator \"Organization: NAME (email)\")");
  if (!validCreated(view.created)) report('error', 'created', 'no creation timestamp');
  if (view.complete === undefined) report('error', 'dependencies', 'the completeness of the dependency list is not stated');

  if (!view.root) report('error', 'root', 'the document describes no artifact');
  else {
    const r = view.root;
    if (!r.version) report('error', r.id, `${r.name}: no version (nor the file's date)`);
    if (!r.fileName) report('error', r.id, `${r.name}: no file name`);
    if (!hasSha512(r.checksums)) report('error', r.id, `${r.name}: no SHA-512 of the deployable file`);
    if (!r.properties) report('error', r.id, `${r.name}: executable / archive / structured properties not stated`);
  }
  for (const c of view.containers) {
    if (!hasSha512(c.checksums)) report('error', c.id, `${c.path}: no SHA-512`);
    if (!c.properties) report('error', c.id, `${c.path}: executable / archive / structured properties not stated`);
  }
  for (const f of view.files) {
    if (!hasSha512(f.checksums)) report('error', f.id, `./${f.path}: no SHA-512`);
    if (!f.properties) report('error', f.id, `./${f.path}: executable / archive / structured properties not stated`);
  }
  const byPath = new Map(view.files.map((f) => [f.path, f] as const));
  const containerPaths = new Set(view.containers.map((c) => c.path));
  for (const c of view.components) {
    const what = `${c.name} ${c.version ?? ''}`.trim();
    if (!c.version) report('error', c.id, `${what}: no version (nor the file's date)`);
    if (c.cpes.length === 0 && !c.purl) report('error', c.id, `${what}: no other unique identifier (CPE or purl)`);
    // A component's deployable form is the file (or container) it is made of or compiled into.
    const carriers = c.carriers.filter((x) => x.relation !== 'dynamic-link' && (byPath.has(x.path) || containerPaths.has(x.path) || x.path === view.root?.fileName));
    if (carriers.length === 0) report('error', c.id, `${what}: no file name: no file of the artifact is shown to carry it`);
    else if (!carriers.some((x) => !byPath.has(x.path) || hasSha512(byPath.get(x.path)!.checksums))) report('error', c.id, `${what}: no SHA-512 of the file that carries it`);
  }
  return out;
}
