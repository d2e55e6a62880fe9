import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { tarSeeds } from '../fixtures-build/fuzz-seeds.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz tar (plain, xz, bzip2, zstd): mutated inputs end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, ['tar', 'xz', 'bzip2', 'zstd', 'gzip'])) return;
  const dir = await tempDir(t);
  await fuzzFormat(t, 'tar', tarSeeds(dir));
});
