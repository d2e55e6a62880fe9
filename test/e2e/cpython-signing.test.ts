/**
 * Code signing end to end on a CPython-shaped installer whose binaries are signed the way
 * python.org's are (the PSF for CPython and the third-party DLLs it builds, Microsoft for the MSVC
 * runtime), under a test CA made here: who signed what reaches the SBOM and the report, program
 * names date what has no version resource, and the release gate holds the artifact to the
 * manifest's signers.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';
import { buildSignedCpythonArtifacts, cpythonLayoutTools, type CpythonLayout } from '../fixtures-build/cpython-layout.js';
import { makeTestCa, type TestCa } from '../fixtures-build/signing.js';
import type { SpdxDocument } from '../../src/serialize/spdx2-types.js';

const ready = cpythonLayoutTools.every(hasTool);
let work = '';
let ca: TestCa;
let faithful = '';

before(async () => {
  if (!ready) {
    if (process.env.CI) throw new Error(`missing fixture tools: ${cpythonLayoutTools.join(', ')}`);
    return;
  }
  work = await mkdtemp(join(tmpdir(), 'isbom-signing-'));
  ca = makeTestCa(join(work, 'ca'), 'installer-sbom Test Code Signing Root');
  faithful = (await buildSignedCpythonArtifacts(join(work, 'faithful'), ca, { embed: false })).msi;
});

process.on('exit', () => {
  if (work) void rm(work, { recursive: true, force: true });
});

/** A variant of the layout: `change` rewrites the files it names. */
function variant(change: (f: CpythonLayout['files'][number]) => CpythonLayout['files'][number]): (l: CpythonLayout) => CpythonLayout {
  return (l) => ({ ...l, files: l.files.map(change) });
}

function gateJson(msi: string): { passed: boolean; findings: { kind: string; component: string; expected?: string; found?: string }[] } {
  const res = runCli(['build', msi, '-o', `${msi}.spdx.json`, '--gate', '--write-on-failure', '--json']);
  assert.ok(res.status === 0 || res.status === 1, res.stderr);
  return JSON.parse(res.stdout).results[0].gate;
}

test('the faithful installer passes the gate; its signers are in the SBOM and in the report', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const gate = gateJson(faithful);
  assert.deepEqual(gate.findings, []);
  assert.equal(gate.passed, true);
  const doc = JSON.parse(readFileSync(`${faithful}.spdx.json`, 'utf8')) as SpdxDocument;
  const file = (p: string) => doc.files!.find((f) => f.fileName === `./${p}`)!;
  assert.match(file('python313.dll').comment ?? '', /^Signature: authenticode signature by Python Software Foundation; valid-digest; sha256/m);
  assert.match(file('vcruntime140.dll').comment ?? '', /^Signature: authenticode signature by Microsoft Corporation; valid-digest/m);
  assert.match(file('DLLs/libffi-8.dll').comment ?? '', /program "LibFFI for Python \(libffi-3\.4\.4\)"/);
  const md = runCli(['report', faithful, '--markdown']);
  assert.equal(md.status, 0, md.stderr);
  assert.match(md.stdout, /Python Software Foundation/);
  const html = runCli(['report', faithful]);
  assert.match(html.stdout, /<h2 id="signatures">Signatures<\/h2>/);
  assert.match(html.stdout, /Microsoft Corporation/);
});

test('an unsigned python313.dll fails the gate', async (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const { msi } = await buildSignedCpythonArtifacts(join(work, 'unsigned'), ca, {
    embed: false,
    adjust: variant((f) => (f.path === 'python313.dll' ? { ...f, signer: undefined } : f)),
  });
  const gate = gateJson(msi);
  assert.equal(gate.passed, false);
  assert.deepEqual(gate.findings.map((f) => [f.kind, f.component, f.found]), [['unsigned', 'python313.dll', 'unsigned']]);
});

test('a binary signed by someone the manifest does not name fails the gate; diff shows the signer change', async (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const { msi } = await buildSignedCpythonArtifacts(join(work, 'wrong-signer'), ca, {
    embed: false,
    adjust: variant((f) => (f.path === 'DLLs/_ssl.pyd' ? { ...f, signer: 'Example Mallory Ltd' } : f)),
  });
  const gate = gateJson(msi);
  assert.deepEqual(gate.findings.map((f) => [f.kind, f.component, f.found]), [['unexpected-signer', 'DLLs/_ssl.pyd', 'Example Mallory Ltd']]);
  gateJson(faithful);
  const diff = runCli(['diff', `${faithful}.spdx.json`, `${msi}.spdx.json`, '--json']);
  assert.equal(diff.status, 0, diff.stderr);
  assert.deepEqual(JSON.parse(diff.stdout).signers.changed, [{ path: 'DLLs/_ssl.pyd', from: 'Python Software Foundation (valid-digest)', to: 'Example Mallory Ltd (valid-digest)' }]);
});

test('verify treats a signer the SBOM misstates as a difference', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const sbom = join(work, 'misstated.spdx.json');
  assert.equal(runCli(['build', faithful, '-o', sbom]).status, 0);
  const doc = JSON.parse(readFileSync(sbom, 'utf8')) as SpdxDocument;
  const file = doc.files!.find((f) => f.fileName === './python313.dll')!;
  file.comment = file.comment!.replace('signature by Python Software Foundation;', 'signature by Somebody Else;');
  writeFileSync(sbom, JSON.stringify(doc));
  const res = runCli(['verify', faithful, sbom, '--json']);
  assert.equal(res.status, 1, res.stderr);
  const findings = JSON.parse(res.stdout).findings as { kind: string; subject: string; stated: string; found: string }[];
  assert.deepEqual(findings.map((f) => [f.kind, f.subject, f.stated, f.found]), [['file-signature-differs', 'python313.dll', 'Somebody Else (valid-digest)', 'Python Software Foundation (valid-digest)']]);
});

test('a binary changed after it was signed fails the gate whatever the manifest says', async (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const { msi } = await buildSignedCpythonArtifacts(join(work, 'modified'), ca, {
    embed: false,
    afterSigning: (stage) => {
      // One byte of the marks in .rdata, outside the certificate table.
      const path = join(stage, 'DLLs', '_decimal.pyd');
      const bytes = readFileSync(path);
      const at = bytes.indexOf('__libmpdec_version__');
      bytes[at] = bytes[at]! ^ 0x20;
      writeFileSync(path, bytes);
    },
  });
  const gate = gateJson(msi);
  assert.deepEqual(gate.findings.map((f) => [f.kind, f.component]), [['signature-broken', 'DLLs/_decimal.pyd']]);
  assert.match(gate.findings[0]!.found!, /^authenticode modified-after-signing/);
});

test("Tcl's extension DLLs, which have no version resource, are dated by their Authenticode program name", async (t) => {
  if (!ready) return t.skip('fixture tools missing');
  // python.org 3.13.3's Tcl/Tk: 8.6.15, signed "Tcl/Tk for Python (tcl-core-8.6.15.0)".
  const to8615 = (s: string) => s.replace('8.6.14', '8.6.15');
  const { msi } = await buildSignedCpythonArtifacts(join(work, 'tcl-8.6.15'), ca, {
    embed: false,
    adjust: variant((f) => ({
      ...f,
      ...(f.strings ? { strings: f.strings.map(to8615) } : {}),
      ...(f.versionInfo ? { versionInfo: Object.fromEntries(Object.entries(f.versionInfo).map(([k, v]) => [k, to8615(v)])) } : {}),
      ...(f.programName ? { programName: to8615(f.programName) } : {}),
    })),
  });
  const out = `${msi}.spdx.json`;
  assert.equal(runCli(['build', msi, '-o', out]).status, 0);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as SpdxDocument;
  const tcl = doc.packages!.filter((p) => p.name === 'Tcl');
  assert.deepEqual(tcl.map((p) => p.versionInfo), ['8.6.15']);
  for (const dll of ['tcl/dde1.4/tcldde14.dll', 'tcl/reg1.3/tclreg13.dll']) {
    assert.match(tcl[0]!.comment ?? '', new RegExp(`${dll.replace(/[./]/g, '\\$&')}: signature "Tcl/Tk for Python \\(tcl-core-8\\.6\\.15\\.0\\)" at Authenticode SpcSpOpusInfo programName → 8\\.6\\.15`));
  }
  const libffi = doc.packages!.find((p) => p.name === 'libffi')!;
  assert.equal(libffi.versionInfo, '3.4.4');
});
