import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../../helpers/fixtures.js';
import { cliPath } from '../../helpers/cli.js';

// A folder that fails before its first batch reaches the MSZIP worker must not leave the worker
// holding the process open (found by the CLI fuzz test: the error printed, the process hung).
test('the CLI exits after a cab error raised before the MSZIP worker got any work', async (t) => {
  const dir = await tempDir(t);
  const cab = join(repoRoot, 'fixtures', 'regressions', 'cab', 'checksum-before-first-batch.cab');
  const res = spawnSync(process.execPath, [cliPath, 'build', cab, '-o', join(dir, 'x.spdx.json')], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(res.signal, null, 'the process exited on its own');
  assert.equal(res.status, 3, res.stderr);
  assert.match(res.stderr, /checksum mismatch/);
});
