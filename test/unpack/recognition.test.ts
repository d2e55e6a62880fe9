import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { walkArtifact, type WalkResult } from '../../src/unpack/walk.js';
import { requireFixture, tempDir } from '../helpers/fixtures.js';
import { clamav, gcabTest, win32Loader } from '../fixtures-build/real-files.js';
import { requireTool, run } from '../helpers/tools.js';
import { runCli } from '../helpers/cli.js';
import { buildCabFixtures, buildMsiFixtures } from '../fixtures-build/msi-cab.js';
import { buildNsisFixtures } from '../fixtures-build/nsis.js';
import { burnBuildTools, buildBurnFixture } from '../fixtures-build/burn.js';
import { pkgSeeds } from '../fixtures-build/fuzz-seeds.js';

const walk = (path: string): Promise<WalkResult> => walkArtifact(path, async () => {});

/** The cut-off file must be refused as corrupt input naming it, never read as a plain file. */
async function assertCorrupt(t: TestContext, path: string, name: string): Promise<void> {
  await assert.rejects(walk(path), (err: unknown) => {
    assert.ok(err instanceof InputError, `${name}: ${String(err)}`);
    assert.equal(err.chain[0], name);
    return true;
  }, name);
  void t;
}

function cut(dir: string, from: string, name: string, length: number): string {
  const out = join(dir, name);
  writeFileSync(out, readFileSync(from).subarray(0, length));
  return out;
}

test('truncated MSI, cabinet, pkg, Burn bundle and NSIS installer are corrupt input, not plain files', { timeout: 300_000 }, async (t) => {
  for (const tool of ['wixl', 'gcab', 'bsdtar', 'cpio', 'makensis', ...burnBuildTools]) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const msi = buildMsiFixtures(dir).nested;
  const msiSize = readFileSync(msi).length;
  for (const len of [30_000, Math.floor(msiSize / 2), msiSize - 1000, 600]) {
    await assertCorrupt(t, cut(dir, msi, `cut-${len}.msi`, len), `cut-${len}.msi`);
  }
  const cab = buildCabFixtures(dir).mszip;
  const cabSize = readFileSync(cab).length;
  for (const len of [20, 100, Math.floor(cabSize / 2), cabSize - 10]) {
    await assertCorrupt(t, cut(dir, cab, `cut-${len}.cab`, len), `cut-${len}.cab`);
  }
  const pkgSeed = pkgSeeds(dir)[0]!;
  writeFileSync(join(dir, 'whole.pkg'), pkgSeed.bytes);
  await assertCorrupt(t, cut(dir, join(dir, 'whole.pkg'), 'cut.pkg', Math.floor(pkgSeed.bytes.length / 2)), 'cut.pkg');
  const burn = buildBurnFixture(dir);
  await assertCorrupt(t, cut(dir, burn.bundle, 'cut-burn.exe', burn.stubSize + Math.floor(burn.uxSize / 2)), 'cut-burn.exe');
  const nsis = buildNsisFixtures(dir).installers.zlib;
  await assertCorrupt(t, cut(dir, nsis, 'cut-nsis.exe', Math.floor(readFileSync(nsis).length * 0.8)), 'cut-nsis.exe');

  const res = runCli(['build', join(dir, 'cut-30000.msi'), '-o', join(dir, 'cut.spdx.json')]);
  assert.equal(res.status, 3, res.stderr);
  assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  assert.match(res.stderr, /cut-30000\.msi/);
  assert.ok(!existsSync(join(dir, 'cut.spdx.json')));
});

test('a file named like a format it is not is read as a plain file, with a warning', async (t) => {
  const dir = await tempDir(t);
  for (const name of ['notes.msi', 'notes.cab', 'notes.tar.gz', 'notes.7z', 'notes.pkg']) {
    writeFileSync(join(dir, name), 'This is a text file, not an installer.\n'.repeat(40));
    const res = await walk(join(dir, name));
    assert.equal(res.root.info.format, 'file');
    assert.equal(res.files.length, 1);
    assert.equal(res.files[0]!.warnings?.length, 1, name);
    assert.match(res.files[0]!.warnings![0]!, /named like a .* but its bytes are not one/);
    assert.deepEqual(res.warnings.map((w) => w.path), [name]);
  }
  // A name that claims nothing earns nothing.
  writeFileSync(join(dir, 'notes.txt'), 'text\n');
  assert.deepEqual((await walk(join(dir, 'notes.txt'))).warnings, []);
});

test('a Word document (a compound file that is not an MSI) stays a plain file', async (t) => {
  const doc = requireFixture(t, clamav('clam.ole.doc'));
  if (!doc) return;
  const res = await walk(doc);
  assert.equal(res.root.info.format, 'file');
  assert.deepEqual(res.warnings, []);
  assert.deepEqual(res.unknowns, []);
});

test("libgcab's CVE test cabinets are refused as corrupt, never read as plain files", async (t) => {
  if (!requireTool(t, 'cabextract')) return;
  for (const name of ['CVE-2014-9556.cab', 'CVE-2014-9732.cab', 'CVE-2015-4470.cab', 'CVE-2015-4471.cab', 'test-ncbytes-overflow.cab']) {
    const path = requireFixture(t, gcabTest(name));
    if (!path) return;
    await assertCorrupt(t, path, name);
  }
  // The good ones list what cabextract lists.
  for (const name of ['test-none.cab', 'test-mszip.cab', 'test-signed.cab']) {
    const path = gcabTest(name);
    const want = run('cabextract', ['-l', path]).split('\n').filter((l) => l.includes(' | ')).slice(1).map((l) => l.split(' | ')[2]!.trim()).sort();
    const got = (await walk(path)).files.map((f) => f.path).sort();
    assert.deepEqual(got, want, name);
  }
});

test('a cabinet whose format version is not 1.3 is read, with a warning', async (t) => {
  if (!requireTool(t, 'gcab')) return;
  const dir = await tempDir(t);
  const cab = buildCabFixtures(dir).stored;
  const bytes = readFileSync(cab);
  bytes[24] = 0x81;
  bytes[25] = 3;
  writeFileSync(join(dir, 'v3.cab'), bytes);
  const res = await walk(join(dir, 'v3.cab'));
  assert.equal(res.root.info.format, 'cab');
  assert.equal(res.root.info.properties.version, '3.129');
  assert.ok(res.files.length >= 4);
  assert.ok(res.warnings.some((w) => /version 3\.129 is not 1\.3/.test(w.message)));
});

test('an InstallShield cabinet header that does not parse is corrupt input, not a plain file', async (t) => {
  const dir = await tempDir(t);
  // "ISc(" and nonsense after it: the magic says InstallShield cabinet, so a failed parse is an error.
  writeFileSync(join(dir, 'data1.hdr'), Buffer.concat([Buffer.from('ISc('), Buffer.alloc(508, 1)]));
  await assertCorrupt(t, join(dir, 'data1.hdr'), 'data1.hdr');
});

test('a file continued from another cabinet of a set is listed as absent and is a known unknown', async (t) => {
  if (!requireTool(t, 'gcab')) return;
  const dir = await tempDir(t);
  const cab = buildCabFixtures(dir).stored;
  const bytes = readFileSync(cab);
  const firstFile = bytes.readUInt32LE(16);
  bytes.writeUInt16LE(0xfffd, firstFile + 8);
  writeFileSync(join(dir, 'disk2.cab'), bytes);
  const res = await walk(join(dir, 'disk2.cab'));
  const absent = res.files.filter((f) => f.absent);
  assert.equal(absent.length, 1);
  assert.deepEqual(res.unknowns.map((u) => [u.kind, u.path, u.format]), [['absent', absent[0]!.path, 'cab']]);
  assert.match(res.unknowns[0]!.reason, /continued from the previous cabinet/);
});

test("Debian's win32-loader (a real NSIS 3 installer): every member 7-Zip lists is listed and hashed", async (t) => {
  if (!requireTool(t, '7zz')) return;
  const exe = requireFixture(t, win32Loader);
  if (!exe) return;
  const listed = run('7zz', ['l', '-slt', exe]).split('\n').filter((l) => l.startsWith('Path = ')).map((l) => l.slice(7)).slice(1);
  const res = await walk(exe);
  assert.equal(res.root.info.format, 'nsis');
  const ours = new Set(res.files.map((f) => f.path));
  for (const p of listed) assert.ok(ours.has(p) || res.containers.some((c) => c.key === p), p);
  assert.ok(res.files.every((f) => f.digests !== undefined || f.kind !== 'file'));
});
