import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync, linkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../../src/errors.js';
import { BufferByteSource } from '../../../src/io/byte-source.js';
import { CpioReader } from '../../../src/unpack/cpio/cpio-reader.js';
import { GzipReader } from '../../../src/unpack/gzip/gzip-reader.js';
import { cpioExtract, cpioOf } from '../../fixtures-build/pkg-fixtures.js';
import { collect, openAndList, sorted, testContext, treeOfDir, treeOfEntries } from '../../fixtures-build/pkg-harness.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool } from '../../helpers/tools.js';

function sampleTree(root: string): void {
  mkdirSync(join(root, 'lib', 'sub'), { recursive: true });
  writeFileSync(join(root, 'lib', 'a.txt'), 'alpha\n');
  writeFileSync(join(root, 'lib', 'sub', 'big.bin'), Buffer.alloc(200_003, 7));
  writeFileSync(join(root, 'empty'), '');
  linkSync(join(root, 'lib', 'a.txt'), join(root, 'lib', 'a-link.txt'));
  symlinkSync('../lib/a.txt', join(root, 'lib', 'sub', 'rel-link'));
  symlinkSync('/etc/passwd', join(root, 'abs-link'));
}

for (const format of ['odc', 'newc'] as const) {
  test(`cpio ${format}: members equal what GNU cpio -i extracts`, async (t) => {
    if (!requireTool(t, 'cpio')) return;
    const dir = await tempDir(t);
    sampleTree(join(dir, 'src'));
    const cpio = cpioOf(join(dir, 'src'), format);
    cpioExtract(cpio, join(dir, 'out'));
    const ctx = testContext(t);
    assert.ok(CpioReader.canRead(cpio.subarray(0, 64), 'x.cpio'));
    const c = await CpioReader.open(new BufferByteSource(cpio), ctx);
    assert.equal(c.info.properties.cpioFormat, format);
    const entries = await collect(c);
    assert.deepEqual(sorted(await treeOfEntries(entries)), sorted(treeOfDir(join(dir, 'out'))));
    const links = entries.filter((e) => e.kind === 'hardlink');
    assert.equal(links.length, 1, 'one of the two names is recorded as a hard link');
    const abs = entries.find((e) => e.path === 'abs-link');
    assert.equal(abs?.linkTarget, '/etc/passwd', 'symlink targets are recorded, not resolved');
    await c.close();
  });
}

test('gzip-wrapped cpio opens through GzipReader with the same members', async (t) => {
  if (!requireTool(t, 'cpio')) return;
  const dir = await tempDir(t);
  sampleTree(join(dir, 'src'));
  const cpio = cpioOf(join(dir, 'src'), 'odc');
  cpioExtract(cpio, join(dir, 'out'));
  const gz = new BufferByteSource(gzipSync(cpio));
  const ctx = testContext(t);
  assert.ok(GzipReader.canRead(gzipSync(cpio).subarray(0, 64), 'Payload'));
  const c = await GzipReader.open(gz, ctx);
  assert.equal(c.info.format, 'gzip');
  assert.equal(c.info.properties.content, 'cpio');
  assert.deepEqual(sorted(await treeOfEntries(await collect(c))), sorted(treeOfDir(join(dir, 'out'))));
  await c.close();
  // Other gzip content is one member, named after the compressed file.
  const other = await GzipReader.open(new BufferByteSource(gzipSync(Buffer.from('not cpio at all'))), testContext(t, {}, ['notes.txt.gz']));
  assert.equal(other.info.properties.content, 'file');
  assert.deepEqual((await collect(other)).map((e) => [e.path, e.size]), [['notes.txt', 15]]);
  await other.close();
});

/** An odc header written by hand: GNU cpio refuses to write `..` names. */
function odcMember(name: string, data: Buffer | string, mode = 0o100644, ino = 1, nlink = 1): Buffer {
  const body = Buffer.from(data);
  const nameBytes = Buffer.from(`${name}\0`);
  const o = (n: number, w: number) => n.toString(8).padStart(w, '0');
  const header =
    '070707' + o(0, 6) + o(ino, 6) + o(mode, 6) + o(0, 6) + o(0, 6) + o(nlink, 6) + o(0, 6) + o(0, 11) + o(nameBytes.length, 6) + o(body.length, 11);
  return Buffer.concat([Buffer.from(header, 'ascii'), nameBytes, body]);
}
const trailer = () => odcMember('TRAILER!!!', '', 0);

test('hostile cpio: names climbing out of the payload are refused', async (t) => {
  const ctx = testContext(t);
  for (const name of ['../../etc/evil', './a/../../evil', 'a/../../../evil']) {
    const cpio = Buffer.concat([odcMember(name, 'x'), trailer()]);
    await assert.rejects(openAndList(CpioReader.open(new BufferByteSource(cpio), ctx)), (e: unknown) => e instanceof InputError && /escapes/.test(e.message));
  }
});

test('hostile cpio: absolute and dotted names are contained and normalised', async (t) => {
  const ctx = testContext(t);
  const cpio = Buffer.concat([odcMember('/etc/passwd', 'root'), odcMember('./a/./b/../c', 'c'), trailer()]);
  const entries = await collect(await CpioReader.open(new BufferByteSource(cpio), ctx));
  assert.deepEqual(entries.map((e) => e.path), ['etc/passwd', 'a/c']);
});

test('hostile cpio: truncation, bad digits, missing trailer, oversized names', async (t) => {
  const ctx = testContext(t);
  const good = Buffer.concat([odcMember('a', 'hello'), trailer()]);
  const cases: [string, Buffer][] = [
    ['truncated data', good.subarray(0, 80)],
    ['no trailer', odcMember('a', 'hello')],
    ['bad digits', Buffer.concat([Buffer.from(odcMember('a', 'x').toString('latin1').replace(/^070707000000/, '07070700009Z'), 'latin1'), trailer()])],
    ['huge name size', Buffer.from('070707' + '0'.repeat(53) + '777777' + '0'.repeat(11), 'ascii')],
    ['symlink with a huge target', Buffer.concat([odcMember('l', Buffer.alloc(5000, 0x61), 0o120777), trailer()])],
  ];
  for (const [what, bytes] of cases) {
    await assert.rejects(openAndList(CpioReader.open(new BufferByteSource(bytes), ctx)), InputError, what);
  }
});

test('hostile gzip cpio: nothing is written outside the reader temp dir', async (t) => {
  const dir = await tempDir(t);
  const ctx = { ...testContext(t), tempDir: async () => dir };
  const cpio = Buffer.concat([odcMember('../../../../tmp/escaped', 'x'), trailer()]);
  await assert.rejects(openAndList(GzipReader.open(new BufferByteSource(gzipSync(Buffer.concat([cpio, Buffer.alloc(5 << 20)]))), ctx)), InputError);
  // Only the decoded spill file may exist, inside the temp dir.
  assert.ok(readdirSync(dir).every((n) => n.startsWith('decoded-')));
});
