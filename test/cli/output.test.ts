/**
 * Where documents go (`-o`): standard output, regular files replaced whole, devices and FIFOs written
 * into, and every refusal a usage error (exit 2) or an input/output error (exit 3) naming the path
 * the user typed, never an internal error and never a temporary file's name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { requireTool } from '../helpers/tools.js';
import { zipOf } from '../fixtures-build/hostile-archives.js';

const SUPPLIER = ['--supplier', 'Organization: installer-sbom tests'];

/** A small real zip (written by the test's own zip writer, checked against bsdtar in test/hostile). */
async function artifact(t: import('node:test').TestContext, name = 'app.zip'): Promise<{ dir: string; zip: string }> {
  const dir = await tempDir(t);
  const zip = join(dir, name);
  writeFileSync(zip, zipOf([{ name: 'readme.txt', data: Buffer.from('hello\n') }, { name: 'lib/data.bin', data: Buffer.alloc(64, 7), method: 8 }]));
  return { dir, zip };
}

function assertNamesPath(r: { status: number; stderr: string }, code: number, path: string): void {
  assert.equal(r.status, code, r.stderr);
  assert.ok(r.stderr.includes(path), `names ${path}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\.tmp\b|internal error/);
}

function noLeftovers(dir: string): void {
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left');
}

test('-o - writes the document to standard output and nothing else; the summary goes to stderr', async (t) => {
  const { dir, zip } = await artifact(t);
  const r = runCli(['build', zip, '-o', '-', ...SUPPLIER]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { spdxVersion: string }).spdxVersion, 'SPDX-2.3');
  assert.match(r.stderr, /SBOM: written to standard output/);
  assert.deepEqual(readdirSync(dir).sort(), ['app.zip'], 'no file named "-"');
  assert.equal(runCli(['build', zip, '-o', '-', '--json']).status, 2, '-o - and --json both want stdout');
  const html = runCli(['report', zip, '-o', '-', ...SUPPLIER]);
  assert.equal(html.status, 0, html.stderr);
  assert.match(html.stdout, /^<!DOCTYPE html>/);
});

test('-o /dev/stdout writes into standard output and leaves the /dev/stdout link alone', async (t) => {
  const { zip } = await artifact(t);
  const before = lstatSync('/dev/stdout', { throwIfNoEntry: false });
  if (!before) return t.skip('no /dev/stdout on this system');
  const r = runCli(['build', zip, '-o', '/dev/stdout', ...SUPPLIER]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { spdxVersion: string }).spdxVersion, 'SPDX-2.3');
  const after = lstatSync('/dev/stdout');
  assert.equal(after.isSymbolicLink(), before.isSymbolicLink());
  assert.equal(after.isFile(), false);
});

test('a FIFO is written into, not replaced', async (t) => {
  if (!requireTool(t, 'mkfifo') || !requireTool(t, 'cat')) return;
  const { dir, zip } = await artifact(t);
  const fifo = join(dir, 'pipe');
  spawnSync('mkfifo', [fifo]);
  const r = spawnSync('sh', ['-c', 'cat "$1" > "$2" & "$3" "$4" build "$5" -o "$1" --supplier "Organization: installer-sbom tests" >/dev/null; s=$?; wait; exit $s', 'sh', fifo, join(dir, 'read.json'), process.execPath, cliPath, zip], {
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
    timeout: 120_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(statSync(fifo).isFIFO(), 'still a FIFO');
  assert.equal((JSON.parse(readFileSync(join(dir, 'read.json'), 'utf8')) as { spdxVersion: string }).spdxVersion, 'SPDX-2.3');
});

test('a missing directory, a directory, a file as directory, a dangling link: exit 2 naming the path', async (t) => {
  const { dir, zip } = await artifact(t);
  for (const bad of [join(dir, 'no', 'such', 'dir', 'out.json'), dir, join(zip, 'out.json')]) assertNamesPath(runCli(['build', zip, '-o', bad, ...SUPPLIER]), 2, bad);
  // report writes through the same code: one case shows it.
  assertNamesPath(runCli(['report', zip, '-o', dir, ...SUPPLIER]), 2, dir);
  const dangling = join(dir, 'dangling.json');
  symlinkSync(join(dir, 'nowhere', 'x.json'), dangling);
  assertNamesPath(runCli(['build', zip, '-o', dangling, ...SUPPLIER]), 2, dangling);
  assert.ok(lstatSync(dangling).isSymbolicLink());
  noLeftovers(dir);
});

test('a read-only existing file is not overwritten: exit 3 naming it, content unchanged', async (t) => {
  const { dir, zip } = await artifact(t);
  const ro = join(dir, 'locked.spdx.json');
  writeFileSync(ro, 'keep me\n');
  chmodSync(ro, 0o444);
  for (const command of ['build', 'report']) {
    assertNamesPath(runCli([command, zip, '-o', ro, ...SUPPLIER]), 3, ro);
    assert.equal(readFileSync(ro, 'utf8'), 'keep me\n');
  }
  noLeftovers(dir);
});

test('the system refusing a write is exit 3 naming the path', async (t) => {
  const { dir, zip } = await artifact(t);
  if (process.platform === 'linux') {
    // Writable for no one, root included: a /proc file. A full disk: /dev/full answers ENOSPC.
    assertNamesPath(runCli(['build', zip, '-o', '/proc/version', ...SUPPLIER]), 3, '/proc/version');
    const full = runCli(['build', zip, '-o', '/dev/full', ...SUPPLIER]);
    assertNamesPath(full, 3, '/dev/full');
    assert.match(full.stderr, /no space left on device/);
  }
  if (process.getuid?.() === 0) return t.skip('root writes into a read-only directory: that case needs another user');
  const locked = join(dir, 'locked');
  mkdirSync(locked, { mode: 0o555 });
  assertNamesPath(runCli(['build', zip, '-o', join(locked, 'out.json'), ...SUPPLIER]), 3, join(locked, 'out.json'));
});

test('an existing file is replaced whole, keeping its mode; a link to a file keeps pointing at it', async (t) => {
  const { dir, zip } = await artifact(t);
  const out = join(dir, 'out.json');
  writeFileSync(out, 'old');
  chmodSync(out, 0o640);
  assert.equal(runCli(['build', zip, '-o', out, ...SUPPLIER]).status, 0);
  assert.match(readFileSync(out, 'utf8'), /"spdxVersion": "SPDX-2.3"/);
  assert.equal(statSync(out).mode & 0o777, 0o640);
  const link = join(dir, 'link.json');
  symlinkSync(out, link);
  writeFileSync(out, 'old again');
  assert.equal(runCli(['build', zip, '-o', link, ...SUPPLIER]).status, 0);
  assert.ok(lstatSync(link).isSymbolicLink(), 'the link stays a link');
  assert.match(readFileSync(out, 'utf8'), /"spdxVersion": "SPDX-2.3"/);
  noLeftovers(dir);
});
