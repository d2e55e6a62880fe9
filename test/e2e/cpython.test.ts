import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, copyFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedDir } from '../helpers/fixtures.js';
import { runCli, spdxSchemaErrors } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';
import { buildSignedCpythonArtifacts, cpythonLayoutTools, readLayout } from '../fixtures-build/cpython-layout.js';
import { makeTestCa } from '../fixtures-build/signing.js';
import type { SpdxDocument, SpdxPackage } from '../../src/serialize/spdx2-types.js';

const inputs = join(sharedDir, 'cpython-sbom-inputs');
const src313 = ['--source-sbom', join(inputs, '3.13.0rc2', 'externals.spdx.json'), '--source-sbom', join(inputs, '3.13.0rc2', 'sbom.spdx.json')];
const src312 = ['--source-sbom', join(inputs, '3.12.6', 'externals.spdx.json'), '--source-sbom', join(inputs, '3.12.6', 'sbom.spdx.json')];
const structure = JSON.parse(readFileSync(join(repoRoot, 'test', 'expected', 'cpython-windows-sbom-structure.json'), 'utf8'));

let work = '';
let msi = '';
let embed = '';
const ready = cpythonLayoutTools.every(hasTool);

before(async () => {
  if (!ready) {
    if (process.env.CI) throw new Error(`missing fixture tools: ${cpythonLayoutTools.join(', ')}`);
    return;
  }
  work = await mkdtemp(join(tmpdir(), 'isbom-cpython-'));
  // The installer and the flat embeddable zip (no Tcl/Tk, no pip), signed as python.org's are.
  const built = await buildSignedCpythonArtifacts(work, makeTestCa(join(work, 'ca')));
  msi = built.msi;
  embed = built.embed!;
});

process.on('exit', () => {
  if (work) void rm(work, { recursive: true, force: true });
});

function json(path: string): SpdxDocument {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function pkg(doc: SpdxDocument, id: string): SpdxPackage {
  const p = doc.packages!.find((x) => x.SPDXID === id);
  assert.ok(p, `package ${id} present`);
  return p;
}

function annotationOf(p: { annotations?: unknown }): string {
  return (p.annotations as { comment: string }[] | undefined)?.map((a) => a.comment).join('\n') ?? '';
}

/** A declared package the artifact does not ship is a document annotation, never a package. */
function declaredAbsent(doc: SpdxDocument, name: string, version: string): string {
  assert.ok(!doc.packages!.some((p) => p.name === name && p.versionInfo === version), `${name} ${version} is not a package`);
  const note = annotationOf(doc).split('\n').find((l) => new RegExp(`^not-(?:shipped|found): ${name} ${version.replace(/\./g, '\\.')} declared by `).test(l));
  assert.ok(note, `${name} ${version} is recorded as declared but absent`);
  return note;
}

test('3.13 MSI built from the 3.13.0rc2 source SBOMs keeps CPython conventions, validates and is deterministic', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const out = join(work, 'a.spdx.json');
  const res = runCli(['build', msi, '-o', out, ...src313, '--gate']);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /gate: passed/);
  const doc = json(out);
  assert.deepEqual(spdxSchemaErrors(doc), []);
  assert.equal(runCli(['validate', out]).status, 0);

  const root = pkg(doc, 'SPDXRef-PACKAGE-cpython');
  assert.equal(root.name, 'CPython');
  assert.equal(root.versionInfo, readLayout().version);
  assert.ok(root.externalRefs!.some((r) => r.referenceLocator === `cpe:2.3:a:python:python:${readLayout().version}:*:*:*:*:*:*:*`));

  // Every external keeps its id and its CPE verbatim; source-tree packages are re-identified.
  const externals = JSON.parse(readFileSync(join(inputs, '3.13.0rc2', 'externals.spdx.json'), 'utf8')).packages as SpdxPackage[];
  for (const e of externals) {
    const p = pkg(doc, e.SPDXID);
    assert.equal(p.versionInfo, e.versionInfo);
    for (const ref of e.externalRefs ?? []) assert.ok(p.externalRefs!.some((r) => r.referenceLocator === ref.referenceLocator), `${e.SPDXID} keeps ${ref.referenceLocator}`);
  }
  // Source-tree packages the artifact ships are re-identified; the fixture has no ctypes/macholib, and
  // its _decimal.pyd is built against the external mpdecimal 4.0.0, not the in-tree 2.5.1.
  for (const id of ['SPDXRef-PACKAGE-expat-2.6.3', 'SPDXRef-PACKAGE-hacl-star-bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0', 'SPDXRef-PACKAGE-libb2-0.98.1']) pkg(doc, id);
  assert.match(declaredAbsent(doc, 'macholib', '1.0'), /^not-shipped: .*none of its modules/);
  assert.match(declaredAbsent(doc, 'mpdecimal', '2.5.1'), /^not-shipped: .*the binaries show the 4\.0\.0 declared by externals\.spdx\.json/);
  for (const p of doc.packages!) assert.ok(p.supplier && p.supplier !== 'NOASSERTION', `${p.SPDXID} has a supplier`);

  // Reconciliation recorded, not copied blindly.
  assert.match(annotationOf(pkg(doc, 'SPDXRef-PACKAGE-openssl')), /^corroborated \(declared 3\.0\.15 by externals\.spdx\.json\): the binaries show 3\.0\.15/);
  // libffi-8.dll carries no version string; its Authenticode program name does.
  const libffi = pkg(doc, 'SPDXRef-PACKAGE-libffi');
  assert.match(annotationOf(libffi), /^corroborated \(declared 3\.4\.4 by externals\.spdx\.json\): the binaries show 3\.4\.4 \(libffi-8\.dll\)$/);
  assert.match(libffi.comment ?? '', /DLLs\/libffi-8\.dll: signature "LibFFI for Python \(libffi-3\.4\.4\)" at Authenticode SpcSpOpusInfo programName → 3\.4\.4/);
  // Every import of a component's library is a DYNAMIC_LINK to that component, and the library file is tied to it.
  const fileId = (path: string) => doc.files!.find((f) => f.fileName === `./${path}`)!.SPDXID;
  const rel = (a: string, type: string, b: string) => doc.relationships!.some((r) => r.spdxElementId === a && r.relationshipType === type && r.relatedSpdxElement === b);
  for (const [importer, id] of [['DLLs/_ctypes.pyd', 'SPDXRef-PACKAGE-libffi'], ['DLLs/_sqlite3.pyd', 'SPDXRef-PACKAGE-sqlite'], ['DLLs/_ssl.pyd', 'SPDXRef-PACKAGE-openssl'], ['DLLs/_tkinter.pyd', 'SPDXRef-PACKAGE-tcl-core'], ['DLLs/_tkinter.pyd', 'SPDXRef-PACKAGE-tk']] as const) {
    assert.ok(rel(fileId(importer), 'DYNAMIC_LINK', id), `${importer} DYNAMIC_LINK ${id}`);
  }
  for (const [id, lib] of [['SPDXRef-PACKAGE-libffi', 'DLLs/libffi-8.dll'], ['SPDXRef-PACKAGE-sqlite', 'DLLs/sqlite3.dll'], ['SPDXRef-PACKAGE-openssl', 'DLLs/libssl-3.dll'], ['SPDXRef-PACKAGE-openssl', 'DLLs/libcrypto-3.dll']] as const) {
    assert.ok(rel(id, 'CONTAINS', fileId(lib)), `${id} CONTAINS ${lib}`);
  }
  // Tcl's extension DLLs, which have no version resource, are dated by their signature too.
  assert.match(pkg(doc, 'SPDXRef-PACKAGE-tcl-core').comment ?? '', /tcl\/dde1\.4\/tcldde14\.dll: signature "Tcl\/Tk for Python \(tcl-core-8\.6\.14\.0\)"/);
  // Normalised CPE beside CPython's four-part one.
  assert.ok(pkg(doc, 'SPDXRef-PACKAGE-sqlite').externalRefs!.some((r) => r.referenceLocator === 'cpe:2.3:a:sqlite:sqlite:3.45.3:*:*:*:*:*:*:*'));
  // What CPython omits and the binaries show.
  assert.ok(doc.packages!.some((p) => p.name === 'Microsoft Visual C++ Runtime' && p.versionInfo === '14.40.33810.0'));
  // pip from the wheel inside the artifact, vendored packages under it.
  const pip = pkg(doc, 'SPDXRef-PACKAGE-pip');
  assert.equal(pip.versionInfo, '24.2');
  assert.ok(doc.relationships!.some((r) => r.spdxElementId === pip.SPDXID && r.relationshipType === 'DEPENDS_ON' && r.relatedSpdxElement === 'SPDXRef-PACKAGE-certifi'));

  const again = join(work, 'b.spdx.json');
  assert.equal(runCli(['build', msi, '-o', again, ...src313]).status, 0);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(again, 'utf8'));
});

test('the document keeps the structure of CPython\'s own Windows SBOM', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const out = join(work, 'structure.spdx.json');
  assert.equal(runCli(['build', msi, '-o', out, ...src313]).status, 0);
  const doc = json(out);
  const d = structure.document;
  for (const k of ['SPDXID', 'spdxVersion', 'dataLicense', 'name']) assert.equal(doc[k], d[k], k);
  assert.match(doc.documentNamespace, new RegExp(d.namespacePattern));
  for (const k of d.creationInfoFields) assert.ok((doc.creationInfo as Record<string, unknown>)[k], `creationInfo.${k}`);
  assert.match(doc.creationInfo.created, new RegExp(d.createdPattern));

  const r = structure.root;
  const root = pkg(doc, r.SPDXID);
  for (const k of ['name', 'supplier', 'originator', 'licenseConcluded']) assert.equal(root[k], r[k], `root ${k}`);
  for (const k of r.requiredFields) assert.ok(root[k] !== undefined, `root ${k}`);
  for (const a of r.checksumAlgorithms) assert.ok(root.checksums!.some((c) => c.algorithm === a));
  assert.ok(root.externalRefs!.some((x) => x.referenceType === 'cpe23Type' && new RegExp(r.cpePattern).test(x.referenceLocator)));
  assert.match(root.downloadLocation, new RegExp(r.downloadLocationPattern));

  const declared = [
    ...(JSON.parse(readFileSync(join(inputs, '3.13.0rc2', 'externals.spdx.json'), 'utf8')).packages as SpdxPackage[]).map((p) => ({ id: p.SPDXID, p })),
    ...(JSON.parse(readFileSync(join(inputs, '3.13.0rc2', 'sbom.spdx.json'), 'utf8')).packages as SpdxPackage[]).map((p) => ({ id: structure.declaredPackage.sourceTreeIdTemplate.replace('{name}', p.name).replace('{version}', p.versionInfo), p })),
  ];
  const dp = structure.declaredPackage;
  for (const { id, p: declaredPkg } of declared) {
    if (!doc.packages!.some((x) => x.SPDXID === id) && structure.relationships.absentDeclarationsAnnotated) {
      declaredAbsent(doc, declaredPkg.name, declaredPkg.versionInfo!);
      continue;
    }
    const p = pkg(doc, id);
    for (const k of ['supplier', 'licenseConcluded', 'primaryPackagePurpose']) assert.equal(p[k], dp[k], `${id} ${k}`);
    for (const k of dp.requiredFields) assert.ok(p[k] !== undefined, `${id} ${k}`);
    if (structure.relationships.rootDependsOnEveryShippedDeclaredPackage) {
      assert.ok(doc.relationships!.some((x) => x.spdxElementId === 'SPDXRef-PACKAGE-cpython' && x.relationshipType === 'DEPENDS_ON' && x.relatedSpdxElement === id), `cpython DEPENDS_ON ${id}`);
    }
  }
  const desc = structure.relationships.describes;
  assert.ok(doc.relationships!.some((x) => x.spdxElementId === desc.from && x.relationshipType === desc.type && x.relatedSpdxElement === desc.to));
  if (structure.relationships.pipDependsOnVendored) assert.ok(doc.relationships!.some((x) => x.spdxElementId === 'SPDXRef-PACKAGE-pip' && x.relationshipType === 'DEPENDS_ON'));
});

test('built against the 3.12.6 inputs, --gate exits 1 and names the Tcl/Tk drift', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const out = join(work, 'gate.spdx.json');
  const res = runCli(['build', msi, '-o', out, ...src312, '--gate']);
  assert.equal(res.status, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /gate: FAILED/);
  assert.match(res.stdout, /version-drift\s+tcl-core\s+8\.6\.13\.0 \(externals\.spdx\.json\)\s+8\.6\.14/);
  assert.match(res.stdout, /version-drift\s+tk\s+8\.6\.13\.0 \(externals\.spdx\.json\)\s+8\.6\.14/);
  assert.match(res.stdout, /version-drift\s+mpdecimal\s+2\.5\.1 \(sbom\.spdx\.json\)\s+4\.0\.0/);
  assert.equal(existsSync(out), false, 'no SBOM unless asked');
  const kept = runCli(['build', msi, '-o', out, ...src312, '--gate', '--write-on-failure', '--json']);
  assert.equal(kept.status, 1);
  const result = JSON.parse(kept.stdout).results[0];
  assert.deepEqual(result.gate.findings.filter((f: { kind: string }) => f.kind === 'version-drift').map((f: { component: string }) => f.component).sort(), ['mpdecimal', 'tcl-core', 'tk']);
  const doc = json(out);
  // One package per copy: the shipped version, with the declared one recorded beside it.
  const tcl = pkg(doc, 'SPDXRef-PACKAGE-tcl-core');
  assert.equal(tcl.versionInfo, '8.6.14');
  assert.match(annotationOf(tcl), /^contradicted \(declared 8\.6\.13\.0 by externals\.spdx\.json\): the binaries show 8\.6\.14/);
  assert.equal(doc.packages!.filter((p) => p.name === 'Tcl' || p.name === 'tcl-core').length, 1);
  assert.deepEqual(spdxSchemaErrors(doc), []);
});

test('embeddable zip: Tcl/Tk declared but not shipped, no pip', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const out = join(work, 'embed.spdx.json');
  const res = runCli(['build', embed, '-o', out, ...src313, '--gate']);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  const doc = json(out);
  assert.match(declaredAbsent(doc, 'tcl-core', '8.6.14.0'), /^not-shipped: .*platform manifest/);
  assert.match(declaredAbsent(doc, 'tk', '8.6.14.0'), /^not-shipped: .*platform manifest/);
  assert.ok(!doc.packages!.some((p) => p.name === 'pip'));
  assert.ok(!doc.relationships!.some((r) => r.relatedSpdxElement === 'SPDXRef-PACKAGE-tcl-core'));
  assert.equal(pkg(doc, 'SPDXRef-PACKAGE-cpython').primaryPackagePurpose, 'ARCHIVE');
});

test('a source-release SBOM with real-world quirks is read tolerantly; its pip is replaced by the shipped wheel', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const out = join(work, 'tgz.spdx.json');
  const res = runCli(['build', msi, '-o', out, '--source-sbom', join(inputs, 'Python-3.12.0.tgz.spdx.json')]);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  const doc = json(out);
  // The declared pip 23.2.1 is contradicted by the wheel shipped: one pip package at 24.2, the declaration beside it.
  const pip = pkg(doc, 'SPDXRef-PACKAGE-pip');
  assert.equal(pip.versionInfo, '24.2');
  assert.match(annotationOf(pip), /^contradicted \(declared 23\.2\.1 by Python-3\.12\.0\.tgz\.spdx\.json\)/);
  assert.ok(!doc.packages!.some((p) => p.SPDXID === 'SPDXRef-PACKAGE-pip-23.2.1' || p.versionInfo === '23.2.1'));
  // A source-tree id names its version, so the expat 2.6.3 shipped does not take `…-expat-2.5.0`.
  assert.ok(!doc.packages!.some((p) => p.SPDXID === 'SPDXRef-PACKAGE-expat-2.5.0'));
  const expat = doc.packages!.filter((p) => p.name === 'expat');
  assert.deepEqual(expat.map((p) => p.versionInfo), ['2.6.3']);
  assert.match(annotationOf(expat[0]!), /^contradicted \(declared 2\.5\.0 by Python-3\.12\.0\.tgz\.spdx\.json\)/);
  assert.deepEqual(spdxSchemaErrors(doc), []);
  assert.ok(doc.creationInfo.created.endsWith('Z') && !doc.creationInfo.created.includes('+'));
});

test('--batch builds every artifact of a release directory', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const rel = join(work, 'release');
  mkdirSync(rel);
  copyFileSync(msi, join(rel, 'python-3.13.0rc2-amd64.msi'));
  copyFileSync(embed, join(rel, 'python-3.13.0rc2-embed-amd64.zip'));
  const res = runCli(['build', '--batch', rel, ...src313, '--json', '--jobs', '2']);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  const results = JSON.parse(res.stdout).results as { artifact: string; output: string; cpythonVersion: string }[];
  assert.equal(results.length, 2);
  for (const r of results) {
    assert.equal(r.cpythonVersion, '3.13.0rc2');
    assert.deepEqual(spdxSchemaErrors(json(r.output)), []);
  }
});
