import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { pbzxSeed } from '../fixtures-build/fuzz-seeds.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz pbzx: mutated inputs end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, ['cpio', 'xz'])) return;
  const dir = await tempDir(t);
  await fuzzFormat(t, 'pbzx', [pbzxSeed(dir)]);
});
