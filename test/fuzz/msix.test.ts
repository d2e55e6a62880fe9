import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { buildMsixFixtures } from '../fixtures-build/msix.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz msix: mutated packages and bundles end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, [])) return;
  const dir = await tempDir(t);
  buildMsixFixtures(dir);
  await fuzzFormat(t, 'msix', ['demo.msix', 'demo.msixbundle'].map((name) => ({ name, bytes: readFileSync(join(dir, name)) })));
});
