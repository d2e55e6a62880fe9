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

test('an idle MSZIP worker released and replaced: the old one exiting leaves the new one in place', async () => {
  const { MszipInflater } = await import('../../../src/unpack/cab/mszip-inflater.js');
  const { deflateRawSync } = await import('node:zlib');
  const data = Buffer.alloc(30_000, 'installer-sbom ');
  const block = deflateRawSync(data);
  const first = MszipInflater.get();
  const one = await first.inflate(first.openStream(), [block]);
  assert.ok(Buffer.from(one.bytes!).equals(data));
  MszipInflater.releaseIdle();
  const second = MszipInflater.get();
  assert.notEqual(second, first);
  // Let the released worker's exit event arrive.
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(MszipInflater.get(), second);
  const two = await second.inflate(second.openStream(), [block]);
  assert.ok(Buffer.from(two.bytes!).equals(data));
  MszipInflater.releaseIdle();
});
