/**
 * Byte work on the worker pool gives what the same work on this thread gives, whatever route a
 * job takes: done here (tiny), batched with other small jobs into one message, or posted alone
 * (large); from memory, including views into a larger buffer, and from files.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { BufferByteSource, FileByteSource, type ByteSource } from '../../src/io/byte-source.js';
import { ByteWork } from '../../src/parallel/byte-work.js';
import { releaseIdleThreads } from '../../src/parallel/worker-pool.js';
import { StringFilter } from '../../src/inspect/string-filter.js';
import { tempDir } from '../helpers/fixtures.js';

function bytes(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    // Text now and then, so string windows find runs.
    b[i] = i % 97 < 30 ? 0x61 + (i % 26) : s >>> 24;
  }
  return b;
}

const ALGORITHMS = ['sha1', 'sha256', 'sha512'];
const SIZES = [0, 100, 20_000, 70_000, 300_000, 1_100_000, 5_000_000];

test('digests and string runs match this thread\'s, for every size and backing', async (t) => {
  const dir = await tempDir(t);
  const pooled = new ByteWork(2);
  const here = new ByteWork(0);
  const keep = StringFilter.ofLiterals(['abcd', 'xyz']);
  const sources: ByteSource[] = [];
  for (const [i, n] of SIZES.entries()) {
    const data = bytes(n, i + 1);
    // A view into a larger buffer: only the view's bytes may be hashed.
    const padded = new Uint8Array(n + 64);
    padded.set(data, 32);
    sources.push(new BufferByteSource(padded.subarray(32, 32 + n)));
    const path = join(dir, `f${i}`);
    await writeFile(path, data);
    sources.push(await FileByteSource.open(path));
  }
  try {
    // All started before any is awaited, so small ones share batches.
    const started = await Promise.all(sources.map((s) => pooled.startDigest(s, ALGORITHMS, 'hash')));
    const strings = sources.map((s) => pooled.strings(s, [0, s.size], '.rdata', 0, keep, true, 'inspect'));
    for (const [k, src] of sources.entries()) {
      const got = await started[k]!.result;
      const all = await src.read(0, src.size);
      for (const a of ALGORITHMS) assert.equal(got.get(a)!.toString('hex'), createHash(a).update(all).digest('hex'), `${a} of source ${k} (${src.size} bytes)`);
      const expected = await here.strings(src, [0, src.size], '.rdata', 0, keep, true, 'inspect');
      assert.deepEqual(await strings[k], expected, `strings of source ${k}`);
    }
  } finally {
    for (const s of sources) await s.close();
  }
});

test('idle workers are ended on request and started again by later work', async () => {
  const pooled = new ByteWork(2);
  const src = new BufferByteSource(bytes(2_000_000, 3));
  const expected = createHash('sha256').update(await src.read(0, src.size)).digest('hex');
  assert.equal((await pooled.digest(src, ['sha256'], 'hash')).get('sha256')!.toString('hex'), expected);
  pooled.releaseIdle();
  assert.equal(pooled.workers, 0);
  assert.equal((await pooled.digest(src, ['sha256'], 'hash')).get('sha256')!.toString('hex'), expected);
  assert.ok(pooled.workers > 0);
  pooled.releaseIdle();
});

test('releaseIdleThreads ends the shared pool\'s idle workers', async () => {
  const shared = ByteWork.get();
  await shared.digest(new BufferByteSource(bytes(2_000_000, 5)), ['sha1'], 'hash');
  assert.ok(shared.workers > 0);
  releaseIdleThreads();
  assert.equal(shared.workers, 0);
});
