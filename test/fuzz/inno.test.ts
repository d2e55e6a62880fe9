import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { buildInnoShaped, innoBuildTools } from '../fixtures-build/inno.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz inno-setup: mutated installers end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, innoBuildTools)) return;
  const dir = await tempDir(t);
  const exe = buildInnoShaped(join(dir, 'w'), join(dir, 'demo-setup.exe'), 'Inno Setup Setup Data (6.4.0.1)');
  await fuzzFormat(t, 'inno', [{ name: 'demo-setup.exe', bytes: readFileSync(exe) }]);
});
