import { basename } from 'node:path';
import type { EvidenceKind } from '../detect/types.js';
import { completenessOf, packagesOf, type Bom, type ComponentPackage, type FileElement, type FileKind, type PackageElement, type Party, type Purpose } from '../bom/model.js';
import { canonicalJson } from './canonical-json.js';
import { spdx2Ids } from './spdx2.js';
import { declarationText, declaredAbsentText, evidenceLine, knownUnknownText, signatureText } from './statements.js';

export type CycloneDxVersion = '1.6' | '1.7';

type Node = Record<string, unknown>;

/** CycloneDX component types for model purposes (an installer is an application, an archive a file). */
const TYPE: Record<Purpose, string> = { install: 'application', archive: 'file', application: 'application', library: 'library', source: 'library', file: 'file' };

/** CycloneDX 1.6 `evidence.identity.methods[].technique` and a confidence for each kind of evidence. */
const TECHNIQUE: Record<EvidenceKind, { technique: string; confidence: number }> = {
  string: { technique: 'binary-analysis', confidence: 0.8 },
  versioninfo: { technique: 'binary-analysis', confidence: 0.9 },
  'install-name': { technique: 'binary-analysis', confidence: 0.6 },
  'load-command': { technique: 'binary-analysis', confidence: 0.4 },
  plist: { technique: 'manifest-analysis', confidence: 0.8 },
  'file-name': { technique: 'filename', confidence: 0.3 },
  'abi-name': { technique: 'filename', confidence: 0.3 },
  'known-hash': { technique: 'hash-comparison', confidence: 1 },
  container: { technique: 'binary-analysis', confidence: 0.5 },
  declared: { technique: 'manifest-analysis', confidence: 0.7 },
  symbol: { technique: 'binary-analysis', confidence: 0.7 },
  signature: { technique: 'other', confidence: 0.8 },
  'embedded-sbom': { technique: 'manifest-analysis', confidence: 0.9 },
  'package-metadata': { technique: 'manifest-analysis', confidence: 0.9 },
};

/** The property names BSI TR-03183-2 v2.1 maps its file properties to, and the values it uses. */
export function bsiProperties(kind: FileKind, fileName: string | undefined): Node[] {
  return [
    // A directory artifact has no file, so no file name.
    ...(fileName !== undefined ? [{ name: 'bsi:component:filename', value: fileName }] : []),
    { name: 'bsi:component:executable', value: kind.executable ? 'executable' : 'non-executable' },
    { name: 'bsi:component:archive', value: kind.archive ? 'archive' : 'no archive' },
    { name: 'bsi:component:structured', value: kind.structured ? 'structured' : 'unstructured' },
  ];
}

function hashes(d: { sha1?: string; sha256?: string; sha512?: string } | undefined): Node[] | undefined {
  if (!d) return undefined;
  const out: Node[] = [];
  if (d.sha1) out.push({ alg: 'SHA-1', content: d.sha1 });
  if (d.sha256) out.push({ alg: 'SHA-256', content: d.sha256 });
  if (d.sha512) out.push({ alg: 'SHA-512', content: d.sha512 });
  return out.length > 0 ? out : undefined;
}

function entity(p: Party | undefined): Node | undefined {
  if (!p) return undefined;
  return { name: p.name, ...(p.url ? { url: [p.url] } : {}), ...(p.email ? { contact: [{ email: p.email }] } : {}) };
}

/**
 * The model as CycloneDX 1.6 (or 1.7) JSON. The artifact is `metadata.component`; containers nest
 * their members in `components`; each file is a `file` component with SHA-1, SHA-256 and SHA-512
 * and BSI's file properties; each component copy is a top-level component whose
 * `evidence.occurrences` are the files or containers that carry it (`additionalContext` says how:
 * `contains` or `static-link`) and whose `evidence.identity` lists what was seen. `dependencies`
 * holds what depends on what (the artifact on its components, a binary on the library it imports);
 * `compositions` states which of those lists are complete. bom-refs are the SPDX ids of the same
 * model, so documents of one artifact in either format join.
 */
export function toCycloneDx(bom: Bom, version: CycloneDxVersion = '1.6'): Node {
  const ids = spdx2Ids(bom);
  const ref = (r: string) => ids.get(r)!;
  const pathOf = new Map<string, string>([[bom.artifact.ref, bom.artifact.fileName ?? bom.artifact.name]]);
  for (const c of bom.containers) pathOf.set(c.ref, c.path);
  for (const f of bom.files) pathOf.set(f.ref, f.path);

  const nodes = new Map<string, Node>();
  for (const p of packagesOf(bom)) nodes.set(p.ref, packageNode(p, ref(p.ref)));
  for (const f of bom.files) nodes.set(f.ref, fileNode(f, ref(f.ref)));

  const occurrences = new Map<string, Node[]>();
  const dependsOn = new Map<string, string[]>();
  const components: Node[] = [];
  const members = new Set<string>([...bom.containers.map((c) => c.ref), ...bom.files.map((f) => f.ref)]);
  const componentRefs = new Set(bom.components.map((c) => c.ref));
  for (const r of bom.relationships) {
    const to = nodes.get(r.to)!;
    if (r.type === 'contains' && members.has(r.to) && !componentRefs.has(r.from)) {
      // Containment of containers and files is the component tree.
      const parent = r.from === bom.artifact.ref ? undefined : nodes.get(r.from)!;
      if (parent) (parent['components'] = (parent['components'] as Node[] | undefined) ?? []).push(to);
      else components.push(to);
    } else if (r.type === 'contains' || r.type === 'static-link') {
      // Where a component occurs: the file or container it is made of, or that holds a copy of it.
      const [component, carrier] = componentRefs.has(r.from) ? [r.from, r.to] : [r.to, r.from];
      occurrences.set(component, [...(occurrences.get(component) ?? []), { location: pathOf.get(carrier)!, additionalContext: r.type }]);
    } else {
      // depends-on from the artifact or a component; dynamic-link from a binary to the library it imports.
      dependsOn.set(r.from, [...(dependsOn.get(r.from) ?? []), ref(r.to)]);
    }
  }
  for (const c of bom.components) {
    const node = nodes.get(c.ref)!;
    const occ = occurrences.get(c.ref);
    const ev = evidenceOf(c, occ);
    if (ev) node['evidence'] = ev;
    components.push(node);
  }

  const completeness = completenessOf(bom);
  const compositions: Node[] = [];
  const complete = bom.containers.filter((c) => !completeness.incompleteContainment.has(c.ref)).map((c) => ref(c.ref));
  const incomplete = [...completeness.incompleteContainment].map(ref);
  if (!completeness.incompleteContainment.has(bom.artifact.ref)) complete.push(ref(bom.artifact.ref));
  if (complete.length > 0) compositions.push({ aggregate: 'complete', assemblies: complete });
  if (incomplete.length > 0) compositions.push({ aggregate: 'incomplete', assemblies: incomplete });
  compositions.push({ aggregate: completeness.dependenciesComplete ? 'complete' : 'incomplete', dependencies: [ref(bom.artifact.ref)] });
  // What a library itself depends on is not analysed: neither "none" nor a list.
  const unknownDeps = bom.components.filter((c) => !dependsOn.has(c.ref)).map((c) => ref(c.ref));
  if (unknownDeps.length > 0) compositions.push({ aggregate: 'unknown', dependencies: unknownDeps });

  const tool = { type: 'application', name: bom.document.tool.name, version: bom.document.tool.version };
  const annotator = { component: tool };
  const annotations: Node[] = [
    ...bom.declaredAbsent.map((d) => ({ subjects: [ref(bom.artifact.ref)], annotator, timestamp: bom.document.created, text: declaredAbsentText(d) })),
    ...bom.knownUnknowns.map((u) => ({ subjects: [ref(u.scope)], annotator, timestamp: bom.document.created, text: knownUnknownText(u) })),
  ];
  const organizations = bom.document.creators.filter((c) => c.type === 'organization');
  const people = bom.document.creators.filter((c) => c.type === 'person');
  const root = nodes.get(bom.artifact.ref)!;
  return {
    $schema: `http://cyclonedx.org/schema/bom-${version}.schema.json`,
    bomFormat: 'CycloneDX',
    specVersion: version,
    serialNumber: bom.document.serialNumber,
    version: 1,
    metadata: {
      timestamp: bom.document.created,
      tools: { components: [tool] },
      ...(organizations.length > 0 ? { manufacturer: entity(organizations[0]) } : {}),
      ...(people.length > 0 ? { authors: people.map((p) => ({ name: p.name, ...(p.email ? { email: p.email } : {}) })) } : {}),
      component: root,
      properties: [{ name: 'installer-sbom:document-name', value: bom.document.name }, { name: 'installer-sbom:document-namespace', value: bom.document.namespace }],
    },
    components,
    dependencies: [...dependsOn].map(([from, to]) => ({ ref: ref(from), dependsOn: [...new Set(to)] })),
    compositions,
    ...(annotations.length > 0 ? { annotations } : {}),
  };
}

function packageNode(p: PackageElement, bomRef: string): Node {
  const licenses: Node[] = [];
  if (p.licenseDeclared) licenses.push({ expression: p.licenseDeclared, acknowledgement: 'declared' });
  const props: Node[] = [];
  if (p.kind !== 'component') {
    props.push(...bsiProperties(p.fileKind, p.fileName === undefined ? undefined : basename(p.fileName)));
    props.push({ name: 'installer-sbom:container-format', value: p.format });
    if (p.kind === 'container') props.push({ name: 'installer-sbom:path', value: p.path });
    for (const [k, v] of Object.entries(p.properties)) props.push({ name: `installer-sbom:declared:${k}`, value: v });
    for (const s of p.signatures) props.push({ name: 'installer-sbom:signature', value: signatureText(s) });
    if (p.kind === 'container') for (const w of p.warnings) props.push({ name: 'installer-sbom:warning', value: w });
  } else {
    if (p.declaration) props.push({ name: 'installer-sbom:reconciliation', value: declarationText(p.declaration) });
    if (p.archs.length > 0) props.push({ name: 'installer-sbom:architectures', value: p.archs.join(' ') });
  }
  for (const n of p.notes) props.push({ name: 'installer-sbom:note', value: n.text });
  const refs: Node[] = [];
  if (p.homepage) refs.push({ type: 'website', url: p.homepage });
  if (p.downloadLocation) refs.push({ type: 'distribution', url: p.downloadLocation });
  return {
    type: TYPE[p.purpose],
    'bom-ref': bomRef,
    name: p.name,
    ...(p.version !== undefined ? { version: p.version } : {}),
    ...(p.supplier ? { supplier: entity(p.supplier) } : {}),
    ...(p.originator ? { manufacturer: entity(p.originator) } : {}),
    ...(hashes(p.digests) ? { hashes: hashes(p.digests) } : {}),
    ...(licenses.length > 0 ? { licenses } : {}),
    ...(p.cpes[0] ? { cpe: p.cpes[0].cpe } : {}),
    ...(p.purl ? { purl: p.purl } : {}),
    ...(p.description ? { description: p.description } : {}),
    ...(refs.length > 0 ? { externalReferences: refs } : {}),
    // CycloneDX has room for one CPE; the others (CPython's verbatim four-part one) are kept as properties.
    ...(props.length > 0 || p.cpes.length > 1 ? { properties: [...props, ...p.cpes.slice(1).map((c) => ({ name: 'installer-sbom:cpe', value: c.cpe }))] } : {}),
  };
}

function fileNode(f: FileElement, bomRef: string): Node {
  const props: Node[] = [...bsiProperties(f.fileKind, basename(f.path)), { name: 'installer-sbom:size', value: String(f.size) }];
  if (f.binaryFormat) props.push({ name: 'installer-sbom:format', value: f.binaryFormat });
  if (f.notInspected) props.push({ name: 'installer-sbom:not-inspected', value: f.notInspected });
  if (f.unopened) props.push({ name: 'installer-sbom:unopened', value: `${f.unopened.format}: ${f.unopened.reason}` });
  for (const s of f.signatures) props.push({ name: 'installer-sbom:signature', value: signatureText(s) });
  for (const n of f.notes) props.push({ name: 'installer-sbom:note', value: n.text });
  return { type: 'file', 'bom-ref': bomRef, name: f.path, hashes: hashes(f.digests), properties: props };
}

function evidenceOf(c: ComponentPackage, occurrences: Node[] | undefined): Node | undefined {
  const methods = new Map<string, Node>();
  for (const e of c.evidence) {
    const t = TECHNIQUE[e.kind] ?? { technique: 'other', confidence: 0.2 };
    const value = evidenceLine(e);
    if (!methods.has(value)) methods.set(value, { technique: t.technique, confidence: t.confidence, value });
  }
  const list = [...methods.values()];
  const identity = list.length > 0 ? [{ field: c.version !== undefined ? 'version' : 'name', confidence: Math.max(...list.map((m) => m['confidence'] as number)), concludedValue: c.version ?? c.name, methods: list }] : undefined;
  if (!identity && !occurrences) return undefined;
  return { ...(identity ? { identity } : {}), ...(occurrences ? { occurrences } : {}) };
}

/** Canonical CycloneDX JSON text. */
export function writeCycloneDx(bom: Bom, version: CycloneDxVersion = '1.6'): string {
  return canonicalJson(toCycloneDx(bom, version));
}
