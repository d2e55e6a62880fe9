import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { tempDir } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/cli.js';
import { requireTool, run } from '../../helpers/tools.js';
import { buildDmg, dmgBuildTools, dmgTree } from '../../fixtures-build/dmg.js';
import { hashTree } from '../cab/collect.js';

async function walk(path: string) {
  const files = new Map<string, string>();
  const res = await walkArtifact(path, async (f, _source, digests) => {
    files.set(f.path, (await digests).sha256);
  });
  return { res, files };
}

/** Debian's native 7zz (not the WASM build the reader uses) extracts the volume: paths and bytes. */
function oracle(dmg: string, out: string): void {
  mkdirSync(out, { recursive: true });
  run('7zz', ['x', '-y', `-o${out}`, dmg]);

}

test('DMG (HFS+, zlib, bzip2 and raw chunks): paths and bytes equal Debian 7zz; the image equals dmg2img\'s conversion', { timeout: 180_000 }, async (t) => {
  for (const tool of dmgBuildTools) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const tree = dmgTree(dir, 300);
  for (const chunk of ['zlib', 'bzip2', 'raw'] as const) {
    const dmg = buildDmg(tree, join(dir, `demo-${chunk}.dmg`), chunk, join(dir, `demo-${chunk}.img`));
    // dmg2img is the independent UDIF reader: the image it rebuilds is the volume we wrapped.
    run('dmg2img', ['-s', dmg, join(dir, `conv-${chunk}.img`)]);
    assert.ok(readFileSync(join(dir, `conv-${chunk}.img`)).equals(readFileSync(join(dir, `demo-${chunk}.img`))), chunk);

    const out = join(dir, `oracle-${chunk}`);
    oracle(dmg, out);
    // 7-Zip puts the volume name first; entries are below the volume.
    const want = await hashTree(join(out, 'Demo'));
    const { res, files } = await walk(dmg);
    const regular = new Map([...files].filter(([p]) => p !== 'latest'));
    assert.deepEqual([...regular.keys()].sort(), [...want.keys()].filter((p) => p !== 'latest').sort(), chunk);
    for (const [p, sha] of regular) assert.equal(sha, want.get(p), `${chunk}: ${p}`);
    assert.equal(regular.size, 303);

    const link = res.files.find((f) => f.path === 'latest')!;
    assert.equal(link.kind, 'symlink');
    assert.equal(link.linkTarget, 'docs/Read Me.txt');

    const info = res.root.info;
    assert.equal(info.format, 'dmg');
    assert.equal(info.properties.fileSystem, 'HFS');
    assert.equal(info.properties.partitions, 'disk image (Apple_HFS : 0)');
    assert.ok(info.properties.chunkMethods!.split(',').includes(chunk), info.properties.chunkMethods);
    assert.deepEqual(info.warnings, []);
    assert.deepEqual(res.unknowns, []);
    // The Info.plist inside the bundle is found and read as in any container.
    assert.ok(files.has('Demo.app/Contents/Info.plist'));
  }
});

test('DMG: damage exits 3 in one line; an encrypted image is a known unknown', { timeout: 120_000 }, async (t) => {
  if (!requireTool(t, '7zz')) return;
  const dir = await tempDir(t);
  const dmg = readFileSync(buildDmg(dmgTree(dir), join(dir, 'demo.dmg')));
  const cases: [string, Buffer, RegExp][] = [];
  // The trailer points the property list past the end of the image.
  const plistOut = Buffer.from(dmg);
  plistOut.writeBigUInt64BE(BigInt(dmg.length * 2), dmg.length - 512 + 216);
  cases.push(['plist-out.dmg', plistOut, /UDIF property list \(\d+\+\d+\) lies outside the image/]);
  // A compressed chunk's bytes overwritten: 7-Zip's CRC or data check refuses it.
  const chunk = Buffer.from(dmg);
  chunk.fill(0x55, 30_000, 30_400);
  cases.push(['bad-chunk.dmg', chunk, /./]);
  for (const [name, bytes, message] of cases) {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    const out = join(dir, `${name}.spdx.json`);
    const res = runCli(['build', p, '-o', out, '--supplier', 'Organization: Example']);
    assert.equal(res.status, 3, `${name}: ${res.stderr}`);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, new RegExp(`${name.replace('.', '\\.')}: .*${message.source}`));
    assert.equal(existsSync(out), false);
  }

  const enc = join(dir, 'secret.dmg');
  writeFileSync(enc, Buffer.concat([Buffer.from('encrcdsa'), Buffer.alloc(4096, 0x42)]));
  const { res } = await walk(enc);
  assert.equal(res.root.info.format, 'dmg');
  assert.deepEqual(res.unknowns.map((u) => [u.kind, u.format]), [['unopened-container', 'dmg']]);
});

test('a file merely named .dmg without the trailer is an ordinary file', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'notes.dmg');
  writeFileSync(p, 'not a disk image\n');
  const res = runCli(['build', p, '-o', join(dir, 'n.spdx.json'), '--supplier', 'Organization: Example']);
  assert.equal(res.status, 0, res.stdout + res.stderr);
});
