/** The command line's own contract: help, version, and SOURCE_DATE_EPOCH checked before any work. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { zipOf } from '../fixtures-build/hostile-archives.js';

test('--help lists --version, and --version prints the package version', () => {
  const help = runCli(['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^\s+-V, --version\s/m);
  const version = runCli(['--version']);
  assert.equal(version.status, 0);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
});

test('a malformed SOURCE_DATE_EPOCH is a usage error naming the variable, for every command that writes a date', async (t) => {
  const dir = await tempDir(t);
  const zip = join(dir, 'app.zip');
  writeFileSync(zip, zipOf([{ name: 'readme.txt', data: Buffer.from('hello\n') }]));
  for (const value of ['abc', '', '1.5', '-1', '1e9', '99999999999999999']) {
    for (const args of [['build', zip], ['report', zip, '-o', join(dir, 'r.html')], ['build', '--batch', dir]]) {
      const r = runCli([...args, '--supplier', 'Organization: T'], { SOURCE_DATE_EPOCH: value });
      assert.equal(r.status, 2, `${args[0]} with SOURCE_DATE_EPOCH=${JSON.stringify(value)}: ${r.stderr}`);
      assert.match(r.stderr, /SOURCE_DATE_EPOCH must be a whole number of seconds/);
      assert.ok(r.stderr.includes(JSON.stringify(value)));
    }
  }
  assert.deepEqual(readdirSync(dir), ['app.zip'], 'nothing written');
  const ok = runCli(['build', zip, '-o', join(dir, 'ok.json'), '--supplier', 'Organization: T'], { SOURCE_DATE_EPOCH: '0' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(readFileSync(join(dir, 'ok.json'), 'utf8'), /"created": "1970-01-01T00:00:00Z"/);
});
