/**
 * A CLI-level sample of the mutation fuzzer: mutants through `installer-sbom build`, as a user
 * runs it. Exit 0, 1 or 3 only; a failure prints one line without a stack and leaves nothing at
 * the output path (no `.tmp` either); TMPDIR is empty afterwards in every case.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { cabSeeds, cpioSeeds, msiSeed, pkgSeeds, zipSeed } from '../fixtures-build/fuzz-seeds.js';
import { applyMutations, describeMutations, mutationsArb } from './mutate.js';
import { requireTools } from './formats.js';
import { saveFinding, FUZZ_TEST_TIMEOUT } from './harness.js';

const PER_SEED = Number(process.env.FUZZ_CLI_RUNS ?? 5);

test('fuzz through the CLI: exit codes, one-line errors, no partial output, no temp left', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, ['gcab', 'wixl', 'cpio', 'bsdtar', 'xz'])) return;
  const dir = await tempDir(t);
  const seeds = [zipSeed(dir), ...cabSeeds(dir).slice(0, 1), msiSeed(dir), ...cpioSeeds(dir).slice(0, 1), ...pkgSeeds(dir)];
  const fcSeed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const problems: string[] = [];
  const counts: Record<number, number> = {};
  for (const [k, seed] of seeds.entries()) {
    for (const muts of fc.sample(mutationsArb(seed.bytes), { numRuns: PER_SEED, seed: fcSeed + k })) {
      const work = join(dir, 'run');
      rmSync(work, { recursive: true, force: true });
      const tmp = join(work, 'tmp');
      const outDir = join(work, 'out');
      mkdirSync(tmp, { recursive: true });
      mkdirSync(outDir);
      const bytes = applyMutations(seed.bytes, muts);
      const input = join(work, seed.name);
      writeFileSync(input, bytes);
      const out = join(outDir, 'sbom.spdx.json');
      const r = runCli(['build', input, '-o', out, '--quiet', '--supplier', 'Organization: Fuzz'], { TMPDIR: tmp });
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      const wrong: string[] = [];
      if (![0, 1, 3].includes(r.status)) wrong.push(`exit ${r.status}`);
      if (r.status !== 0 && r.status !== 1) {
        if (r.stderr.trim().split('\n').length !== 1 || /\n\s+at /.test(r.stderr)) wrong.push('stderr is not one line');
        if (existsSync(out)) wrong.push('output written on failure');
      }
      const leftovers = readdirSync(outDir).filter((n) => n.endsWith('.tmp'));
      if (leftovers.length > 0) wrong.push(`left ${leftovers.join(', ')}`);
      if (readdirSync(tmp).length > 0) wrong.push(`TMPDIR not empty: ${readdirSync(tmp).join(', ')}`);
      if (wrong.length > 0) {
        const note = `FUZZ_SEED=${fcSeed} ${seed.name} ${describeMutations(muts)}`;
        const saved = saveFinding('cli', seed, bytes, `${wrong.join('; ')}\n${note}\n${r.stderr}`);
        problems.push(`${wrong.join('; ')} (${saved}): ${r.stderr.split('\n')[0]}`);
      }
    }
  }
  t.diagnostic(`cli: ${seeds.length * PER_SEED} mutants (FUZZ_SEED=${fcSeed}), exit codes ${JSON.stringify(counts)}`);
  assert.deepEqual(problems, []);
});
