/**
 * The steps around the model that are not resolve itself: CPython's release-tools conventions,
 * the source SBOMs as read, and the document's identity. Expected values come from
 * python/release-tools' conventions, CPython's own source SBOMs (../shared/cpython-sbom-inputs),
 * RFC 9562 (checked against Python's uuid module) and NISTIR 7695.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyCpythonConventions, cpythonVersionOf } from '../../src/bom/cpython.js';
import { readSourceSboms, cpythonSpdxId } from '../../src/bom/source-sbom.js';
import { createdTimestamp, documentInfo, sourceDateEpoch, uuidFor } from '../../src/bom/document-info.js';
import { cpeValue, formatCpe } from '../../src/bom/cpe.js';
import { formatParty, parseParty, completenessOf, packagesOf } from '../../src/bom/model.js';
import { normalizedVersion, purlOf, cpeOf } from '../../src/bom/component-package.js';
import { InputError, UsageError } from '../../src/errors.js';
import { addComponent, addContainer, analysisOf, emptyBom } from '../helpers/bom.js';
import { sharedDir } from '../helpers/fixtures.js';

const PSF = { type: 'organization', name: 'Python Software Foundation' };

test("CPython conventions: the artifact is CPython at the release's version, PSF-supplied, with CPython's CPE and download location", () => {
  const bom = emptyBom();
  bom.artifact.name = 'python-3.13.0rc2-amd64.exe';
  const copy = addComponent(bom, 'cpython', 'CPython', '3.13.0rc2', { evidence: [{ file: 'python313.dll', kind: 'versioninfo', text: '3.13.0rc2', location: 'FileVersion', version: '3.13.0rc2' }] });
  const openssl = addComponent(bom, 'openssl', 'OpenSSL', '3.0.15');
  const certifi = addComponent(bom, 'pypi/certifi', 'certifi', '2024.7.4', { supplier: { type: 'organization', name: 'Python Packaging Authority' } });
  const pip = addComponent(bom, 'pypi/pip', 'pip', '24.2', { supplier: { type: 'organization', name: 'Python Packaging Authority' } });
  const cab = addContainer(bom, 'core.msi', 'msi');
  bom.knownUnknowns.push({ kind: 'no-version', subject: 'CPython', reason: 'x', scope: copy.ref });
  const check = applyCpythonConventions(bom, analysisOf({ name: 'python-3.13.0rc2-amd64.exe' }), '3.13.0rc2', {});
  const download = 'https://www.python.org/ftp/python/3.13.0/python-3.13.0rc2-amd64.exe';
  const root = bom.artifact;
  assert.deepEqual(
    [root.idHint, root.name, root.version, root.supplier, root.originator, root.licenseDeclared, root.licenseConcluded, root.downloadLocation, root.homepage, root.cpes, root.purl],
    ['SPDXRef-PACKAGE-cpython', 'CPython', '3.13.0rc2', PSF, PSF, 'PSF-2.0', 'PSF-2.0', download, 'https://www.python.org/', [{ cpe: 'cpe:2.3:a:python:python:3.13.0rc2:*:*:*:*:*:*:*' }], `pkg:generic/cpython@3.13.0rc2?download_url=${encodeURIComponent(download)}`],
  );
  // The copy the binaries show is evidence on the artifact, not a second CPython package.
  assert.ok(!bom.components.includes(copy));
  assert.ok(!bom.relationships.some((r) => r.to === copy.ref || r.from === copy.ref));
  assert.ok(!bom.knownUnknowns.some((u) => u.scope === copy.ref));
  assert.deepEqual(root.notes, [{ text: 'corroborated by the binaries: CPython 3.13.0rc2 (python313.dll)' }]);
  assert.deepEqual(check, { version: '3.13.0rc2', shown: ['3.13.0rc2'], where: ['python313.dll'], found: true, agrees: true });
  // The PSF builds and ships the third-party code; the upstream project is its originator. pip's vendored projects keep theirs.
  assert.deepEqual(openssl.supplier, PSF);
  assert.deepEqual(openssl.originator, { type: 'organization', name: 'OpenSSL Project' });
  assert.deepEqual(certifi.supplier, { type: 'organization', name: 'Python Packaging Authority' });
  assert.deepEqual(pip.originator ?? pip.supplier, { type: 'organization', name: 'Python Packaging Authority' });
  assert.deepEqual(cab.supplier, PSF);
  assert.equal(bom.document.name, 'CPython SBOM');
  assert.equal(bom.document.namespace, `${download}.spdx.json`);

  const other = emptyBom();
  addComponent(other, 'cpython', 'CPython', '3.13.1', { evidence: [{ file: 'python313.dll', kind: 'versioninfo', text: '3.13.1', location: 'FileVersion' }] });
  const drift = applyCpythonConventions(other, analysisOf({ name: 'python-3.13.0-amd64.exe' }), '3.13.0', { namespace: 'https://example.com/ns', documentName: 'Mine' });
  assert.equal(drift.agrees, false);
  assert.deepEqual(other.artifact.notes, [{ text: 'contradicted: the binaries show CPython 3.13.1 (python313.dll)' }]);
  assert.equal(other.document.name, 'Mine');
  assert.equal(other.document.namespace, 'https://example.com/ns');
  const none = emptyBom();
  assert.deepEqual(applyCpythonConventions(none, analysisOf({ name: 'python-3.13.0-amd64.exe' }), '3.13.0', {}), { version: '3.13.0', shown: [], where: [], found: false, agrees: true });
});

test("cpythonVersionOf: python.org's release file names, else a source-release SBOM", () => {
  for (const [name, version] of [
    ['python-3.13.0rc2-amd64.exe', '3.13.0rc2'],
    ['python-3.12.6-embed-win32.zip', '3.12.6'],
    ['python-3.13.0-macos11.pkg', '3.13.0'],
    ['python-3.13.0t-amd64.exe', '3.13.0'],
    ['python-3.14.0a1.exe', '3.14.0a1'],
    ['python-3.13.0b3.msi', '3.13.0b3'],
  ] as const) {
    assert.equal(cpythonVersionOf(name), version, name);
  }
  assert.equal(cpythonVersionOf('python-3.13.exe'), undefined);
  assert.equal(cpythonVersionOf('demo.zip'), undefined);
  assert.equal(cpythonVersionOf('demo.zip', { packages: [], cpythonVersion: '3.12.0' }), '3.12.0');
});

test("source SBOMs: externals keep CPython's ids, source-tree packages are re-identified by name and version, files dropped", async () => {
  const dir = join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2');
  const s = await readSourceSboms([join(dir, 'externals.spdx.json'), join(dir, 'sbom.spdx.json')]);
  assert.equal(s.cpythonVersion, undefined);
  const ids = s.packages.map((p) => [p.document, p.origin, p.pkg.SPDXID, p.pkg.name]);
  assert.ok(ids.some(([d, o, id, n]) => d === 'externals.spdx.json' && o === 'externals' && id === 'SPDXRef-PACKAGE-openssl' && n === 'openssl'));
  assert.ok(ids.some(([d, o, id]) => d === 'sbom.spdx.json' && o === 'source-tree' && id === 'SPDXRef-PACKAGE-expat-2.6.3'));
  assert.ok(ids.some(([, , id]) => id === 'SPDXRef-PACKAGE-hacl-star-bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0'));
  for (const p of s.packages) {
    assert.notEqual(p.pkg.filesAnalyzed, true);
    assert.equal(p.pkg['hasFiles'], undefined);
    assert.equal(p.pkg['packageVerificationCode'], undefined);
  }
  assert.equal(s.packages.length, 9 + 5);

  const release = await readSourceSboms([join(sharedDir, 'cpython-sbom-inputs', 'Python-3.12.0.tgz.spdx.json')]);
  // The source-release SBOM names CPython's version; CPython itself is not a declared dependency.
  assert.equal(release.cpythonVersion, '3.12.0');
  assert.ok(!release.packages.some((p) => p.pkg.name === 'CPython'));
  assert.ok(release.packages.some((p) => p.pkg.SPDXID === 'SPDXRef-PACKAGE-pip-23.2.1'));
  assert.equal(cpythonSpdxId('SPDXRef-PACKAGE-a b+c'), 'SPDXRef-PACKAGE-a-b-c');
});

test('source SBOMs: unreadable JSON or no packages array is an input error naming the file; odd packages are skipped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'isbom-src-'));
  try {
    await writeFile(join(dir, 'bad.spdx.json'), '{');
    await writeFile(join(dir, 'empty.spdx.json'), '{"packages": 3}');
    await writeFile(join(dir, 'odd.spdx.json'), JSON.stringify({ packages: [null, { name: 1 }, { name: 'zlib', SPDXID: 'SPDXRef-z', versionInfo: '1.3.1', downloadLocation: 'https://example.com/cpython-source-deps/zlib', filesAnalyzed: true }], relationships: 'x' }));
    await assert.rejects(readSourceSboms([join(dir, 'bad.spdx.json')]), (e: unknown) => e instanceof InputError && /not readable JSON/.test(e.message));
    await assert.rejects(readSourceSboms([join(dir, 'empty.spdx.json')]), (e: unknown) => e instanceof InputError && /no packages array/.test(e.message));
    const odd = await readSourceSboms([join(dir, 'odd.spdx.json')]);
    assert.deepEqual(odd.packages.map((p) => [p.pkg.SPDXID, p.origin, p.pkg.filesAnalyzed, p.dependsOn]), [['SPDXRef-z', 'externals', false, []]]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('document identity: SOURCE_DATE_EPOCH, RFC 3339 seconds, RFC 9562 v5 serial numbers, creators', () => {
  assert.equal(sourceDateEpoch({}), undefined);
  assert.equal(sourceDateEpoch({ SOURCE_DATE_EPOCH: '1700000000' }), 1700000000);
  assert.equal(sourceDateEpoch({ SOURCE_DATE_EPOCH: '0' }), 0);
  for (const bad of ['', '1.5', '-1', 'now', '8640000000001']) assert.throws(() => sourceDateEpoch({ SOURCE_DATE_EPOCH: bad }), UsageError, bad);
  assert.equal(sourceDateEpoch({ SOURCE_DATE_EPOCH: '8640000000000' }), 8640000000000);
  assert.equal(createdTimestamp(0), '1970-01-01T00:00:00Z');
  assert.equal(createdTimestamp(1700000000), '2023-11-14T22:13:20Z');
  // Python's uuid.uuid5(uuid.NAMESPACE_URL, name) as the oracle.
  assert.equal(uuidFor('installer-sbom:artifact:sha256:' + 'ab'.repeat(32)), 'urn:uuid:b220c9a0-ab46-53eb-b8b2-49a3fe0be574');
  assert.equal(uuidFor('x'), 'urn:uuid:4cd605e7-afa2-5360-b5b9-c5e9fb5c76f4');
  const info = documentInfo('a b.zip', 'AB'.repeat(32), { createdEpoch: 0, creators: ['Person: Jane Doe (jane@example.com)'] });
  assert.equal(info.namespace, `https://spdx.org/spdxdocs/installer-sbom/a%20b.zip-${'AB'.repeat(32)}`);
  assert.equal(info.serialNumber, 'urn:uuid:b220c9a0-ab46-53eb-b8b2-49a3fe0be574', 'the hash is lower-cased before naming');
  assert.deepEqual(info.creators, [{ type: 'person', name: 'Jane Doe', email: 'jane@example.com' }]);
  assert.equal(documentInfo('a', 'ab', { namespace: 'https://example.com/x', documentName: 'N', createdEpoch: 0 }).namespace, 'https://example.com/x');
  assert.equal(documentInfo('a', 'ab', { documentName: 'N', createdEpoch: 0 }).name, 'N');
  assert.throws(() => documentInfo('a', 'ab', { creators: ['Jane'] }), (e: unknown) => e instanceof UsageError && /--creator must look like/.test(e.message));
});

test('parties: SPDX 2.3 §7.5 supplier text both ways', () => {
  assert.deepEqual(parseParty('Organization: Example Corp (sbom@example.com)'), { type: 'organization', name: 'Example Corp', email: 'sbom@example.com' });
  assert.deepEqual(parseParty('Person: Jane Doe (https://example.com/jane)'), { type: 'person', name: 'Jane Doe', url: 'https://example.com/jane' });
  assert.deepEqual(parseParty('Organization: A (B)'), { type: 'organization', name: 'A' });
  assert.equal(parseParty('NOASSERTION'), undefined);
  assert.equal(parseParty('Organization: NOASSERTION'), undefined);
  assert.equal(parseParty(undefined), undefined);
  assert.equal(parseParty('Tool: x'), undefined);
  assert.equal(formatParty(undefined), 'NOASSERTION');
  assert.equal(formatParty({ type: 'person', name: 'Jane', email: 'j@x' }), 'Person: Jane (j@x)');
  assert.equal(formatParty({ type: 'organization', name: 'A', url: 'https://a' }), 'Organization: A (https://a)');
  assert.equal(formatParty({ type: 'organization', name: 'A' }), 'Organization: A');
});

test('completeness: only unknowns that can hide a component make lists incomplete', () => {
  const bom = emptyBom();
  assert.deepEqual(completenessOf(bom), { dependenciesComplete: true, incompleteContainment: new Set() });
  for (const kind of ['unopened-container', 'unsupported-member', 'absent', 'not-inspected']) {
    const b = emptyBom();
    b.knownUnknowns.push({ kind, subject: 's', reason: 'r', scope: 'container:x' });
    assert.deepEqual(completenessOf(b), { dependenciesComplete: false, incompleteContainment: new Set(['container:x']) }, kind);
  }
  bom.knownUnknowns.push({ kind: 'no-version', subject: 's', reason: 'r', scope: 'component:x' });
  assert.deepEqual(completenessOf(bom), { dependenciesComplete: true, incompleteContainment: new Set() });
  addContainer(bom, 'c.cab');
  addComponent(bom, 'z', 'z', '1');
  assert.deepEqual(packagesOf(bom).map((p) => p.kind), ['artifact', 'container', 'component']);
});

test('CPE 2.3 formatted string binding (NISTIR 7695 §6.2) and purls: escaped values, no wildcard version', () => {
  assert.equal(formatCpe('Tcl Tk', 'tcl/tk', '8.6.14+x'), 'cpe:2.3:a:tcl_tk:tcl\\/tk:8.6.14\\+x:*:*:*:*:*:*:*');
  assert.equal(formatCpe('a', 'b', undefined), 'cpe:2.3:a:a:b:*:*:*:*:*:*:*:*');
  assert.equal(formatCpe('a', 'b', '1', 'o'), 'cpe:2.3:o:a:b:1:*:*:*:*:*:*:*');
  assert.equal(cpeValue('*'), '*');
  assert.equal(cpeValue('-'), '-');
  assert.equal(cpeValue('A_b-c.d'), 'a_b-c.d');
  assert.equal(cpeOf({ cpe: { vendor: 'zlib', product: 'zlib' } }, undefined), undefined);
  assert.equal(cpeOf({}, '1'), undefined);
  assert.equal(cpeOf({ cpe: { vendor: 'zlib', product: 'zlib' } }, '1.3.1'), 'cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*');
  assert.equal(purlOf({ purl: { type: 'npm', namespace: '@img', name: 'sharp' } }, '1.0'), 'pkg:npm/%40img/sharp@1.0');
  assert.equal(purlOf({ purl: { type: 'generic', name: 'zlib' } }, undefined), 'pkg:generic/zlib');
  assert.equal(normalizedVersion('3.45.3.0'), '3.45.3');
  assert.equal(normalizedVersion('3.45.3.1'), '3.45.3.1');
  assert.equal(normalizedVersion('1.0'), '1.0');
});
