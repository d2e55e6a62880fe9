import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { tempDir, requireFixture } from '../helpers/fixtures.js';
import { buildNsisFixtures, nsisBuildTools, zlibDll } from '../fixtures-build/nsis.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz nsis: mutated installers end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, nsisBuildTools) || !requireFixture(t, zlibDll)) return;
  const dir = await tempDir(t);
  const fx = buildNsisFixtures(dir);
  await fuzzFormat(t, 'nsis', (['zlib', 'lzma-solid'] as const).map((v) => ({ name: `demo-${v}.exe`, bytes: readFileSync(fx.installers[v]) })));
});
