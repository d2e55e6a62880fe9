#!/usr/bin/env node
// Runs the test suite as a newcomer's machine would after `npm ci`: none of the Debian tools
// (fixture builders, oracles, chromium, wine) on PATH and only the demo set of registry fixtures,
// without CI=true, so every test that cannot run must skip with a message instead of failing.
//
//   node scripts/test-without-tools.mjs [test path substrings...]
//
// PATH is a fresh directory holding only node, npm, npx, git and sh; the fixture cache is a fresh
// directory (INSTALLER_SBOM_FIXTURES, honoured by the test helpers and the fixture scripts) that
// links the demo set alone, as `npm ci` leaves it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SETS, fixtureCache } from './fetch-fixtures.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASICS = ['node', 'npm', 'npx', 'git', 'sh'];

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

const work = mkdtempSync(join(tmpdir(), 'isbom-no-tools-'));
try {
  const bin = join(work, 'bin');
  mkdirSync(bin);
  for (const name of BASICS) {
    const p = name === 'node' ? process.execPath : which(name);
    if (!p) {
      console.error(`test-without-tools: ${name} not found on PATH`);
      process.exit(2);
    }
    symlinkSync(p, join(bin, name));
  }
  const fixtures = join(work, 'fixtures');
  for (const item of SETS.demo) {
    const from = fixtureCache(item);
    const to = fixtureCache(item, fixtures);
    mkdirSync(dirname(to), { recursive: true });
    if (existsSync(from)) symlinkSync(from, to);
  }
  const env = { ...process.env, PATH: bin, INSTALLER_SBOM_FIXTURES: fixtures };
  delete env.CI;
  const started = Date.now();
  const res = spawnSync('npm', ['test', '--', ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
  console.error(`test-without-tools: suite finished in ${Math.round((Date.now() - started) / 1000)} s with status ${res.status}`);
  process.exitCode = res.status ?? 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
