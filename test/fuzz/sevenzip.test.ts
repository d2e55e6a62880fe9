import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { sevenZipSeeds } from '../fixtures-build/fuzz-seeds.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz 7z: mutated inputs end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, ['7zz'])) return;
  const dir = await tempDir(t);
  await fuzzFormat(t, '7z', sevenZipSeeds(dir));
});
