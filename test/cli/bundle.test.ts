/**
 * The bundle (dist/bundle, what `npm start` and the package's bin run) is the compiled tree
 * (dist/bin, dist/src) in fewer files: the same SBOMs byte for byte, in every format, from the
 * demo installer bundle with its nested MSI, CAB, PE and Mach-O files.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliPath } from '../helpers/cli.js';
import { repoRoot, tempDir } from '../helpers/fixtures.js';

const compiledCli = join(repoRoot, 'dist', 'bin', 'installer-sbom.js');
const demo = join(repoRoot, 'demo', 'demo-bundle.zip');

test('the bundled CLI writes what the compiled tree writes', async (t) => {
  assert.ok(existsSync(cliPath), 'npm run build makes dist/bundle');
  if (!existsSync(demo)) {
    if (process.env.CI) throw new Error(`missing ${demo} (npm ci makes it)`);
    t.skip('no demo bundle (npm ci makes it)');
    return;
  }
  const dir = await tempDir(t);
  for (const format of ['spdx-json', 'spdx3-json', 'cyclonedx-json']) {
    const outputs = [cliPath, compiledCli].map((cli, i) => {
      const out = join(dir, `${format}-${i}.json`);
      const res = spawnSync(process.execPath, [cli, 'build', demo, '--format', format, '-o', out, '--supplier', 'Organization: test'], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' } });
      assert.equal(res.status, 0, `${cli}: ${res.stderr}`);
      return readFileSync(out);
    });
    assert.ok(outputs[0]!.equals(outputs[1]!), `${format}: the bundle's document differs`);
  }
});
