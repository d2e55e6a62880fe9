/**
 * Decompression bombs: 1 GiB of zeros deflated to about 1 MB is hashed within the
 * default limits (its SHA-256 checked against sha256sum of /dev/zero) or stopped with exit 3
 * naming the limit and its flag when a limit is lowered; never an out-of-memory crash. Also a
 * nested-zip bomb (depth), an entry-count bomb and an overlapping-members bomb (overall ratio).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { manyEntriesZip, nestedZip, zerosBombZip, zipOf } from '../fixtures-build/hostile-archives.js';
import { DEFAULT_LIMITS } from '../../src/unpack/limits.js';
import { buildIn, oneLineError, place, sandbox } from './sandbox.js';
import { requireTool } from '../helpers/tools.js';
import { cpioOdcOf, xarOfMembers } from '../fixtures-build/hostile-archives.js';
import { constants, crc32, deflateRawSync } from 'node:zlib';

const GiB = 1024 ** 3;

function assertLimit(r: { status: number; stderr: string }, limit: string, flag: string): void {
  assert.equal(r.status, 3, r.stderr);
  assert.ok(oneLineError(r.stderr), r.stderr);
  assert.match(r.stderr, new RegExp(`limit ${limit} reached`));
  assert.match(r.stderr, new RegExp(`raise it with ${flag}`));
}

let zerosSha: string | undefined;
/** The oracle: sha256sum of 1 GiB read from /dev/zero. */
function sha256OfZeros(): string {
  zerosSha ??= execFileSync('sh', ['-c', `head -c ${GiB} /dev/zero | sha256sum`], { encoding: 'utf8' }).split(' ')[0]!;
  return zerosSha;
}

test('1 GiB of zeros in a ~1 MB zip: hashed within the default limits', { timeout: 300_000 }, async (t) => {
  if (!requireTool(t, 'head') || !requireTool(t, 'sha256sum')) return;
  const sb = await sandbox(t);
  const bomb = zerosBombZip(GiB);
  assert.ok(bomb.length < 1.2e6, `bomb is ${bomb.length} bytes`);
  const r = buildIn(sb, place(sb, 'zeros.zip', bomb));
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(readFileSync(sb.out, 'utf8')) as { files: { fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[] };
  const f = doc.files.find((x) => x.fileName === './zeros.bin');
  assert.ok(f, 'the bomb entry is listed');
  assert.equal(f.checksums.find((c) => c.algorithm === 'SHA256')?.checksumValue, sha256OfZeros());
  assert.deepEqual(readdirSync(sb.tmp), [], 'the 1 GiB spill file is removed');
});

test('the same bomb under lowered limits stops with exit 3 naming the limit and flag', { timeout: 300_000 }, async (t) => {
  const sb = await sandbox(t);
  const path = place(sb, 'zeros.zip', zerosBombZip(GiB));
  assertLimit(buildIn(sb, path, ['--max-ratio', '500']), 'maxRatio', '--max-ratio');
  assertLimit(buildIn(sb, path, ['--max-entry-bytes', String(256 << 20)]), 'maxEntryBytes', '--max-entry-bytes');
  assertLimit(buildIn(sb, path, ['--max-total-bytes', String(100 << 20)]), 'maxTotalBytes', '--max-total-bytes');
  assert.equal(existsSync(sb.out), false);
  assert.deepEqual(readdirSync(sb.tmp), []);
});

test('overlapping members (every entry points at the same deflated data) hit the overall ratio', { timeout: 300_000 }, async (t) => {
  const sb = await sandbox(t);
  // 64 MiB per member at ~1000:1 stays under the per-entry ratio; 200 of them would be 12.5 GiB.
  const one = zerosBombZip(64 << 20);
  const cdAt = one.readUInt32LE(one.length - 6);
  const central = one.subarray(cdAt, one.length - 22);
  const count = 200;
  const centrals = Array.from({ length: count }, (_, i) => {
    const c = Buffer.from(central);
    const name = Buffer.from(`z${String(i).padStart(7, '0')}.bin`);
    c.writeUInt16LE(name.length, 28);
    return Buffer.concat([c.subarray(0, 46), name]);
  });
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(cdAt, 16);
  const started = Date.now();
  const r = buildIn(sb, place(sb, 'overlap.zip', Buffer.concat([one.subarray(0, cdAt), cd, eocd])));
  assertLimit(r, 'maxRatio', '--max-ratio');
  assert.match(r.stderr, /overall compression ratio/);
  assert.ok(Date.now() - started < 120_000, 'stopped early, not after 12 GiB');
  assert.deepEqual(readdirSync(sb.tmp), []);
});

test(`nested zips deeper than maxDepth (${DEFAULT_LIMITS.maxDepth}) stop with exit 3; --max-depth raises it`, { timeout: 60_000 }, async (t) => {
  const sb = await sandbox(t);
  const path = place(sb, 'nested.zip', nestedZip(DEFAULT_LIMITS.maxDepth + 3));
  assertLimit(buildIn(sb, path), 'maxDepth', '--max-depth');
  assert.equal(existsSync(sb.out), false);
  const raised = buildIn(sb, path, ['--max-depth', String(DEFAULT_LIMITS.maxDepth + 5)]);
  assert.equal(raised.status, 0, raised.stderr);
});

test(`more than maxEntries (${DEFAULT_LIMITS.maxEntries}) members stop with exit 3; --max-entries raises it`, { timeout: 120_000 }, async (t) => {
  const sb = await sandbox(t);
  const path = place(sb, 'many.zip', manyEntriesZip(DEFAULT_LIMITS.maxEntries + 1));
  assertLimit(buildIn(sb, path), 'maxEntries', '--max-entries');
  assert.equal(buildIn(sb, path, ['--max-entries', String(DEFAULT_LIMITS.maxEntries + 10)]).status, 0);
});

/** gzip (RFC 1952) of `head`, then `zeros` MiB of zeros, then `tail`, built from repeated blocks. */
function gzipWithZeros(head: Buffer, zerosMiB: number, tail: Buffer): Buffer {
  const MiB = 1 << 20;
  const zero = Buffer.alloc(MiB);
  const flush = { level: 9, finishFlush: constants.Z_FULL_FLUSH };
  const block = deflateRawSync(zero, flush);
  const body = Buffer.concat([deflateRawSync(head, flush), ...Array<Buffer>(zerosMiB).fill(block), deflateRawSync(tail)]);
  let crc = crc32(head);
  for (let i = 0; i < zerosMiB; i++) crc = crc32(zero, crc);
  crc = crc32(tail, crc);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE((head.length + zerosMiB * MiB + tail.length) % 2 ** 32, 4);
  return Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), body, trailer]);
}

test('a pkg whose gzip cpio Payload holds 1 GiB of zeros: hashed by default, exit 3 under --max-ratio 500', { timeout: 300_000 }, async (t) => {
  if (!requireTool(t, 'head') || !requireTool(t, 'sha256sum')) return;
  const sb = await sandbox(t);
  // The cpio header of one 1 GiB member, its zeros, then the trailer record.
  const full = cpioOdcOf([{ name: 'zeros.bin', data: Buffer.alloc(0) }]);
  const trailerAt = full.indexOf('070707', 6);
  const header = Buffer.from(full.subarray(0, trailerAt));
  header.write(GiB.toString(8).padStart(11, '0'), trailerAt - 11 - 'zeros.bin\0'.length, 'latin1');
  const payload = gzipWithZeros(header, 1024, full.subarray(trailerAt));
  const pkg = xarOfMembers([
    { name: 'PackageInfo', type: 'file', data: Buffer.from('<?xml version="1.0"?><pkg-info identifier="org.example.bomb" version="1.0" install-location="/opt/bomb"/>') },
    { name: 'Payload', type: 'file', data: payload },
  ]);
  const path = place(sb, 'bomb.pkg', pkg);
  const r = buildIn(sb, path);
  assert.equal(r.status, 0, r.stderr);
  const doc = JSON.parse(readFileSync(sb.out, 'utf8')) as { files: { fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[] };
  const f = doc.files.find((x) => x.fileName.endsWith('/zeros.bin'));
  assert.ok(f, doc.files.map((x) => x.fileName).join(' '));
  assert.equal(f.checksums.find((c) => c.algorithm === 'SHA256')?.checksumValue, sha256OfZeros());
  assertLimit(buildIn(sb, path, ['--max-ratio', '500']), 'maxRatio', '--max-ratio');
  assert.deepEqual(readdirSync(sb.tmp), []);
});

test('zipOf writes what bsdtar lists (the hostile writers are real zips)', async (t) => {
  if (!requireTool(t, 'bsdtar')) return;
  const sb = await sandbox(t);
  const path = place(sb, 'plain.zip', zipOf([{ name: 'a.txt', data: Buffer.from('hello'), method: 8 }, { name: 'b/c.txt', data: Buffer.from('x') }]));
  assert.deepEqual(execFileSync('bsdtar', ['-tf', path], { encoding: 'utf8' }).trim().split('\n'), ['a.txt', 'b/c.txt']);
  t.diagnostic(String(existsSync(path)));
});
