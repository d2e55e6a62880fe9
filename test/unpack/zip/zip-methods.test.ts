import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { requireFixture, tempDir } from '../../helpers/fixtures.js';
import { debianPython, requireTool, run } from '../../helpers/tools.js';
import { zipOf } from '../../fixtures-build/hostile-archives.js';
import { pseudoRandomBytes } from '../../fixtures-build/msi-cab.js';
import { hashTree } from '../cab/collect.js';
import { clamav } from '../../fixtures-build/real-files.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function ours(zip: string): Promise<Map<string, string>> {
  const res = await walkArtifact(zip, async () => {});
  return new Map(res.files.filter((f) => f.kind === 'file').map((f) => [f.path, f.digests!.sha256]));
}

/** 7-Zip's own extraction (Debian 7zz 26), the oracle for every method. */
async function sevenZipTree(zip: string, dir: string): Promise<Map<string, string>> {
  const out = join(dir, `x-${zip.split('/').pop()}`);
  mkdirSync(out);
  run('7zz', ['x', '-y', `-o${out}`, zip]);
  return hashTree(out);
}

test('zip members in Deflate64, BZip2, LZMA, PPMd, XZ and Zstandard are decoded: bytes equal 7-Zip', { timeout: 180_000 }, async (t) => {
  if (!requireTool(t, '7zz') || !requireTool(t, 'zstd') || !requireTool(t, debianPython)) return;
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(join(src, 'DLLs'), { recursive: true });
  writeFileSync(join(src, 'DLLs', 'big.dat'), pseudoRandomBytes(400_000, 5));
  writeFileSync(join(src, 'readme.txt'), 'Read me.\n'.repeat(100));
  writeFileSync(join(src, 'empty.txt'), '');
  const zips: string[] = [];
  for (const m of ['Deflate64', 'BZip2', 'LZMA', 'PPMd', 'XZ']) {
    const zip = join(dir, `${m}.zip`);
    run('7zz', ['a', '-tzip', `-mm=${m}`, zip, '.'], { cwd: src });
    zips.push(zip);
  }
  // Python's zipfile writes BZip2 and LZMA with its own encoders.
  for (const [name, method] of [['py-bzip2.zip', 'ZIP_BZIP2'], ['py-lzma.zip', 'ZIP_LZMA']] as const) {
    const zip = join(dir, name);
    run(debianPython, ['-c', `import zipfile, sys, os\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.${method}) as z:\n    for root, _, files in os.walk('.'):\n        for f in files: z.write(os.path.join(root, f))`, zip], { cwd: src });
    zips.push(zip);
  }
  // No Debian tool writes Zstandard members; a zstd frame stored as method 93 is what the
  // specification (APPNOTE 6.3.8 §4.4.5) and 7-Zip read.
  const big = readFileSync(join(src, 'DLLs', 'big.dat'));
  writeFileSync(join(dir, 'big.dat'), big);
  run('zstd', ['-q', '-f', join(dir, 'big.dat'), '-o', join(dir, 'big.zst')]);
  const zstdZip = join(dir, 'zstd.zip');
  writeFileSync(zstdZip, zipOf([{ name: 'DLLs/big.dat', data: big, method: 93, compressed: readFileSync(join(dir, 'big.zst')) }, { name: 'plain.txt', data: Buffer.from('plain\n'), method: 8 }]));
  zips.push(zstdZip);
  for (const zip of zips) {
    const want = await sevenZipTree(zip, dir);
    assert.deepEqual([...(await ours(zip))].sort(), [...want].sort(), zip);
  }
});

test("clamav's deflate64, bzip2 and implode zips: clam.exe as 7-Zip extracts it", async (t) => {
  if (!requireTool(t, '7zz')) return;
  const dir = await tempDir(t);
  const exe = requireFixture(t, clamav('clam.exe'));
  if (!exe) return;
  for (const name of ['clam.d64.zip', 'clam.bz2.zip', 'clam.impl.zip', 'clam.zip']) {
    const zip = requireFixture(t, clamav(name));
    if (!zip) return;
    const got = await ours(zip);
    assert.deepEqual([...got.values()], [sha256(readFileSync(exe))], name);
    assert.deepEqual([...got].sort(), [...(await sevenZipTree(zip, dir))].sort(), name);
  }
});

test('a member in a method we cannot decode, or encrypted, is a known unknown with its name, size and CRC; the rest is read', async (t) => {
  const dir = await tempDir(t);
  const payload = Buffer.from('WavPack is not a method for executables.\n');
  const zip = join(dir, 'mixed.zip');
  writeFileSync(zip, zipOf([
    { name: 'audio/sample.wv', data: payload, method: 97, compressed: Buffer.from('opaque wavpack bytes') },
    { name: 'docs/readme.txt', data: Buffer.from('still read\n'), method: 8 },
  ]));
  const res = await walkArtifact(zip, async () => {});
  assert.deepEqual(res.files.map((f) => f.path), ['docs/readme.txt']);
  assert.equal(res.unknowns.length, 1);
  const u = res.unknowns[0]!;
  assert.equal(u.kind, 'unsupported-member');
  assert.equal(u.path, 'audio/sample.wv');
  assert.equal(u.format, 'wavpack');
  const { crc32 } = await import('node:zlib');
  assert.deepEqual(u.declared, { size: String(payload.length), compressedSize: '20', crc32: crc32(payload).toString(16).padStart(8, '0'), method: '97' });

  if (!requireTool(t, '7zz')) return;
  const enc = join(dir, 'enc.zip');
  writeFileSync(join(dir, 'secret.txt'), 'secret\n');
  run('7zz', ['a', '-tzip', '-psecret', enc, 'secret.txt'], { cwd: dir });
  const e = await walkArtifact(enc, async () => {});
  assert.deepEqual(e.files, []);
  assert.deepEqual(e.unknowns.map((x) => [x.kind, x.path, x.format, x.declared?.size]), [['unsupported-member', 'secret.txt', 'encrypted', '7']]);
});
