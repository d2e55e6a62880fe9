/**
 * The SPDX 2.3 writer on small hand-made models. Every expected value is written from the SPDX 2.3
 * specification (clause cited beside it), never copied from the writer's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { toSpdx23, writeSpdx23 } from '../../src/serialize/spdx2.js';
import type { SpdxDocument, SpdxPackage, SpdxRelationship } from '../../src/serialize/spdx2-types.js';
import { addComponent, addContainer, addFile, burnModel, cabModel, CREATED, DECLARED_ABSENT_TEXT, declaredAbsentModel, digestsOf, dynamicLinkModel, emptyBom, NS, opensslModel, pipModel, RECONCILED_TEXT, reconciledModel, sha1Of, sortedDeep, staticLinkModel, twinFilesModel, undatedModel } from '../helpers/bom.js';
import { spdx23SchemaErrors } from '../helpers/oracles.js';

const write = (bom: ReturnType<typeof emptyBom>): SpdxDocument => JSON.parse(writeSpdx23(bom)) as SpdxDocument;

/** SPDX 2.3 §7.10 / §8.4: checksums as algorithm + lower-case hex value; we give SHA1, SHA256 and SHA512. */
function checksums(bytes: string) {
  const d = digestsOf(bytes);
  return [
    { algorithm: 'SHA1', checksumValue: d.sha1 },
    { algorithm: 'SHA256', checksumValue: d.sha256 },
    { algorithm: 'SHA512', checksumValue: d.sha512 },
  ];
}

/** SPDX 2.3 §7.9: SHA-1 of the ascending-sorted, concatenated SHA-1s of the package's files. */
function verificationCode(...fileBytes: string[]): string {
  return createHash('sha1').update(fileBytes.map(sha1Of).sort().join('')).digest('hex');
}

const rel = (from: string, type: string, to: string, comment?: string): SpdxRelationship => ({ spdxElementId: from, relationshipType: type, relatedSpdxElement: to, ...(comment ? { comment } : {}) });
const pkg = (doc: SpdxDocument, id: string): SpdxPackage => {
  const p = doc.packages!.find((x) => x.SPDXID === id);
  assert.ok(p, `package ${id} in ${doc.packages!.map((x) => x.SPDXID).join(', ')}`);
  return p;
};
const hasRel = (doc: SpdxDocument, r: SpdxRelationship) =>
  assert.ok(
    doc.relationships!.some((x) => JSON.stringify(sortedDeep(x)) === JSON.stringify(sortedDeep(r))),
    `${JSON.stringify(r)} in\n${doc.relationships!.map((x) => JSON.stringify(x)).join('\n')}`,
  );

test('SPDX 2.3: a zip holding one library file that is OpenSSL, written out whole', () => {
  const bom = opensslModel();
  const expected = {
    // §6.1–§6.5: document identity; SPDXID is always SPDXRef-DOCUMENT, dataLicense is CC0-1.0.
    SPDXID: 'SPDXRef-DOCUMENT',
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    name: 'demo.zip',
    documentNamespace: NS,
    // §6.8: a tool creator is `Tool: name-version`; §6.9: created in UTC.
    creationInfo: { created: CREATED, creators: ['Tool: installer-sbom-9.9.9'], licenseListVersion: '3.22' },
    packages: [
      {
        // §7.2 SPDXRef-[idstring]: letters, digits, '.', '-'.
        SPDXID: 'SPDXRef-PACKAGE-demo.zip',
        name: 'demo.zip',
        versionInfo: 'NOASSERTION',
        packageFileName: 'demo.zip',
        supplier: 'NOASSERTION',
        downloadLocation: 'NOASSERTION',
        // §7.8: it contains a file, so its files were analysed; §7.9 then requires the verification code.
        filesAnalyzed: true,
        packageVerificationCode: { packageVerificationCodeValue: verificationCode('libcrypto') },
        checksums: checksums('demo.zip bytes'),
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        copyrightText: 'NOASSERTION',
        // §7.24: an archive.
        primaryPackagePurpose: 'ARCHIVE',
      },
      {
        SPDXID: 'SPDXRef-PACKAGE-openssl-3.0.15',
        name: 'OpenSSL',
        versionInfo: '3.0.15',
        // §7.5: `Organization: name`.
        supplier: 'Organization: OpenSSL Project',
        downloadLocation: 'NOASSERTION',
        // The component is made of libcrypto-3.dll: it CONTAINS that file (§7.8 true, §7.9 code over it).
        filesAnalyzed: true,
        packageVerificationCode: { packageVerificationCodeValue: verificationCode('libcrypto') },
        licenseConcluded: 'NOASSERTION',
        licenseDeclared: 'NOASSERTION',
        copyrightText: 'NOASSERTION',
        // §7.21 / Annex F: SECURITY cpe23Type and PACKAGE-MANAGER purl.
        externalRefs: [
          { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:openssl:openssl:3.0.15:*:*:*:*:*:*:*' },
          { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:generic/openssl@3.0.15' },
        ],
        primaryPackagePurpose: 'LIBRARY',
      },
    ],
    // §8.1: file names relative to the package root, starting with `./`; §8.3 BINARY for a compiled program.
    files: [{ SPDXID: 'SPDXRef-FILE-lib-libcrypto-3.dll', fileName: './lib/libcrypto-3.dll', checksums: checksums('libcrypto'), fileTypes: ['BINARY'] }],
    relationships: [
      // §11.1: the document DESCRIBES the artifact.
      rel('SPDXRef-DOCUMENT', 'DESCRIBES', 'SPDXRef-PACKAGE-demo.zip'),
      rel('SPDXRef-PACKAGE-demo.zip', 'CONTAINS', 'SPDXRef-FILE-lib-libcrypto-3.dll'),
      rel('SPDXRef-PACKAGE-demo.zip', 'DEPENDS_ON', 'SPDXRef-PACKAGE-openssl-3.0.15'),
      rel('SPDXRef-PACKAGE-openssl-3.0.15', 'CONTAINS', 'SPDXRef-FILE-lib-libcrypto-3.dll'),
    ],
  };
  const doc = write(bom);
  assert.deepEqual(sortedDeep(doc), sortedDeep(expected));
  assert.deepEqual(spdx23SchemaErrors(doc), []);
});

test('SPDX 2.3 CONTAINS: a container holds its file; filesAnalyzed and the §7.9 code only where files are contained', () => {
  const bom = cabModel();
  addComponent(bom, 'zlib', 'zlib', '1.3.1');
  const doc = write(bom);
  hasRel(doc, rel('SPDXRef-CONTAINER-data.cab', 'CONTAINS', 'SPDXRef-FILE-data.cab-a.txt'));
  hasRel(doc, rel('SPDXRef-CONTAINER-data.cab', 'CONTAINS', 'SPDXRef-FILE-data.cab-b.txt'));
  hasRel(doc, rel('SPDXRef-PACKAGE-demo.zip', 'CONTAINS', 'SPDXRef-CONTAINER-data.cab'));
  const container = pkg(doc, 'SPDXRef-CONTAINER-data.cab');
  assert.equal(container.filesAnalyzed, true);
  assert.deepEqual(container['packageVerificationCode'], { packageVerificationCodeValue: verificationCode('aaa', 'bbb') });
  assert.equal(container.packageFileName, 'data.cab');
  assert.deepEqual(container.checksums, checksums('data.cab bytes'));
  // The artifact contains a package, not a file: §7.8 filesAnalyzed false, and no code (§7.9 only when true).
  const root = pkg(doc, 'SPDXRef-PACKAGE-demo.zip');
  assert.equal(root.filesAnalyzed, false);
  assert.equal(root['packageVerificationCode'], undefined);
  // A component nothing shows to be made of a file holds none.
  const z = pkg(doc, `SPDXRef-PACKAGE-zlib-1.3.1`);
  assert.equal(z.filesAnalyzed, false);
  assert.equal(z['packageVerificationCode'], undefined);
  assert.deepEqual(spdx23SchemaErrors(doc), []);
});

test("SPDX 2.3 CONTAINS: a container's own code holds a component (the Burn engine in a bundle's stub)", () => {
  const doc = write(burnModel());
  hasRel(doc, rel('SPDXRef-CONTAINER-setup.exe', 'CONTAINS', 'SPDXRef-PACKAGE-wix-burn-3.14.1'));
  // A package contained is not a file: it does not make the container's files analysed.
  assert.equal(pkg(doc, 'SPDXRef-CONTAINER-setup.exe').filesAnalyzed, false);
});

test('SPDX 2.3 STATIC_LINK: the binary holding a compiled-in copy links the component (§11.1 "SPDXRef-A statically links SPDXRef-B")', () => {
  const doc = write(staticLinkModel());
  hasRel(doc, rel('SPDXRef-FILE-app.exe', 'STATIC_LINK', 'SPDXRef-PACKAGE-zlib-1.3.1'));
  assert.equal(doc.relationships!.filter((r) => r.relationshipType === 'STATIC_LINK').length, 1);
  // The compiled-in copy is not the file: the component package holds no file.
  assert.equal(pkg(doc, 'SPDXRef-PACKAGE-zlib-1.3.1').filesAnalyzed, false);
});

test('SPDX 2.3 DYNAMIC_LINK: an importer links the library that implements the component, with the import as comment', () => {
  const doc = write(dynamicLinkModel());
  hasRel(doc, rel('SPDXRef-FILE-ctypes.pyd', 'DYNAMIC_LINK', 'SPDXRef-PACKAGE-libffi-3.4.4', 'import: libffi-8.dll'));
  hasRel(doc, rel('SPDXRef-PACKAGE-libffi-3.4.4', 'CONTAINS', 'SPDXRef-FILE-libffi-8.dll'));
  // The importer is no carrier of the component's files.
  assert.deepEqual(pkg(doc, 'SPDXRef-PACKAGE-libffi-3.4.4')['packageVerificationCode'], { packageVerificationCodeValue: verificationCode('libffi-8.dll') });
});

test('SPDX 2.3 DEPENDS_ON: the artifact on its component, and pip on what it vendors', () => {
  const doc = write(pipModel());
  hasRel(doc, rel('SPDXRef-PACKAGE-demo.zip', 'DEPENDS_ON', 'SPDXRef-PACKAGE-pip'));
  hasRel(doc, rel('SPDXRef-PACKAGE-pip', 'DEPENDS_ON', 'SPDXRef-PACKAGE-certifi'));
  // The convention's id is used as given (CPython's release tooling names pip `SPDXRef-PACKAGE-pip`).
  assert.deepEqual(doc.relationships!.filter((r) => r.relationshipType === 'DEPENDS_ON').length, 2);
});

/** The annotation a writer puts on a package (§12: annotator `Tool: …`, date, type OTHER, comment). */
const annotation = (comment: string) => ({ annotationDate: CREATED, annotationType: 'OTHER', annotator: 'Tool: installer-sbom-9.9.9', comment });

test('SPDX 2.3 reconciliation: each status is an annotation on the component package (§12)', () => {
  const doc = write(reconciledModel());
  // Written as `status (declared V by DOC): note`, or `added: note` where nothing was declared.
  for (const [name, version] of [['openssl', '3.0.15'], ['expat', '2.7.1'], ['libffi', '3.4.4'], ['zstd', '1.5.6']]) {
    assert.deepEqual(pkg(doc, `SPDXRef-PACKAGE-${name}-${version}`).annotations, [annotation(RECONCILED_TEXT[name!]!)]);
  }
  assert.deepEqual(spdx23SchemaErrors(doc), []);
});

test('SPDX 2.3 declared but absent (not-shipped, not-found): document annotations, never packages', () => {
  const doc = write(declaredAbsentModel());
  assert.deepEqual(
    doc.packages!.map((p) => p.name),
    ['demo.zip'],
  );
  assert.deepEqual(sortedDeep(doc.annotations), sortedDeep(DECLARED_ABSENT_TEXT.map(annotation)));
  assert.ok(!doc.relationships!.some((r) => r.relationshipType === 'DEPENDS_ON'));
  assert.deepEqual(spdx23SchemaErrors(doc), []);
});

test('SPDX 2.3 known unknowns: NOASSERTION targets exactly where a list is incomplete (§11.1), a document annotation each', () => {
  const bom = emptyBom();
  const cab = addContainer(bom, 'data.cab');
  addContainer(bom, 'other.cab');
  addFile(bom, 'data.cab/a.txt', { container: cab.ref });
  const complete = write(bom);
  assert.ok(!complete.relationships!.some((r) => r.relatedSpdxElement === 'NOASSERTION'), 'nothing unseen: no NOASSERTION');
  assert.equal(complete.comment, undefined);

  bom.knownUnknowns.push({ kind: 'unsupported-member', subject: 'data.cab/b.bin', reason: 'LZX compression is not decoded', scope: cab.ref });
  const doc = write(bom);
  const noassertion = doc.relationships!.filter((r) => r.relatedSpdxElement === 'NOASSERTION').map((r) => [r.spdxElementId, r.relationshipType]);
  // data.cab's contents are incomplete, and so are the artifact's dependencies (the member may hide a component); other.cab is complete.
  assert.deepEqual(noassertion.sort(), [
    ['SPDXRef-CONTAINER-data.cab', 'CONTAINS'],
    ['SPDXRef-PACKAGE-demo.zip', 'DEPENDS_ON'],
  ]);
  assert.deepEqual(doc.annotations, [annotation('known unknown (unsupported-member): data.cab/b.bin: LZX compression is not decoded')]);
  assert.match(doc.comment!, /^1 known unknown/);

  // A version no evidence shows is a known unknown too, but hides no component: lists stay complete.
  const u = write(undatedModel());
  assert.ok(!u.relationships!.some((r) => r.relatedSpdxElement === 'NOASSERTION'));
  assert.equal(pkg(u, 'SPDXRef-PACKAGE-zlib').versionInfo, 'NOASSERTION');
  assert.deepEqual(spdx23SchemaErrors(doc), []);
});

test('SPDX 2.3 ids: unique even when two files share a path (an MSI installing one name twice)', () => {
  const bom = twinFilesModel();
  // A component whose id stem equals a container's name part must not collide either.
  addContainer(bom, 'x');
  addComponent(bom, 'x', 'x', undefined, { idHint: 'SPDXRef-CONTAINER-x' });
  const doc = write(bom);
  const ids = [...doc.packages!.map((p) => p.SPDXID), ...doc.files!.map((f) => f.SPDXID)];
  assert.equal(new Set(ids).size, ids.length, ids.join(', '));
  assert.ok(ids.every((id) => /^SPDXRef-[A-Za-z0-9.-]+$/.test(id)), ids.join(', '));
  const twins = doc.files!.filter((f) => f.fileName === './Windows/system32/ATL80.dll');
  assert.deepEqual(twins.map((f) => f.checksums[0]!.checksumValue).sort(), [sha1Of('first'), sha1Of('second')].sort());
  // Each twin is contained by the artifact under its own id.
  for (const f of twins) hasRel(doc, rel('SPDXRef-PACKAGE-demo.zip', 'CONTAINS', f.SPDXID));
  assert.deepEqual(spdx23SchemaErrors(doc), []);
});

test('SPDX 2.3 creators, supplier and licences as the model states them (§6.8, §7.5, §7.6, §7.13, §7.15)', () => {
  const bom = emptyBom();
  bom.document.creators.push({ type: 'organization', name: 'Example', email: 'sbom@example.com' }, { type: 'person', name: 'Jane Doe' });
  Object.assign(bom.artifact, { version: '1.0', supplier: { type: 'organization', name: 'Example', url: 'https://example.com' }, licenseConcluded: 'MIT', licenseDeclared: 'MIT', homepage: 'https://example.com/demo', downloadLocation: 'https://example.com/demo.zip' });
  addComponent(bom, 'zlib', 'zlib', '1.3.1', { originator: { type: 'person', name: 'Jean-loup Gailly' }, licenseDeclared: 'Zlib' });
  const doc = write(bom);
  assert.deepEqual(doc.creationInfo.creators.sort(), ['Organization: Example (sbom@example.com)', 'Person: Jane Doe', 'Tool: installer-sbom-9.9.9']);
  const root = pkg(doc, 'SPDXRef-PACKAGE-demo.zip');
  assert.equal(root.versionInfo, '1.0');
  assert.equal(root.supplier, 'Organization: Example (https://example.com)');
  assert.equal(root.licenseConcluded, 'MIT');
  assert.equal(root.licenseDeclared, 'MIT');
  assert.equal(root.homepage, 'https://example.com/demo');
  assert.equal(root.downloadLocation, 'https://example.com/demo.zip');
  const z = pkg(doc, 'SPDXRef-PACKAGE-zlib-1.3.1');
  assert.equal(z.originator, 'Person: Jean-loup Gailly');
  assert.equal(z.licenseDeclared, 'Zlib');
  assert.equal(z.licenseConcluded, 'NOASSERTION');
  assert.deepEqual(spdx23SchemaErrors(doc), []);
});

test('SPDX 2.3 purposes (§7.24) and file types (§8.3) follow the model', () => {
  const bom = emptyBom();
  bom.artifact.purpose = 'install';
  addComponent(bom, 'macholib', 'macholib', '1.16', { purpose: 'source' });
  addFile(bom, 'inner.7z', { kind: { archive: true } });
  addFile(bom, 'readme.txt');
  const doc = write(bom);
  assert.equal(pkg(doc, 'SPDXRef-PACKAGE-demo.zip').primaryPackagePurpose, 'INSTALL');
  assert.equal(pkg(doc, 'SPDXRef-PACKAGE-macholib-1.16').primaryPackagePurpose, 'SOURCE');
  assert.deepEqual(doc.files!.find((f) => f.fileName === './inner.7z')!.fileTypes, ['ARCHIVE']);
  assert.equal(doc.files!.find((f) => f.fileName === './readme.txt')!.fileTypes, undefined);
});

test('SPDX 2.3 component comment: description then the evidence, one line each', () => {
  const bom = emptyBom();
  addComponent(bom, 'zlib', 'zlib', '1.3.1', {
    description: 'Detected at version 1.3.1.',
    evidence: [{ file: 'zlib1.dll', kind: 'versioninfo', text: '1.3.1', location: 'StringFileInfo/040904b0/FileVersion', version: '1.3.1' }],
  });
  const doc = write(bom);
  assert.equal(pkg(doc, 'SPDXRef-PACKAGE-zlib-1.3.1').comment, 'Detected at version 1.3.1.\nEvidence:\n- zlib1.dll: versioninfo "1.3.1" at StringFileInfo/040904b0/FileVersion → 1.3.1');
});

test('toSpdx23 and writeSpdx23 agree', () => {
  const bom = emptyBom();
  addFile(bom, 'a.txt');
  assert.deepEqual(sortedDeep(toSpdx23(bom)), sortedDeep(write(bom)));
});
