import { execFileSync, spawnSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/** True when an external tool (a Debian test oracle or fixture builder) is on PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Skips the test when a tool is missing, except in CI where `.ci/run` installs every tool and a
 * missing one is a failure.
 */
export function requireTool(t: TestContext, name: string): boolean {
  if (hasTool(name)) return true;
  if (process.env.CI) throw new Error(`tool missing: ${name} (.ci/run installs it)`);
  t.skip(`tool missing: ${name}`);
  return false;
}

/** Runs a tool and returns its stdout; throws with its stderr on failure. */
export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string | Buffer } = {}): string {
  return execFileSync(cmd, args, { cwd: opts.cwd, input: opts.input, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Debian's python3 (python3-pefile lives there, not in a pyenv python). */
export const debianPython = '/usr/bin/python3';
