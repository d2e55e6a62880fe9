/**
 * The CFDATA checksum's word-at-a-time reads against the byte-at-a-time definition, at every
 * alignment and tail length, and past the aligned scratch memory's size.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cabChecksum } from '../../../src/unpack/cab/cab-checksum.js';

function reference(bytes: Uint8Array, seed: number): number {
  let sum = seed >>> 0;
  let i = 0;
  for (; i + 4 <= bytes.length; i += 4) sum = (sum ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24))) >>> 0;
  let tail = 0;
  for (; i < bytes.length; i++) tail = (tail << 8) | bytes[i]!;
  return (sum ^ tail) >>> 0;
}

test('the checksum is the same at every alignment, length and seed', () => {
  const buf = new Uint8Array(0x10000 + 64);
  let s = 12345;
  for (let i = 0; i < buf.length; i++) buf[i] = (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24;
  for (const length of [0, 1, 2, 3, 4, 5, 7, 8, 1000, 32771, 0x10000, 0x10000 + 13]) {
    for (let offset = 0; offset < 4; offset++) {
      const bytes = buf.subarray(offset, offset + length);
      for (const seed of [0, 0xdeadbeef]) assert.equal(cabChecksum(bytes, seed), reference(bytes, seed), `length ${length} at ${offset}, seed ${seed}`);
    }
  }
});
