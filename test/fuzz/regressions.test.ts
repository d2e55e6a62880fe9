/** Replays fixtures/regressions/<format>/* (see its README): success or InputError only. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { PipelineRunner, problemOf } from './harness.js';

const dir = join(repoRoot, 'fixtures', 'regressions');
const cases = existsSync(dir)
  ? readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(dir, d.name)).filter((f) => !f.endsWith('.expect')).map((f) => join(d.name, f)))
  : [];

for (const rel of cases) {
  test(`regression ${rel}: success or InputError`, { timeout: 60_000 }, async (t) => {
    const tmp = join(await tempDir(t), 'tmp');
    mkdirSync(tmp);
    const runner = new PipelineRunner(tmp);
    t.after(() => runner.close());
    const o = await runner.run(join(dir, rel));
    assert.equal(problemOf(o), undefined, `${o.outcome} ${o.name}: ${o.message}`);
    const expect = join(dir, `${rel}.expect`);
    if (existsSync(expect)) assert.match(o.message ?? '', new RegExp(readFileSync(expect, 'utf8').trim()));
    assert.deepEqual(readdirSync(tmp), [], 'no temp dir left');
  });
}
