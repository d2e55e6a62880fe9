import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { BufferByteSource } from '../../../src/io/byte-source.js';
import { XarReader } from '../../../src/unpack/xar/xar-reader.js';
import { xarOf } from '../../fixtures-build/pkg-fixtures.js';
import { collect, sorted, testContext, treeOfDir, treeOfEntries } from '../../fixtures-build/pkg-harness.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';

async function buildXar(t: TestContext, options: string[]): Promise<{ dir: string; xar: Buffer; path: string }> {
  const dir = await tempDir(t);
  const s = join(dir, 'stage');
  mkdirSync(join(s, 'Tool.pkg', 'Resources'), { recursive: true });
  writeFileSync(join(s, 'Distribution'), '<installer-gui-script/>\n');
  writeFileSync(join(s, 'Tool.pkg', 'Payload'), randomBytes(70_000));
  writeFileSync(join(s, 'Tool.pkg', 'Resources', 'zeros'), Buffer.alloc(300_000));
  linkSync(join(s, 'Tool.pkg', 'Resources', 'zeros'), join(s, 'Tool.pkg', 'Resources', 'zeros-again'));
  symlinkSync('Resources/zeros', join(s, 'Tool.pkg', 'link'));
  const path = xarOf(s, ['Distribution', 'Tool.pkg'], join(dir, 'x.xar'), options);
  return { dir, xar: readFileSync(path), path };
}

const heapStart = (xar: Buffer): number => xar.readUInt16BE(4) + Number(xar.readBigUInt64BE(8));

for (const options of [
  ['xar:compression=gzip'],
  ['xar:compression=none'],
  ['xar:compression=xz'],
  ['xar:compression=gzip', 'xar:toc-checksum=md5'],
  ['xar:compression=none', 'xar:toc-checksum=none'],
]) {
  test(`xar ${options.join(' ')}: listing and bytes equal bsdtar's`, async (t) => {
    if (!requireTool(t, 'bsdtar')) return;
    const { dir, xar, path } = await buildXar(t, options);
    const listed = run('bsdtar', ['-tf', path]).split('\n').filter(Boolean).map((l) => l.replace(/\/$/, ''));
    execFileSync('sh', ['-c', `mkdir -p out && bsdtar -xf "${path}" -C out`], { cwd: dir });
    assert.ok(XarReader.canRead(xar.subarray(0, 64), 'x.xar'));
    const c = await XarReader.open(new BufferByteSource(xar), testContext(t));
    const entries = await collect(c);
    assert.deepEqual(entries.map((e) => e.path).sort(), [...listed].sort());
    assert.deepEqual(sorted(await treeOfEntries(entries)), sorted(treeOfDir(join(dir, 'out'))));
    const expected = options.find((o) => o.startsWith('xar:toc-checksum='))?.split('=')[1] ?? 'sha1';
    assert.equal(c.info.properties.tocChecksum, expected);
  });
}

test('xar listing equals 7zz l', async (t) => {
  if (!requireTool(t, 'bsdtar') || !requireTool(t, '7zz')) return;
  const { xar, path } = await buildXar(t, ['xar:compression=gzip']);
  const slt = run('7zz', ['l', '-slt', path]);
  const names = [...slt.matchAll(/^Path = (.*)$/gm)].map((m) => m[1]!).filter((p) => p !== path && p !== '[TOC].xml');
  const entries = await collect(await XarReader.open(new BufferByteSource(xar), testContext(t)));
  assert.deepEqual(entries.map((e) => e.path).sort(), names.sort());
});

test('xar bzip2 members are reported as an unsupported encoding', async (t) => {
  if (!requireTool(t, 'bsdtar')) return;
  const { xar } = await buildXar(t, ['xar:compression=bzip2']);
  const entries = await collect(await XarReader.open(new BufferByteSource(xar), testContext(t)));
  const dist = entries.find((e) => e.path === 'Distribution')!;
  await assert.rejects(dist.open(), (e: unknown) => e instanceof InputError && /application\/x-bzip2/.test(e.message) && /Distribution/.test(e.message));
});

test('hostile xar: TOC bytes, TOC checksum, truncation, heap offsets, member checksums', async (t) => {
  if (!requireTool(t, 'bsdtar')) return;
  const { xar, dir } = await buildXar(t, ['xar:compression=none']);
  const hs = heapStart(xar);
  const ctx = testContext(t);
  const open = (b: Buffer) => XarReader.open(new BufferByteSource(b), ctx);

  const flippedToc = Buffer.from(xar);
  flippedToc[28 + 40] ^= 0x55;
  await assert.rejects(open(flippedToc), InputError, 'a flipped TOC byte');

  const wrongSum = Buffer.from(xar);
  wrongSum[hs] ^= 0xff;
  await assert.rejects(open(wrongSum), (e: unknown) => e instanceof InputError && /TOC checksum mismatch/.test(e.message));

  await assert.rejects(open(xar.subarray(0, 28 + 10)), /truncated/, 'truncated TOC');
  await assert.rejects(open(xar.subarray(0, 20)), InputError, 'truncated header');
  await assert.rejects(open(xar.subarray(0, hs + 20)), /past the end/, 'heap offsets past the end');

  const smallHeader = Buffer.from(xar);
  smallHeader.writeUInt16BE(20, 4);
  await assert.rejects(open(smallHeader), /header size/);

  const hugeToc = Buffer.from(xar);
  hugeToc.writeBigUInt64BE(1n << 40n, 16);
  await assert.rejects(open(hugeToc), /maxMetadataBytes/);

  // A flipped byte inside the stored Payload member: its archived checksum must catch it.
  const payload = readFileSync(join(dir, 'stage', 'Tool.pkg', 'Payload'));
  const at = xar.indexOf(payload.subarray(0, 64), hs);
  assert.ok(at > hs);
  const flippedData = Buffer.from(xar);
  flippedData[at + 1000] ^= 0x01;
  const entries = await collect(await open(flippedData));
  const results = await Promise.allSettled(entries.filter((e) => e.kind === 'file').map((e) => e.open()));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  assert.equal(failed.length, 1);
  assert.match(String(failed[0]!.reason.message), /Tool\.pkg\/Payload: archived sha1 checksum mismatch/);
});
