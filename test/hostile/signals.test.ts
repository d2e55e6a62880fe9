/**
 * SIGINT/SIGTERM during a long build: the private temp dir is removed, nothing is left
 * at the output path, and the process exits. The input is a zip whose 512 MiB member must be
 * spilled to disk, so the temp dir exists when the signal arrives.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { zerosBombZip } from '../fixtures-build/hostile-archives.js';
import { buildAndSignal, place, sandbox } from './sandbox.js';

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} while a member is spilled to the temp dir: temp dir removed, no output`, { timeout: 120_000 }, async (t) => {
    const sb = await sandbox(t);
    const path = place(sb, 'long.zip', zerosBombZip(512 << 20));
    // Signal once the walker's temp dir exists (at the latest ~300 ms into the spill).
    const res = await buildAndSignal(sb, path, signal, () => readdirSync(sb.tmp).some((n) => n.startsWith('installer-sbom-')));
    assert.ok(res.sent, `the build ended before its temp dir appeared (exit ${res.code}): ${res.stderr}`);
    assert.ok(res.code === 130 || res.signal === signal, `exit ${res.code} / ${res.signal}: ${res.stderr}`);
    assert.deepEqual(readdirSync(sb.tmp), [], 'TMPDIR empty after the signal');
    assert.equal(existsSync(sb.out), false, 'nothing at the output path');
    assert.deepEqual(readdirSync(sb.root).filter((n) => n.endsWith('.tmp')), [], 'no .tmp beside the output');
  });
}
