import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, spdxSchemaErrors } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';
import { llvmTool } from '../fixtures-build/macho.js';
import { buildMacFramework, buildMacPkg, cpythonMacosTools, readMacLayout } from '../fixtures-build/cpython-macos.js';
import type { SpdxDocument, SpdxPackage } from '../../src/serialize/spdx2-types.js';
import { MANIFEST_DIR } from '../../src/gate/manifest.js';
import { makeTestCa, signingTools, signXar } from '../fixtures-build/signing.js';

const spec = readMacLayout();
const ready = cpythonMacosTools.every(hasTool) && llvmTool('llvm-lipo') !== undefined;
let work = '';
const pkgs: Record<string, string> = {};

before(async () => {
  if (!ready) {
    if (process.env.CI) throw new Error('missing clang/bsdtar/llvm-lipo');
    return;
  }
  work = await mkdtemp(join(tmpdir(), 'isbom-macos-'));
  // Both Tcl/Tk layouts: the 3.13+ private frameworks (pbzx payload) and lib/libtcl8.6.dylib (gzip).
  pkgs['framework'] = buildMacPkg(work, buildMacFramework(work, 'framework'), `python-${spec.version}-macos11`, 'pbzx', spec.version);
  pkgs['lib'] = buildMacPkg(work, buildMacFramework(work, 'lib'), `python-${spec.version}-lib-macos11`, 'gzip', spec.version);
});

process.on('exit', () => {
  if (work) void rm(work, { recursive: true, force: true });
});

const NAMES: Record<string, string> = { cpython: 'CPython', openssl: 'OpenSSL', tcl: 'Tcl', tk: 'Tk', sqlite: 'SQLite', xz: 'xz', ncurses: 'ncurses', mpdecimal: 'mpdecimal', expat: 'expat' };

for (const layout of ['framework', 'lib'] as const) {
  test(`CPython-shaped .pkg (${layout} Tcl/Tk layout): components with evidence, packages, installed paths`, (t) => {
    if (!ready) return t.skip('fixture tools missing');
    const out = join(work, `${layout}.spdx.json`);
    const res = runCli(['build', pkgs[layout]!, '-o', out, '--json']);
    assert.equal(res.status, 0, res.stdout + res.stderr);
    const result = JSON.parse(res.stdout).results[0] as { cpythonVersion: string; components: { name: string; version: string; files: string[] }[] };
    for (const [id, version] of Object.entries(spec.expected)) {
      // CPython is the artifact itself (the root package), not one of its components.
      if (id === 'cpython') {
        assert.equal(result.cpythonVersion, version);
        continue;
      }
      const found = result.components.filter((c) => c.name === NAMES[id]).map((c) => c.version);
      assert.ok(found.includes(version), `${id} ${version} found (got ${found.join(', ') || 'nothing'})`);
      assert.ok(found.every((v) => v === version || v === 'NOASSERTION'), `${id}: no wrong version (${found.join(', ')})`);
    }
    const doc = JSON.parse(readFileSync(out, 'utf8')) as SpdxDocument;
    assert.deepEqual(spdxSchemaErrors(doc), []);
    assert.equal(runCli(['validate', out]).status, 0);
    // Component package = SPDX package with its identifier and version; files at installed paths.
    const payload = doc.packages!.find((p) => p.name === 'org.python.Python.PythonFramework-3.13') as SpdxPackage;
    assert.ok(payload, 'Python_Framework.pkg payload is a package');
    assert.equal(payload.versionInfo, spec.version);
    assert.ok(doc.files!.some((f) => f.fileName === './Python_Framework.pkg/Library/Frameworks/Python.framework/Versions/3.13/lib/libssl.3.dylib'));
    assert.ok(doc.relationships!.some((r) => r.relationshipType === 'CONTAINS' && r.spdxElementId === 'SPDXRef-PACKAGE-cpython' && r.relatedSpdxElement === payload.SPDXID));
    const root = doc.packages!.find((p) => p.SPDXID === 'SPDXRef-PACKAGE-cpython')!;
    assert.match(JSON.stringify(root.annotations), /corroborated by the binaries: CPython 3\.13\.0/);
    // One OpenSSL: libssl.3.dylib carries no version but loads libcrypto.3.dylib, which does (same build).
    const openssls = doc.packages!.filter((p) => p.name === 'OpenSSL');
    assert.deepEqual(openssls.map((p) => p.versionInfo), ['3.0.15']);
    const openssl = openssls[0]!;
    const fileId = (suffix: string) => doc.files!.find((f) => f.fileName.endsWith(suffix))!.SPDXID;
    for (const lib of ['lib/libcrypto.3.dylib', 'lib/libssl.3.dylib']) {
      assert.ok(doc.relationships!.some((r) => r.spdxElementId === openssl.SPDXID && r.relationshipType === 'CONTAINS' && r.relatedSpdxElement === fileId(lib)), `OpenSSL CONTAINS ${lib}`);
    }
    assert.ok(!openssl.externalRefs!.some((r) => r.referenceLocator.includes(':*:*:*:*:*:*:*:*')), 'no wildcard CPE');
    // Universal binaries: the evidence notes both architectures.
    assert.match(openssl.comment ?? '', /Architectures: arm64, x86_64/);
    // Metadata is evidence, never a link: no Info.plist STATIC_LINKs anything.
    const plists = new Set(doc.files!.filter((f) => f.fileName.endsWith('Info.plist')).map((f) => f.SPDXID));
    assert.ok(!doc.relationships!.some((r) => plists.has(r.spdxElementId) && r.relationshipType !== 'CONTAINS'), 'Info.plist links nothing');
    if (layout === 'framework') {
      const tk = doc.packages!.find((p) => p.name === 'Tk')!;
      assert.match(tk.comment ?? '', /plist "8\.6\.14" at Info\.plist CFBundleShortVersionString/, 'binary Info.plist read');
    }
  });
}

test('the macOS manifest gate holds for the framework layout, the installer signed by the PSF', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  if (!signingTools.every(hasTool)) {
    if (process.env.CI) throw new Error(`missing ${signingTools.join(', ')}`);
    return t.skip('signing tools missing');
  }
  // productsign's TOC signature, by a Developer ID Installer certificate of the test CA.
  const ca = makeTestCa(join(work, 'ca'));
  mkdirSync(join(work, 'signed'), { recursive: true });
  const signed = join(work, 'signed', `python-${spec.version}-macos11.pkg`);
  signXar(pkgs['framework']!, signed, { ca, commonName: 'Developer ID Installer: Python Software Foundation (TEST)' });
  // Debian has no tool that writes a Developer ID code signature into a Mach-O, so this fixture's
  // binaries are ad hoc at most: the shipped manifest's Mach-O rule is relaxed here, its rule for
  // the installer's own signature kept.
  const shipped = JSON.parse(readFileSync(join(MANIFEST_DIR, 'cpython-3.13-macos.json'), 'utf8'));
  for (const a of shipped.artifacts) a.signing.allowUnsigned = ['**'];
  const manifest = join(work, 'macos-manifest.json');
  writeFileSync(manifest, JSON.stringify(shipped));
  const res = runCli(['build', signed, '-o', join(work, 'gate.spdx.json'), '--gate', '--manifest', manifest]);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /manifest: CPython 3\.13 macos installer universal2/);
  assert.match(res.stdout, /gate: passed/);
  // The shipped manifest, Mach-O rule and all, holds the ad-hoc binaries to the PSF's Developer ID.
  const strict = runCli(['build', signed, '-o', join(work, 'strict.spdx.json'), '--gate']);
  assert.equal(strict.status, 1);
  assert.match(strict.stdout, /unsigned .*ad hoc \(no signer\)/);
  // An unsigned installer fails the rule for the installer itself.
  const unsigned = runCli(['build', pkgs['framework']!, '-o', join(work, 'unsigned.spdx.json'), '--gate', '--manifest', manifest]);
  assert.equal(unsigned.status, 1);
  assert.match(unsigned.stdout, /unsigned\s+python-3\.13\.0-macos11\.pkg/);
});
