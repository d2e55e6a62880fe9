import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { buildBurnFixture, burnBuildTools, BUNDLE_NAME, zlibDll } from '../fixtures-build/burn.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';
import { requireFixture } from '../helpers/fixtures.js';

test('fuzz burn: mutated bundles end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, burnBuildTools) || !requireFixture(t, zlibDll)) return;
  const dir = await tempDir(t);
  const fx = buildBurnFixture(dir);
  await fuzzFormat(t, 'burn', [{ name: BUNDLE_NAME, bytes: readFileSync(fx.bundle) }]);
});
