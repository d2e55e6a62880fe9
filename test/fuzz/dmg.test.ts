import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { buildDmg, dmgTree } from '../fixtures-build/dmg.js';
import { fuzzFormat, FUZZ_TEST_TIMEOUT } from './harness.js';
import { requireTools } from './formats.js';

test('fuzz dmg: mutated disk images end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, [])) return;
  const dir = await tempDir(t);
  const tree = dmgTree(dir);
  await fuzzFormat(t, 'dmg', [
    { name: 'demo-zlib.dmg', bytes: readFileSync(buildDmg(tree, join(dir, 'demo-zlib.dmg'), 'zlib')) },
    { name: 'demo-raw.dmg', bytes: readFileSync(buildDmg(tree, join(dir, 'demo-raw.dmg'), 'raw')) },
  ]);
});
