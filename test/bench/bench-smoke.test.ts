import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { requireTool } from '../helpers/tools.js';

// Only that `npm run bench` works end to end on tiny inputs: no timings are asserted here.
test('bench: runs on tiny inputs and prints the table', { timeout: 180_000 }, async (t) => {
  for (const tool of ['wixl', 'gcab', 'bsdtar', 'xz', 'cpio', '7zz', 'sha256sum', '/usr/bin/time']) if (!requireTool(t, tool)) return;
  const cache = await tempDir(t, 'isbom-bench-');
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'bench.mjs')], {
    env: { ...process.env, BENCH_SMALL: '1', BENCH_REPS: '1', BENCH_CACHE: cache, BENCH_ONLY: 'msi,pkg,batch' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\| MSI \| 63 \|.*\| installer-sbom build \|/);
  assert.match(r.stdout, /\| pkg \(pbzx payloads\) \|.*\| floor: 7zz x \+ sha256sum \|/);
  // Busy time per stage (summed over threads), the wall time and the start-up.
  assert.match(r.stdout, /\| input \| wall \| startup \| unpack \| hash \| inspect \| detect \| compose \| write \| main-busy \|/);
  // The release directory: both installers three times over, in one `build --batch`.
  assert.match(r.stdout, /\| artifacts \| wall s \| CPU s \| cores busy \| peak RSS MiB \| one at a time s \| batch \/ one at a time \|\n\|[-:|]+\|\n\| 6 \|/);
});
