import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { describeFormat } from '../../../src/unpack/registry.js';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { tempDir } from '../../helpers/fixtures.js';
import { debianPython, requireTool, run } from '../../helpers/tools.js';
import { collect, sorted, testContext, treeOfDir, treeOfEntries } from '../../fixtures-build/pkg-harness.js';
import { pseudoRandomBytes } from '../../fixtures-build/msi-cab.js';

/** Names that need each extension: > 100 bytes (ustar prefix / GNU L / pax path), UTF-8, a link. */
function sampleTree(root: string): void {
  const deep = join(root, 'lib', 'python3.13', 'site-packages', 'a-very-long-package-name-that-goes-on', 'and-on-and-on-past-one-hundred-bytes');
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'module_with_a_long_name_as_well.py'), 'print("deep")\n');
  writeFileSync(join(root, 'lib', 'caf\u00e9 \u00fcber.txt'), 'accented\n');
  writeFileSync(join(root, 'big.bin'), pseudoRandomBytes(300_000, 11));
  writeFileSync(join(root, 'empty'), '');
  symlinkSync('big.bin', join(root, 'link-to-big'));
  symlinkSync('../../outside/of/the/archive', join(root, 'lib', 'escaping-link'));
  linkSync(join(root, 'big.bin'), join(root, 'hard-link'));
  mkdirSync(join(root, 'empty-dir'));
}

async function readerTree(t: TestContext, path: string, format: string): Promise<Map<string, string>> {
  const ctx = testContext(t, {}, [path.split('/').pop()!]);
  const c = await describeFormat(format)!.reader!.open(await FileByteSource.open(path), ctx);
  try {
    return await treeOfEntries(await collect(c));
  } finally {
    await c.close();
  }
}

/** GNU tar's own extraction, with hard links shown as the file they share. */
function extracted(dir: string, archive: string, name: string): Map<string, string> {
  const out = join(dir, `x-${name}`);
  mkdirSync(out);
  run('tar', ['-xf', archive, '-C', out]);
  return treeOfDir(out);
}

test('tar (ustar, GNU, pax; gzip, xz, bzip2, zstd): members and bytes equal what GNU tar extracts', { timeout: 180_000 }, async (t) => {
  for (const tool of ['tar', 'gzip', 'xz', 'bzip2', 'zstd']) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(src);
  sampleTree(src);
  for (const fmt of ['gnu', 'pax', 'ustar']) {
    const tar = join(dir, `a-${fmt}.tar`);
    // ustar cannot hold a 160-byte name component chain beyond 255 bytes; ours fit prefix/name.
    run('tar', ['--format', fmt, '-cf', tar, '-C', src, '.']);
    const want = extracted(dir, tar, fmt);
    assert.deepEqual(sorted(await readerTree(t, tar, 'tar')), sorted(want), fmt);
  }
  const base = join(dir, 'a-pax.tar');
  const want = extracted(dir, base, 'base');
  for (const [ext, format, args] of [
    ['tar.gz', 'gzip', ['-z']],
    ['tar.xz', 'xz', ['-J']],
    ['tar.bz2', 'bzip2', ['-j']],
    ['tar.zst', 'zstd', ['--zstd']],
  ] as const) {
    const archive = join(dir, `a.${ext}`);
    run('tar', ['--format', 'pax', ...args, '-cf', archive, '-C', src, '.']);
    assert.deepEqual(sorted(await readerTree(t, archive, format)), sorted(want), ext);
  }
});

test('tar listing agrees with python tarfile and bsdtar: names, types, link targets recorded, not followed', async (t) => {
  if (!requireTool(t, 'tar') || !requireTool(t, 'bsdtar') || !requireTool(t, debianPython)) return;
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(src);
  sampleTree(src);
  const tar = join(dir, 'a.tar');
  run('tar', ['--format', 'gnu', '-cf', tar, '-C', src, '.']);
  const listing = JSON.parse(run(debianPython, ['-c', `
import tarfile, sys, json
out = {}
for m in tarfile.open(sys.argv[1]):
    name = m.name[2:] if m.name.startswith('./') else m.name
    if name in ('', '.'): continue
    out[name] = ['dir' if m.isdir() else 'sym:' + m.linkname if m.issym() else 'hard' if m.islnk() else 'file:%d' % m.size]
print(json.dumps(out))
`, tar])) as Record<string, [string]>;
  const res = await walkArtifact(tar, async () => {});
  const ours: Record<string, [string]> = {};
  for (const f of res.files) ours[f.path] = [f.kind === 'symlink' ? `sym:${f.linkTarget}` : f.kind === 'hardlink' ? 'hard' : `file:${f.size}`];
  const files = Object.fromEntries(Object.entries(listing).filter(([, [k]]) => k !== 'dir'));
  assert.deepEqual(ours, files);
  assert.equal(res.files.find((f) => f.path === 'lib/escaping-link')?.linkTarget, '../../outside/of/the/archive');
  const bsd = run('bsdtar', ['-tf', tar]).split('\n').filter((l) => l !== '' && !l.endsWith('/')).map((l) => l.replace(/^\.\//, '')).filter((l) => l !== '.');
  assert.deepEqual(Object.keys(ours).sort(), bsd.sort());
  assert.equal(res.root.info.format, 'tar');
  assert.equal(res.root.info.properties.tarFormat, 'gnu');
});

test('a single compressed file (not an archive) is one member named from the stream or the file', async (t) => {
  for (const tool of ['gzip', 'xz', 'bzip2', 'zstd']) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const data = pseudoRandomBytes(50_000, 3);
  writeFileSync(join(dir, 'python313.dll'), data);
  run('gzip', ['-k', '-n', join(dir, 'python313.dll')]);
  run('xz', ['-k', join(dir, 'python313.dll')]);
  run('bzip2', ['-k', join(dir, 'python313.dll')]);
  run('zstd', ['-q', '-k', join(dir, 'python313.dll')]);
  for (const ext of ['gz', 'xz', 'bz2', 'zst']) {
    const res = await walkArtifact(join(dir, `python313.dll.${ext}`), async () => {});
    assert.deepEqual(res.files.map((f) => [f.path, f.size]), [['python313.dll', data.length]], ext);
    assert.equal(res.root.info.properties.content, 'file');
  }
  // gzip records the original name (without -n): that name wins.
  writeFileSync(join(dir, 'orig.txt'), 'hello\n');
  run('gzip', [join(dir, 'orig.txt')]);
  const { renameSync } = await import('node:fs');
  renameSync(join(dir, 'orig.txt.gz'), join(dir, 'renamed.gz'));
  assert.deepEqual((await walkArtifact(join(dir, 'renamed.gz'), async () => {})).files.map((f) => f.path), ['orig.txt']);
});

test('corrupt tar input is refused in one line: bad checksum, truncated member, hostile names', async (t) => {
  if (!requireTool(t, 'tar')) return;
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'a.txt'), 'a'.repeat(3000));
  writeFileSync(join(src, 'b.txt'), 'b'.repeat(10));
  const tar = join(dir, 'a.tar');
  run('tar', ['--format', 'ustar', '-cf', tar, '-C', src, 'a.txt', 'b.txt']);
  const bytes = readFileSync(tar);
  const expectRefused = async (name: string, content: Buffer, pattern: RegExp): Promise<void> => {
    writeFileSync(join(dir, name), content);
    await assert.rejects(walkArtifact(join(dir, name), async () => {}), (err: unknown) => {
      assert.ok(err instanceof InputError, String(err));
      assert.equal(err.chain[0], name);
      assert.match(err.message, pattern);
      assert.ok(!err.describe().includes('\n'));
      return true;
    });
  };
  const badSum = Buffer.from(bytes);
  badSum[0] = 0x41;
  await expectRefused('checksum.tar', badSum, /checksum/);
  await expectRefused('truncated.tar', bytes.subarray(0, 512 + 1000), /truncated/);
  const second = Buffer.from(bytes);
  second[512 * 7 + 10] ^= 0xff;
  await expectRefused('second-header.tar', second, /checksum/);

  // A name climbing out of the archive, written by hand (GNU tar strips `..`).
  const header = Buffer.alloc(512);
  header.write('../../etc/passwd', 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write('00000000005\0', 124);
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\u000000', 257, 'latin1');
  header.write('        ', 148);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  const data = Buffer.alloc(512);
  data.write('root\n');
  await expectRefused('escape.tar', Buffer.concat([header, data, Buffer.alloc(1024)]), /escapes/);
});
