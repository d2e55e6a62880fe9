import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { peSeeds } from '../fixtures-build/fuzz-seeds.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz pe: mutated inputs end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, ['x86_64-w64-mingw32-gcc', 'i686-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres', 'i686-w64-mingw32-windres'])) return;
  const dir = await tempDir(t);
  await fuzzFormat(t, 'pe', peSeeds(dir));
});
