import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { sfxSeed } from '../fixtures-build/fuzz-seeds.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz self-extractors (PE + cabinet overlay): mutated inputs end in success or InputError', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, ['x86_64-w64-mingw32-gcc', 'i686-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres', 'i686-w64-mingw32-windres', 'gcab'])) return;
  const dir = await tempDir(t);
  await fuzzFormat(t, 'sfx', [sfxSeed(dir)]);
});
