import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { BufferByteSource, type Backing } from '../../../src/io/byte-source.js';
import { eachChunk } from '../../../src/parallel/byte-jobs.js';
import { pbzxDecodedChunks } from '../../../src/unpack/pbzx/pbzx-decoder.js';
import { PbzxReader } from '../../../src/unpack/pbzx/pbzx-reader.js';
import { XzChunkPool } from '../../../src/unpack/pbzx/xz-chunk-pool.js';
import { cpioExtract, cpioOf, pbzxOf } from '../../fixtures-build/pkg-fixtures.js';
import { collect, openAndList, sorted, testContext, treeOfDir, treeOfEntries } from '../../fixtures-build/pkg-harness.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool } from '../../helpers/tools.js';

async function payloadTree(t: import('node:test').TestContext): Promise<{ dir: string; cpio: Buffer }> {
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(join(src, 'Versions', '3.13', 'lib'), { recursive: true });
  // Incompressible and compressible members, so chunks split mid-file and both kinds occur.
  writeFileSync(join(src, 'Versions', '3.13', 'lib', 'random.bin'), randomBytes(300_000));
  writeFileSync(join(src, 'Versions', '3.13', 'lib', 'zeros.bin'), Buffer.alloc(500_000));
  writeFileSync(join(src, 'Versions', '3.13', 'README'), 'framework\n');
  symlinkSync('3.13', join(src, 'Versions', 'Current'));
  return { dir, cpio: cpioOf(src, 'odc') };
}

for (const [label, chunk, raw] of [
  ['64 KiB xz chunks with a stored chunk', 64 * 1024, [1]],
  ['4 MiB chunk (pbzx.c flag bit 24 unset)', 4 << 20, []],
  ['16 MiB chunk', 16 << 20, []],
] as const) {
  test(`pbzx, ${label}: members equal what cpio -i extracts from the framed cpio`, async (t) => {
    if (!requireTool(t, 'cpio') || !requireTool(t, 'xz')) return;
    const { dir, cpio } = await payloadTree(t);
    cpioExtract(cpio, join(dir, 'out'));
    const pbzx = pbzxOf(cpio, chunk, [...raw]);
    assert.ok(PbzxReader.canRead(pbzx.subarray(0, 64), 'Payload'));
    const c = await PbzxReader.open(new BufferByteSource(pbzx), testContext(t));
    assert.equal(c.info.format, 'pbzx');
    assert.equal(c.info.properties.decodedSize, String(cpio.length));
    assert.deepEqual(sorted(await treeOfEntries(await collect(c))), sorted(treeOfDir(join(dir, 'out'))));
    await c.close();
  });
}

function frame(decoded: number, stored: Buffer | number, data?: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeBigUInt64BE(BigInt(decoded), 0);
  h.writeBigUInt64BE(BigInt(typeof stored === 'number' ? stored : stored.length), 8);
  return Buffer.concat([h, data ?? (typeof stored === 'number' ? Buffer.alloc(0) : stored)]);
}
const head = Buffer.concat([Buffer.from('pbzx'), Buffer.alloc(8)]);

test('hostile pbzx: oversized, truncated, wrong-length and non-xz chunks', async (t) => {
  if (!requireTool(t, 'xz') || !requireTool(t, 'cpio')) return;
  const ctx = testContext(t);
  const { cpio } = await payloadTree(t);
  const good = pbzxOf(cpio, 64 * 1024);
  const cases: [string, Buffer][] = [
    ['chunk length past 64 MiB', Buffer.concat([head, frame(1 << 30, 100, Buffer.alloc(100))])],
    ['truncated chunk header', Buffer.concat([head, Buffer.alloc(7)])],
    ['truncated chunk data', good.subarray(0, good.length - 10)],
    ['stored bytes that are not xz', Buffer.concat([head, frame(200, Buffer.alloc(100, 1))])],
    ['xz chunk shorter than declared', (() => {
      const b = Buffer.from(good);
      b.writeBigUInt64BE(BigInt(64 * 1024 + 1), 12);
      return b;
    })()],
    ['decoded bytes that are not cpio', Buffer.concat([head, frame(9, Buffer.from('not cpio!'))])],
  ];
  for (const [what, bytes] of cases) {
    await assert.rejects(openAndList(PbzxReader.open(new BufferByteSource(bytes), ctx)), InputError, what);
  }
});

test('pbzx holding an Apple Archive is reported as unsupported', async (t) => {
  const aa = Buffer.concat([Buffer.from('AA01'), Buffer.alloc(60)]);
  await assert.rejects(
    PbzxReader.open(new BufferByteSource(Buffer.concat([head, frame(aa.length, aa)])), testContext(t)),
    (e: unknown) => e instanceof InputError && e.message === 'Apple Archive payloads are not supported',
  );
});

test('pbzx: decoding stops at the total-bytes limit', async (t) => {
  if (!requireTool(t, 'xz') || !requireTool(t, 'cpio')) return;
  const { cpio } = await payloadTree(t);
  const ctx = testContext(t, { maxTotalBytes: 100_000 });
  await assert.rejects(openAndList(PbzxReader.open(new BufferByteSource(pbzxOf(cpio, 64 * 1024)), ctx)), /maxTotalBytes/);
});

/** Offsets of each chunk's data in a pbzx stream, from its framing. */
function chunkDataOffsets(pbzx: Buffer): number[] {
  const out: number[] = [];
  for (let off = 12; off < pbzx.length; off += 16 + Number(pbzx.readBigUInt64BE(off + 8))) out.push(off + 16);
  return out;
}

test('pbzx: chunks decoded on worker threads come back whole and in order', async (t) => {
  if (!requireTool(t, 'xz')) return;
  // 12 chunks with distinct contents, so a reordering or a dropped chunk changes the bytes.
  const data = Buffer.concat(Array.from({ length: 12 }, (_, i) => Buffer.concat([randomBytes(20_000), Buffer.alloc(44_000, i)])));
  const pbzx = pbzxOf(data, 64_000, [5]);
  const got: Buffer[] = [];
  for await (const c of pbzxDecodedChunks(new BufferByteSource(pbzx), ['Payload'])) got.push(Buffer.from(c));
  assert.equal(got.length, 12);
  assert.ok(Buffer.concat(got).equals(data));
  // Their memory is not carried past the stream: the decoders are ended (and restarted on demand).
  assert.equal(XzChunkPool.get().workers, 0);
  const again: Buffer[] = [];
  for await (const c of pbzxDecodedChunks(new BufferByteSource(pbzx), ['Payload'])) again.push(Buffer.from(c));
  assert.ok(Buffer.concat(again).equals(data));
});

test('pbzx: a corrupt chunk fails in its turn, after the bytes of the chunks before it', async (t) => {
  if (!requireTool(t, 'xz')) return;
  const data = Buffer.concat(Array.from({ length: 8 }, (_, i) => Buffer.concat([randomBytes(30_000), Buffer.alloc(34_000, i)])));
  const pbzx = pbzxOf(data, 64_000);
  const offs = chunkDataOffsets(pbzx);
  // Inside chunk 3's LZMA2 data: xz-embedded reports a CRC or data error.
  pbzx[offs[3]! + 200] ^= 0xff;
  const got: Buffer[] = [];
  await assert.rejects(
    (async () => {
      for await (const c of pbzxDecodedChunks(new BufferByteSource(pbzx), ['a.pkg', 'Payload'])) got.push(Buffer.from(c));
    })(),
    (e: unknown) => e instanceof InputError && e.offset === offs[3] && e.chain.join('/') === 'a.pkg/Payload' && /corrupt xz data/.test(e.message),
  );
  assert.ok(Buffer.concat(got).subarray(0, 3 * 64_000).equals(data.subarray(0, 3 * 64_000)));
});

test('pbzx: a consumer that stops early leaves no work that keeps the process alive', async (t) => {
  if (!requireTool(t, 'xz')) return;
  const data = Buffer.concat(Array.from({ length: 6 }, (_, i) => Buffer.concat([randomBytes(30_000), Buffer.alloc(34_000, i)])));
  const first = [];
  for await (const c of pbzxDecodedChunks(new BufferByteSource(pbzxOf(data, 64_000)), ['Payload'])) {
    first.push(Buffer.from(c));
    break;
  }
  assert.ok(first[0]!.equals(data.subarray(0, 64_000)));
});

/** A cpio payload of three 200 KB random members, so 64 KiB chunks are all incompressible. */
async function threeMembers(t: import('node:test').TestContext): Promise<{ cpio: Buffer; members: Map<string, Buffer> }> {
  const src = join(await tempDir(t), 'src');
  mkdirSync(src);
  const members = new Map(['a.bin', 'b.bin', 'c.bin'].map((n) => [n, randomBytes(200_000)]));
  for (const [n, b] of members) writeFileSync(join(src, n), b);
  return { cpio: cpioOf(src, 'odc'), members };
}

test('pbzx: members are handed out as their chunks decode, before a later chunk fails', async (t) => {
  if (!requireTool(t, 'cpio') || !requireTool(t, 'xz')) return;
  const { cpio, members } = await threeMembers(t);
  const pbzx = pbzxOf(cpio, 64 * 1024);
  const offs = chunkDataOffsets(pbzx);
  // Chunk 5 (bytes 320-384 KiB) lies inside b.bin: a.bin is whole before it.
  pbzx[offs[5]! + 200] ^= 0xff;
  const c = await PbzxReader.open(new BufferByteSource(pbzx), testContext(t, {}, ['a.pkg', 'Payload']));
  const read = new Map<string, Buffer>();
  await assert.rejects(
    (async () => {
      for await (const e of c.entries()) {
        if (e.kind !== 'file') continue;
        const src = await e.open();
        read.set(e.path, Buffer.from(await src.read(0, src.size)));
      }
    })(),
    (e: unknown) => e instanceof InputError && e.offset === offs[5] && e.chain.join('/') === 'a.pkg/Payload' && /corrupt xz data/.test(e.message),
  );
  await c.close();
  assert.deepEqual([...read.keys()], ['a.bin']);
  assert.ok(read.get('a.bin')!.equals(members.get('a.bin')!));
});

test('pbzx: a chunk that fails after the cpio trailer still fails the payload', async (t) => {
  if (!requireTool(t, 'cpio') || !requireTool(t, 'xz')) return;
  const { cpio } = await threeMembers(t);
  // Bytes past the trailer, in chunks of their own (writers pad payloads).
  const padded = Buffer.concat([cpio, Buffer.alloc(64 * 1024 - (cpio.length % (64 * 1024))), randomBytes(128 * 1024)]);
  const pbzx = pbzxOf(padded, 64 * 1024);
  const offs = chunkDataOffsets(pbzx);
  pbzx[offs.at(-1)! + 200] ^= 0xff;
  await assert.rejects(openAndList(PbzxReader.open(new BufferByteSource(pbzx), testContext(t))), (e: unknown) => e instanceof InputError && /corrupt xz data/.test(e.message));
});

test('pbzx: a member\'s backing stays readable after the payload is closed, as hashing workers read it later', async (t) => {
  if (!requireTool(t, 'cpio') || !requireTool(t, 'xz')) return;
  const { cpio, members } = await threeMembers(t);
  const c = await PbzxReader.open(new BufferByteSource(pbzxOf(cpio, 64 * 1024)), testContext(t));
  let backing: Backing | undefined;
  for await (const e of c.entries()) {
    if (e.path !== 'b.bin') continue;
    const src = await e.open();
    backing = src.backing?.();
    await src.close();
  }
  await c.close();
  assert.ok(backing && 'path' in backing, 'a file backing');
  const parts: Buffer[] = [];
  eachChunk(backing, [0, members.get('b.bin')!.length], (chunk) => parts.push(Buffer.from(chunk)));
  assert.ok(Buffer.concat(parts).equals(members.get('b.bin')!));
});
