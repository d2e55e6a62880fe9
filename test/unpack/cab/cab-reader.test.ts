import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { BufferByteSource } from '../../../src/io/byte-source.js';
import { CabReader } from '../../../src/unpack/cab/cab-reader.js';
import { cabChecksum } from '../../../src/unpack/cab/cab-checksum.js';
import { extractWith7z, list7z } from '../../../src/unpack/sevenzip/seven-zip.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { buildCabFixtures, pseudoRandomBytes } from '../../fixtures-build/msi-cab.js';
import { collect, hashTree, makeContext, sorted } from './collect.js';

async function fixtures(t: import('node:test').TestContext) {
  for (const tool of ['gcab', 'cabextract']) if (!requireTool(t, tool)) return undefined;
  const dir = await tempDir(t);
  return { dir, ...buildCabFixtures(dir) };
}

/** What cabextract (the oracle) extracts: member path → sha256. */
async function cabextractTree(cab: string, dir: string): Promise<Map<string, string>> {
  const out = join(dir, `cabextract-${Math.random().toString(36).slice(2)}`);
  mkdirSync(out);
  run('cabextract', ['-q', '-d', out, cab]);
  return hashTree(out);
}

for (const kind of ['mszip', 'stored'] as const) {
  test(`CAB (${kind}, gcab): member names and bytes equal cabextract's`, async (t) => {
    const fx = await fixtures(t);
    if (!fx) return;
    const cab = fx[kind];
    const got = await collect(CabReader, cab, fx.dir);
    const want = await cabextractTree(cab, fx.dir);
    assert.deepEqual(sorted(got.hashes), sorted(want));
    assert.equal(got.info.format, 'cab');
    assert.equal(got.info.properties.compression, kind === 'mszip' ? 'MSZIP' : 'none');
    // gcab -t lists the same names (with backslashes), independent of cabextract.
    const listed = run('gcab', ['-t', cab]).split('\n').filter((l) => l !== '').map((l) => l.replace(/\\/g, '/'));
    assert.deepEqual([...got.hashes.keys()].sort(), listed.sort());
    assert.deepEqual(got.info.warnings, []);
  });
}

test('CAB: reading members out of order still gives the right bytes', async (t) => {
  const fx = await fixtures(t);
  if (!fx) return;
  const want = await cabextractTree(fx.mszip, fx.dir);
  const src = new BufferByteSource(readFileSync(fx.mszip));
  const opened = await CabReader.open(src, makeContext(fx.dir));
  const entries = [];
  for await (const e of opened.entries()) entries.push(e);
  const { createHash } = await import('node:crypto');
  for (const e of entries.reverse()) {
    const b = await e.open();
    const bytes = await b.read(0, b.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), want.get(e.path), e.path);
  }
  await opened.close();
});

test('7z-wasm wrapper: extractWith7z and list7z agree with cabextract', async (t) => {
  const fx = await fixtures(t);
  if (!fx) return;
  const dest = join(fx.dir, '7z-out');
  mkdirSync(dest);
  await extractWith7z(fx.mszip, dest, { type: 'Cab' });
  const want = await cabextractTree(fx.mszip, fx.dir);
  assert.deepEqual(sorted(await hashTree(dest)), sorted(want));
  const listing = await list7z(fx.mszip);
  assert.equal(listing.archive.Type, 'Cab');
  assert.deepEqual(listing.entries.map((e) => e.Path).sort(), [...want.keys()].sort());
  // The same instance keeps working after an error.
  const notArchive = join(fx.dir, 'not-an-archive.bin');
  writeFileSync(notArchive, 'plain text, not an archive\n');
  await assert.rejects(list7z(notArchive), InputError);
  await assert.rejects(extractWith7z(notArchive, dest, { type: 'Cab' }), InputError);
  assert.equal((await list7z(fx.stored)).entries.length, want.size);
});

test('CFDATA checksum matches the value gcab wrote', async (t) => {
  const fx = await fixtures(t);
  if (!fx) return;
  const cab = readFileSync(fx.mszip);
  const dv = new DataView(cab.buffer, cab.byteOffset, cab.byteLength);
  const first = dv.getUint32(36, true); // coffCabStart of folder 0 (no reserve, no set names)
  const cbData = dv.getUint16(first + 4, true);
  const stored = dv.getUint32(first, true);
  assert.notEqual(stored, 0);
  const data = cab.subarray(first + 8, first + 8 + cbData);
  assert.equal(cabChecksum(cab.subarray(first + 4, first + 8), cabChecksum(data, 0)), stored);
});

/** Reads every member; returns the error, if any. */
async function drain(bytes: Uint8Array, dir: string): Promise<unknown> {
  try {
    const opened = await CabReader.open(new BufferByteSource(bytes), makeContext(dir, ['bad.cab']));
    for await (const e of opened.entries()) {
      if (e.absent) continue;
      const b = await e.open();
      await b.read(0, b.size);
    }
    await opened.close();
    return undefined;
  } catch (err) {
    return err;
  }
}

test('CAB corruption: truncation, bad cbData, bad checksum, bad names are InputErrors', async (t) => {
  const fx = await fixtures(t);
  if (!fx) return;
  const good = readFileSync(fx.mszip);
  const first = good.readUInt32LE(36);
  for (const cut of [10, 40, first + 4, Math.floor(good.length * 0.6), good.length - 1]) {
    const err = await drain(good.subarray(0, cut), fx.dir);
    assert.ok(err instanceof InputError, `cut at ${cut}: ${String(err)}`);
    assert.equal((err as InputError).chain[0], 'bad.cab');
  }
  // cbData grown by one: the checksum no longer matches.
  const grown = Buffer.from(good);
  grown.writeUInt16LE(grown.readUInt16LE(first + 4) + 1, first + 4);
  assert.ok((await drain(grown, fx.dir)) instanceof InputError);
  // Same, with the checksum cleared: now the inflater or the size check has to catch it.
  const unsummed = Buffer.from(grown);
  unsummed.writeUInt32LE(0, first);
  assert.ok((await drain(unsummed, fx.dir)) instanceof InputError);
  // cbData shrunk, checksum cleared.
  const shrunk = Buffer.from(good);
  shrunk.writeUInt16LE(100, first + 4);
  shrunk.writeUInt32LE(0, first);
  assert.ok((await drain(shrunk, fx.dir)) instanceof InputError);
  // A flipped data byte.
  const flipped = Buffer.from(good);
  flipped[first + 8 + 50] ^= 0xff;
  assert.ok((await drain(flipped, fx.dir)) instanceof InputError);
  // A member name without a terminator.
  const coffFiles = good.readUInt32LE(16);
  const noNul = Buffer.from(good.subarray(0, coffFiles + 16 + 3));
  assert.ok((await drain(noNul, fx.dir)) instanceof InputError);
  // Too many files declared.
  const many = Buffer.from(good);
  many.writeUInt16LE(60000, 28);
  assert.ok((await drain(many, fx.dir)) instanceof InputError);
  // A file pointing past the end of its folder.
  const past = Buffer.from(good);
  past.writeUInt32LE(50_000_000, coffFiles + 4);
  assert.ok((await drain(past, fx.dir)) instanceof InputError);
});

test('CAB: a file continued into another cabinet is listed as absent with a warning', async (t) => {
  const fx = await fixtures(t);
  if (!fx) return;
  const cab = Buffer.from(readFileSync(fx.mszip));
  const coffFiles = cab.readUInt32LE(16);
  cab.writeUInt16LE(0xfffe, coffFiles + 8); // iFolder of the first CFFILE
  const opened = await CabReader.open(new BufferByteSource(cab), makeContext(fx.dir));
  const entries = [];
  for await (const e of opened.entries()) entries.push(e);
  const absent = entries.filter((e) => e.absent);
  assert.equal(absent.length, 1);
  await assert.rejects(absent[0]!.open(), InputError);
  assert.ok((opened.info.warnings ?? []).some((w) => w.includes('next')));
});

test('CAB: an LZX folder is routed to 7z-wasm, and its failure is an InputError', async (t) => {
  // No Debian tool writes LZX (gcab: MSZIP or none; lcab: none; 7-Zip cannot create cabs), so
  // this marks a stored folder as LZX: 7-Zip then decodes garbage and must fail cleanly.
  const fx = await fixtures(t);
  if (!fx) return;
  const cab = Buffer.from(readFileSync(fx.stored));
  cab.writeUInt16LE(0x1503, 36 + 6); // typeCompress: LZX, window 2^21
  const err = await drain(cab, fx.dir);
  assert.ok(err instanceof InputError, String(err));
  assert.match((err as InputError).message, /7-Zip/);
});

test('CAB: a member over 64 MiB is spilled to a temp file and still correct', async (t) => {
  if (!requireTool(t, 'gcab')) return;
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(src);
  const big = Buffer.alloc(70 * 1024 * 1024);
  pseudoRandomBytes(1 << 20, 5).copy(big, 12345);
  writeFileSync(join(src, 'huge.bin'), big);
  writeFileSync(join(src, 'after.txt'), 'after the big one\n');
  const cab = join(dir, 'huge.cab');
  run('gcab', ['-c', '-z', cab, 'huge.bin', 'after.txt'], { cwd: src });
  const got = await collect(CabReader, cab, dir);
  const want = await cabextractTree(cab, dir);
  assert.deepEqual(sorted(got.hashes), sorted(want));
});
