/**
 * ReadAheadSource gives what its source gives for every read pattern the header walkers use:
 * forward and backward, across its window's edge, larger than its window, past the end.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BufferByteSource, readExactly, type ByteSource } from '../../src/io/byte-source.js';
import { ReadAheadSource } from '../../src/io/read-ahead.js';

/** Counts the reads that reach the source. */
class Counted implements ByteSource {
  reads = 0;
  constructor(private readonly inner: ByteSource) {}
  get size(): number {
    return this.inner.size;
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    this.reads += 1;
    return this.inner.read(offset, length);
  }
  async close(): Promise<void> {}
}

test('reads through the window equal the source\'s, and small forward reads share one source read', async () => {
  const bytes = new Uint8Array(3_500_000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
  const plain = new BufferByteSource(bytes);
  const counted = new Counted(plain);
  const ahead = new ReadAheadSource(counted, 1 << 20);
  assert.equal(ahead.size, bytes.length);
  const pattern: [number, number][] = [
    [0, 6], [6, 104], [110, 20], [5000, 1000], [(1 << 20) - 3, 10], [100, 50], [1_200_000, 2_000_000],
    [bytes.length - 4, 4], [bytes.length - 4, 10], [bytes.length, 5],
  ];
  for (const [off, len] of pattern) {
    assert.deepEqual(Buffer.from(await ahead.read(off, len)), Buffer.from(await plain.read(off, len)), `read ${off}+${len}`);
  }
  // Ten reads: the first four share one; the edge-crossing, backward and oversized reads and the
  // three at the end make one each.
  assert.equal(counted.reads, 7, `${counted.reads} source reads`);
  await assert.rejects(readExactly(ahead, bytes.length - 4, 10, 'a header'), /truncated: a header/);
});
