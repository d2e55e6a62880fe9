import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { NsisReader } from '../../../src/unpack/nsis/nsis-reader.js';
import { parseSltListing } from '../../../src/unpack/sevenzip/seven-zip.js';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { runCli } from '../../helpers/cli.js';
import { buildNsisFixtures, nsisBuildTools, NSIS_COMPRESSORS, zlibDll, type NsisFixtures, type NsisVariant } from '../../fixtures-build/nsis.js';
import { collect, hashTree, makeContext, sorted } from '../cab/collect.js';

async function build(t: TestContext): Promise<{ dir: string; fx: NsisFixtures } | undefined> {
  for (const tool of nsisBuildTools) if (!requireTool(t, tool)) return undefined;
  if (!requireFixture(t, zlibDll)) return undefined;
  const dir = await tempDir(t);
  return { dir, fx: buildNsisFixtures(dir) };
}

/** Debian's native 7zz: `l -slt` (archive properties and member paths) and `x` (bytes) are the oracle. */
function oracle(exe: string, out: string): { archive: Record<string, string>; paths: string[] } {
  const listing = parseSltListing(run('7zz', ['l', '-slt', '-tNsis', exe]));
  mkdirSync(out, { recursive: true });
  run('7zz', ['x', '-y', '-tNsis', `-o${out}`, exe]);
  return { archive: listing.archive, paths: listing.entries.map((e) => e.Path!).sort() };
}

test('NSIS (zlib, bzip2, solid LZMA): paths and bytes equal Debian 7zz', { timeout: 180_000 }, async (t) => {
  const b = await build(t);
  if (!b) return;
  for (const variant of Object.keys(NSIS_COMPRESSORS) as NsisVariant[]) {
    const exe = b.fx.installers[variant];
    const want = oracle(exe, join(b.dir, `oracle-${variant}`));
    const got = await collect(NsisReader, exe, b.dir);
    assert.deepEqual(got.entries.map((e) => e.path).sort(), want.paths, variant);
    assert.deepEqual(sorted(got.hashes), sorted(await hashTree(join(b.dir, `oracle-${variant}`))), variant);
    // The real DLL comes out byte for byte under $INSTDIR's layout.
    assert.equal(got.hashes.get('DLLs/zlib1.dll'), (await hashTree(join(zlibDll, '..'))).get('zlib1.dll'));
    assert.ok(got.entries.some((e) => e.path === '$PLUGINSDIR/helper.ini'));

    const info = got.info;
    assert.equal(info.format, 'nsis');
    assert.equal(info.properties.subType, want.archive.SubType, variant);
    assert.equal(info.properties.method, want.archive.Method, variant);
    assert.equal(info.properties.stubSize, want.archive['Embedded Stub Size'], variant);
    assert.equal(info.properties.solid, want.archive.Solid === '+' ? 'yes' : 'no');
    // VIAddVersionKey values from fixtures/src/nsis/installer.nsi.
    assert.equal(info.name, 'Demo App');
    assert.equal(info.version, '2.5.1');
    assert.equal(info.manufacturer, 'Example Fixtures Ltd');
    assert.deepEqual(info.warnings, []);
  }
});

test('NSIS: the stub is a component whose version is makensis\'s own', async (t) => {
  const b = await build(t);
  if (!b) return;
  const got = await collect(NsisReader, b.fx.installers.zlib, b.dir);
  const finding = got.info.findings!.find((f) => f.componentId === 'nsis')!;
  // makensis prints its release (`v3.08-3+deb12u1` on Debian): the oracle for the stub's.
  const expected = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(run('makensis', ['-VERSION']).trim())![1];
  assert.equal(finding.version, expected);
  assert.ok(finding.evidence.some((e) => e.kind === 'container' && e.location === `firstheader at 0x${Number(got.info.properties.firstHeaderOffset).toString(16)}`));
  assert.ok(finding.evidence.some((e) => e.text === `SubType = ${got.info.properties.subType}`));
});

test('NSIS: probe accepts installers and leaves ordinary PEs alone', async (t) => {
  const b = await build(t);
  if (!b) return;
  const probe = async (path: string): Promise<boolean> => {
    const src = await FileByteSource.open(path);
    try {
      return await NsisReader.probe!(src, makeContext(b.dir));
    } finally {
      await src.close();
    }
  };
  assert.equal(await probe(b.fx.installers['lzma-solid']), true);
  assert.equal(await probe(zlibDll), false);
});

test('NSIS through the walker: the generated uninstaller is an installer too', { timeout: 120_000 }, async (t) => {
  const b = await build(t);
  if (!b) return;
  const res = await walkArtifact(b.fx.installers.bzip2, async () => {});
  const uninst = res.containers.find((c) => c.key === 'uninstall.exe')!;
  assert.equal(uninst.info.format, 'nsis');
  assert.equal(uninst.info.properties.uninstaller, 'yes');
  const dll = res.files.find((f) => f.path === 'DLLs/zlib1.dll')!;
  assert.deepEqual(dll.chain, ['demo-bzip2.exe', 'DLLs/zlib1.dll']);
});

test('NSIS: truncated or corrupt installers → InputError / exit 3 naming the file, no hang', { timeout: 180_000 }, async (t) => {
  const b = await build(t);
  if (!b) return;
  const cases: [string, Buffer][] = [];
  for (const variant of ['zlib', 'lzma-solid'] as const) {
    const bytes = readFileSync(b.fx.installers[variant]);
    const stub = Number(oracle(b.fx.installers[variant], join(b.dir, `o2-${variant}`)).archive['Embedded Stub Size']);
    cases.push([`truncated-${variant}.exe`, bytes.subarray(0, stub + Math.floor((bytes.length - stub) / 2))]);
    const corrupt = Buffer.from(bytes);
    // Overwrite the compressed header block just after the firstheader.
    corrupt.fill(0x5a, stub + 28, stub + 28 + 2048);
    cases.push([`corrupt-${variant}.exe`, corrupt]);
    const middle = Buffer.from(bytes);
    // Damage inside the compressed file data: listing works, extraction hits a data error.
    const at = stub + Math.floor((bytes.length - stub) / 2);
    middle.fill(0xa5, at, at + 4096);
    cases.push([`data-${variant}.exe`, middle]);
  }
  for (const [name, bytes] of cases) {
    const path = join(b.dir, name);
    writeFileSync(path, bytes);
    await assert.rejects(walkArtifact(path, async () => {}), (err: unknown) => {
      assert.ok(err instanceof InputError, `${name}: ${String(err)}`);
      assert.equal(err.chain[0], name);
      return true;
    });
    const res = runCli(['build', path, '-o', `${path}.spdx.json`]);
    assert.equal(res.status, 3, `${name}: ${res.stdout}${res.stderr}`);
    assert.match(res.stderr, new RegExp(name.replace(/\./g, '\\.')));
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
  }
});
