/**
 * The SPDX 3.0.1 JSON-LD writer on small hand-made models. Expected values are written from the
 * SPDX 3.0.1 model (Core and Software profiles) and its JSON-LD serialisation, never copied from
 * the writer's output. Ids that the writer derives by hashing (agents, relationships,
 * annotations) are resolved to what they name before comparing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeSpdx3 } from '../../src/serialize/spdx3.js';
import type { Bom } from '../../src/bom/model.js';
import { addComponent, addContainer, addFile, burnModel, cabModel, CREATED, DECLARED_ABSENT_TEXT, declaredAbsentModel, digestsOf, dynamicLinkModel, emptyBom, NS, opensslModel, pipModel, RECONCILED_TEXT, reconciledModel, sortedDeep, staticLinkModel, twinFilesModel, undatedModel } from '../helpers/bom.js';
import { spdx3SchemaErrors } from '../helpers/oracles.js';

type Node = Record<string, unknown>;
const NO_ASSERTION = 'https://spdx.org/rdf/3.0.1/terms/Core/NoAssertionElement';
const NONE = 'https://spdx.org/rdf/3.0.1/terms/Core/NoneElement';

interface Doc {
  graph: Node[];
  byId: Map<string, Node>;
  /** The element an IRI names, as `name` (packages, files, agents) or the IRI itself. */
  label: (id: string) => string;
  /** Relationships as `from type [to…] completeness`, targets by name, sorted. */
  relations: () => string[];
  annotations: () => { subject: string; statement: string }[];
  node: (id: string) => Node;
}

function write(bom: Bom): Doc {
  const json = JSON.parse(writeSpdx3(bom)) as Node;
  assert.deepEqual(spdx3SchemaErrors(json), []);
  // SPDX 3.0.1 JSON-LD serialisation: the published context, and every element in @graph.
  assert.equal(json['@context'], 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld');
  const graph = json['@graph'] as Node[];
  const byId = new Map<string, Node>();
  for (const n of graph) {
    const id = (n['spdxId'] ?? n['@id']) as string;
    assert.ok(!byId.has(id), `id ${id} used once`);
    byId.set(id, n);
  }
  const label = (id: string) => {
    if (id === NO_ASSERTION) return 'NoAssertionElement';
    if (id === NONE) return 'NoneElement';
    const n = byId.get(id);
    assert.ok(n, `${id} resolves`);
    return n['type'] === 'software_File' && String(n['spdxId']).endsWith('-distribution') ? `file of ${String(n['name'])}` : String(n['name']);
  };
  return {
    graph,
    byId,
    label,
    relations: () =>
      graph
        .filter((n) => n['type'] === 'Relationship')
        .map((n) => `${label(n['from'] as string)} ${String(n['relationshipType'])} [${(n['to'] as string[]).map(label).sort().join(', ')}] ${String(n['completeness'])}`)
        .sort(),
    annotations: () => graph.filter((n) => n['type'] === 'Annotation').map((n) => ({ subject: label(n['subject'] as string), statement: n['statement'] as string })),
    node: (id: string) => {
      const n = byId.get(id);
      assert.ok(n, `${id} present`);
      return n;
    },
  };
}

/** Core/Hash: algorithm from the HashAlgorithm vocabulary, lower-case hex value. */
function hashes(bytes: string) {
  const d = digestsOf(bytes);
  return [
    { type: 'Hash', algorithm: 'sha1', hashValue: d.sha1 },
    { type: 'Hash', algorithm: 'sha256', hashValue: d.sha256 },
    { type: 'Hash', algorithm: 'sha512', hashValue: d.sha512 },
  ];
}

const CI = '_:creationinfo';

test('SPDX 3.0.1: document, SBOM, creation info, packages and files of a zip holding OpenSSL', () => {
  const d = write(opensslModel());
  // Core/CreationInfo: one blank node every element refers to; createdBy (an Agent) is mandatory; the tool is createdUsing.
  const ci = d.graph.find((n) => n['type'] === 'CreationInfo')!;
  const tool = d.graph.find((n) => n['type'] === 'Tool')!;
  const agent = d.node((ci['createdBy'] as string[])[0]!);
  assert.deepEqual(sortedDeep(ci), sortedDeep({ type: 'CreationInfo', '@id': CI, specVersion: '3.0.1', created: CREATED, createdBy: [agent['spdxId']], createdUsing: [tool['spdxId']] }));
  assert.equal(tool['name'], 'installer-sbom-9.9.9');
  // With no person or organisation named, the tool acting is a SoftwareAgent (Tool is not an Agent).
  assert.equal(agent['type'], 'SoftwareAgent');
  for (const n of d.graph) if (n !== ci) assert.equal(n['creationInfo'], CI, `${String(n['spdxId'])} has the creation info`);

  // Core/SpdxDocument → software/Sbom (type analyzed: made from the artifact's bytes) → the artifact.
  const docs = d.graph.filter((n) => n['type'] === 'SpdxDocument');
  assert.equal(docs.length, 1);
  const sbom = d.node((docs[0]!['rootElement'] as string[])[0]!);
  assert.equal(sbom['type'], 'software_Sbom');
  assert.deepEqual(sbom['software_sbomType'], ['analyzed']);
  assert.deepEqual(sbom['rootElement'], [`${NS}#SPDXRef-PACKAGE-demo.zip`]);
  assert.equal(docs[0]!['name'], 'demo.zip');
  // Every element is listed by the document.
  const listed = new Set(docs[0]!['element'] as string[]);
  for (const n of d.graph) if (typeof n['spdxId'] === 'string' && n['type'] !== 'SpdxDocument') assert.ok(listed.has(n['spdxId']), `${n['spdxId']} listed`);

  // software/Package: the artifact (no version known: no software_packageVersion) …
  assert.deepEqual(sortedDeep(d.node(`${NS}#SPDXRef-PACKAGE-demo.zip`)), sortedDeep({ type: 'software_Package', spdxId: `${NS}#SPDXRef-PACKAGE-demo.zip`, creationInfo: CI, name: 'demo.zip', software_primaryPurpose: 'archive' }));
  // … whose own bytes are its distribution artifact: a software/File with the three hashes, an archive whose members are listed (container).
  const dist = d.graph.find((n) => n['type'] === 'software_File' && n['name'] === 'demo.zip')!;
  assert.deepEqual(sortedDeep({ ...dist, spdxId: undefined }), sortedDeep({ type: 'software_File', creationInfo: CI, name: 'demo.zip', software_fileKind: 'file', verifiedUsing: hashes('demo.zip bytes'), software_primaryPurpose: 'archive', software_additionalPurpose: ['container'] }));

  // software/File: the path inside the artifact, fileKind file, an executable.
  assert.deepEqual(
    sortedDeep(d.node(`${NS}#SPDXRef-FILE-lib-libcrypto-3.dll`)),
    sortedDeep({ type: 'software_File', spdxId: `${NS}#SPDXRef-FILE-lib-libcrypto-3.dll`, creationInfo: CI, name: 'lib/libcrypto-3.dll', software_fileKind: 'file', verifiedUsing: hashes('libcrypto'), software_primaryPurpose: 'executable' }),
  );

  // The component: version, purl, CPE 2.3 and purl as Core/ExternalIdentifier, supplied by an Organization.
  const openssl = d.node(`${NS}#SPDXRef-PACKAGE-openssl-3.0.15`);
  const supplier = d.node(openssl['suppliedBy'] as string);
  assert.deepEqual(sortedDeep({ ...supplier, spdxId: undefined }), sortedDeep({ type: 'Organization', creationInfo: CI, name: 'OpenSSL Project' }));
  assert.deepEqual(
    sortedDeep({ ...openssl, suppliedBy: undefined }),
    sortedDeep({
      type: 'software_Package',
      spdxId: `${NS}#SPDXRef-PACKAGE-openssl-3.0.15`,
      creationInfo: CI,
      name: 'OpenSSL',
      software_packageVersion: '3.0.15',
      software_packageUrl: 'pkg:generic/openssl@3.0.15',
      externalIdentifier: [
        { type: 'ExternalIdentifier', externalIdentifierType: 'cpe23', identifier: 'cpe:2.3:a:openssl:openssl:3.0.15:*:*:*:*:*:*:*' },
        { type: 'ExternalIdentifier', externalIdentifierType: 'packageUrl', identifier: 'pkg:generic/openssl@3.0.15' },
      ],
      software_primaryPurpose: 'library',
    }),
  );

  // Core/Relationship: one per source and type, `to` a list, completeness stated (nothing unseen: complete).
  assert.deepEqual(d.relations(), [
    'OpenSSL contains [lib/libcrypto-3.dll] complete',
    'demo.zip contains [lib/libcrypto-3.dll] complete',
    'demo.zip dependsOn [OpenSSL] complete',
    'demo.zip hasDistributionArtifact [file of demo.zip] complete',
  ]);
  assert.deepEqual(d.annotations(), []);
});

test('SPDX 3.0.1 contains: a container holds its files; the container has its own bytes as distribution artifact', () => {
  const d = write(cabModel());
  assert.deepEqual(d.relations(), [
    'data.cab contains [data.cab/a.txt, data.cab/b.txt] complete',
    'data.cab hasDistributionArtifact [file of data.cab] complete',
    'demo.zip contains [data.cab] complete',
    'demo.zip hasDistributionArtifact [file of demo.zip] complete',
    // No component: the dependency list is stated complete and empty (Core/NoneElement).
    'demo.zip dependsOn [NoneElement] complete',
  ].sort());
  const dist = d.graph.find((n) => n['type'] === 'software_File' && n['name'] === 'data.cab')!;
  assert.deepEqual(dist['verifiedUsing'], hashes('data.cab bytes'));
});

test("SPDX 3.0.1 contains: a container's own code holds a component", () => {
  assert.ok(write(burnModel()).relations().includes('setup.exe contains [WiX Burn] complete'));
});

test('SPDX 3.0.1 hasStaticLink: the binary holding a compiled-in copy', () => {
  const rels = write(staticLinkModel()).relations();
  assert.ok(rels.includes('app.exe hasStaticLink [zlib] complete'), rels.join('\n'));
  assert.equal(rels.filter((r) => / has(Static|Dynamic)Link /.test(r)).length, 1);
});

test('SPDX 3.0.1 hasDynamicLink: the importer links the library; the import is an annotation on the importer', () => {
  const d = write(dynamicLinkModel());
  assert.ok(d.relations().includes('_ctypes.pyd hasDynamicLink [libffi] complete'), d.relations().join('\n'));
  assert.ok(d.relations().includes('libffi contains [libffi-8.dll] complete'));
  assert.deepEqual(d.annotations(), [{ subject: '_ctypes.pyd', statement: `dynamic-link ${NS}#SPDXRef-PACKAGE-libffi-3.4.4: import: libffi-8.dll` }]);
});

test('SPDX 3.0.1 dependsOn: the artifact on its component, pip on what it vendors', () => {
  const d = write(pipModel());
  assert.ok(d.relations().includes('demo.zip dependsOn [pip] complete'));
  assert.ok(d.relations().includes('pip dependsOn [certifi] complete'));
  // Convention ids under the document namespace.
  d.node(`${NS}#SPDXRef-PACKAGE-pip`);
});

test('SPDX 3.0.1 reconciliation: each status an Annotation (type other) on the component', () => {
  const d = write(reconciledModel());
  assert.deepEqual(sortedDeep(d.annotations()), sortedDeep(Object.entries(RECONCILED_TEXT).map(([subject, statement]) => ({ subject, statement }))));
  for (const a of d.graph.filter((n) => n['type'] === 'Annotation')) assert.equal(a['annotationType'], 'other');
  // The contradicted copy carries its shipped version.
  assert.equal(d.node(`${NS}#SPDXRef-PACKAGE-expat-2.7.1`)['software_packageVersion'], '2.7.1');
});

test('SPDX 3.0.1 declared but absent: annotations on the artifact, never packages', () => {
  const d = write(declaredAbsentModel());
  assert.deepEqual(d.graph.filter((n) => n['type'] === 'software_Package').map((n) => n['name']), ['demo.zip']);
  assert.deepEqual(sortedDeep(d.annotations()), sortedDeep(DECLARED_ABSENT_TEXT.map((statement) => ({ subject: 'demo.zip', statement }))));
});

test('SPDX 3.0.1 completeness: incomplete exactly on the lists a known unknown touches', () => {
  const bom = emptyBom();
  const cab = addContainer(bom, 'data.cab');
  const empty = addContainer(bom, 'empty.cab');
  addContainer(bom, 'other.cab');
  addFile(bom, 'data.cab/a.txt', { container: cab.ref });
  addComponent(bom, 'zlib', 'zlib', '1.3.1');
  bom.knownUnknowns.push(
    { kind: 'unsupported-member', subject: 'data.cab/b.bin', reason: 'LZX compression is not decoded', scope: cab.ref },
    { kind: 'absent', subject: 'empty.cab', reason: 'declared but not attached', scope: empty.ref },
  );
  const d = write(bom);
  const rels = d.relations();
  assert.ok(rels.includes('data.cab contains [data.cab/a.txt] incomplete'), rels.join('\n'));
  // A container with nothing listed and something unseen: its contents are NoAssertionElement, incomplete.
  assert.ok(rels.includes('empty.cab contains [NoAssertionElement] incomplete'), rels.join('\n'));
  assert.ok(rels.includes('demo.zip dependsOn [zlib] incomplete'));
  assert.ok(rels.includes('demo.zip contains [data.cab, empty.cab, other.cab] complete'));
  assert.ok(!rels.some((r) => r.startsWith('other.cab contains')), 'other.cab holds nothing and hides nothing');
  assert.deepEqual(
    d.annotations().filter((a) => a.statement.startsWith('known unknown')).sort((a, b) => (a.subject < b.subject ? -1 : 1)),
    [
      { subject: 'data.cab', statement: 'known unknown (unsupported-member): data.cab/b.bin: LZX compression is not decoded' },
      { subject: 'empty.cab', statement: 'known unknown (absent): empty.cab: declared but not attached' },
    ],
  );

  // Incomplete dependencies are stated even when no component was found at all.
  const bare = emptyBom();
  bare.knownUnknowns.push({ kind: 'unopened-container', subject: 'tools.7z', reason: 'a 7z archive is not opened (7z)', scope: 'artifact' });
  const b = write(bare).relations();
  assert.ok(b.includes('demo.zip dependsOn [NoAssertionElement] incomplete'), b.join('\n'));
  assert.ok(b.includes('demo.zip contains [NoAssertionElement] incomplete'), b.join('\n'));

  // A version nobody could see hides no component: every list stays complete.
  const u = write(undatedModel());
  assert.ok(u.relations().every((r) => r.endsWith(' complete')), u.relations().join('\n'));
  assert.equal(u.node(`${NS}#SPDXRef-PACKAGE-zlib`)['software_packageVersion'], undefined);
});

test('SPDX 3.0.1 ids: unique IRIs under the namespace even when two files share a path', () => {
  const d = write(twinFilesModel());
  const twins = d.graph.filter((n) => n['type'] === 'software_File' && n['name'] === 'Windows/system32/ATL80.dll');
  assert.equal(twins.length, 2);
  assert.notEqual(twins[0]!['spdxId'], twins[1]!['spdxId']);
  for (const n of d.graph) if (typeof n['spdxId'] === 'string') assert.ok((n['spdxId'] as string).startsWith(`${NS}#`), String(n['spdxId']));
  assert.ok(d.relations().includes('demo.zip contains [Windows/system32/ATL80.dll, Windows/system32/ATL80.dll] complete'));
});

test('SPDX 3.0.1 agents and licences: creators with their email (BSI contact), suppliers, originators, declared and concluded licences', () => {
  const bom = emptyBom();
  bom.document.creators.push({ type: 'organization', name: 'Example', email: 'sbom@example.com' }, { type: 'person', name: 'Jane Doe', url: 'https://example.com/jane' });
  Object.assign(bom.artifact, { licenseDeclared: 'MIT', licenseConcluded: 'MIT' });
  addComponent(bom, 'zlib', 'zlib', '1.3.1', { originator: { type: 'person', name: 'Jean-loup Gailly' }, licenseDeclared: 'Zlib' });
  const d = write(bom);
  const ci = d.graph.find((n) => n['type'] === 'CreationInfo')!;
  const creators = (ci['createdBy'] as string[]).map((id) => {
    const { spdxId, creationInfo, ...rest } = d.node(id);
    assert.ok(spdxId && creationInfo);
    return rest;
  });
  assert.deepEqual(sortedDeep(creators), sortedDeep([
    { type: 'Organization', name: 'Example', externalIdentifier: [{ type: 'ExternalIdentifier', externalIdentifierType: 'email', identifier: 'sbom@example.com' }] },
    { type: 'Person', name: 'Jane Doe', externalRef: [{ type: 'ExternalRef', externalRefType: 'altWebPage', locator: ['https://example.com/jane'] }] },
  ]));
  const z = d.node(`${NS}#SPDXRef-PACKAGE-zlib-1.3.1`);
  assert.deepEqual((z['originatedBy'] as string[]).map(d.label), ['Jean-loup Gailly']);
  // SimpleLicensing/LicenseExpression reached by hasDeclaredLicense / hasConcludedLicense.
  const licence = (from: string, type: string) =>
    d.graph
      .filter((n) => n['type'] === 'Relationship' && n['from'] === from && n['relationshipType'] === type)
      .flatMap((n) => (n['to'] as string[]).map((t) => d.node(t)['simplelicensing_licenseExpression']));
  assert.deepEqual(licence(`${NS}#SPDXRef-PACKAGE-zlib-1.3.1`, 'hasDeclaredLicense'), ['Zlib']);
  assert.deepEqual(licence(`${NS}#SPDXRef-PACKAGE-demo.zip`, 'hasDeclaredLicense'), ['MIT']);
  assert.deepEqual(licence(`${NS}#SPDXRef-PACKAGE-demo.zip`, 'hasConcludedLicense'), ['MIT']);
  // One LicenseExpression element per distinct expression.
  assert.equal(d.graph.filter((n) => n['type'] === 'simplelicensing_LicenseExpression').length, 2);
});

test('SPDX 3.0.1 file purposes: BSI executable / archive / structured as primary and additional purposes', () => {
  const bom = emptyBom();
  addFile(bom, 'tools.7z', { kind: { archive: true } });
  addFile(bom, 'readme.txt');
  addFile(bom, 'setup.exe', { kind: { executable: true, archive: true } });
  const d = write(bom);
  const f = (name: string) => d.graph.find((n) => n['type'] === 'software_File' && n['name'] === name)!;
  assert.equal(f('tools.7z')['software_primaryPurpose'], 'archive');
  assert.equal(f('tools.7z')['software_additionalPurpose'], undefined);
  assert.equal(f('readme.txt')['software_primaryPurpose'], 'file');
  assert.equal(f('setup.exe')['software_primaryPurpose'], 'executable');
  assert.deepEqual(f('setup.exe')['software_additionalPurpose'], ['archive']);
});
