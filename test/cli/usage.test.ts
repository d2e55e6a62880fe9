/** The command line's own contract: help, version, and SOURCE_DATE_EPOCH checked before any work. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { zipOf } from '../fixtures-build/hostile-archives.js';
import { checkSourceDateEpoch } from '../../src/cli/args.js';
import { UsageError } from '../../src/errors.js';

test('--help lists --version, and --version prints the package version', () => {
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^\s+-V, --version\s/m);
  const version = runCli(['--version']);
  assert.equal(version.status, 0);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
});

test('SOURCE_DATE_EPOCH: whole seconds pass, anything else is a usage error naming the variable', () => {
  for (const value of ['0', '1700000000', '8640000000000']) assert.doesNotThrow(() => checkSourceDateEpoch({ SOURCE_DATE_EPOCH: value }), value);
  assert.doesNotThrow(() => checkSourceDateEpoch({}));
  for (const value of ['abc', '', ' 1', '1.5', '-1', '1e9', '0x10', '8640000000001', '99999999999999999']) {
    assert.throws(() => checkSourceDateEpoch({ SOURCE_DATE_EPOCH: value }), (e: unknown) => e instanceof UsageError && e.message.includes('SOURCE_DATE_EPOCH') && e.message.includes(JSON.stringify(value)), value);
  }
});

test('every command that writes a date checks SOURCE_DATE_EPOCH before any work', async (t) => {
  const dir = await tempDir(t);
  const zip = join(dir, 'app.zip');
  writeFileSync(zip, zipOf([{ name: 'readme.txt', data: Buffer.from('hello\n') }]));
  for (const args of [['build', zip], ['report', zip, '-o', join(dir, 'r.html')], ['build', '--batch', dir]]) {
    const r = runCli([...args, '--supplier', 'Organization: T'], { SOURCE_DATE_EPOCH: 'abc' });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /SOURCE_DATE_EPOCH must be a whole number of seconds .*"abc"/);
  }
  assert.deepEqual(readdirSync(dir), ['app.zip'], 'nothing written');
  const ok = runCli(['build', zip, '-o', join(dir, 'ok.json'), '--supplier', 'Organization: T'], { SOURCE_DATE_EPOCH: '0' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(readFileSync(join(dir, 'ok.json'), 'utf8'), /"created": "1970-01-01T00:00:00Z"/);
});
