import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { pseudoRandomBytes } from '../../fixtures-build/msi-cab.js';
import { hashTree } from './collect.js';

/**
 * A cabinet set split across volumes, written by Wine's cabarc (cabinet.dll's FCI, an
 * implementation of Microsoft's cabinet API) with a maximum disk size: files span volumes and
 * data blocks are split at volume ends. cabextract reads the set from its first cabinet.
 */
function buildSet(dir: string): { src: string; set: string } {
  const src = join(dir, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'a.bin'), pseudoRandomBytes(150_000, 1));
  writeFileSync(join(src, 'b.txt'), 'line of text\n'.repeat(15_000));
  writeFileSync(join(src, 'c.txt'), 'small\n');
  const work = join(dir, 'work');
  mkdirSync(work);
  for (const f of ['a.bin', 'b.txt', 'c.txt']) copyFileSync(join(src, f), join(work, f));
  const env = { ...process.env, WINEPREFIX: join(dir, 'wineprefix'), WINEDEBUG: '-all' };
  execFileSync('wine', ['cabarc.exe', '-m', 'mszip', '-d', '60000', 'N', 'disk*.cab', 'a.bin', 'b.txt', 'c.txt'], { cwd: work, env, stdio: 'ignore', timeout: 240_000 });
  const set = join(dir, 'set');
  mkdirSync(set);
  for (const f of readdirSync(work).filter((n) => n.endsWith('.cab'))) renameSync(join(work, f), join(set, f));
  return { src, set };
}

test('a cabinet set split across volumes is read from its first cabinet: every file, bytes equal cabextract', { timeout: 300_000 }, async (t) => {
  if (!requireTool(t, 'wine') || !requireTool(t, 'cabextract')) return;
  const dir = await tempDir(t);
  const { src, set } = buildSet(dir);
  const first = join(set, 'disk1.cab');
  const out = join(dir, 'cabextract');
  mkdirSync(out);
  run('cabextract', ['-q', '-d', out, first]);
  const want = await hashTree(out);
  assert.deepEqual([...want].sort(), [...(await hashTree(src))].sort());
  const res = await walkArtifact(first, async () => {});
  assert.ok(res.root.info.properties.volumes!.split(',').length >= 2, res.root.info.properties.volumes);
  assert.deepEqual(res.files.map((f) => [f.path, f.digests?.sha256]).sort(), [...want].sort());
  assert.deepEqual(res.unknowns, []);

  // Without the other volumes beside it, the files they hold are known unknowns.
  const lone = join(dir, 'lone');
  mkdirSync(lone);
  copyFileSync(first, join(lone, 'disk1.cab'));
  const alone = await walkArtifact(join(lone, 'disk1.cab'), async () => {});
  assert.ok(alone.unknowns.some((u) => u.path === '' && u.declared?.cabinet === 'disk2.cab'));
  assert.ok(alone.files.some((f) => f.absent));
});
