import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir, tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { requireTool } from '../helpers/tools.js';
import { buildOpenSslRelease, MINGW_GCC, zipDirectory } from '../fixtures-build/compare.js';
import type { SpdxDocument, SpdxPackage } from '../../src/serialize/spdx2-types.js';
import type { VerifyResult } from '../../src/compare/verify.js';
import type { SbomDiff } from '../../src/compare/diff.js';

type Ctx = import('node:test').TestContext;

function tools(t: Ctx): boolean {
  return requireTool(t, MINGW_GCC) && requireTool(t, 'bsdtar');
}

function build(artifact: string, out: string): SpdxDocument {
  const res = runCli(['build', artifact, '-o', out, '--supplier', 'Organization: Example Release Team']);
  assert.equal(res.status, 0, `build failed: ${res.stdout}\n${res.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8')) as SpdxDocument;
}

function verifyJson(artifact: string, sbom: string): { status: number; result: VerifyResult; stderr: string } {
  const r = runCli(['verify', artifact, sbom, '--json']);
  return { status: r.status, result: JSON.parse(r.stdout) as VerifyResult, stderr: r.stderr };
}

const openssl = (doc: SpdxDocument): SpdxPackage => doc.packages!.find((p) => p.name === 'OpenSSL')!;
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

test('verify passes on the SBOM build wrote (zip and directory artifacts)', async (t) => {
  if (!tools(t)) return;
  const dir = await tempDir(t);
  const release = buildOpenSslRelease(join(dir, 'release'), '3.0.13', '30 Jan 2024');
  const zip = zipDirectory(release, join(dir, 'release.zip'));
  for (const artifact of [zip, release]) {
    const sbom = join(dir, `${artifact.endsWith('.zip') ? 'zip' : 'dir'}.spdx.json`);
    const doc = build(artifact, sbom);
    assert.equal(openssl(doc).versionInfo, '3.0.13', 'the version compiled into the DLL');
    const text = runCli(['verify', artifact, sbom]);
    assert.equal(text.status, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /matches/);
    const { status, result } = verifyJson(artifact, sbom);
    assert.equal(status, 0);
    assert.deepEqual(result.findings, []);
    assert.equal(result.checked.files, 3);
    assert.equal(result.checked.components, 1);
    assert.equal(result.checked.rootChecksum, artifact === zip, 'a zip has a checksum of its own, a directory does not');
  }
});

test('verify fails naming the file when one file hash in the SBOM is changed', async (t) => {
  if (!tools(t)) return;
  const dir = await tempDir(t);
  const release = buildOpenSslRelease(join(dir, 'release'), '3.0.13', '30 Jan 2024');
  const zip = zipDirectory(release, join(dir, 'release.zip'));
  const sbom = join(dir, 'release.spdx.json');
  const doc = build(zip, sbom);
  const file = doc.files!.find((f) => f.fileName === './bin/app.exe')!;
  const sum = file.checksums.find((c) => c.algorithm === 'SHA256')!;
  assert.equal(sum.checksumValue, sha256(join(release, 'bin', 'app.exe')), 'build hashed the file as sha256 does');
  sum.checksumValue = '0'.repeat(64);
  writeFileSync(sbom, JSON.stringify(doc));

  const text = runCli(['verify', zip, sbom]);
  assert.equal(text.status, 1);
  assert.match(text.stdout, /changed file: \.\/bin\/app\.exe SHA256 differs/);
  assert.match(text.stderr, /does not match/);
  const { status, result } = verifyJson(zip, sbom);
  assert.equal(status, 1);
  assert.deepEqual(result.findings.map((f) => [f.kind, f.subject]), [['file-hash-differs', 'bin/app.exe']]);
  assert.equal(result.findings[0]!.found, sha256(join(release, 'bin', 'app.exe')));
});

test('verify fails naming the file when a file is removed from a copy of the payload', async (t) => {
  if (!tools(t)) return;
  const dir = await tempDir(t);
  const release = buildOpenSslRelease(join(dir, 'release'), '3.0.13', '30 Jan 2024');
  const sbom = join(dir, 'release.spdx.json');
  build(zipDirectory(release, join(dir, 'release.zip')), sbom);

  const copy = join(dir, 'copy');
  cpSync(release, copy, { recursive: true });
  rmSync(join(copy, 'README.txt'));
  const tampered = zipDirectory(copy, join(dir, 'tampered.zip'));
  const { status, result } = verifyJson(tampered, sbom);
  assert.equal(status, 1);
  const kinds = result.findings.map((f) => `${f.kind} ${f.subject}`);
  assert.ok(kinds.includes('file-missing README.txt'), kinds.join('\n'));
  assert.ok(kinds.includes('root-hash-differs tampered.zip'), 'the artifact itself changed too');
  const text = runCli(['verify', tampered, sbom]);
  assert.match(text.stdout, /missing file: \.\/README\.txt is in the SBOM but not in the artifact/);

  // The same with a directory artifact: the removed file is the only difference.
  const dirSbom = join(dir, 'dir.spdx.json');
  build(release, dirSbom);
  const { status: s2, result: r2 } = verifyJson(copy, dirSbom);
  assert.equal(s2, 1);
  assert.deepEqual(r2.findings.map((f) => [f.kind, f.subject]), [['file-missing', 'README.txt']]);
});

test("verify fails when a component's version is edited, and when the artifact ships another build", async (t) => {
  if (!tools(t)) return;
  const dir = await tempDir(t);
  const release = buildOpenSslRelease(join(dir, 'release'), '3.0.13', '30 Jan 2024');
  const sbom = join(dir, 'release.spdx.json');
  const doc = build(release, sbom);
  openssl(doc).versionInfo = '3.0.12';
  writeFileSync(sbom, JSON.stringify(doc));
  const { status, result } = verifyJson(release, sbom);
  assert.equal(status, 1);
  assert.deepEqual(
    result.findings.map((f) => [f.kind, f.subject, f.stated, f.found]),
    [['component-version-differs', 'OpenSSL', '3.0.12', '3.0.13']],
  );
  const text = runCli(['verify', release, sbom]);
  assert.match(text.stdout, /version differs: OpenSSL is 3\.0\.12 in the SBOM but 3\.0\.13 in the artifact/);

  // The SBOM untouched, the artifact rebuilt around OpenSSL 3.0.15: the DLL's hash and the version differ.
  const original = join(dir, 'original.spdx.json');
  build(release, original);
  const rebuilt = buildOpenSslRelease(join(dir, 'rebuilt'), '3.0.15', '3 Sep 2024');
  writeFileSync(join(rebuilt, 'README.txt'), readFileSync(join(release, 'README.txt')));
  const r2 = verifyJson(rebuilt, original);
  assert.equal(r2.status, 1);
  const kinds = r2.result.findings.map((f) => `${f.kind} ${f.subject}`).sort();
  assert.ok(kinds.includes('component-version-differs OpenSSL'), kinds.join('\n'));
  assert.ok(kinds.includes('file-hash-differs bin/libcrypto-3-x64.dll'), kinds.join('\n'));
});

test('verify passes on a CPython SBOM that build wrote from source SBOMs; declared-only packages are listed as unchecked', async (t) => {
  if (!tools(t)) return;
  const dir = await tempDir(t);
  const payload = join(dir, 'payload');
  buildOpenSslRelease(payload, '3.0.15', '3 Sep 2024');
  const zip = zipDirectory(payload, join(dir, 'python-3.13.0rc2-embed-amd64.zip'));
  const inputs = join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2');
  const sbom = join(dir, 'python.spdx.json');
  const b = runCli(['build', zip, '-o', sbom, '--source-sbom', join(inputs, 'externals.spdx.json'), '--source-sbom', join(inputs, 'sbom.spdx.json')]);
  assert.notEqual(b.status, 2, b.stderr);
  const doc = JSON.parse(readFileSync(sbom, 'utf8')) as SpdxDocument;
  assert.ok(doc.packages!.some((p) => p.SPDXID === 'SPDXRef-PACKAGE-cpython'), 'CPython conventions applied');
  const { status, result } = verifyJson(zip, sbom);
  assert.equal(status, 0, JSON.stringify(result.findings, null, 2));
  assert.equal(result.checked.rootChecksum, true);
  assert.ok(result.checked.components >= 1, 'OpenSSL is checked');
  assert.match(result.unchecked.join('\n'), /hacl-star .*declared by a source SBOM/);
});

/** A CPython-style Windows SBOM (python/release-tools sbom.py create_sbom_for_windows_artifact): externals, a cpython root, no files. */
function cpythonStyleSbom(artifactSha256: string, artifactName: string, packages: SpdxPackage[]): SpdxDocument {
  const root: SpdxPackage = {
    SPDXID: 'SPDXRef-PACKAGE-cpython',
    name: 'CPython',
    versionInfo: '3.13.0rc2',
    licenseConcluded: 'PSF-2.0',
    originator: 'Organization: Python Software Foundation',
    supplier: 'Organization: Python Software Foundation',
    packageFileName: artifactName,
    externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:python:python:3.13.0rc2:*:*:*:*:*:*:*' }],
    primaryPackagePurpose: 'LIBRARY',
    downloadLocation: `https://www.python.org/ftp/python/3.13.0/${artifactName}`,
    checksums: [{ algorithm: 'SHA256', checksumValue: artifactSha256 }],
  };
  return {
    SPDXID: 'SPDXRef-DOCUMENT',
    spdxVersion: 'SPDX-2.3',
    name: 'CPython SBOM',
    dataLicense: 'CC0-1.0',
    documentNamespace: `https://www.python.org/ftp/python/3.13.0/${artifactName}.spdx.json`,
    creationInfo: { created: '2024-09-06T12:00:00Z', creators: ['Person: Python Release Managers', 'Tool: ReleaseTools-0000000000000000000000000000000000000000'] },
    packages: [root, ...packages.map((p) => ({ ...p, supplier: 'Organization: Python Software Foundation', primaryPackagePurpose: 'LIBRARY' }))],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: root.SPDXID },
      ...packages.map((p) => ({ spdxElementId: root.SPDXID, relationshipType: 'DEPENDS_ON', relatedSpdxElement: p.SPDXID })),
    ],
  };
}

test("verify on a CPython-style metadata-only SBOM checks packages and the artifact hash, and says what it could not check", async (t) => {
  if (!tools(t)) return;
  const dir = await tempDir(t);
  // CPython 3.13.0rc2's externals state OpenSSL 3.0.15; the release around it carries that build.
  const release = buildOpenSslRelease(join(dir, 'release'), '3.0.15', '3 Sep 2024');
  const name = 'python-3.13.0rc2-embed-amd64.zip';
  const zip = zipDirectory(release, join(dir, name));
  const externals = JSON.parse(readFileSync(join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2', 'externals.spdx.json'), 'utf8')) as SpdxDocument;
  const source = JSON.parse(readFileSync(join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2', 'sbom.spdx.json'), 'utf8')) as SpdxDocument;
  const opensslPkg = externals.packages!.find((p) => p.name === 'openssl')!;
  const hacl = { ...source.packages!.find((p) => p.name === 'hacl-star')! };
  hacl.SPDXID = `SPDXRef-PACKAGE-hacl-star-${hacl.versionInfo}`;

  // Only what the artifact can confirm or cannot judge: passes, and lists what it did not check.
  const sbom = join(dir, `${name}.spdx.json`);
  writeFileSync(sbom, JSON.stringify(cpythonStyleSbom(sha256(zip), name, [opensslPkg, hacl])));
  const ok = verifyJson(zip, sbom);
  assert.equal(ok.status, 0, JSON.stringify(ok.result, null, 2));
  assert.equal(ok.result.checked.components, 1);
  assert.equal(ok.result.checked.rootChecksum, true);
  const unchecked = ok.result.unchecked.join('\n');
  assert.match(unchecked, /files: the SBOM lists no files; the artifact's 3 file\(s\) and their hashes were not checked/);
  assert.match(unchecked, /hacl-star .*no detection rule/);
  const text = runCli(['verify', zip, sbom]);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /not checked:\n/);

  // The real externals list as CPython ships it (every external, no files): OpenSSL confirmed,
  // the libraries this artifact does not carry reported, the rest said to be unchecked.
  writeFileSync(sbom, JSON.stringify(cpythonStyleSbom(sha256(zip), name, externals.packages!)));
  const all = verifyJson(zip, sbom);
  assert.equal(all.status, 1);
  const missing = all.result.findings.filter((f) => f.kind === 'component-missing').map((f) => f.subject).sort();
  assert.deepEqual(missing, externals.packages!.map((p) => p.name).filter((n) => n !== 'openssl').sort());
  assert.equal(all.result.findings.some((f) => f.subject === 'openssl'), false, 'OpenSSL 3.0.15 matches by CPE product');
  assert.match(all.result.unchecked.join('\n'), /the SBOM lists no files/);

  // The bare externals.spdx.json (no DESCRIBES, no root): the artifact hash cannot be checked.
  const bare = join(dir, 'externals.spdx.json');
  writeFileSync(bare, JSON.stringify({ ...externals, packages: [opensslPkg] }));
  const b = verifyJson(zip, bare);
  assert.equal(b.status, 0);
  assert.match(b.result.unchecked.join('\n'), /describes no package/);
});

test('diff shows OpenSSL changing version between two releases; Markdown reads like release notes', async (t) => {
  if (!tools(t)) return;
  const dir = await tempDir(t);
  const oldZip = zipDirectory(buildOpenSslRelease(join(dir, 'old'), '3.0.13', '30 Jan 2024'), join(dir, 'app-1.0.zip'));
  const newRelease = buildOpenSslRelease(join(dir, 'new'), '3.0.15', '3 Sep 2024');
  writeFileSync(join(newRelease, 'NEWS.txt'), 'OpenSSL updated\n');
  const newZip = zipDirectory(newRelease, join(dir, 'app-1.1.zip'));
  const a = join(dir, 'old.spdx.json');
  const b = join(dir, 'new.spdx.json');
  build(oldZip, a);
  build(newZip, b);

  const json = runCli(['diff', a, b, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const d = JSON.parse(json.stdout) as SbomDiff;
  assert.deepEqual(d.components.changed, [{ name: 'OpenSSL', from: ['3.0.13'], to: ['3.0.15'] }]);
  assert.deepEqual(d.components.added, []);
  assert.deepEqual(d.files.added, ['NEWS.txt']);
  assert.ok(d.files.changed.some((f) => f.path === 'bin/libcrypto-3-x64.dll'));
  assert.ok(d.files.changed.some((f) => f.path === 'README.txt'));

  const md = runCli(['diff', a, b, '--markdown']);
  assert.equal(md.status, 0);
  assert.match(md.stdout, /^# Changes from app-1\.0\.zip to app-1\.1\.zip\n/);
  assert.match(md.stdout, /^- Updated \*\*OpenSSL\*\* 3\.0\.13 → 3\.0\.15$/m);
  assert.match(md.stdout, /^- `\.\/NEWS\.txt`$/m);
  const text = runCli(['diff', a, b]);
  assert.match(text.stdout, /component changed: OpenSSL: 3\.0\.13 → 3\.0\.15/);

  const same = runCli(['diff', a, a, '--markdown']);
  assert.match(same.stdout, /No component, container or file changed/);
});

test('verify, diff and report: usage errors exit 2, unreadable SBOMs exit 3', async (t) => {
  const dir = await tempDir(t);
  assert.equal(runCli(['verify', 'only-one']).status, 2);
  assert.equal(runCli(['diff', 'a.json']).status, 2);
  assert.equal(runCli(['diff', 'a', 'b', '--json', '--markdown']).status, 2);
  assert.equal(runCli(['report']).status, 2);
  for (const cmd of ['verify', 'diff', 'report']) {
    const r = runCli([cmd, '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, new RegExp(`Usage: installer-sbom ${cmd}`));
  }
  const bad = join(dir, 'bad.spdx.json');
  writeFileSync(bad, '{"not": "spdx"}');
  const r = runCli(['diff', bad, bad]);
  assert.equal(r.status, 3);
  assert.match(r.stderr, /bad\.spdx\.json: not an SBOM this tool reads/);
  writeFileSync(bad, '{ truncated');
  assert.equal(runCli(['verify', dir, bad]).status, 3);
});
