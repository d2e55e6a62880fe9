import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { BurnReader } from '../../../src/unpack/burn/burn-reader.js';
import { parseBurnManifest } from '../../../src/unpack/burn/burn-manifest.js';
import { walkArtifact, type WalkResult } from '../../../src/unpack/walk.js';
import { repoRoot, tempDir, requireFixture } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { runCli, spdxSchemaErrors } from '../../helpers/cli.js';
import { BUNDLE_ID, BUNDLE_NAME, buildBurnFixture, burnBuildTools, patchSection, zlibDll, type BurnFixture, type BurnFixtureOptions } from '../../fixtures-build/burn.js';
import { hashTree, sorted } from '../cab/collect.js';

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function build(t: TestContext, opts: BurnFixtureOptions = {}): Promise<{ dir: string; fx: BurnFixture } | undefined> {
  for (const tool of burnBuildTools) if (!requireTool(t, tool)) return undefined;
  if (!requireFixture(t, zlibDll)) return undefined;
  const dir = await tempDir(t);
  return { dir, fx: buildBurnFixture(dir, opts) };
}

/** Cuts [offset, offset+size) out of the bundle and unpacks it with cabextract (the oracle). */
function cabextractSlice(bundle: string, offset: number, size: number, out: string): string {
  mkdirSync(out, { recursive: true });
  const cab = `${out}.cab`;
  writeFileSync(cab, readFileSync(bundle).subarray(offset, offset + size));
  run('cabextract', ['-q', '-d', out, cab]);
  return out;
}

async function walk(bundle: string): Promise<WalkResult & { bytes: Map<string, string> }> {
  const bytes = new Map<string, string>();
  const res = await walkArtifact(bundle, async (file, src) => {
    const chunks: Uint8Array[] = [];
    for (let off = 0; off < src.size; off += 1 << 20) chunks.push(await src.read(off, 1 << 20));
    bytes.set(file.path, sha256(Buffer.concat(chunks)));
  });
  return { ...res, bytes };
}

test('Burn → cab → MSI → cab → DLL: every file with its origin chain, bytes equal cabextract + msiextract', async (t) => {
  const b = await build(t);
  if (!b) return;
  const { dir, fx } = b;
  const attached = cabextractSlice(fx.bundle, fx.stubSize + fx.uxSize, fx.attachedSize, join(dir, 'oracle-attached'));
  const ux = cabextractSlice(fx.bundle, fx.stubSize, fx.uxSize, join(dir, 'oracle-ux'));
  const msiOut = join(dir, 'oracle-msi');
  mkdirSync(msiOut);
  run('msiextract', ['-C', msiOut, join(attached, 'a0')]);
  const msiTree = await hashTree(msiOut);

  const res = await walk(fx.bundle);
  // core.msi's members, placed under the payload's manifest name.
  const inMsi = new Map([...res.bytes].filter(([p]) => p.startsWith('core.msi/')).map(([p, h]) => [p.slice('core.msi/'.length), h]));
  assert.deepEqual(sorted(inMsi), sorted(msiTree));
  assert.ok(msiTree.has('DLLs/zlib1.dll'), [...msiTree.keys()].join(' '));
  assert.equal(res.bytes.get('core.msi/DLLs/zlib1.dll'), sha256(readFileSync(zlibDll)));

  const dll = res.files.find((f) => f.path === 'core.msi/DLLs/zlib1.dll')!;
  assert.deepEqual(dll.chain, [BUNDLE_NAME, 'core.msi', 'DLLs/zlib1.dll']);
  assert.equal(dll.container, 'core.msi');

  // Bundle-level payloads: attached a1 under its FilePath, UX u0/u1 under theirs.
  const uxTree = await hashTree(ux);
  assert.equal(res.bytes.get('LICENSE.txt'), (await hashTree(attached)).get('a1'));
  assert.equal(res.bytes.get('PythonBA.dll'), uxTree.get('u0'));
  assert.equal(res.bytes.get('BootstrapperApplicationData.xml'), uxTree.get('u1'));
  // The manifest (`0`) is the reader's input, not a payload.
  assert.ok(!res.files.some((f) => f.path === '0'));

  // core.msi is declared by two chain entries (AllUsers, JustForMe) with the same bytes: listed once.
  assert.deepEqual(res.containers.map((c) => c.key).sort(), ['', 'core.msi']);
  const msi = res.containers.find((c) => c.key === 'core.msi')!;
  assert.equal(msi.info.format, 'msi');
  assert.deepEqual(msi.chain, [BUNDLE_NAME, 'core.msi']);
  assert.equal(msi.digests!.sha256, sha256(readFileSync(join(attached, 'a0'))));
  // Hints from the chain's MsiPackage; the ProductCode must be the MSI's own (msiinfo is the oracle).
  const property = run('msiinfo', ['export', join(attached, 'a0'), 'Property']);
  const productCode = /^ProductCode\t(\S+)/m.exec(property)![1]!;
  assert.equal(msi.hints?.name, 'core_AllUsers');
  assert.equal(msi.hints?.version, '3.99.150.0');
  assert.equal(msi.hints?.properties?.ProductCode, productCode);
  assert.equal(msi.hints?.properties?.Cache, 'yes');
  assert.equal(msi.hints?.properties?.Vital, 'yes');

  const pdb = res.files.find((f) => f.path === 'core_pdb.msi')!;
  assert.equal(pdb.absent, true);
  assert.equal(pdb.size, fx.pdbSize);
  assert.equal(pdb.declared?.['burn.hash'], fx.pdbSha1);
  assert.equal(pdb.declared?.['burn.downloadUrl'], 'https://www.python.org/ftp/python/3.99.0/amd64/core_pdb.msi');
  assert.equal(pdb.declared?.['burn.packageId'], 'core_AllUsers_pdb');
});

test('Burn: the bundle package says what the manifest and the .wixburn section declare', async (t) => {
  const b = await build(t);
  if (!b) return;
  const res = await walk(b.fx.bundle);
  const info = res.root.info;
  assert.equal(info.format, 'burn');
  // Expected values are the fixture's manifest.xml and the GUID the generator wrote.
  assert.equal(info.name, 'Python 3.99.0 (64-bit)');
  assert.equal(info.version, '3.99.150.0');
  assert.equal(info.manufacturer, 'Python Software Foundation');
  assert.equal(info.properties.BundleId, BUNDLE_ID);
  assert.equal(info.properties.UpgradeCode, '{A1B2C3D4-E5F6-4789-ABCD-EF0123456789}');
  assert.equal(info.properties.ProviderKey, 'CPython-3.99');
  assert.equal(info.properties.chain, 'core_AllUsers@3.99.150.0 core_JustForMe@3.99.150.0 core_AllUsers_pdb@3.99.150.0');
  assert.equal(info.properties.stubSize, String(b.fx.stubSize));
  assert.deepEqual(info.warnings, []);
  // WiX 3 manifests carry no engine version, and the stub's VERSIONINFO is the bundle's: no guess.
  const engine = info.findings!.find((f) => f.componentId === 'wix-burn')!;
  assert.equal(engine.version, undefined);
  assert.ok(engine.evidence.some((e) => e.kind === 'container' && e.location.includes(`0x${b.fx.sectionOffset.toString(16)}`)));
});

test('Burn: a WiX 4-style manifest states the engine version (BurnManifest/@EngineVersion)', async (t) => {
  const b = await build(t, {
    name: 'wix4.exe',
    manifest: (xml) =>
      xml
        .replace('xmlns="http://schemas.microsoft.com/wix/2008/Burn"', 'EngineVersion="4.0.5.0" ProtocolVersion="1" Win64="yes" xmlns="http://wixtoolset.org/schemas/v4/2008/Burn"')
        .replace('<Registration Id=', '<Registration Code='),
  });
  if (!b) return;
  const res = await walk(b.fx.bundle);
  const engine = res.root.info.findings!.find((f) => f.componentId === 'wix-burn')!;
  assert.equal(engine.version, '4.0.5.0');
  assert.equal(res.root.info.properties.EngineVersion, '4.0.5.0');
  assert.ok(res.files.some((f) => f.path === 'core.msi/DLLs/zlib1.dll'));
});

test('Burn manifest: namespaces, repeated and single elements parse to the same shape', () => {
  const one = parseBurnManifest(
    '<?xml version="1.0"?><b:BurnManifest xmlns:b="http://schemas.microsoft.com/wix/2008/Burn"><b:Chain><b:ExePackage Id="x" Version="1.10"><b:PayloadRef Id="p"/></b:ExePackage></b:Chain><b:Payload Id="p" FilePath="x.exe" FileSize="10" Packaging="embedded" SourcePath="a0" Container="C"/></b:BurnManifest>',
    ['t'],
  );
  assert.equal(one.packages.length, 1);
  assert.equal(one.packages[0]!.type, 'Exe');
  assert.equal(one.packages[0]!.attributes.Version, '1.10');
  assert.deepEqual(one.packages[0]!.payloadIds, ['p']);
  assert.equal(one.payloads[0]!.fileSize, 10);
  assert.throws(() => parseBurnManifest('<Other/>', ['t']), InputError);
  assert.throws(() => parseBurnManifest('<BurnManifest><Chain></BurnManifest>', ['t']), InputError);
});

test('Burn: canRead needs a .wixburn section; other PEs are left to other readers', async (t) => {
  const b = await build(t);
  if (!b) return;
  const head = readFileSync(b.fx.bundle).subarray(0, 64 * 1024);
  assert.equal(BurnReader.canRead(head, 'x.exe'), true);
  assert.equal(BurnReader.canRead(readFileSync(zlibDll).subarray(0, 64 * 1024), 'zlib1.dll'), false);
});

/** Each corrupt bundle must be refused as an InputError naming it, quickly. */
async function assertRefused(path: string, name: string, pattern: RegExp): Promise<void> {
  await assert.rejects(
    walkArtifact(path, async () => {}),
    (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.chain[0], name);
      assert.match(err.message, pattern);
      return true;
    },
  );
  const res = runCli(['build', path, '-o', `${path}.spdx.json`]);
  assert.equal(res.status, 3, res.stdout + res.stderr);
  assert.match(res.stderr, new RegExp(name.replace(/\./g, '\\.')));
}

test('Burn: truncated, wrong magic, sizes past EOF, overlapping ranges → exit 3 naming the chain', { timeout: 120_000 }, async (t) => {
  const b = await build(t);
  if (!b) return;
  const { dir, fx } = b;
  const bytes = readFileSync(fx.bundle);

  const truncated = join(dir, 'truncated.exe');
  writeFileSync(truncated, bytes.subarray(0, fx.stubSize + fx.uxSize + 1000));
  await assertRefused(truncated, 'truncated.exe', /past the end of the file/);

  const stubOnly = join(dir, 'stub-only.exe');
  writeFileSync(stubOnly, bytes.subarray(0, 0x1000));
  await assertRefused(stubOnly, 'stub-only.exe', /truncated/);

  await assertRefused(patchSection(fx, join(dir, 'magic.exe'), 0, 0xdeadbeef), 'magic.exe', /magic/);
  await assertRefused(patchSection(fx, join(dir, 'version.exe'), 4, 3), 'version.exe', /version 3/);
  await assertRefused(patchSection(fx, join(dir, 'past-eof.exe'), 52, 0x7fff0000), 'past-eof.exe', /past the end of the file/);
  await assertRefused(patchSection(fx, join(dir, 'count.exe'), 44, 100_000), 'count.exe', /containers/);
  // The UX container placed inside the stub's own sections.
  await assertRefused(patchSection(fx, join(dir, 'overlap-stub.exe'), 24, fx.sectionOffset), 'overlap-stub.exe', /overlap/);
  // An "original signature" inside the UX container would make the attached container overlap it.
  await assertRefused(patchSection(fx, join(dir, 'overlap-sig.exe'), 32, fx.stubSize + 16), 'overlap-sig.exe', /original signature/);
  // The UX size pointing into the attached cabinet: the UX slice is no longer a whole cabinet.
  await assertRefused(patchSection(fx, join(dir, 'ux-size.exe'), 48, 100), 'ux-size.exe', /cabinet|truncated|UX/i);
});

test('Burn: a UX container whose manifest is not XML → exit 3', async (t) => {
  const b = await build(t, { name: 'badxml.exe', manifest: () => '<BurnManifest><Chain><MsiPackage Id="x"></Chain>' });
  if (!b) return;
  await assertRefused(b.fx.bundle, 'badxml.exe', /BurnManifest is not well-formed XML/);
  const c = await build(t, { name: 'notxml.exe', manifest: () => 'MZ this is not a manifest at all' });
  if (!c) return;
  await assertRefused(c.fx.bundle, 'notxml.exe', /BurnManifest/);
});

test('Burn end to end: schema-valid SBOM, zlib under core.msi with the container packages between', { timeout: 120_000 }, async (t) => {
  const b = await build(t);
  if (!b) return;
  const out = join(b.dir, 'bundle.spdx.json');
  const res = runCli(['build', b.fx.bundle, '-o', out]);
  assert.equal(res.status, 0, res.stdout + res.stderr);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as {
    packages: { SPDXID: string; name: string; versionInfo?: string; packageFileName?: string }[];
    files: { SPDXID: string; fileName: string }[];
    relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  };
  assert.deepEqual(spdxSchemaErrors(doc), []);
  const rel = (a: string, type: string, b: string): boolean => doc.relationships.some((r) => r.spdxElementId === a && r.relationshipType === type && r.relatedSpdxElement === b);
  const root = doc.relationships.find((r) => r.relationshipType === 'DESCRIBES')!.relatedSpdxElement;
  const msi = doc.packages.find((p) => p.packageFileName === 'core.msi')!;
  const dll = doc.files.find((f) => f.fileName === './core.msi/DLLs/zlib1.dll')!;
  const zlib = doc.packages.find((p) => p.name === 'zlib')!;
  assert.ok(msi && dll && zlib, JSON.stringify(doc.packages.map((p) => p.name)));
  // libz-mingw-w64's zlib1.dll is zlib 1.2.13 (the Debian package version, the oracle).
  assert.equal(zlib.versionInfo, '1.2.13');
  assert.ok(rel(root, 'CONTAINS', msi.SPDXID), 'root CONTAINS core.msi');
  assert.ok(rel(msi.SPDXID, 'CONTAINS', dll.SPDXID), 'core.msi CONTAINS DLLs/zlib1.dll');
  assert.ok(rel(zlib.SPDXID, 'CONTAINS', dll.SPDXID), 'zlib is made of zlib1.dll');
  const burn = doc.packages.find((p) => p.name === 'WiX Toolset Burn engine')!;
  assert.equal(burn.versionInfo, 'NOASSERTION');
  // The downloaded core_pdb.msi is not a file of the SBOM (it is not in the artifact).
  assert.ok(!doc.files.some((f) => f.fileName.includes('core_pdb')));
});

test('Burn web installer: an attached container that is not in the file is an absent known unknown, the UX container is read', async (t) => {
  const b = await build(t);
  if (!b) return;
  const { dir, fx } = b;
  // The file ends where the attached container would start: what a web installer's bundle is.
  const web = join(dir, 'python-3.99.0-amd64-webinstall.exe');
  writeFileSync(web, readFileSync(fx.bundle).subarray(0, fx.stubSize + fx.uxSize));
  const res = await walk(web);
  assert.equal(res.root.info.format, 'burn');
  assert.equal(res.root.info.name, 'Python 3.99.0 (64-bit)');
  const present = res.files.filter((f) => !f.absent).map((f) => f.path).sort();
  assert.deepEqual(present, ['BootstrapperApplicationData.xml', 'PythonBA.dll']);
  assert.deepEqual(res.files.filter((f) => f.absent).map((f) => f.path).sort(), ['LICENSE.txt', 'core.msi', 'core_pdb.msi']);
  const container = res.unknowns.find((u) => u.format === 'cab');
  assert.equal(container?.kind, 'absent');
  assert.equal(container?.path, '');
  assert.equal(container?.declared?.size, String(fx.attachedSize));
  const payloads = res.unknowns.filter((u) => u.format === 'burn-payload');
  assert.deepEqual(payloads.map((u) => [u.kind, u.path]).sort(), [['absent', 'LICENSE.txt'], ['absent', 'core.msi'], ['absent', 'core_pdb.msi']]);
  assert.match(payloads.find((u) => u.path === 'core.msi')!.reason, /WixAttachedContainer .* is not in the file/);
  assert.match(payloads.find((u) => u.path === 'core_pdb.msi')!.reason, /downloaded at install time from https:\/\/www\.python\.org/);

  // A container that starts inside the file but is cut short is still a truncated file.
  const cut = join(dir, 'cut.exe');
  writeFileSync(cut, readFileSync(fx.bundle).subarray(0, fx.stubSize + fx.uxSize + 100));
  await assertRefused(cut, 'cut.exe', /past the end of the file/);
});

test('the bare Burn engine (burn.exe, no containers) is reported as the engine, versioned from its VERSIONINFO', async (t) => {
  for (const tool of ['x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres']) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const src = join(repoRoot, 'fixtures', 'src', 'burn');
  run('x86_64-w64-mingw32-windres', ['-O', 'coff', '-i', join(src, 'engine.rc'), '-o', join(dir, 'engine-res.o')]);
  const exe = join(dir, 'burn.exe');
  run('x86_64-w64-mingw32-gcc', ['-s', '-O2', '-mwindows', '-o', exe, join(src, 'stub.c'), join(dir, 'engine-res.o')]);
  const res = await walk(exe);
  assert.equal(res.root.info.format, 'burn');
  assert.equal(res.root.info.properties.engineOnly, 'yes');
  assert.deepEqual(res.files, []);
  const finding = res.root.info.findings?.[0];
  assert.equal(finding?.componentId, 'wix-burn');
  assert.equal(finding?.version, '3.14.1.8722');
  assert.ok(finding?.evidence.some((e) => /0 containers/.test(e.text)));
  const cli = runCli(['build', exe, '-o', join(dir, 'burn.spdx.json')]);
  assert.notEqual(cli.status, 3, cli.stderr);
});
