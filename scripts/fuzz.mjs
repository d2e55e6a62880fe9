#!/usr/bin/env node
// Long mutation-fuzzing runs: builds, then runs the fuzz test files under
// dist/test/fuzz with a large FUZZ_RUNS and no time cap. Findings are saved under FUZZ_FINDINGS
// (default $TMPDIR/installer-sbom-fuzz-findings/<format>/); turn each into a regression fixture
// under fixtures/regressions/<format>/.
//
//   npm run fuzz                      every format, 20000 mutants each
//   npm run fuzz -- zip msi           only these formats
//   FUZZ_RUNS=100000 FUZZ_SEED=42 npm run fuzz -- pe
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const build = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
if (build.status !== 0) console.error('fuzz: tsc reported errors; running what was emitted');

const dir = join(root, 'dist', 'test', 'fuzz');
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.test.js') && f !== 'harness.test.js')
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.test\.js$/, '')))
  .map((f) => join(dir, f));
if (files.length === 0) {
  console.error(`fuzz: no fuzz tests match ${wanted.join(' ')}`);
  process.exit(2);
}
const env = {
  ...process.env,
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? '20000',
  FUZZ_SECONDS: process.env.FUZZ_SECONDS ?? '0',
  FUZZ_CLI_RUNS: process.env.FUZZ_CLI_RUNS ?? '50',
};
console.error(`fuzz: ${files.length} file(s), FUZZ_RUNS=${env.FUZZ_RUNS}, findings in ${env.FUZZ_FINDINGS ?? '$TMPDIR/installer-sbom-fuzz-findings'}`);
// One file at a time per core; each test's own timeout is lifted for long runs.
const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=0', ...files], { stdio: 'inherit', env });
process.exit(res.status ?? 1);
