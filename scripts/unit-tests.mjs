#!/usr/bin/env node
// The fast unit tests of the model, the writers, the readers and validate (dist/test/bom,
// dist/test/serialize, dist/test/validate), in this one process: no Debian tool, no registry
// fixture, no CLI run. `npm run mutation` runs it once per mutant with scripts/bail-reporter.mjs.
// Build first (`npm run build`).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const testRoot = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'dist', 'test');
const UNIT_DIRS = ['bom', 'serialize', 'validate'];

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

for (const dir of UNIT_DIRS) for (const file of collect(join(testRoot, dir))) await import(pathToFileURL(file).href);
