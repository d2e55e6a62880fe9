/**
 * `build --json`: one document, one result per artifact, written or failed, the same in plain and
 * `--batch` builds (the README's "Machine-readable results" documents the shape).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { zipOf } from '../fixtures-build/hostile-archives.js';
import type { BuildResult, JsonReport } from '../../src/cli/json-result.js';

const SUPPLIER = ['--supplier', 'Organization: installer-sbom tests'];

async function release(t: import('node:test').TestContext): Promise<{ dir: string; good: string; broken: string }> {
  const dir = join(await tempDir(t), 'release');
  mkdirSync(dir);
  const good = join(dir, 'a.zip');
  writeFileSync(good, zipOf([{ name: 'readme.txt', data: Buffer.from('hello\n') }]));
  // A zip's local header and nothing after it: no central directory.
  const broken = join(dir, 'broken.zip');
  writeFileSync(broken, zipOf([{ name: 'x.txt', data: Buffer.from('x') }]).subarray(0, 40));
  return { dir, good, broken };
}

function parse(stdout: string): JsonReport<BuildResult> {
  const doc = JSON.parse(stdout) as JsonReport<BuildResult>;
  assert.equal(doc.schemaVersion, 1);
  assert.equal(doc.command, 'build');
  assert.match(doc.tool, /^installer-sbom \d/);
  return doc;
}

function assertGoodAndBroken(doc: JsonReport<BuildResult>, good: string, broken: string): void {
  assert.equal(doc.results.length, 2);
  const [a, b] = [doc.results.find((r) => r.artifact === good)!, doc.results.find((r) => r.artifact === broken)!];
  assert.equal(a.status, 'written');
  assert.equal(a.exitCode, 0);
  assert.equal(a.output, `${good}.spdx.json`);
  assert.ok(existsSync(a.output!));
  assert.equal(a.format, 'spdx-json');
  // A zip states no version of its own: NTIA asks for one, so that is the one warning.
  assert.deepEqual(a.warnings.map((w) => [w.kind, w.message]), [['ntia', `${basename(good)}: no version`]]);
  assert.equal(b.status, 'error');
  assert.equal(b.exitCode, 3);
  assert.equal(b.error?.kind, 'input');
  assert.match(b.error!.message, /^broken\.zip: /);
  assert.equal(b.output, undefined);
  assert.equal(existsSync(`${broken}.spdx.json`), false);
  assert.equal(doc.exitCode, 3);
}

test('plain build: a result for every artifact, the written one too when another fails', async (t) => {
  const { good, broken } = await release(t);
  const r = runCli(['build', good, broken, '--json', ...SUPPLIER]);
  assert.equal(r.status, 3, r.stderr);
  assertGoodAndBroken(parse(r.stdout), good, broken);
  assert.match(r.stderr, /broken\.zip: /, 'the failure is on stderr too');
});

test('--batch build: the same shape', async (t) => {
  const { dir, good, broken } = await release(t);
  const r = runCli(['build', '--batch', dir, '--json', '--jobs', '2', ...SUPPLIER]);
  assert.equal(r.status, 3, r.stderr);
  assertGoodAndBroken(parse(r.stdout), good, broken);
});

test('without --json the failure does not stop the next artifact', async (t) => {
  const { good, broken } = await release(t);
  const r = runCli(['build', broken, good, ...SUPPLIER]);
  assert.equal(r.status, 3);
  assert.ok(existsSync(`${good}.spdx.json`));
  assert.match(r.stdout, /SBOM: .*a\.zip\.spdx\.json/);
});

test('a write error is a result too, with the exit code 2 and the path', async (t) => {
  const { dir, good } = await release(t);
  const r = runCli(['build', good, '-o', join(dir, 'missing', 'x.json'), '--json', ...SUPPLIER]);
  assert.equal(r.status, 2);
  const [res] = parse(r.stdout).results;
  assert.equal(res?.status, 'error');
  assert.equal(res?.error?.kind, 'usage');
  assert.ok(res?.error?.message.includes(join(dir, 'missing', 'x.json')));
});
