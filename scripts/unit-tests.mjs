#!/usr/bin/env node
// The fast unit tests of the model, the writers, the readers and validate (dist/test/bom,
// dist/test/serialize, dist/test/validate), in this one process: no Debian tool, no registry
// fixture, no CLI run. `npm run mutation` runs it once per mutant with scripts/bail-reporter.mjs.
// Build first (`npm run build`).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collect } from './run-tests.mjs';

const testRoot = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'dist', 'test');
const UNIT_DIRS = ['bom', 'serialize', 'validate'];

for (const dir of UNIT_DIRS) for (const file of collect(join(testRoot, dir))) await import(pathToFileURL(file).href);
