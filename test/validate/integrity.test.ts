/**
 * What the schemas cannot express, per format, on small hand-written documents: each one breaks
 * exactly one rule and the finding names the element.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { integrityFindings } from '../../src/validate/integrity.js';
import { validateDocument, validateText } from '../../src/validate/index.js';
import { viewOfSpdx2 } from '../../src/bom/read/spdx2.js';

type Obj = Record<string, unknown>;
const brief = (fs: { check: string; element: string; message: string }[]) => fs.map((f) => `${f.check} ${f.element}: ${f.message}`);

function spdx2(): Obj {
  return {
    SPDXID: 'SPDXRef-DOCUMENT',
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    name: 'demo.zip',
    documentNamespace: 'https://example.com/spdxdocs/demo',
    creationInfo: { created: '2024-01-02T03:04:05Z', creators: ['Tool: installer-sbom-9.9.9'] },
    packages: [
      { SPDXID: 'SPDXRef-PACKAGE-demo', name: 'demo.zip', versionInfo: '1.0', downloadLocation: 'NOASSERTION', filesAnalyzed: true, packageVerificationCode: { packageVerificationCodeValue: 'a'.repeat(40) }, supplier: 'Organization: Example', packageFileName: 'demo.zip' },
      { SPDXID: 'SPDXRef-PACKAGE-zlib', name: 'zlib', versionInfo: '1.3.1', downloadLocation: 'NOASSERTION', filesAnalyzed: false, supplier: 'Organization: zlib', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:generic/zlib@1.3.1' }] },
    ],
    files: [{ SPDXID: 'SPDXRef-FILE-a', fileName: './a.dll', checksums: [{ algorithm: 'SHA1', checksumValue: 'b'.repeat(40) }] }],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-PACKAGE-demo' },
      { spdxElementId: 'SPDXRef-PACKAGE-demo', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-FILE-a' },
      { spdxElementId: 'SPDXRef-PACKAGE-demo', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-PACKAGE-zlib' },
      { spdxElementId: 'SPDXRef-FILE-a', relationshipType: 'STATIC_LINK', relatedSpdxElement: 'SPDXRef-PACKAGE-zlib' },
      // §11.1: NOASSERTION / NONE are valid targets; an external document's element is too.
      { spdxElementId: 'SPDXRef-PACKAGE-demo', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'NOASSERTION' },
      { spdxElementId: 'SPDXRef-PACKAGE-zlib', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'NONE' },
      { spdxElementId: 'SPDXRef-PACKAGE-zlib', relationshipType: 'GENERATED_FROM', relatedSpdxElement: 'DocumentRef-src:SPDXRef-PACKAGE-zlib' },
    ],
  };
}

const s2 = (edit: (d: Obj) => void) => {
  const d = spdx2();
  edit(d);
  return brief(integrityFindings('spdx-2.3', d));
};
const pkgs = (d: Obj) => d['packages'] as Obj[];
const rels = (d: Obj) => d['relationships'] as Obj[];

test('SPDX 2.3 integrity: a well-formed document has no finding', () => {
  assert.deepEqual(s2(() => {}), []);
});

test('SPDX 2.3 integrity: the document fields (§6.1–§6.5)', () => {
  assert.deepEqual(s2((d) => (d['SPDXID'] = 'SPDXRef-DOC')), ['document SPDXID: document SPDXID must be SPDXRef-DOCUMENT']);
  assert.deepEqual(s2((d) => (d['spdxVersion'] = 'SPDX-2.2')), ['document spdxVersion: expected SPDX-2.3, found SPDX-2.2']);
  assert.deepEqual(s2((d) => (d['dataLicense'] = 'MIT')), ['document dataLicense: dataLicense must be CC0-1.0']);
  for (const ns of ['https://example.com/a#b', 'example.com/a', 42]) {
    assert.deepEqual(s2((d) => (d['documentNamespace'] = ns)), ['document documentNamespace: documentNamespace must be an absolute URI without "#"'], String(ns));
  }
});

test('SPDX 2.3 integrity: ids well-formed and unique (§3.2), versionInfo present', () => {
  assert.deepEqual(s2((d) => pkgs(d).push({ ...pkgs(d)[1]!, name: 'zlib copy' })), ['id SPDXRef-PACKAGE-zlib: SPDXID used twice (package and package)']);
  assert.deepEqual(s2((d) => (d['files'] as Obj[]).push({ SPDXID: 'SPDXRef-PACKAGE-zlib', fileName: './b.dll', checksums: [] })), ['id SPDXRef-PACKAGE-zlib: SPDXID used twice (package and file)']);
  assert.deepEqual(s2((d) => pkgs(d).push({ ...pkgs(d)[1]!, SPDXID: 'SPDXRef-zlib_1' })), ['id SPDXRef-zlib_1: package has an invalid SPDXID']);
  assert.deepEqual(s2((d) => delete pkgs(d)[1]!['versionInfo']), ['ntia SPDXRef-PACKAGE-zlib: zlib: no versionInfo (write NOASSERTION when it is unknown)']);
});

test('SPDX 2.3 integrity: the namespace is a string URI whose scheme starts with a letter (RFC 3986 §3.1); an SPDXID is a string of the §3.2 form', () => {
  for (const ns of [['https://example.com/spdxdocs/demo'], '0https://example.com/a']) {
    assert.deepEqual(s2((d) => (d['documentNamespace'] = ns)), ['document documentNamespace: documentNamespace must be an absolute URI without "#"'], String(ns));
  }
  // (The relationships naming zlib then point at no element: only the first finding is of interest here.)
  assert.deepEqual(s2((d) => (pkgs(d)[1]!['SPDXID'] = ['SPDXRef-PACKAGE-zlib']))[0], 'id SPDXRef-PACKAGE-zlib: package has an invalid SPDXID');
  assert.deepEqual(s2((d) => (pkgs(d)[1]!['SPDXID'] = 'x-SPDXRef-PACKAGE-zlib'))[0], 'id x-SPDXRef-PACKAGE-zlib: package has an invalid SPDXID');
  // The document's own id is taken.
  assert.deepEqual(s2((d) => (pkgs(d)[1]!['SPDXID'] = 'SPDXRef-DOCUMENT'))[0], 'id SPDXRef-DOCUMENT: SPDXID used twice (document and package)');
});

test('integrity findings are errors in every format', () => {
  const broken2 = spdx2();
  broken2['dataLicense'] = 'MIT';
  delete pkgs(broken2)[1]!['versionInfo'];
  const broken3 = spdx3();
  (broken3['@graph'] as Obj[]).pop();
  const brokenCdx = cdx();
  (brokenCdx['dependencies'] as Obj[]).push({ ref: 'gone' });
  const severities = [...integrityFindings('spdx-2.3', broken2), ...integrityFindings('spdx-3.0.1', broken3), ...integrityFindings('cyclonedx-1.6', brokenCdx)].map((f) => f.severity);
  assert.deepEqual(severities, ['error', 'error', 'error', 'error']);
});

test('SPDX 2.3 integrity: every relationship resolves, both ends named', () => {
  // §11.1 external elements: `DocumentRef-x:SPDXRef-y` exactly.
  for (const to of ['x-DocumentRef-src:SPDXRef-zlib', 'DocumentRef-src:SPDXRef-zlib#1']) {
    assert.deepEqual(s2((d) => rels(d).push({ spdxElementId: 'SPDXRef-PACKAGE-demo', relationshipType: 'DEPENDS_ON', relatedSpdxElement: to })), [`relationship ${to}: relationship DEPENDS_ON to an unknown element`]);
  }
  assert.deepEqual(s2((d) => rels(d).push({ spdxElementId: 'SPDXRef-GONE', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-FILE-a' })), ['relationship SPDXRef-GONE: relationship CONTAINS from an unknown element']);
  assert.deepEqual(s2((d) => rels(d).push({ spdxElementId: 'SPDXRef-PACKAGE-demo', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-PACKAGE-gone' })), ['relationship SPDXRef-PACKAGE-gone: relationship DEPENDS_ON to an unknown element']);
});

test('SPDX 2.3 §7.8: a package with filesAnalyzed false shall not contain files (CONTAINS a file, or hasFiles)', () => {
  assert.deepEqual(s2((d) => rels(d).push({ spdxElementId: 'SPDXRef-PACKAGE-zlib', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-FILE-a' })), [
    'files-analyzed SPDXRef-PACKAGE-zlib: filesAnalyzed is false but the package contains files (SPDX 2.3 §7.8)',
  ]);
  assert.deepEqual(s2((d) => (pkgs(d)[1]!['hasFiles'] = ['SPDXRef-FILE-a'])), ['files-analyzed SPDXRef-PACKAGE-zlib: filesAnalyzed is false but the package contains files (SPDX 2.3 §7.8)']);
  // Only CONTAINS holds a file: linking one does not.
  assert.deepEqual(s2((d) => rels(d).push({ spdxElementId: 'SPDXRef-PACKAGE-zlib', relationshipType: 'DYNAMIC_LINK', relatedSpdxElement: 'SPDXRef-FILE-a' })), []);
  // Containing a package is not containing a file; filesAnalyzed true may contain files; absent means true (§7.8 default).
  assert.deepEqual(s2((d) => rels(d).push({ spdxElementId: 'SPDXRef-PACKAGE-zlib', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-PACKAGE-demo' })), []);
  assert.deepEqual(s2((d) => {
    delete pkgs(d)[1]!['filesAnalyzed'];
    rels(d).push({ spdxElementId: 'SPDXRef-PACKAGE-zlib', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-FILE-a' });
  }), []);
});

const NS = 'https://example.com/spdxdocs/demo';
function spdx3(): Obj {
  const ci = '_:creationinfo';
  return {
    '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld',
    '@graph': [
      { type: 'CreationInfo', '@id': ci, specVersion: '3.0.1', created: '2024-01-02T03:04:05Z', createdBy: [`${NS}#Org`] },
      { type: 'Organization', spdxId: `${NS}#Org`, creationInfo: ci, name: 'Example' },
      { type: 'software_Package', spdxId: `${NS}#root`, creationInfo: ci, name: 'demo.zip' },
      { type: 'software_Package', spdxId: `${NS}#zlib`, creationInfo: ci, name: 'zlib' },
      { type: 'Relationship', spdxId: `${NS}#r1`, creationInfo: ci, from: `${NS}#root`, relationshipType: 'dependsOn', to: [`${NS}#zlib`, 'https://spdx.org/rdf/3.0.1/terms/Core/NoAssertionElement'] },
      { type: 'Annotation', spdxId: `${NS}#a1`, creationInfo: ci, annotationType: 'other', subject: `${NS}#zlib`, statement: 'x' },
      { type: 'software_Sbom', spdxId: `${NS}#sbom`, creationInfo: ci, rootElement: [`${NS}#root`], element: [`${NS}#root`, `${NS}#zlib`] },
      { type: 'SpdxDocument', spdxId: `${NS}#doc`, creationInfo: ci, rootElement: [`${NS}#sbom`], element: [`${NS}#sbom`], dataLicense: 'https://spdx.org/licenses/CC0-1.0' },
    ],
  };
}
const s3 = (edit: (g: Obj[]) => void) => {
  const d = spdx3();
  edit(d['@graph'] as Obj[]);
  return brief(integrityFindings('spdx-3.0.1', d));
};

test('SPDX 3.0.1 integrity: ids unique, one SpdxDocument, every reference in the graph', () => {
  assert.deepEqual(s3(() => {}), []);
  assert.deepEqual(s3((g) => g.push({ type: 'software_File', spdxId: `${NS}#zlib`, creationInfo: '_:creationinfo', name: 'zlib.dll' })), [`id ${NS}#zlib: id used twice (software_Package and software_File)`]);
  assert.deepEqual(s3((g) => g.splice(g.length - 1, 1)), ['document SpdxDocument: expected one SpdxDocument, found 0']);
  assert.deepEqual(s3((g) => ((g[4]!['from'] as unknown) = `${NS}#gone`)), [`relationship ${NS}#r1: relationship from an unknown element ${NS}#gone`]);
  assert.deepEqual(s3((g) => (g[4]!['to'] = [`${NS}#gone`])), [`relationship ${NS}#r1: relationship to an unknown element ${NS}#gone`]);
  assert.deepEqual(s3((g) => (g[5]!['subject'] = `${NS}#gone`)), [`relationship ${NS}#a1: annotation on an unknown element ${NS}#gone`]);
  assert.deepEqual(s3((g) => (g[2]!['creationInfo'] = '_:other')), [`document ${NS}#root: creationInfo _:other is not in the graph`]);
  assert.deepEqual(s3((g) => (g[6]!['rootElement'] = [`${NS}#gone`])), [`relationship ${NS}#sbom: rootElement names an unknown element ${NS}#gone`]);
  assert.deepEqual(s3((g) => (g[6]!['element'] = [`${NS}#gone`])), [`relationship ${NS}#sbom: element names an unknown element ${NS}#gone`]);
});

test('SPDX 3.0.1 integrity: NoneElement and licence IRIs resolve, a LifecycleScopedRelationship is checked too, blank nodes and inline creationInfo are fine', () => {
  assert.deepEqual(s3((g) => (g[4]!['to'] = ['https://spdx.org/rdf/3.0.1/terms/Core/NoneElement', 'https://spdx.org/licenses/MIT'])), []);
  // A licence IRI only at the start: elsewhere it is an unknown element.
  const odd = 'https://example.com/https://spdx.org/licenses/MIT';
  assert.deepEqual(s3((g) => (g[4]!['to'] = [odd])), [`relationship ${NS}#r1: relationship to an unknown element ${odd}`]);
  assert.deepEqual(s3((g) => g.push({ type: 'LifecycleScopedRelationship', spdxId: `${NS}#r2`, creationInfo: '_:creationinfo', from: `${NS}#gone`, relationshipType: 'dependsOn', to: [`${NS}#zlib`], scope: 'runtime' })), [`relationship ${NS}#r2: relationship from an unknown element ${NS}#gone`]);
  // A relationship without an id is named as a blank node.
  assert.deepEqual(s3((g) => g.push({ type: 'Relationship', creationInfo: '_:creationinfo', from: `${NS}#root`, relationshipType: 'contains', to: [`${NS}#gone`] })), [`relationship (blank node): relationship to an unknown element ${NS}#gone`]);
  // Two nodes without any id are not one id used twice; a creationInfo given inline is no reference.
  assert.deepEqual(s3((g) => g.push({ type: 'Relationship', creationInfo: '_:creationinfo', from: `${NS}#root`, relationshipType: 'contains', to: [`${NS}#zlib`] }, { type: 'Relationship', creationInfo: '_:creationinfo', from: `${NS}#root`, relationshipType: 'contains', to: [`${NS}#zlib`] })), []);
  assert.deepEqual(s3((g) => (g[3]!['creationInfo'] = { type: 'CreationInfo', specVersion: '3.0.1', created: '2024-01-02T03:04:05Z', createdBy: [`${NS}#Org`] })), []);
});

function cdx(): Obj {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    metadata: { component: { type: 'file', 'bom-ref': 'root', name: 'demo.zip', components: [{ type: 'file', 'bom-ref': 'inner', name: 'inner' }] } },
    components: [{ type: 'library', 'bom-ref': 'zlib', name: 'zlib', components: [{ type: 'file', 'bom-ref': 'zlib.dll', name: 'zlib.dll' }] }],
    dependencies: [{ ref: 'root', dependsOn: ['zlib'] }],
    compositions: [{ aggregate: 'complete', assemblies: ['root'], dependencies: ['root'] }],
    annotations: [{ subjects: ['zlib'], annotator: { component: { type: 'application', name: 't' } }, timestamp: '2024-01-02T03:04:05Z', text: 'x' }],
  };
}
const c = (edit: (d: Obj) => void) => {
  const d = cdx();
  edit(d);
  return brief(integrityFindings('cyclonedx-1.6', d));
};

test('CycloneDX integrity: bom-refs unique (nested ones too), every dependency, composition and annotation resolves', () => {
  assert.deepEqual(c(() => {}), []);
  assert.deepEqual(c((d) => (d['components'] as Obj[]).push({ type: 'file', 'bom-ref': 'inner', name: 'dup' })), ['id inner: bom-ref used twice']);
  assert.deepEqual(c((d) => (d['dependencies'] as Obj[]).push({ ref: 'gone', dependsOn: [] })), ['relationship gone: dependency from an unknown bom-ref']);
  assert.deepEqual(c((d) => (d['dependencies'] as Obj[]).push({ ref: 'zlib', dependsOn: ['zlib.dll', 'gone'] })), ['relationship gone: dependency of zlib on an unknown bom-ref']);
  assert.deepEqual(c((d) => (d['compositions'] as Obj[]).push({ aggregate: 'incomplete', assemblies: ['gone'] })), ['relationship gone: composition names an unknown bom-ref']);
  assert.deepEqual(c((d) => (d['compositions'] as Obj[]).push({ aggregate: 'incomplete', dependencies: ['gone2'] })), ['relationship gone2: composition names an unknown bom-ref']);
  assert.deepEqual(c((d) => (d['annotations'] as Obj[]).push({ subjects: ['gone'], text: 'x' })), ['relationship gone: annotation on an unknown bom-ref']);
  // Components without a bom-ref are not one bom-ref used twice.
  assert.deepEqual(c((d) => (d['components'] as Obj[]).push({ type: 'library', name: 'a' }, { type: 'library', name: 'b' })), []);
});

test('validate: the official schema, integrity and the profile together; errors fail it, warnings do not', () => {
  const d = spdx2();
  const ok = validateDocument(d, viewOfSpdx2(d));
  assert.equal(ok.format, 'spdx-2.3');
  assert.equal(ok.profile, 'ntia');
  assert.deepEqual(brief(ok.errors), []);
  assert.equal(ok.valid, true);
  // The root has a supplier but no CPE/purl: fine for the root; zlib is reached and identified.
  assert.deepEqual(brief(ok.warnings), []);

  const broken = spdx2();
  (broken['packages'] as Obj[])[1]!['downloadLocation'] = 42;
  const r = validateText(JSON.stringify(broken), 'broken.spdx.json');
  assert.equal(r.valid, false);
  assert.ok(r.errors.some((e) => e.check === 'schema' && e.element === '/packages/1/downloadLocation'), brief(r.errors).join('\n'));

  const bsi = validateText(JSON.stringify(spdx2()), 'x.spdx.json', 'bsi');
  assert.equal(bsi.profile, 'bsi');
  assert.equal(bsi.valid, false);
  assert.equal(bsi.errors[0]!.element, 'spdxVersion');

  const warned = spdx2();
  (warned['packages'] as Obj[])[1]!['versionInfo'] = 'NOASSERTION';
  const w = validateText(JSON.stringify(warned), 'w.spdx.json');
  assert.equal(w.valid, true);
  assert.deepEqual(brief(w.warnings), ['ntia SPDXRef-PACKAGE-zlib: zlib: no version (a known unknown)']);
});

test("validate with the product's own copies of the SPDX 3.0.1 and CycloneDX 1.6/1.7 schemas", () => {
  const spdx3Doc = { '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [{ type: 'CreationInfo', '@id': '_:c', specVersion: '3.0.1', created: 'yesterday', createdBy: [] }] };
  const r3 = validateText(JSON.stringify(spdx3Doc), 'x.spdx3.json');
  assert.equal(r3.format, 'spdx-3.0.1');
  assert.ok(r3.errors.some((e) => e.check === 'schema'), brief(r3.errors).join('\n'));
  for (const specVersion of ['1.6', '1.7']) {
    const good = validateText(JSON.stringify({ bomFormat: 'CycloneDX', specVersion, version: 1, metadata: { timestamp: '2024-01-02T03:04:05Z', tools: { components: [{ type: 'application', name: 't' }] }, component: { type: 'file', name: 'x', 'bom-ref': 'x', supplier: { name: 'S' }, version: '1' } }, components: [] }), 'x.cdx.json');
    assert.deepEqual(brief(good.errors), [], specVersion);
    const bad = validateText(JSON.stringify({ bomFormat: 'CycloneDX', specVersion, version: 1, components: [{ type: 'nonsense', name: 'x' }] }), 'x.cdx.json');
    assert.ok(bad.errors.some((e) => e.check === 'schema' && e.element === '/components/0/type'), brief(bad.errors).join('\n'));
  }
});
