import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures.js';

/** The bundled CLI, as `npm start` and the package's bin run it. */
export const cliPath = join(repoRoot, 'dist', 'bundle', 'installer-sbom.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** No single CLI run in the tests comes near this; a hung process is killed and fails the test. */
const CLI_TIMEOUT_MS = 300_000;

/** Runs the built CLI as a user would; SOURCE_DATE_EPOCH fixed unless the caller sets env. */
export function runCli(args: string[], env: Record<string, string> = {}): CliResult {
  const res = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000', ...env },
    maxBuffer: 512 << 20,
    timeout: CLI_TIMEOUT_MS,
  });
  const hung = res.signal === 'SIGTERM' && res.status === null ? `\n(killed after ${CLI_TIMEOUT_MS} ms: the process did not exit)` : '';
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr + hung };
}

/** Errors of a document against the official SPDX 2.3 schema in ../shared/oracles (the oracle). */
export { spdx23SchemaErrors as spdxSchemaErrors } from './oracles.js';
