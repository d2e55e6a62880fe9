/**
 * Runs the CLI the way an auditor would on a hostile file, inside a sandbox whose whole tree is
 * snapshotted before and after: the artifact sits three directories deep (so `../../x` lands
 * inside the sandbox, where the snapshot sees it), the working directory is the artifact's, and
 * TMPDIR is a fresh directory that must be empty again when the CLI exits.
 */
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { cliPath, type CliResult } from '../helpers/cli.js';

export interface Sandbox {
  root: string;
  /** Directory holding the artifact; the CLI's working directory. */
  work: string;
  /** TMPDIR of the CLI. */
  tmp: string;
  /** Where -o points. */
  out: string;
}

export async function sandbox(t: TestContext): Promise<Sandbox> {
  const root = await tempDir(t, 'isbom-hostile-');
  const work = join(root, 'a', 'b', 'c');
  const tmp = join(root, 'tmp');
  mkdirSync(work, { recursive: true });
  mkdirSync(tmp);
  return { root, work, tmp, out: join(root, 'out.spdx.json') };
}

/** Every path under `dir` with its type, size or link target; directories included. */
export function snapshot(dir: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (skip(r)) continue;
      const p = join(abs, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(r, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(r, 'dir');
        walk(p, r);
      } else out.set(r, `file ${st.size}`);
    }
  };
  walk(dir, '');
  return out;
}

export function place(sb: Sandbox, name: string, bytes: Buffer): string {
  const path = join(sb.work, name);
  writeFileSync(path, bytes);
  return path;
}

const ENV = (sb: Sandbox): NodeJS.ProcessEnv => ({ ...process.env, TMPDIR: sb.tmp, SOURCE_DATE_EPOCH: '1700000000' });

/** `installer-sbom build <artifact> -o <out> --supplier …` in the sandbox. */
export function buildIn(sb: Sandbox, artifact: string, extra: string[] = []): CliResult {
  const res = spawnSync(process.execPath, [cliPath, 'build', artifact, '-o', sb.out, '--supplier', 'Organization: Hostile Tests', '--quiet', ...extra], {
    cwd: sb.work,
    encoding: 'utf8',
    env: ENV(sb),
    maxBuffer: 64 << 20,
  });
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** Starts a build and resolves with its exit once `signal` was sent when `when()` held. */
export function buildAndSignal(sb: Sandbox, artifact: string, signal: NodeJS.Signals, when: () => boolean): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; sent: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'build', artifact, '-o', sb.out, '--supplier', 'Organization: Hostile Tests', '--quiet'], {
      cwd: sb.work,
      env: ENV(sb),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      if (!sent && when()) {
        sent = true;
        child.kill(signal);
      }
    }, 10);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      resolve({ code, signal: sig, stderr, sent });
    });
  });
}

/** The CLI's one-line error contract: a single line, no stack frames. */
export function oneLineError(stderr: string): boolean {
  return stderr.trim().split('\n').length === 1 && !/\n\s+at /.test(stderr);
}
