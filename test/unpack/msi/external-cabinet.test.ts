import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { buildMsiFixtures, msiBuildTools } from '../../fixtures-build/msi-cab.js';
import { hashTree } from '../cab/collect.js';

const filesOf = async (path: string): Promise<Map<string, string>> => {
  const res = await walkArtifact(path, async () => {});
  return new Map(res.files.filter((f) => !f.absent).map((f) => [f.path, f.digests!.sha256]));
};

test('an MSI whose cabinet is a file beside it (EmbedCab="no") yields every file, bytes equal msiextract', { timeout: 120_000 }, async (t) => {
  for (const tool of msiBuildTools) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const fx = buildMsiFixtures(dir);
  const out = join(dir, 'msiextract');
  mkdirSync(out);
  run('msiextract', ['-C', out, fx.external]);
  const want = await hashTree(out);
  assert.deepEqual([...(await filesOf(fx.external))].sort(), [...want].sort());

  // Windows names are case-insensitive: the Media table's name finds EXT.CAB too.
  const other = join(dir, 'other');
  mkdirSync(other);
  copyFileSync(fx.external, join(other, 'external.msi'));
  copyFileSync(join(dir, 'external', 'ext.cab'), join(other, 'EXT.CAB'));
  assert.deepEqual([...(await filesOf(join(other, 'external.msi')))].sort(), [...want].sort());

  // Given as a release directory, the MSI assembles its files from the cabinet beside it, and
  // the cabinet is listed as itself too.
  const res = await walkArtifact(join(dir, 'external'), async () => {});
  const paths = res.files.filter((f) => !f.absent).map((f) => f.path);
  for (const p of want.keys()) assert.ok(paths.includes(`external.msi/${p}`), p);
  assert.ok(paths.some((p) => p.startsWith('ext.cab/')));
  assert.deepEqual(res.unknowns, []);
});

test('a missing external cabinet is an absent known unknown; its files are listed as absent', async (t) => {
  for (const tool of msiBuildTools) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const fx = buildMsiFixtures(dir);
  const alone = join(dir, 'alone');
  mkdirSync(alone);
  copyFileSync(fx.external, join(alone, 'external.msi'));
  const res = await walkArtifact(join(alone, 'external.msi'), async () => {});
  assert.ok(res.files.length > 0);
  assert.ok(res.files.every((f) => f.absent && f.declared?.['msi.cabinet'] === 'ext.cab'));
  assert.deepEqual(res.unknowns.map((u) => [u.kind, u.path, u.format, u.declared?.cabinet, u.declared?.files]), [['absent', '', 'cab', 'ext.cab', String(res.files.length)]]);
});
