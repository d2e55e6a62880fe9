/**
 * Bombs through the 7-Zip decoders (bzip2, zstd, 7z, Deflate64 zip members): 7-Zip streams its
 * output to us chunk by chunk and is stopped at the limit, so a few hundred bytes that would
 * decode to 256 MiB end in exit 3 naming the limit, and nothing is left in the temp dir.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LimitError } from '../../src/errors.js';
import { walkArtifact } from '../../src/unpack/walk.js';
import { tempDir } from '../helpers/fixtures.js';
import { requireTool } from '../helpers/tools.js';

const MiB = 1 << 20;

test('256 MiB of zeros as bzip2, zstd, 7z and a Deflate64 zip member stop at the limits', { timeout: 300_000 }, async (t) => {
  for (const tool of ['head', 'bzip2', 'zstd', '7zz']) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const sh = (cmd: string): void => {
    execFileSync('sh', ['-c', cmd], { cwd: dir, stdio: 'ignore' });
  };
  sh(`head -c ${256 * MiB} /dev/zero > zeros.bin`);
  sh('bzip2 -9 -k zeros.bin && zstd -q -19 -k zeros.bin && 7zz a zeros.7z zeros.bin && 7zz a -tzip -mm=Deflate64 zeros.zip zeros.bin && rm zeros.bin');
  for (const [name, limits, limit] of [
    ['zeros.bin.bz2', {}, 'maxRatio'],
    ['zeros.bin.zst', {}, 'maxRatio'],
    ['zeros.7z', {}, 'maxRatio'],
    ['zeros.zip', { maxRatio: 100 }, 'maxRatio'],
    ['zeros.bin.zst', { maxTotalBytes: 32 * MiB, maxRatio: 1e9 }, 'maxTotalBytes'],
    ['zeros.7z', { maxEntryBytes: 16 * MiB, maxRatio: 1e9 }, 'maxEntryBytes'],
  ] as const) {
    const tmp = await tempDir(t);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      await assert.rejects(walkArtifact(join(dir, name), async () => {}, { limits }), (err: unknown) => {
        assert.ok(err instanceof LimitError, `${name}: ${String(err)}`);
        assert.equal(err.limit, limit, `${name}: ${err.message}`);
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    assert.deepEqual(readdirSync(tmp), [], `${name}: temp files left behind`);
  }
});
