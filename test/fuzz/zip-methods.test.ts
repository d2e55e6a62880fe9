import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { zipMethodSeeds } from '../fixtures-build/fuzz-seeds.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz zip members in 7-Zip methods (Deflate64, LZMA): mutated inputs end in success or InputError', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, ['7zz'])) return;
  const dir = await tempDir(t);
  await fuzzFormat(t, 'zip-methods', zipMethodSeeds(dir));
});
