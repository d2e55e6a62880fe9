import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, isAbsolute } from 'node:path';
import type { TestContext } from 'node:test';

/**
 * True when an external tool (a Debian test oracle or fixture builder) is on PATH. A tool named by
 * absolute path (Debian's python3 rather than a pyenv one) counts only when its directory is on
 * PATH as well, so a PATH without the Debian tools (scripts/test-without-tools.mjs) hides it too.
 */
export function hasTool(name: string): boolean {
  if (isAbsolute(name)) return existsSync(name) && (process.env['PATH'] ?? '').split(delimiter).includes(dirname(name));
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
