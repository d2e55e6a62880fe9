import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/cli.js';

/** A UDIF-shaped file: data, then the 512-byte koly trailer (Apple TN1150-era UDIF layout). */
function fakeDmg(): Buffer {
  const trailer = Buffer.alloc(512);
  trailer.write('koly', 0, 'latin1');
  trailer.writeUInt32BE(4, 4);
  trailer.writeUInt32BE(512, 8);
  return Buffer.concat([Buffer.alloc(4096, 0x5a), trailer]);
}

test('a .dmg is recognised and refused with exit 3 and a one-line reason', async (t) => {
  const dir = await tempDir(t);
  const dmg = join(dir, 'python-3.13.0-macos11.dmg');
  writeFileSync(dmg, fakeDmg());
  const out = join(dir, 'x.spdx.json');
  const res = runCli(['build', dmg, '-o', out]);
  assert.equal(res.status, 3, res.stdout + res.stderr);
  assert.match(res.stderr.trim(), /^installer-sbom: python-3\.13\.0-macos11\.dmg: \.dmg disk images \(UDIF\) are not supported/);
  assert.equal(res.stderr.trim().split('\n').length, 1);
  assert.equal(existsSync(out), false);
});

test('a file merely named .dmg without the trailer is an ordinary file', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'notes.dmg');
  writeFileSync(p, 'not a disk image\n');
  const res = runCli(['build', p, '-o', join(dir, 'n.spdx.json'), '--supplier', 'Organization: Example']);
  assert.equal(res.status, 0, res.stdout + res.stderr);
});
