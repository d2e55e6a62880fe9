// Mutation testing of the model, the writers, the readers and validate (`npm run mutation`; not
// part of `npm test` nor CI). Stryker instruments every mutant into one copy of the sources
// (mutation switching), `buildCommand` compiles that copy once, and the command runner then runs
// the fast unit tests once per mutant with __STRYKER_ACTIVE_MUTANT__ naming the one that is on.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
/** Names a partial run (`MUTATION_TAG=bom npx stryker run --mutate 'src/bom/*.ts'`): its own sandbox and report. */
const tag = process.env['MUTATION_TAG'] ?? 'all';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'command',
  commandRunner: {
    // The sandbox is a copy inside .stryker-tmp-TAG/: ../shared is named absolutely, and the schema
    // oracles are skipped (their compilation would cost seconds per mutant).
    command: `INSTALLER_SBOM_SHARED=${JSON.stringify(join(root, '..', 'shared'))} INSTALLER_SBOM_MUTATION=1 node --test-reporter=./scripts/bail-reporter.mjs scripts/unit-tests.mjs`,
  },
  buildCommand: 'npx tsc -p tsconfig.json && node scripts/compile-schemas.mjs',
  mutate: ['src/bom/**/*.ts', 'src/serialize/**/*.ts', 'src/validate/**/*.ts'],
  ignorePatterns: ['dist', '.cache', 'test-artifacts', 'reports', 'demo', '.stryker-tmp*'],
  coverageAnalysis: 'off',
  concurrency: 2,
  timeoutMS: 20000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${tag}.html` },
  jsonReporter: { fileName: `reports/mutation/${tag}.json` },
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: `.stryker-tmp-${tag}`,
  cleanTempDir: 'always',
};
