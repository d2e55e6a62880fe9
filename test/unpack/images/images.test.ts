import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, openSync, readFileSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoFormat } from '../../../src/unpack/iso/descriptor.js';
import { fatFormat } from '../../../src/unpack/fat/descriptor.js';
import { uefiFormat } from '../../../src/unpack/uefi/descriptor.js';
import { HEAD_BYTES, type ContainerReader } from '../../../src/unpack/types.js';
import { debFixture, requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { runCli } from '../../helpers/cli.js';
import { zlibDll } from '../../fixtures-build/msi-cab.js';
import { collect, hashTree, sorted } from '../cab/collect.js';

const ipxeIso = join(debFixture('ipxe'), 'usr', 'lib', 'ipxe', 'ipxe.iso');
const ovmfCode = join(debFixture('ovmf'), 'usr', 'share', 'OVMF', 'OVMF_CODE_4M.fd');
const ovmfVars = join(debFixture('ovmf'), 'usr', 'share', 'OVMF', 'OVMF_VARS_4M.fd');

function head(path: string): Uint8Array {
  const buf = Buffer.alloc(HEAD_BYTES);
  const fd = openSync(path, 'r');
  try {
    return buf.subarray(0, readSync(fd, buf, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

/** What `7zz x` writes for `file`: the oracle for names and bytes. */
async function sevenZipTree(file: string, dir: string): Promise<Map<string, string>> {
  const out = join(dir, `7zz-${Math.random().toString(36).slice(2)}`);
  run('7zz', ['x', '-y', `-o${out}`, file]);
  return hashTree(out);
}

const reader = (r: ContainerReader | undefined): ContainerReader => r!;

test('ISO 9660 (genisoimage, Rock Ridge + Joliet): members and bytes are the tree it was made from; a DLL inside is inspected', async (t) => {
  if (!requireTool(t, 'genisoimage') || !requireFixture(t, zlibDll)) return;
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(join(src, 'bin'), { recursive: true });
  mkdirSync(join(src, 'docs', 'deep'), { recursive: true });
  copyFileSync(zlibDll, join(src, 'bin', 'zlib1.dll'));
  writeFileSync(join(src, 'docs', 'deep', 'A long name with spaces.txt'), 'read me\n'.repeat(500));
  const iso = join(dir, 'image.iso');
  run('genisoimage', ['-quiet', '-R', '-J', '-V', 'TEST', '-o', iso, src]);
  assert.ok(isoFormat.magic(head(iso), 'image.iso'));
  const got = await collect(reader(isoFormat.reader), iso, dir);
  assert.deepEqual(sorted(got.hashes), sorted(await hashTree(src)));
  const res = runCli(['build', iso, '-o', join(dir, 'image.spdx.json')]);
  assert.equal(res.status, 0, res.stderr);
  const doc = JSON.parse(readFileSync(join(dir, 'image.spdx.json'), 'utf8')) as { packages: { name: string; versionInfo?: string }[] };
  assert.ok(doc.packages.some((p) => p.name === 'zlib' && p.versionInfo === '1.2.13'), res.stdout);
});

test("iPXE's bootable ISO: its members, the FAT EFI partition image inside and its bootx64.efi, as 7-Zip extracts them", async (t) => {
  if (!requireTool(t, '7zz') || !requireFixture(t, ipxeIso)) return;
  const dir = await tempDir(t);
  const iso = await collect(reader(isoFormat.reader), ipxeIso, dir);
  assert.deepEqual(sorted(iso.hashes), sorted(await sevenZipTree(ipxeIso, dir)));
  assert.ok(iso.hashes.has('efi.img'));
  // The EFI system partition image, taken out as 7-Zip writes it, is a FAT file system.
  const efiImg = join(dir, 'efi.img');
  run('7zz', ['e', '-y', `-o${dir}`, ipxeIso, 'efi.img']);
  assert.ok(fatFormat.magic(head(efiImg), 'efi.img'));
  const fat = await collect(reader(fatFormat.reader), efiImg, dir);
  assert.deepEqual(sorted(fat.hashes), sorted(await sevenZipTree(efiImg, dir)));
  assert.deepEqual([...fat.hashes.keys()], ['efi/boot/bootx64.efi']);
  // Through the walk, the bootloader two containers down is inspected as a PE.
  const res = runCli(['inspect', ipxeIso]);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /efi\.img\s+\[fat\]/);
  assert.match(res.stdout, /efi\.img\/efi\/boot\/bootx64\.efi\s+PE PE32\+ x64/);
});

test("OVMF: a firmware volume's files are members (its PE drivers inspected); a variable store is a plain file", async (t) => {
  if (!requireTool(t, '7zz') || !requireFixture(t, ovmfCode) || !requireFixture(t, ovmfVars)) return;
  const dir = await tempDir(t);
  assert.ok(uefiFormat.magic(head(ovmfCode), 'OVMF_CODE_4M.fd'));
  const fv = await collect(reader(uefiFormat.reader), ovmfCode, dir);
  const want = await sevenZipTree(ovmfCode, dir);
  assert.deepEqual(sorted(fv.hashes), sorted(want));
  const pe = [...fv.hashes.keys()].filter((p) => p.endsWith('.efi'));
  assert.ok(pe.length > 100, `${pe.length} .efi members`);
  // Same header, NV data GUID: UEFI variables, no files; 7-Zip cannot list it either.
  assert.equal(uefiFormat.magic(head(ovmfVars), 'OVMF_VARS_4M.fd'), false);
  const vars = runCli(['inspect', ovmfVars]);
  assert.equal(vars.status, 0, vars.stderr);
  assert.match(vars.stdout, /OVMF_VARS_4M\.fd\s+\[file\]/);
});
