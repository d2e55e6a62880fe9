import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { requireFixture, tempDir } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/cli.js';
import { requireTool } from '../../helpers/tools.js';
import { buildInnoShaped, innoBuildTools, innoSetupProgram, realSetupId } from '../../fixtures-build/inno.js';

test('Inno Setup: the installer component, and the setup data version innoextract detects; the files are a known unknown', { timeout: 120_000 }, async (t) => {
  for (const tool of [...innoBuildTools, 'innoextract']) if (!requireTool(t, tool)) return;
  if (!requireFixture(t, innoSetupProgram)) return;
  const dir = await tempDir(t);
  const id = realSetupId();
  assert.equal(id, 'Inno Setup Setup Data (6.4.0.1)');
  const exe = buildInnoShaped(join(dir, 'w'), join(dir, 'demo-setup.exe'), id);
  // innoextract 1.9 finds the loader's offset table and names the version before it gives up on
  // a header format newer than it knows: that line is the oracle for recognition and version.
  const ie = spawnSync('innoextract', ['-l', exe], { encoding: 'utf8' });
  const detected = /detected setup version: (\S+)/.exec(ie.stdout + ie.stderr)?.[1];
  assert.equal(detected, '6.4.0.1');

  const res = await walkArtifact(exe, async () => {});
  const info = res.root.info;
  assert.equal(info.format, 'inno-setup');
  // The data format outlives releases (the 6.4.1 compiler writes 6.4.0.1): it identifies, it does not date.
  assert.deepEqual(info.findings?.map((f) => [f.componentId, f.version]), [['inno-setup', undefined]]);
  assert.ok(info.findings![0]!.evidence.some((e) => e.text === id));
  assert.equal(info.properties.setupDataVersion, detected);
  assert.equal(info.properties.offsetTableRevision, '1');
  assert.equal(res.files.length, 0);
  assert.deepEqual(res.unknowns.map((u) => [u.kind, u.format]), [['unopened-container', 'inno-setup']]);
});

test('Inno Setup: a truncated installer and a damaged offset table exit 3 in one line', { timeout: 120_000 }, async (t) => {
  for (const tool of innoBuildTools) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const id = 'Inno Setup Setup Data (6.4.0.1)';
  const good = readFileSync(buildInnoShaped(join(dir, 'w'), join(dir, 'good.exe'), id));
  const truncated = buildInnoShaped(join(dir, 'w2'), join(dir, 'truncated.exe'), id, { truncate: good.length - 300 - 200 });
  const crc = Buffer.from(good);
  crc[crc.indexOf(Buffer.from('rDlPtS', 'latin1')) + 20]! ^= 0xff;
  writeFileSync(join(dir, 'bad-crc.exe'), crc);
  for (const [file, message] of [
    [truncated, /truncated Inno Setup installer: setup-1 at \d+ lies past the end/],
    [join(dir, 'bad-crc.exe'), /Inno Setup offset table CRC mismatch/],
  ] as const) {
    const out = `${file}.spdx.json`;
    const res = runCli(['build', file, '-o', out, '--supplier', 'Organization: Example']);
    assert.equal(res.status, 3, res.stderr);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, message);
    assert.equal(existsSync(out), false);
  }
});
