import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LimitError } from '../../src/errors.js';
import { Budget, DEFAULT_LIMITS } from '../../src/unpack/limits.js';

test('a LimitError placed into a container chain keeps one message naming the limit and flag', () => {
  const e = new LimitError('maxRatio', '--max-ratio', 'compression ratio 5000:1', []).within(['a.exe', 'core.msi']);
  assert.ok(e instanceof LimitError);
  assert.equal(e.describe(), 'a.exe › core.msi: limit maxRatio reached (compression ratio 5000:1); raise it with --max-ratio if the input is trusted');
});

test('overall ratio: bytes decompressed across entries count against the artifact size', () => {
  const b = new Budget({ ...DEFAULT_LIMITS });
  b.artifactSize = 20_000;
  // 64 MiB from a 20 kB artifact is over 2000:1 but under the 64 MiB floor: allowed.
  for (let i = 0; i < 64; i++) b.countBytes(1 << 20, ['a.zip']);
  assert.throws(() => b.countBytes(1 << 20, ['a.zip']), (e: unknown) => e instanceof LimitError && e.limit === 'maxRatio' && /overall compression ratio/.test(e.message));
  const dir = new Budget({ ...DEFAULT_LIMITS });
  for (let i = 0; i < 100; i++) dir.countBytes(1 << 20, ['dir']);
});
