#!/usr/bin/env node
// Runs every compiled test file under dist/test with Node's built-in test runner.
// Node 20 has no glob support in `node --test`, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const testRoot = join(root, 'dist', 'test');
const only = process.argv.slice(2);

export function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

// A compiled test whose source is gone (deleted or renamed since the last build) is not a test.
export function currentTests() {
  return collect(testRoot).filter((f) => existsSync(join(root, relative(join(root, 'dist'), f)).replace(/\.js$/, '.ts')));
}

// Run only as a script: scripts/unit-tests.mjs imports collect() from here.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let files = currentTests();
  if (only.length > 0) files = files.filter((f) => only.some((o) => f.includes(o)));
  // `node --test` with no files would look for tests everywhere on its own.
  if (files.length === 0) {
    console.error(`run-tests: no test file matches ${only.join(', ') || '(all)'}`);
    process.exit(1);
  }
  const res = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
  process.exit(res.status ?? 1);
}
