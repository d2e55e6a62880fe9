/**
 * The readers on hand-written documents of each format (ours, CPython's own SPDX 2.3, other
 * tools' shapes): what each states must come out in the neutral view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatOf, parseBom } from '../../../src/bom/read/index.js';
import { viewOfSpdx2 } from '../../../src/bom/read/spdx2.js';
import { viewOfSpdx3 } from '../../../src/bom/read/spdx3.js';
import { viewOfCycloneDx } from '../../../src/bom/read/cyclonedx.js';
import { checksumsIn, componentKeys, cpeVendorProduct, nameKey, normalizePath, purlName, sameVersion, sharesKey, statedVersion, str, valuesWhere } from '../../../src/bom/read/keys.js';
import { InputError } from '../../../src/errors.js';
import { sharedDir } from '../../helpers/fixtures.js';

type Obj = Record<string, unknown>;
const H1 = '1'.repeat(40);
const H256 = '2'.repeat(64);
const H512 = '5'.repeat(128);

/** An installer-sbom-shaped SPDX 2.3 document: artifact → cab → files; OpenSSL made of a file, zlib static, libffi dynamic. */
function ourSpdx2(): Obj {
  const sums = [
    { algorithm: 'SHA1', checksumValue: H1 },
    { algorithm: 'SHA256', checksumValue: H256.toUpperCase() },
    { algorithm: 'SHA512', checksumValue: H512 },
  ];
  const pkg = (id: string, name: string, version: string, extra: Obj = {}) => ({ SPDXID: id, name, versionInfo: version, downloadLocation: 'NOASSERTION', supplier: `Organization: ${name} Project`, ...extra });
  return {
    SPDXID: 'SPDXRef-DOCUMENT',
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    name: 'demo.zip',
    documentNamespace: 'https://example.com/demo',
    creationInfo: { created: '2024-01-02T03:04:05Z', creators: ['Tool: installer-sbom-9.9.9', 'Organization: Example (sbom@example.com)'] },
    packages: [
      pkg('SPDXRef-PACKAGE-demo.zip', 'demo.zip', '1.0', { packageFileName: 'demo.zip', checksums: sums, primaryPackagePurpose: 'ARCHIVE', annotations: [{ annotationDate: '2024-01-02T03:04:05Z', annotationType: 'OTHER', annotator: 'Tool: x', comment: 'not-shipped: tcl-core 8.6.15.0 declared by externals.spdx.json: the platform manifest says so\nIdentifiers: cpe:2.3:a:tcl_tk:tcl_tk:8.6.15.0:*:*:*:*:*:*:* pkg:generic/tcl@8.6.15.0' }] }),
      pkg('SPDXRef-CONTAINER-data.cab', 'data.cab', 'NOASSERTION', { packageFileName: 'data.cab', checksums: [{ algorithm: 'SHA256', checksumValue: H256 }], comment: 'Container format: cab. Origin: demo.zip › data.cab.', primaryPackagePurpose: 'ARCHIVE' }),
      pkg('SPDXRef-PACKAGE-openssl-3.0.16', 'OpenSSL', '3.0.16', {
        externalRefs: [
          { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:openssl:openssl:3.0.16:*:*:*:*:*:*:*' },
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:generic/openssl@3.0.16' },
        ],
        licenseDeclared: 'Apache-2.0',
        primaryPackagePurpose: 'LIBRARY',
        comment: 'Detected.\nEvidence:\n- data.cab/libcrypto-3.dll: string "OpenSSL 3.0.16" at 0x10 → 3.0.16',
        annotations: [{ annotationDate: '2024-01-02T03:04:05Z', annotationType: 'OTHER', annotator: 'Tool: x', comment: 'contradicted (declared 3.0.15 by externals.spdx.json): the binaries show 3.0.16 (libcrypto-3.dll)' }],
      }),
      pkg('SPDXRef-PACKAGE-zlib-1.3.1', 'zlib', '1.3.1', { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:generic/zlib@1.3.1' }] }),
      pkg('SPDXRef-PACKAGE-libffi', 'libffi', 'NOASSERTION', {}),
    ],
    files: [
      { SPDXID: 'SPDXRef-FILE-data.cab-libcrypto-3.dll', fileName: './data.cab/libcrypto-3.dll', checksums: sums, fileTypes: ['BINARY'] },
      { SPDXID: 'SPDXRef-FILE-app.exe', fileName: './app.exe', checksums: [{ algorithm: 'SHA1', checksumValue: H1 }], fileTypes: ['BINARY', 'ARCHIVE'], comment: 'Signature: authenticode signature by Example Corp; valid-digest; sha256' },
      { SPDXID: 'SPDXRef-FILE-app.exe-2', fileName: 'app.exe', checksums: [{ algorithm: 'SHA1', checksumValue: '9'.repeat(40) }] },
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-PACKAGE-demo.zip' },
      { spdxElementId: 'SPDXRef-PACKAGE-demo.zip', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-CONTAINER-data.cab' },
      { spdxElementId: 'SPDXRef-PACKAGE-demo.zip', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-FILE-app.exe' },
      { spdxElementId: 'SPDXRef-PACKAGE-demo.zip', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-FILE-app.exe-2' },
      { spdxElementId: 'SPDXRef-CONTAINER-data.cab', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-FILE-data.cab-libcrypto-3.dll' },
      { spdxElementId: 'SPDXRef-PACKAGE-openssl-3.0.16', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-FILE-data.cab-libcrypto-3.dll' },
      { spdxElementId: 'SPDXRef-FILE-app.exe', relationshipType: 'STATIC_LINK', relatedSpdxElement: 'SPDXRef-PACKAGE-zlib-1.3.1' },
      { spdxElementId: 'SPDXRef-FILE-app.exe', relationshipType: 'DYNAMIC_LINK', relatedSpdxElement: 'SPDXRef-PACKAGE-libffi' },
      { spdxElementId: 'SPDXRef-PACKAGE-demo.zip', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-PACKAGE-openssl-3.0.16' },
      { spdxElementId: 'SPDXRef-PACKAGE-demo.zip', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-PACKAGE-zlib-1.3.1' },
      { spdxElementId: 'SPDXRef-PACKAGE-demo.zip', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'NOASSERTION' },
    ],
    annotations: [{ annotationDate: '2024-01-02T03:04:05Z', annotationType: 'OTHER', annotator: 'Tool: x', comment: 'known unknown (unopened-container): tools.7z: a 7z archive is not opened (7z)' }],
  };
}

test('SPDX 2.3 reader, our shape: root, containers, files as a multiset, carriers of every kind, reconciliation, declared-absent, known unknowns', () => {
  const v = viewOfSpdx2(ourSpdx2());
  assert.equal(v.format, 'spdx-2.3');
  assert.equal(v.name, 'demo.zip');
  assert.equal(v.ownTool, true);
  assert.equal(v.created, '2024-01-02T03:04:05Z');
  assert.deepEqual(v.creatorContacts, ['sbom@example.com']);
  assert.deepEqual(v.root && [v.root.name, v.root.fileName, v.root.version, v.root.id, v.root.supplier, v.root.purpose], ['demo.zip', 'demo.zip', '1.0', 'SPDXRef-PACKAGE-demo.zip', 'Organization: demo.zip Project', 'archive']);
  // Algorithm names upper-cased without dashes; values lower-case.
  assert.deepEqual(v.root!.checksums, { SHA1: H1, SHA256: H256, SHA512: H512 });
  assert.deepEqual(v.containers.map((c) => [c.path, c.name, c.version, c.format, c.parent, c.id]), [['data.cab', 'data.cab', undefined, 'cab', '', 'SPDXRef-CONTAINER-data.cab']]);
  assert.deepEqual(
    v.files.map((f) => [f.path, f.container, f.checksums['SHA1']]),
    [
      ['data.cab/libcrypto-3.dll', 'data.cab', H1],
      ['app.exe', '', H1],
      // `./app.exe` and `app.exe` are one path: the twin is kept, not merged.
      ['app.exe', '', '9'.repeat(40)],
    ],
  );
  assert.deepEqual(v.files[1]!.properties, { executable: true, archive: true, structured: false });
  assert.deepEqual(v.files[1]!.signature, { signer: 'Example Corp', status: 'valid-digest' });
  assert.equal(v.hasFiles, true);
  const byName = new Map(v.components.map((c) => [c.name, c]));
  assert.deepEqual([...byName.keys()], ['OpenSSL', 'zlib', 'libffi']);
  const openssl = byName.get('OpenSSL')!;
  assert.deepEqual(openssl.carriers, [{ path: 'data.cab/libcrypto-3.dll', relation: 'contains' }]);
  assert.equal(openssl.version, '3.0.16');
  assert.equal(openssl.declaredVersion, '3.0.15');
  assert.deepEqual(openssl.reconciliation, { status: 'contradicted', note: 'the binaries show 3.0.16 (libcrypto-3.dll)' });
  assert.deepEqual(openssl.evidence, ['data.cab/libcrypto-3.dll: string "OpenSSL 3.0.16" at 0x10 → 3.0.16']);
  assert.equal(openssl.cpeVendorProduct, 'openssl:openssl');
  assert.equal(openssl.purlName, 'generic/openssl');
  assert.equal(openssl.licenseDeclared, 'Apache-2.0');
  assert.equal(openssl.purpose, 'library');
  assert.deepEqual(byName.get('zlib')!.carriers, [{ path: 'app.exe', relation: 'static-link' }]);
  assert.deepEqual(byName.get('libffi')!.carriers, [{ path: 'app.exe', relation: 'dynamic-link' }]);
  assert.equal(byName.get('libffi')!.version, undefined);
  assert.deepEqual(v.declaredAbsent, [{ name: 'tcl-core', version: '8.6.15.0', note: 'not-shipped: the platform manifest says so', cpes: ['cpe:2.3:a:tcl_tk:tcl_tk:8.6.15.0:*:*:*:*:*:*:*'], purl: 'pkg:generic/tcl@8.6.15.0' }]);
  assert.deepEqual(v.knownUnknowns, ['known unknown (unopened-container): tools.7z: a 7z archive is not opened (7z)']);
  // A NOASSERTION dependency of the root: the list is stated incomplete.
  assert.equal(v.complete, false);
  assert.deepEqual(v.dependencies, [{ from: 'SPDXRef-PACKAGE-demo.zip', to: ['SPDXRef-PACKAGE-openssl-3.0.16', 'SPDXRef-PACKAGE-zlib-1.3.1', 'NOASSERTION'] }]);
  const complete = ourSpdx2();
  complete['relationships'] = (complete['relationships'] as Obj[]).filter((r) => r['relatedSpdxElement'] !== 'NOASSERTION');
  assert.equal(viewOfSpdx2(complete).complete, true);
});

test("SPDX 2.3 reader, CPython's own source SBOMs: packages with their CPEs and purls, files of the source tree, no DESCRIBES", () => {
  const externals = JSON.parse(readFileSync(join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2', 'externals.spdx.json'), 'utf8')) as Obj;
  const v = viewOfSpdx2(externals);
  assert.equal(v.ownTool, false);
  assert.equal(v.root, undefined);
  assert.equal(v.complete, undefined);
  assert.equal(v.hasFiles, false);
  // Every package as written: its name, version and CPE (CPython writes the cpython-source-deps tag, 3.45.3.0).
  const raw = externals['packages'] as { name: string; versionInfo: string; externalRefs: { referenceType: string; referenceLocator: string }[] }[];
  assert.deepEqual(v.components.map((c) => [c.name, c.version]), raw.map((p) => [p.name, p.versionInfo]));
  for (const [i, c] of v.components.entries()) assert.deepEqual(c.cpes, raw[i]!.externalRefs.filter((r) => r.referenceType === 'cpe23Type').map((r) => r.referenceLocator));
  const sqlite = v.components.find((c) => c.name === 'sqlite')!;
  assert.equal(sqlite.version, '3.45.3.0');
  assert.equal(sqlite.cpeVendorProduct, 'sqlite:sqlite');

  const tree = JSON.parse(readFileSync(join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2', 'sbom.spdx.json'), 'utf8')) as Obj;
  const t = viewOfSpdx2(tree);
  assert.equal(t.files.length, (tree['files'] as unknown[]).length);
  assert.ok(t.files.every((f) => !f.path.startsWith('./') && f.checksums['SHA1'] && f.checksums['SHA256']));
  // expat CONTAINS its source files: each is a carrier of expat.
  const expat = t.components.find((c) => c.name === 'expat')!;
  const expatFiles = (tree['relationships'] as Obj[]).filter((r) => r['spdxElementId'] === 'SPDXRef-PACKAGE-expat' && r['relationshipType'] === 'CONTAINS').length;
  assert.ok(expatFiles > 0);
  assert.equal(expat.carriers.filter((c) => c.relation === 'contains').length, expatFiles);
  assert.ok(expat.carriers.every((c) => c.path.startsWith('Modules/expat/')));
});

test('SPDX 2.3 reader, another tool: documentDescribes instead of DESCRIBES, a SHA256-only file, an INSTALL package without identifiers is a container', () => {
  const doc = {
    spdxVersion: 'SPDX-2.2',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'other',
    documentDescribes: ['SPDXRef-root'],
    creationInfo: { created: '2024-01-02T03:04:05Z', creators: ['Tool: syft-1.0'] },
    packages: [
      { SPDXID: 'SPDXRef-root', name: 'app', versionInfo: '2.0', packageFileName: 'app.msi', downloadLocation: 'NOASSERTION' },
      { SPDXID: 'SPDXRef-inner', name: 'inner.msi', packageFileName: './sub/inner.msi', primaryPackagePurpose: 'INSTALL', downloadLocation: 'NOASSERTION' },
      { SPDXID: 'SPDXRef-lib', name: 'Lib Thing', versionInfo: '1.0', primaryPackagePurpose: 'INSTALL', packageFileName: 'lib.msi', downloadLocation: 'NOASSERTION', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/%40scope/lib-thing@1.0' }] },
    ],
    files: [{ SPDXID: 'SPDXRef-f', fileName: 'sub\\a.dll', checksums: [{ algorithm: 'SHA256', checksumValue: H256 }] }],
    relationships: [{ spdxElementId: 'SPDXRef-inner', relationshipType: 'CONTAINS', relatedSpdxElement: 'SPDXRef-f' }],
  };
  const v = viewOfSpdx2(doc);
  assert.equal(v.ownTool, false);
  assert.equal(v.root!.id, 'SPDXRef-root');
  assert.deepEqual(v.containers.map((c) => c.path), ['sub/inner.msi']);
  assert.deepEqual(v.files.map((f) => [f.path, f.container, f.checksums]), [['sub/a.dll', 'sub/inner.msi', { SHA256: H256 }]]);
  // A package with a purl is a component, whatever its purpose.
  assert.deepEqual(v.components.map((c) => [c.name, c.purlName]), [['Lib Thing', 'npm/@scope/lib-thing']]);
  assert.equal(v.complete, undefined, 'another tool says nothing about completeness');
});

const rel = (from: string, type: string, to: string) => ({ spdxElementId: from, relationshipType: type, relatedSpdxElement: to });

test('SPDX 2.3 reader, loose shapes: the root only by DESCRIBES from the document, what is a container, what carries, which annotations count', () => {
  const extRef = (type: string, locator: string) => ({ referenceCategory: type === 'purl' ? 'PACKAGE-MANAGER' : 'SECURITY', referenceType: type, referenceLocator: locator });
  const doc: Obj = {
    SPDXID: 'SPDXRef-DOCUMENT',
    creationInfo: { created: 20240102, creators: ['Tool: syft-1.0', 42, 'Organization: Example (sbom@example.com) ', 'Person: Jane (jane@example.com) of Example'] },
    packages: [
      'junk',
      // Listed before the root and named by relationships that are not the document's DESCRIBES.
      { SPDXID: 'SPDXRef-lib', versionInfo: '1.0', supplier: 'NOASSERTION', licenseDeclared: 'NOASSERTION', annotations: [{ comment: 'reviewed' }, { comment: 'corroborated (declared 1.0 by src.spdx.json): the binaries show 1.0 (a.dll)' }] },
      { SPDXID: 'SPDXRef-root', name: 'app', versionInfo: '2.0', packageFileName: './app.msi', supplier: 'NOASSERTION', primaryPackagePurpose: 'INSTALL', externalRefs: [extRef('cpe23Type', 'cpe:2.3:a:example:app:2.0:*:*:*:*:*:*:*'), extRef('purl', 'pkg:generic/app@2.0')], annotations: [{ annotationType: 'REVIEW' }, { comment: 'not-found: zstd declared by src.spdx.json: nothing shows zstd' }, { comment: 'reviewed by Jane' }] },
      { SPDXID: 'SPDXRef-CONTAINER-cab', name: 'data.cab', versionInfo: '3', checksums: [{ algorithm: 'SHA256', checksumValue: H256 }], comment: 'Origin: app.msi. Container format: cab.' },
      { SPDXID: 'SPDXRef-zip', name: 'z', packageFileName: 'z.zip', primaryPackagePurpose: 'ARCHIVE' },
      { SPDXID: 'SPDXRef-msi-cpe', name: 'sub', packageFileName: 'sub.msi', primaryPackagePurpose: 'INSTALL', externalRefs: [extRef('cpe23Type', 'cpe:2.3:a:example:sub:1:*:*:*:*:*:*:*')] },
      { SPDXID: 'SPDXRef-msi-purl', name: 'sub2', packageFileName: 'sub2.msi', primaryPackagePurpose: 'INSTALL', externalRefs: [extRef('purl', 'pkg:generic/sub2@1')] },
      { SPDXID: 'SPDXRef-lib-file', name: 'libfile', packageFileName: 'lib.dll', primaryPackagePurpose: 'LIBRARY', supplier: { name: 'x' }, licenseDeclared: 7 },
      { SPDXID: 'SPDXRef-nofile', name: 'nofile', primaryPackagePurpose: 'INSTALL' },
    ],
    files: [
      'junk',
      { SPDXID: 'SPDXRef-nameless' },
      { SPDXID: 'SPDXRef-a', fileName: './a.dll', fileTypes: [], comment: 'Built.\nSignature: authenticode signature by Example Corp; valid-digest' },
      { SPDXID: 'SPDXRef-b', fileName: './b.dll', comment: 'Note: Signature: authenticode signature by Mallory; valid-digest;' },
      { SPDXID: 'SPDXRef-c', fileName: './cab/c.dll' },
    ],
    relationships: [
      rel('SPDXRef-root', 'DEPENDS_ON', 'SPDXRef-lib'),
      rel('SPDXRef-DOCUMENT', 'OTHER', 'SPDXRef-lib'),
      rel('SPDXRef-nofile', 'DESCRIBES', 'SPDXRef-lib'),
      rel('SPDXRef-DOCUMENT', 'DESCRIBES', 'SPDXRef-root'),
      rel('SPDXRef-root', 'CONTAINS', 'SPDXRef-a'),
      rel('SPDXRef-root', 'OTHER', 'SPDXRef-b'),
      rel('SPDXRef-CONTAINER-cab', 'CONTAINS', 'SPDXRef-c'),
      // Carriers: the artifact and a container contain the library, an unnamed package links it; a source file it was generated from carries nothing.
      rel('SPDXRef-root', 'CONTAINS', 'SPDXRef-lib'),
      rel('SPDXRef-CONTAINER-cab', 'CONTAINS', 'SPDXRef-lib'),
      rel('SPDXRef-nofile', 'STATIC_LINK', 'SPDXRef-lib'),
      rel('SPDXRef-lib', 'GENERATED_FROM', 'SPDXRef-b'),
    ],
  };
  const v = viewOfSpdx2(doc);
  assert.equal(v.name, '(unnamed)');
  assert.equal(v.ownTool, false);
  assert.equal(v.created, undefined, 'a created that is no string is not a timestamp');
  assert.deepEqual(v.creators, ['Tool: syft-1.0', 'Organization: Example (sbom@example.com) ', 'Person: Jane (jane@example.com) of Example']);
  // SPDX 2.3 §6.8: the contact is the creator's trailing parenthesis.
  assert.deepEqual(v.creatorContacts, ['sbom@example.com']);
  const r = v.root!;
  assert.deepEqual([r.id, r.name, r.fileName, r.version, r.supplier, r.cpes, r.purl, r.purpose], ['SPDXRef-root', 'app', './app.msi', '2.0', undefined, ['cpe:2.3:a:example:app:2.0:*:*:*:*:*:*:*'], 'pkg:generic/app@2.0', 'install']);
  // Its name, the CPE's vendor:product; the CPE's product and the purl's name are the name again.
  assert.deepEqual(r.keys, ['name:app', 'cpe:example:app']);
  // A package is a container when installer-sbom names it so, or (other tools) it has a file name, an INSTALL/ARCHIVE purpose and no CPE or purl.
  assert.deepEqual(v.containers, [
    { path: 'data.cab', name: 'data.cab', version: '3', checksums: { SHA256: H256 }, id: 'SPDXRef-CONTAINER-cab' },
    { path: 'z.zip', name: 'z', checksums: {}, id: 'SPDXRef-zip' },
  ]);
  assert.deepEqual(v.files, [
    { path: 'a.dll', checksums: {}, id: 'SPDXRef-a', container: '', signature: { signer: 'Example Corp', status: 'valid-digest' } },
    // Not contained by anything; a signature sentence counts only at the start of a line.
    { path: 'b.dll', checksums: {}, id: 'SPDXRef-b' },
    { path: 'cab/c.dll', checksums: {}, id: 'SPDXRef-c', container: 'data.cab' },
  ]);
  assert.deepEqual(v.components.map((c) => c.id), ['SPDXRef-lib', 'SPDXRef-msi-cpe', 'SPDXRef-msi-purl', 'SPDXRef-lib-file', 'SPDXRef-nofile']);
  const lib = v.components[0]!;
  assert.equal(lib.name, 'SPDXRef-lib', 'a package without a name is named by its id');
  assert.deepEqual(lib.carriers, [
    // The artifact's path is its file name as written, so that it compares with root.fileName.
    { path: './app.msi', relation: 'contains' },
    { path: 'data.cab', relation: 'contains' },
    { path: 'SPDXRef-nofile', relation: 'static-link' },
  ]);
  assert.equal(lib.supplier, undefined);
  assert.equal(lib.licenseDeclared, undefined);
  assert.deepEqual(lib.reconciliation, { status: 'corroborated', note: 'the binaries show 1.0 (a.dll)' });
  assert.equal(lib.declaredVersion, undefined, 'a corroborated version is the shipped one');
  const libFile = v.components[3]!;
  assert.deepEqual([libFile.supplier, libFile.licenseDeclared], [undefined, undefined]);
  assert.deepEqual(v.declaredAbsent, [{ name: 'zstd', note: 'not-found: nothing shows zstd', cpes: [] }]);
  assert.deepEqual(v.knownUnknowns, []);
  assert.equal(v.complete, undefined);

  // No described package: a container's files still name it.
  delete (doc['relationships'] as Obj[])[3];
  doc['relationships'] = (doc['relationships'] as Obj[]).filter(Boolean);
  const bare = viewOfSpdx2(doc);
  assert.equal(bare.root, undefined);
  assert.equal(bare.files.find((f) => f.id === 'SPDXRef-c')!.container, 'data.cab');
  // A root without a file name, version or string supplier states none of them.
  assert.deepEqual(viewOfSpdx2({ documentDescribes: ['SPDXRef-r'], packages: [{ SPDXID: 'SPDXRef-r', name: 'r', supplier: { name: 'x' } }] }).root, { name: 'r', checksums: {}, id: 'SPDXRef-r', keys: ['name:r'], cpes: [] });
});

test("SPDX 2.3 reader, our shape: completeness is only the root's DEPENDS_ON NOASSERTION", () => {
  const d = ourSpdx2();
  d['relationships'] = (d['relationships'] as Obj[]).filter((r) => r['relatedSpdxElement'] !== 'NOASSERTION');
  (d['relationships'] as Obj[]).push(
    rel('SPDXRef-PACKAGE-zlib-1.3.1', 'DEPENDS_ON', 'NOASSERTION'),
    rel('SPDXRef-PACKAGE-demo.zip', 'OTHER', 'NOASSERTION'),
  );
  assert.equal(viewOfSpdx2(d).complete, true);
});

const NS = 'https://example.com/demo';
const ci = '_:creationinfo';
const hash = (algorithm: string, hashValue: string) => ({ type: 'Hash', algorithm, hashValue });

function ourSpdx3(): Obj {
  const el = (n: Obj) => ({ creationInfo: ci, ...n });
  return {
    '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld',
    '@graph': [
      { type: 'CreationInfo', '@id': ci, specVersion: '3.0.1', created: '2024-01-02T03:04:05Z', createdBy: [`${NS}#org`], createdUsing: [`${NS}#tool`] },
      el({ type: 'Tool', spdxId: `${NS}#tool`, name: 'installer-sbom-9.9.9' }),
      el({ type: 'Organization', spdxId: `${NS}#org`, name: 'Example', externalIdentifier: [{ type: 'ExternalIdentifier', externalIdentifierType: 'email', identifier: 'sbom@example.com' }] }),
      el({ type: 'software_Package', spdxId: `${NS}#root`, name: 'demo.zip', software_packageVersion: '1.0', software_primaryPurpose: 'archive', suppliedBy: `${NS}#org` }),
      el({ type: 'software_File', spdxId: `${NS}#root-distribution`, name: 'demo.zip', verifiedUsing: [hash('sha512', H512)], software_primaryPurpose: 'archive', software_additionalPurpose: ['container'] }),
      el({ type: 'software_Package', spdxId: `${NS}#cab`, name: 'data.cab', description: 'Container format: cab. Origin: demo.zip › data.cab.' }),
      el({ type: 'software_File', spdxId: `${NS}#cab-distribution`, name: 'data.cab', verifiedUsing: [hash('sha256', H256)], software_primaryPurpose: 'archive' }),
      el({ type: 'software_File', spdxId: `${NS}#libcrypto`, name: 'data.cab/libcrypto-3.dll', verifiedUsing: [hash('sha1', H1), hash('sha512', H512)], software_primaryPurpose: 'executable' }),
      el({ type: 'software_File', spdxId: `${NS}#app`, name: 'app.exe', verifiedUsing: [hash('sha1', H1)], software_primaryPurpose: 'executable', software_additionalPurpose: ['archive', 'container'] }),
      el({
        type: 'software_Package',
        spdxId: `${NS}#openssl`,
        name: 'OpenSSL',
        software_packageVersion: '3.0.16',
        software_packageUrl: 'pkg:generic/openssl@3.0.16',
        externalIdentifier: [{ type: 'ExternalIdentifier', externalIdentifierType: 'cpe23', identifier: 'cpe:2.3:a:openssl:openssl:3.0.16:*:*:*:*:*:*:*' }],
        software_primaryPurpose: 'library',
        suppliedBy: `${NS}#org`,
        comment: 'Evidence:\n- data.cab/libcrypto-3.dll: string "OpenSSL 3.0.16" at 0x10 → 3.0.16',
      }),
      el({ type: 'software_Package', spdxId: `${NS}#zlib`, name: 'zlib', software_packageVersion: '1.3.1', software_packageUrl: 'pkg:generic/zlib@1.3.1' }),
      el({ type: 'software_Package', spdxId: `${NS}#libffi`, name: 'libffi' }),
      el({ type: 'simplelicensing_LicenseExpression', spdxId: `${NS}#lic`, simplelicensing_licenseExpression: 'Apache-2.0' }),
      ...[
        [`${NS}#root`, 'hasDistributionArtifact', [`${NS}#root-distribution`], 'complete'],
        [`${NS}#cab`, 'hasDistributionArtifact', [`${NS}#cab-distribution`], 'complete'],
        [`${NS}#root`, 'contains', [`${NS}#cab`, `${NS}#app`], 'complete'],
        [`${NS}#cab`, 'contains', [`${NS}#libcrypto`], 'incomplete'],
        [`${NS}#openssl`, 'contains', [`${NS}#libcrypto`], 'complete'],
        [`${NS}#app`, 'hasStaticLink', [`${NS}#zlib`], 'complete'],
        [`${NS}#app`, 'hasDynamicLink', [`${NS}#libffi`], 'complete'],
        [`${NS}#root`, 'dependsOn', [`${NS}#openssl`, `${NS}#zlib`], 'incomplete'],
        [`${NS}#openssl`, 'hasDeclaredLicense', [`${NS}#lic`], undefined],
      ].map(([from, relationshipType, to, completeness], i) => el({ type: 'Relationship', spdxId: `${NS}#rel${i}`, from, relationshipType, to, ...(completeness ? { completeness } : {}) })),
      el({ type: 'Annotation', spdxId: `${NS}#a1`, annotationType: 'other', subject: `${NS}#openssl`, statement: 'contradicted (declared 3.0.15 by externals.spdx.json): the binaries show 3.0.16 (libcrypto-3.dll)' }),
      el({ type: 'Annotation', spdxId: `${NS}#a2`, annotationType: 'other', subject: `${NS}#root`, statement: 'not-found: zstd 1.5.6 declared by externals.spdx.json: nothing in this artifact shows zstd' }),
      el({ type: 'Annotation', spdxId: `${NS}#a3`, annotationType: 'other', subject: `${NS}#cab`, statement: 'known unknown (unsupported-member): data.cab/b.bin: LZX' }),
      el({ type: 'Annotation', spdxId: `${NS}#a4`, annotationType: 'other', subject: `${NS}#app`, statement: 'authenticode signature by Example Corp; valid-digest' }),
      el({ type: 'software_Sbom', spdxId: `${NS}#sbom`, rootElement: [`${NS}#root`], software_sbomType: ['analyzed'] }),
      el({ type: 'SpdxDocument', spdxId: `${NS}#doc`, name: 'demo.zip SBOM', rootElement: [`${NS}#sbom`] }),
    ],
  };
}

test('SPDX 3.0.1 reader: root through SpdxDocument → Sbom, distribution artifacts as file names and hashes, carriers, completeness, annotations', () => {
  const v = viewOfSpdx3(ourSpdx3());
  assert.equal(v.format, 'spdx-3.0.1');
  assert.equal(v.name, 'demo.zip SBOM');
  assert.equal(v.ownTool, true);
  assert.deepEqual(v.creators, ['Tool: installer-sbom-9.9.9', 'Organization: Example']);
  assert.deepEqual(v.creatorContacts, ['sbom@example.com']);
  assert.deepEqual(v.root && [v.root.name, v.root.fileName, v.root.version, v.root.supplier, v.root.purpose], ['demo.zip', 'demo.zip', '1.0', 'Organization: Example', 'archive']);
  assert.deepEqual(v.root!.checksums, { SHA512: H512 });
  assert.deepEqual(v.root!.properties, { executable: false, archive: true, structured: true });
  assert.deepEqual(v.containers.map((c) => [c.path, c.name, c.format, c.parent, c.checksums]), [['data.cab', 'data.cab', 'cab', '', { SHA256: H256 }]]);
  assert.deepEqual(v.files.map((f) => [f.path, f.container, f.checksums, f.properties]).sort(), [
    ['app.exe', '', { SHA1: H1 }, { executable: true, archive: true, structured: true }],
    ['data.cab/libcrypto-3.dll', 'data.cab', { SHA1: H1, SHA512: H512 }, { executable: true, archive: false, structured: false }],
  ]);
  assert.deepEqual(v.files.find((f) => f.path === 'app.exe')!.signature, { signer: 'Example Corp', status: 'valid-digest' });
  const byName = new Map(v.components.map((c) => [c.name, c]));
  assert.deepEqual([...byName.keys()].sort(), ['OpenSSL', 'libffi', 'zlib']);
  const openssl = byName.get('OpenSSL')!;
  assert.deepEqual(openssl.carriers, [{ path: 'data.cab/libcrypto-3.dll', relation: 'contains' }]);
  assert.equal(openssl.declaredVersion, '3.0.15');
  assert.equal(openssl.reconciliation!.status, 'contradicted');
  assert.equal(openssl.licenseDeclared, 'Apache-2.0');
  assert.equal(openssl.supplier, 'Organization: Example');
  assert.deepEqual(openssl.evidence, ['data.cab/libcrypto-3.dll: string "OpenSSL 3.0.16" at 0x10 → 3.0.16']);
  assert.equal(openssl.purl, 'pkg:generic/openssl@3.0.16');
  assert.deepEqual(openssl.cpes, ['cpe:2.3:a:openssl:openssl:3.0.16:*:*:*:*:*:*:*']);
  assert.deepEqual(byName.get('zlib')!.carriers, [{ path: 'app.exe', relation: 'static-link' }]);
  assert.deepEqual(byName.get('libffi')!.carriers, [{ path: 'app.exe', relation: 'dynamic-link' }]);
  assert.deepEqual(v.declaredAbsent, [{ name: 'zstd', version: '1.5.6', note: 'not-found: nothing in this artifact shows zstd', cpes: [] }]);
  assert.deepEqual(v.knownUnknowns, ['known unknown (unsupported-member): data.cab/b.bin: LZX']);
  assert.equal(v.complete, false);
  assert.deepEqual(v.dependencies, [{ from: `${NS}#root`, to: [`${NS}#openssl`, `${NS}#zlib`] }]);
});

test('SPDX 3.0.1 reader: full-IRI types read as the compact ones; no Sbom falls back to the document root; a bare graph reads empty', () => {
  const doc = ourSpdx3();
  const graph = doc['@graph'] as Obj[];
  for (const n of graph) {
    if (n['type'] === 'software_Package') n['type'] = 'https://spdx.org/rdf/3.0.1/terms/Software/Package';
    if (n['type'] === 'Relationship') n['type'] = 'https://spdx.org/rdf/3.0.1/terms/Core/Relationship';
  }
  const docNode = graph.find((n) => n['type'] === 'SpdxDocument')!;
  docNode['rootElement'] = [`${NS}#root`];
  const v = viewOfSpdx3(doc);
  assert.equal(v.root!.name, 'demo.zip');
  assert.equal(v.components.length, 3);
  assert.equal(v.containers.length, 1);
  const empty = viewOfSpdx3({ '@context': 'x', '@graph': [] });
  assert.equal(empty.root, undefined);
  assert.equal(empty.name, '(unnamed)');
  assert.equal(empty.hasFiles, false);
});

function ourCdx(): Obj {
  const props = (o: Record<string, string>) => Object.entries(o).map(([name, value]) => ({ name, value }));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    metadata: {
      timestamp: '2024-01-02T03:04:05Z',
      tools: { components: [{ type: 'application', name: 'installer-sbom', version: '9.9.9' }] },
      manufacturer: { name: 'Example', contact: [{ email: 'sbom@example.com' }], url: ['https://example.com'] },
      authors: [{ name: 'Jane Doe', email: 'jane@example.com' }],
      component: {
        type: 'file',
        'bom-ref': 'ROOT',
        name: 'demo.zip',
        version: '1.0',
        supplier: { name: 'Example' },
        hashes: [{ alg: 'SHA-512', content: H512 }],
        properties: props({ 'bsi:component:filename': 'demo.zip', 'bsi:component:executable': 'non-executable', 'bsi:component:archive': 'archive', 'bsi:component:structured': 'structured' }),
      },
      properties: props({ 'installer-sbom:document-name': 'demo.zip' }),
    },
    components: [
      {
        type: 'file',
        'bom-ref': 'CAB',
        name: 'data.cab',
        hashes: [{ alg: 'SHA-256', content: H256 }],
        properties: props({ 'installer-sbom:container-format': 'cab', 'installer-sbom:path': 'data.cab' }),
        components: [{ type: 'file', 'bom-ref': 'F1', name: 'data.cab/libcrypto-3.dll', hashes: [{ alg: 'SHA-1', content: H1 }], properties: props({ 'installer-sbom:size': '42', 'installer-sbom:signature': 'authenticode signature by Example Corp; valid-digest' }) }],
      },
      { type: 'file', 'bom-ref': 'F2', name: 'app.exe', hashes: [{ alg: 'SHA-1', content: H1 }] },
      {
        type: 'library',
        'bom-ref': 'OPENSSL',
        name: 'OpenSSL',
        version: '3.0.16',
        cpe: 'cpe:2.3:a:openssl:openssl:3.0.16:*:*:*:*:*:*:*',
        purl: 'pkg:generic/openssl@3.0.16',
        supplier: { name: 'OpenSSL Project' },
        licenses: [{ expression: 'Apache-2.0', acknowledgement: 'declared' }],
        properties: props({ 'installer-sbom:reconciliation': 'corroborated (declared 3.0.16 by externals.spdx.json): the binaries show 3.0.16 (libcrypto-3.dll)', 'installer-sbom:cpe': 'cpe:2.3:a:openssl:openssl:3.0.16.0:*:*:*:*:*:*:*' }),
        evidence: {
          identity: [{ field: 'version', confidence: 0.8, concludedValue: '3.0.16', methods: [{ technique: 'binary-analysis', confidence: 0.8, value: 'data.cab/libcrypto-3.dll: string "OpenSSL 3.0.16" at 0x10 → 3.0.16' }] }],
          occurrences: [{ location: 'data.cab/libcrypto-3.dll', additionalContext: 'contains' }],
        },
      },
      { type: 'library', 'bom-ref': 'ZLIB', name: 'zlib', version: '1.3.1', purl: 'pkg:generic/zlib@1.3.1', evidence: { occurrences: [{ location: './app.exe', additionalContext: 'static-link' }, { location: 'x', additionalContext: 'other' }] } },
      { type: 'library', 'bom-ref': 'LIBFFI', name: 'libffi' },
    ],
    dependencies: [
      { ref: 'ROOT', dependsOn: ['OPENSSL', 'ZLIB'] },
      { ref: 'F2', dependsOn: ['LIBFFI'] },
    ],
    compositions: [
      { aggregate: 'incomplete', assemblies: ['CAB'] },
      { aggregate: 'complete', dependencies: ['ROOT'] },
    ],
    annotations: [
      { subjects: ['ROOT'], text: 'not-shipped: tk 8.6.15.0 declared by externals.spdx.json: the platform manifest says so' },
      { subjects: ['CAB'], text: 'known unknown (unsupported-member): data.cab/b.bin: LZX' },
    ],
  };
}

test('CycloneDX reader: the component tree as containers and files, occurrences and file dependencies as carriers, compositions as completeness', () => {
  const v = viewOfCycloneDx(ourCdx());
  assert.equal(v.format, 'cyclonedx-1.6');
  assert.equal(v.name, 'demo.zip');
  assert.equal(v.ownTool, true);
  assert.equal(v.created, '2024-01-02T03:04:05Z');
  assert.deepEqual(v.creators, ['Tool: installer-sbom-9.9.9', 'Organization: Example', 'Person: Jane Doe']);
  assert.deepEqual(v.creatorContacts.sort(), ['https://example.com', 'jane@example.com', 'sbom@example.com']);
  assert.deepEqual(v.root && [v.root.name, v.root.fileName, v.root.version, v.root.id, v.root.supplier, v.root.checksums], ['demo.zip', 'demo.zip', '1.0', 'ROOT', 'Organization: Example', { SHA512: H512 }]);
  assert.deepEqual(v.root!.properties, { executable: false, archive: true, structured: true });
  assert.deepEqual(v.containers.map((c) => [c.path, c.format, c.parent, c.checksums]), [['data.cab', 'cab', '', { SHA256: H256 }]]);
  assert.deepEqual(v.files.map((f) => [f.path, f.container, f.checksums, f.size]), [
    ['data.cab/libcrypto-3.dll', 'data.cab', { SHA1: H1 }, 42],
    ['app.exe', '', { SHA1: H1 }, undefined],
  ]);
  assert.deepEqual(v.files[0]!.signature, { signer: 'Example Corp', status: 'valid-digest' });
  const byName = new Map(v.components.map((c) => [c.name, c]));
  assert.deepEqual([...byName.keys()], ['OpenSSL', 'zlib', 'libffi']);
  const openssl = byName.get('OpenSSL')!;
  assert.deepEqual(openssl.carriers, [{ path: 'data.cab/libcrypto-3.dll', relation: 'contains' }]);
  assert.deepEqual(openssl.cpes, ['cpe:2.3:a:openssl:openssl:3.0.16:*:*:*:*:*:*:*', 'cpe:2.3:a:openssl:openssl:3.0.16.0:*:*:*:*:*:*:*']);
  assert.deepEqual(openssl.reconciliation, { status: 'corroborated', note: 'the binaries show 3.0.16 (libcrypto-3.dll)' });
  // Corroborated: the declared version is the shipped one, not recorded beside it.
  assert.equal(openssl.declaredVersion, undefined);
  assert.equal(openssl.licenseDeclared, 'Apache-2.0');
  assert.equal(openssl.supplier, 'Organization: OpenSSL Project');
  assert.deepEqual(openssl.evidence, ['data.cab/libcrypto-3.dll: string "OpenSSL 3.0.16" at 0x10 → 3.0.16']);
  assert.equal(openssl.purpose, 'library');
  assert.deepEqual(byName.get('zlib')!.carriers, [{ path: 'app.exe', relation: 'static-link' }]);
  assert.deepEqual(byName.get('libffi')!.carriers, [{ path: 'app.exe', relation: 'dynamic-link' }]);
  assert.deepEqual(v.dependencies, [{ from: 'ROOT', to: ['OPENSSL', 'ZLIB'] }]);
  assert.deepEqual(v.declaredAbsent, [{ name: 'tk', version: '8.6.15.0', note: 'not-shipped: the platform manifest says so', cpes: [] }]);
  assert.deepEqual(v.knownUnknowns, ['known unknown (unsupported-member): data.cab/b.bin: LZX']);
  assert.equal(v.complete, true);
  const incomplete = ourCdx();
  incomplete['compositions'] = [{ aggregate: 'incomplete', dependencies: ['ROOT'] }];
  assert.equal(viewOfCycloneDx(incomplete).complete, false);
  incomplete['compositions'] = [{ aggregate: 'unknown', dependencies: ['ROOT'] }];
  assert.equal(viewOfCycloneDx(incomplete).complete, undefined);
});

test('CycloneDX reader, another tool (1.4 shape): tools as a list, components by purl, no files; 1.7 is told apart', () => {
  const doc = {
    bomFormat: 'CycloneDX',
    specVersion: '1.7',
    metadata: { tools: [{ vendor: 'anchore', name: 'syft', version: '1.0' }], component: { type: 'application', name: 'app', 'bom-ref': 'app' } },
    components: [{ type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }],
  };
  const v = viewOfCycloneDx(doc);
  assert.equal(v.format, 'cyclonedx-1.7');
  assert.equal(v.ownTool, false);
  assert.deepEqual(v.creators, ['Tool: syft-1.0']);
  assert.deepEqual(v.components.map((c) => [c.name, c.version, c.purlName, c.id]), [['lodash', '4.17.21', 'npm/lodash', 'lodash']]);
  assert.equal(v.hasFiles, false);
  assert.equal(v.complete, undefined);
});

test('parseBom: the format by the fields each requires; a byte-order mark is tolerated; anything else is an input error naming the file', () => {
  assert.equal(formatOf({ spdxVersion: 'SPDX-2.3' }), 'spdx-2.3');
  assert.equal(formatOf({ spdxVersion: 'SPDX-3.0' }), undefined);
  assert.equal(formatOf({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [] }), 'spdx-3.0.1');
  assert.equal(formatOf({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld' }), undefined);
  assert.equal(formatOf({ '@context': 'https://example.com/other', '@graph': [] }), undefined);
  assert.equal(formatOf({ bomFormat: 'CycloneDX', specVersion: '1.6' }), 'cyclonedx-1.6');
  assert.equal(formatOf({ bomFormat: 'CycloneDX', specVersion: '1.7' }), 'cyclonedx-1.7');
  assert.equal(formatOf({ bomFormat: 'SWID' }), undefined);
  assert.equal(parseBom(`\uFEFF${JSON.stringify(ourSpdx2())}`, 'a.spdx.json').view.components.length, 3);
  const read = parseBom(JSON.stringify(ourCdx()), 'a.cdx.json');
  assert.equal(read.format, 'cyclonedx-1.6');
  assert.equal(read.json['bomFormat'], 'CycloneDX');
  assert.equal(parseBom(JSON.stringify(ourSpdx3()), 'a.spdx3.json').view.format, 'spdx-3.0.1');
  const fails = (text: string, message: RegExp) =>
    assert.throws(() => parseBom(text, 'x.json'), (e: unknown) => e instanceof InputError && message.test(e.message) && /x\.json/.test(`${e.message} ${JSON.stringify(e)}`));
  fails('{', /not readable as JSON/);
  fails('[1]', /not an SBOM \(the JSON is not an object\)/);
  fails('null', /not an SBOM \(the JSON is not an object\)/);
  fails('{"a":1}', /not an SBOM this tool reads/);
  fails('{"spdxVersion":"SPDX-2.3","packages":{}}', /"packages" is not a list/);
  fails('{"spdxVersion":"SPDX-2.3","relationships":1}', /"relationships" is not a list/);
  fails('{"@context":"https://spdx.org/rdf/3.0.1/x","@graph":[],"x":1}'.replace('"@graph":[]', '"@graph":{}'), /not an SBOM this tool reads/);
  fails('{"bomFormat":"CycloneDX","components":{}}', /"components" is not a list/);
  fails('{"bomFormat":"CycloneDX","dependencies":"x"}', /"dependencies" is not a list/);
});

test('keys: paths, names, CPEs, purls, checksums and versions normalised one way for every reader', () => {
  assert.equal(normalizePath('./a/b'), 'a/b');
  assert.equal(normalizePath('././a\\b'), 'a/b');
  assert.equal(normalizePath('/a/b'), 'a/b');
  assert.equal(nameKey('Tcl_Core-8.6'), 'tclcore86');
  assert.equal(cpeVendorProduct('cpe:2.3:a:Tcl_Tk:Tcl_Tk:8.6:*:*:*:*:*:*:*'), 'tcl_tk:tcl_tk');
  assert.equal(cpeVendorProduct('cpe:2.3:a:a\\:b:c:1'), 'a\\:b:c');
  assert.equal(cpeVendorProduct('cpe:/a:openssl:openssl:1.1.1'), 'openssl:openssl');
  assert.equal(cpeVendorProduct('nonsense'), undefined);
  assert.equal(purlName('pkg:PyPI/Pip@24.0?x=1'), 'pypi/pip');
  assert.equal(purlName('pkg:npm/%40img/sharp@1'), 'npm/@img/sharp');
  assert.equal(purlName('pkg:npm/%E0%A4%A'), 'npm/%e0%a4%a');
  assert.equal(purlName('notapurl'), undefined);
  assert.deepEqual(componentKeys('Tcl Core', 'tcl_tk:tcl_tk', 'generic/tcl'), ['name:tclcore', 'cpe:tcl_tk:tcl_tk', 'name:tcltk', 'name:tcl']);
  assert.deepEqual(componentKeys('zlib'), ['name:zlib']);
  assert.deepEqual(checksumsIn([{ algorithm: 'sha-256', value: 'AB' }, { algorithm: 'SHA512', value: 'cd' }, { algorithm: 'MD5' }, null], 'algorithm', 'value'), { SHA256: 'ab', SHA512: 'cd' });
  assert.deepEqual(checksumsIn([{ type: 'Hash', a: 'sha1', v: '01' }, { type: 'PackageVerificationCode', a: 'sha1', v: '02' }], 'a', 'v', (h) => h['type'] === 'Hash'), { SHA1: '01' });
  assert.deepEqual(valuesWhere([{ n: 'x', v: '1' }, { n: 'y', v: '2' }, { n: 'x', v: 3 }, { n: 'x', v: '4' }], 'n', 'x', 'v'), ['1', '4']);
  assert.deepEqual(valuesWhere(undefined, 'n', 'x', 'v'), []);
  assert.equal(statedVersion(' 1.0 '), '1.0');
  assert.equal(statedVersion('NOASSERTION'), undefined);
  assert.equal(statedVersion(''), undefined);
  assert.equal(statedVersion(3), undefined);
  assert.equal(sameVersion('3.45.3.0', '3.45.3'), true);
  assert.equal(sameVersion('V1.2', 'v1.2.0'), true);
  assert.equal(sameVersion('1.2', '1.3'), false);
  assert.equal(sameVersion(undefined, '1'), false);
});

test('keys: only the leading `./` or `/` of a path, a whole CPE or purl locator, only a leading `v` and trailing `.0`s of a version', () => {
  // SPDX 2.3 file names start with `./`; inside a path `./` and `../` are part of the name as written.
  assert.equal(normalizePath('//a/b'), 'a/b');
  assert.equal(normalizePath('a/../b'), 'a/../b');
  // A locator that merely contains a CPE or a purl is neither.
  assert.equal(cpeVendorProduct('see cpe:2.3:a:openssl:openssl:3.0.15:*:*:*:*:*:*:*'), undefined);
  assert.equal(cpeVendorProduct('see cpe:/a:openssl:openssl:1.1.1'), undefined);
  assert.equal(purlName('https://example.com/pkg:pypi/pip@24.0'), undefined);
  // An entry without an algorithm name is no checksum.
  assert.deepEqual(checksumsIn([{ value: 'ab' }, { algorithm: 'SHA1', value: 'cd' }], 'algorithm', 'value'), { SHA1: 'cd' });
  assert.equal(sameVersion('1.2', undefined), false);
  assert.equal(sameVersion(undefined, undefined), true);
  assert.equal(sameVersion('v1.2', '1.2'), true);
  assert.equal(sameVersion('V1.2', '1.2'), true);
  assert.equal(sameVersion(' 1.2', '1.2'), true);
  assert.equal(sameVersion('3.0.0', '3'), true);
  assert.equal(sameVersion('1.2v3', '1.23'), false);
  assert.equal(sameVersion('2v1', '21'), false);
  assert.equal(sameVersion('1.0.1', '1.1'), false);
  assert.equal(sameVersion('1.0.2', '1.2'), false);
  assert.equal(sameVersion('1.2.13', '1.2.12'), false);
  assert.equal(sameVersion('1.10', '1.1'), false);
  assert.equal(sameVersion(' 1.2 ', '1.2'), true);
  assert.equal(sameVersion('v1.2', '1.2.0'), true);
  assert.equal(sameVersion(undefined, '1.0'), false);
  assert.equal(sameVersion('1.0', undefined), false);
  assert.equal(sharesKey({ keys: ['name:tcl', 'cpe:tcl_tk:tcl_tk'] }, { keys: ['cpe:tcl_tk:tcl_tk'] }), true);
  assert.equal(sharesKey({ keys: ['name:tcl'] }, { keys: ['name:tk'] }), false);
  assert.equal(str('x'), 'x');
  assert.equal(str(3), undefined);
});

test('readers, other shapes: contacts given as URLs, persons, LifecycleScopedRelationship, @type, CPE 2.2, CycloneDX 1.5 identity object', () => {
  const s2 = ourSpdx2();
  (s2['creationInfo'] as Obj)['creators'] = ['Person: Jane Doe (https://example.com/jane)', 'Organization: Plain'];
  const v2 = viewOfSpdx2(s2);
  assert.deepEqual(v2.creatorContacts, ['https://example.com/jane']);
  assert.equal(v2.ownTool, false);
  (s2['packages'] as Obj[])[4]!['externalRefs'] = [{ referenceCategory: 'SECURITY', referenceType: 'cpe22Type', referenceLocator: 'cpe:/a:sourceware:libffi:3.4.4' }];
  assert.deepEqual(viewOfSpdx2(s2).components.find((c) => c.name === 'libffi')!.cpeVendorProduct, 'sourceware:libffi');

  const s3 = ourSpdx3();
  const graph = s3['@graph'] as Obj[];
  const ci = graph[0]!;
  ci['createdBy'] = [`${NS}#jane`];
  graph.push({ '@type': 'Person', '@id': `${NS}#jane`, creationInfo: '_:creationinfo', name: 'Jane', externalRef: [{ type: 'ExternalRef', externalRefType: 'altWebPage', locator: ['https://example.com/jane'] }] });
  for (const n of graph) if (n['type'] === 'Relationship' && n['relationshipType'] === 'hasStaticLink') n['type'] = 'LifecycleScopedRelationship';
  const zlib = graph.find((n) => n['name'] === 'zlib')!;
  zlib['externalIdentifier'] = [{ type: 'ExternalIdentifier', externalIdentifierType: 'cpe22', identifier: 'cpe:/a:zlib:zlib:1.3.1' }];
  delete zlib['software_packageUrl'];
  zlib['externalIdentifier'] = [...(zlib['externalIdentifier'] as Obj[]), { type: 'ExternalIdentifier', externalIdentifierType: 'packageUrl', identifier: 'pkg:generic/zlib@1.3.1' }];
  const v3 = viewOfSpdx3(s3);
  assert.deepEqual(v3.creators, ['Tool: installer-sbom-9.9.9', 'Person: Jane']);
  assert.deepEqual(v3.creatorContacts, ['https://example.com/jane']);
  const z3 = v3.components.find((c) => c.name === 'zlib')!;
  assert.deepEqual(z3.carriers, [{ path: 'app.exe', relation: 'static-link' }]);
  assert.deepEqual(z3.cpes, ['cpe:/a:zlib:zlib:1.3.1']);
  assert.equal(z3.purl, 'pkg:generic/zlib@1.3.1');

  const cdx = ourCdx();
  const comps = cdx['components'] as Obj[];
  const openssl = comps.find((c) => c['name'] === 'OpenSSL')!;
  (openssl['evidence'] as Obj)['identity'] = { field: 'version', confidence: 1, methods: [{ technique: 'other', confidence: 1, value: 'by hand' }] };
  openssl['licenses'] = [{ expression: 'Apache-2.0' }, { expression: 'MIT', acknowledgement: 'concluded' }];
  const metadata = cdx['metadata'] as Obj;
  metadata['tools'] = [{ name: 'installer-sbom', version: '9.9.9' }];
  metadata['manufacturer'] = undefined;
  const vc = viewOfCycloneDx(cdx);
  assert.equal(vc.ownTool, true);
  assert.deepEqual(vc.creators, ['Tool: installer-sbom-9.9.9', 'Person: Jane Doe']);
  assert.deepEqual(vc.creatorContacts, ['jane@example.com']);
  const o = vc.components.find((c) => c.name === 'OpenSSL')!;
  assert.deepEqual(o.evidence, ['by hand']);
  assert.equal(o.licenseDeclared, 'Apache-2.0');
});
