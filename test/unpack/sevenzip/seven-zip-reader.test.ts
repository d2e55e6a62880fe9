import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { pseudoRandomBytes } from '../../fixtures-build/msi-cab.js';
import { clamav } from '../../fixtures-build/real-files.js';
import { hashTree } from '../cab/collect.js';

test('7z (solid LZMA2, non-solid, BZip2, PPMd): members and bytes equal what 7zz extracts; links recorded', { timeout: 120_000 }, async (t) => {
  if (!requireTool(t, '7zz')) return;
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(join(src, 'Lib', 'deep'), { recursive: true });
  writeFileSync(join(src, 'Lib', 'deep', 'big.bin'), pseudoRandomBytes(500_000, 2));
  writeFileSync(join(src, 'Lib', 'os.py'), 'import sys\n'.repeat(100));
  writeFileSync(join(src, 'empty.txt'), '');
  mkdirSync(join(src, 'empty-dir'));
  symlinkSync('Lib/os.py', join(src, 'os-link'));
  for (const args of [['-ms=on'], ['-ms=off'], ['-m0=BZip2'], ['-m0=PPMd']]) {
    const archive = join(dir, `a${args[0]}.7z`);
    run('7zz', ['a', '-snl', ...args, archive, '.'], { cwd: src });
    const out = join(dir, `x${args[0]}`);
    mkdirSync(out);
    run('7zz', ['x', '-snl', `-o${out}`, archive]);
    const res = await walkArtifact(archive, async () => {});
    const files = new Map(res.files.filter((f) => f.kind === 'file').map((f) => [f.path, f.digests!.sha256]));
    const want = await hashTree(out);
    want.delete('os-link');
    assert.deepEqual([...files].sort(), [...want].sort(), args.join(' '));
    assert.deepEqual(res.files.filter((f) => f.kind === 'symlink').map((f) => [f.path, f.linkTarget]), [['os-link', 'Lib/os.py']]);
  }
});

test("clamav's clam.7z holds clam.exe", async (t) => {
  const archive = requireFixture(t, clamav('clam.7z'));
  const exe = requireFixture(t, clamav('clam.exe'));
  if (!archive || !exe) return;
  const res = await walkArtifact(archive, async () => {});
  const { createHash } = await import('node:crypto');
  assert.deepEqual(res.files.map((f) => [f.path, f.digests?.sha256]), [['clam.exe', createHash('sha256').update(readFileSync(exe)).digest('hex')]]);
  assert.equal(res.root.info.format, '7z');
});

test('encrypted 7z members are known unknowns; corrupt and truncated 7z are refused in one line', async (t) => {
  if (!requireTool(t, '7zz')) return;
  const dir = await tempDir(t);
  writeFileSync(join(dir, 'secret.txt'), 'secret\n'.repeat(100));
  run('7zz', ['a', '-psecret', '-mhe=off', join(dir, 'enc.7z'), 'secret.txt'], { cwd: dir });
  const enc = await walkArtifact(join(dir, 'enc.7z'), async () => {});
  assert.deepEqual(enc.files, []);
  assert.deepEqual(enc.unknowns.map((u) => [u.kind, u.path, u.format]), [['unsupported-member', 'secret.txt', 'encrypted']]);

  writeFileSync(join(dir, 'data.bin'), pseudoRandomBytes(200_000, 4));
  run('7zz', ['a', join(dir, 'ok.7z'), 'data.bin'], { cwd: dir });
  const bytes = readFileSync(join(dir, 'ok.7z'));
  const flipped = Buffer.from(bytes);
  flipped[bytes.length >> 1] ^= 0xff;
  for (const [name, content] of [['truncated.7z', bytes.subarray(0, bytes.length >> 1)], ['flipped.7z', flipped]] as const) {
    writeFileSync(join(dir, name), content);
    await assert.rejects(walkArtifact(join(dir, name), async () => {}), (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.chain[0], name);
      assert.ok(!err.describe().includes('\n'), err.describe());
      return true;
    });
  }
});

test('SZDD, binary cpio and bzip2 from clamav: the file inside equals clam.exe', async (t) => {
  const exe = requireFixture(t, clamav('clam.exe'));
  if (!exe) return;
  const { createHash } = await import('node:crypto');
  const want = createHash('sha256').update(readFileSync(exe)).digest('hex');
  for (const [name, format] of [['clam.exe.szdd', 'szdd'], ['clam.bin-le.cpio', 'cpio'], ['clam.bin-be.cpio', 'cpio'], ['clam.exe.bz2', 'bzip2'], ['clam.tar.gz', 'gzip']] as const) {
    const path = requireFixture(t, clamav(name));
    if (!path) return;
    const res = await walkArtifact(path, async () => {});
    assert.equal(res.root.info.format, format, name);
    assert.deepEqual(res.files.map((f) => f.digests?.sha256), [want], name);
  }
  assert.deepEqual((await walkArtifact(clamav('clam.exe.szdd'), async () => {})).files.map((f) => f.path), ['clam.exe']);
  // compress.exe -r names: the last character of CLAM.EX_ is kept at byte 9 of the header.
  const dir = await tempDir(t);
  const szdd = readFileSync(clamav('clam.exe.szdd'));
  writeFileSync(join(dir, 'CLAM.EX_'), szdd);
  assert.deepEqual((await walkArtifact(join(dir, 'CLAM.EX_'), async () => {})).files.map((f) => f.path), ['CLAM.EX_']);
  szdd[9] = 0x45;
  writeFileSync(join(dir, 'NAMED.EX_'), szdd);
  assert.deepEqual((await walkArtifact(join(dir, 'NAMED.EX_'), async () => {})).files.map((f) => f.path), ['NAMED.EXE']);
});
