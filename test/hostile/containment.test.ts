/**
 * Containment: hostile member names and links in zip, cpio and xar are normalised or
 * refused per safeEntryPath, never resolved on disk; nothing is written outside the work area;
 * TMPDIR is empty after the run whether it succeeded or failed; no output on failure.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test, type TestContext } from 'node:test';
import { cpioOdcOf, xarOfMembers, zipOf } from '../fixtures-build/hostile-archives.js';
import { buildIn, oneLineError, place, sandbox, snapshot, type Sandbox } from './sandbox.js';
import type { CliResult } from '../helpers/cli.js';

interface Outcome {
  r: CliResult;
  sb: Sandbox;
  fileNames: string[];
}

const S_IFLNK = 0o120777;

async function runContained(t: TestContext, name: string, bytes: Buffer): Promise<Outcome> {
  const sb = await sandbox(t);
  const path = place(sb, name, bytes);
  const skip = (rel: string): boolean => rel === 'tmp' || rel.startsWith('tmp/') || rel === 'out.spdx.json';
  const before = snapshot(sb.root, skip);
  const r = buildIn(sb, path);
  assert.deepEqual(snapshot(sb.root, skip), before, `nothing may be written in the sandbox (exit ${r.status}: ${r.stderr})`);
  assert.deepEqual(readdirSync(sb.tmp), [], 'TMPDIR must be empty after the run');
  assert.ok([0, 1, 3].includes(r.status), `exit ${r.status}: ${r.stderr}`);
  let fileNames: string[] = [];
  if (r.status === 3) {
    assert.equal(existsSync(sb.out), false, 'no output on failure');
    assert.ok(oneLineError(r.stderr), r.stderr);
    assert.match(r.stderr, new RegExp(name.replace(/\./g, '\\.')), 'the error names the artifact');
  } else {
    const doc = JSON.parse(readFileSync(sb.out, 'utf8')) as { files?: { fileName: string }[] };
    fileNames = (doc.files ?? []).map((f) => f.fileName).sort();
    for (const f of fileNames) {
      assert.ok(f.startsWith('./') && !f.split('/').includes('..') && !/[\u0000-\u001f]/.test(f), `contained file name: ${JSON.stringify(f)}`);
    }
  }
  return { r, sb, fileNames };
}

const text = (s: string): Buffer => Buffer.from(s);
const evilAbs = `/tmp/isbom-hostile-${process.pid}-abs`;

test('zip-slip: ../../evil is refused with exit 3, nothing written', async (t) => {
  const { r } = await runContained(t, 'slip.zip', zipOf([{ name: 'ok.txt', data: text('fine') }, { name: '../../evil', data: text('pwned') }]));
  assert.equal(r.status, 3);
  assert.match(r.stderr, /escapes its container/);
});

test('zip-slip with backslashes: ..\\..\\evil.dll is refused too', async (t) => {
  const { r } = await runContained(t, 'slip-win.zip', zipOf([{ name: Buffer.from('..\\..\\evil.dll'), data: text('MZ') }]));
  assert.equal(r.status, 3);
  assert.match(r.stderr, /escapes its container/);
});

test('zip: absolute paths, drive letters and dotted names are made relative to the container', async (t) => {
  const { r, fileNames } = await runContained(
    t,
    'absolute.zip',
    zipOf([
      { name: `${evilAbs}`, data: text('abs') },
      { name: Buffer.from('C:\\Windows\\System32\\evil.dll'), data: text('drive') },
      { name: 'a/./b/../c.txt', data: text('dots') },
      { name: Buffer.from('x\\..\\y.txt'), data: text('back') },
    ]),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(fileNames, ['./Windows/System32/evil.dll', './a/c.txt', `.${evilAbs}`, './y.txt'].sort());
  assert.equal(existsSync(evilAbs), false);
});

for (const [label, raw] of [
  ['NUL', 'a\u0000b.txt'],
  ['escape sequence', 'x\u001b[31mred.txt'],
  ['newline', 'line\nbreak.txt'],
] as const) {
  test(`zip: a name with a ${label} character is refused with exit 3`, async (t) => {
    const { r } = await runContained(t, `ctl-${label.replace(/ /g, '-')}.zip`, zipOf([{ name: raw, data: text('x') }]));
    assert.equal(r.status, 3);
    assert.match(r.stderr, /control characters/);
  });
}

test('zip: duplicate names end in a result or exit 3, never a crash', async (t) => {
  const { r } = await runContained(t, 'dup.zip', zipOf([{ name: 'dup.txt', data: text('one') }, { name: 'dup.txt', data: text('two') }, { name: './dup.txt', data: text('three') }]));
  assert.ok([0, 1, 3].includes(r.status), r.stderr);
});

test('zip: symlinks to /etc/passwd and ../../x are recorded, never followed; a file "through" a link stays a name', async (t) => {
  const { r, fileNames } = await runContained(
    t,
    'links.zip',
    zipOf([
      { name: 'passwd', data: text('/etc/passwd'), unixMode: S_IFLNK },
      { name: 'up', data: text('../../x'), unixMode: S_IFLNK },
      { name: 'up/evil.txt', data: text('through the link') },
    ]),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fileNames.includes('./up/evil.txt'), fileNames.join(' '));
  assert.equal(existsSync('/x'), false);
});

test('cpio: ../ names are refused with exit 3', async (t) => {
  const { r } = await runContained(t, 'slip.cpio', cpioOdcOf([{ name: 'ok.txt', data: text('ok') }, { name: '../../evil', data: text('pwned') }]));
  assert.equal(r.status, 3);
  assert.match(r.stderr, /escapes its container/);
});

test('cpio: absolute names, symlinks outside and hard links are contained', async (t) => {
  const { r, fileNames } = await runContained(
    t,
    'links.cpio',
    cpioOdcOf([
      { name: evilAbs, data: text('abs') },
      { name: 'passwd', data: text('/etc/passwd'), mode: S_IFLNK },
      { name: 'up', data: text('../../x'), mode: S_IFLNK },
      { name: 'up/evil.txt', data: text('through the link') },
      { name: 'hard-a', data: text('same inode'), ino: 77, nlink: 2 },
      { name: 'hard-b', data: Buffer.alloc(0), ino: 77, nlink: 2 },
    ]),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fileNames.includes(`.${evilAbs}`) && fileNames.includes('./up/evil.txt'), fileNames.join(' '));
  assert.equal(existsSync(evilAbs), false);
});

test('xar: a ../ name, at the top or under a directory, is refused with exit 3', async (t) => {
  const top = await runContained(t, 'slip.xar', xarOfMembers([{ name: '../../evil', type: 'file', data: text('pwned') }]));
  assert.equal(top.r.status, 3);
  assert.match(top.r.stderr, /escapes its container/);
  const nested = await runContained(t, 'slip-nested.xar', xarOfMembers([{ name: 'd', type: 'directory', children: [{ name: '../../../evil', type: 'file', data: text('pwned') }] }]));
  assert.equal(nested.r.status, 3);
  assert.match(nested.r.stderr, /escapes its container/);
});

test('xar: absolute names, symlinks outside and hard links are contained', async (t) => {
  const { r, fileNames } = await runContained(
    t,
    'links.xar',
    xarOfMembers([
      { name: evilAbs, type: 'file', data: text('abs') },
      { name: 'passwd', type: 'symlink', link: '/etc/passwd' },
      { name: 'up', type: 'symlink', link: '../../x' },
      { name: 'orig.txt', type: 'hardlink', data: text('original') },
      { name: 'again.txt', type: 'hardlink', link: '4' },
    ]),
  );
  assert.equal(r.status, 0, r.stderr);
  assert.ok(fileNames.includes(`.${evilAbs}`) && fileNames.includes('./orig.txt'), fileNames.join(' '));
  assert.equal(existsSync(evilAbs), false);
});
