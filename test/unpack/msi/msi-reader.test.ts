import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import CFB from 'cfb';
import { InputError } from '../../../src/errors.js';
import { BufferByteSource, FileByteSource } from '../../../src/io/byte-source.js';
import { Budget, DEFAULT_LIMITS } from '../../../src/unpack/limits.js';
import { MsiReader, openMsiDatabase } from '../../../src/unpack/msi/msi-reader.js';
import { openCompoundFile } from '../../../src/unpack/msi/compound-sectors.js';
import type { MsiValue } from '../../../src/unpack/msi/msi-database.js';
import { tempDir, requireFixture } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { runCli } from '../../helpers/cli.js';
import { buildMsiFixtures, libvipsDll, msiBuildTools, zlibDll, type MsiFixtures } from '../../fixtures-build/msi-cab.js';
import { collect, hashTree, makeContext, sorted } from '../cab/collect.js';

/** msiextract -C: install path → sha256, the oracle for paths and bytes. */
async function msiextractTree(msi: string, dir: string): Promise<Map<string, string>> {
  const out = join(dir, `msiextract-${Math.random().toString(36).slice(2)}`);
  mkdirSync(out);
  run('msiextract', ['-C', out, msi]);
  return hashTree(out);
}

function msiextractList(msi: string): string[] {
  return run('msiextract', ['-l', msi]).split('\n').filter((l) => l !== '').sort();
}

/** `msiinfo export`: header (names), types, key line, then rows; values as text. */
function msiinfoExport(msi: string, table: string): { columns: string[]; rows: string[][] } {
  const lines = run('msiinfo', ['export', msi, table]).split(/\r?\n/).filter((l) => l !== '');
  return { columns: lines[0]!.split('\t'), rows: lines.slice(3).map((l) => l.split('\t')) };
}

async function ourTable(msi: string, table: string): Promise<{ columns: string[]; rows: string[][] }> {
  const budget = new Budget({ ...DEFAULT_LIMITS });
  const src = await FileByteSource.open(msi);
  const streams = new Map<string, Uint8Array>();
  try {
    const cf = await openCompoundFile(src, [msi], budget);
    for (const [name, s] of cf.streams) streams.set(name, await s.source.read(0, s.size));
  } finally {
    await src.close();
  }
  const db = openMsiDatabase(streams, [msi], budget, () => undefined);
  const t = db.table(table)!;
  const text = (v: MsiValue | undefined): string => (v === null || v === undefined ? '' : String(v));
  return { columns: t.columns.map((c) => c.name), rows: t.rows.map((r) => r.map(text)) };
}

function sortRows(rows: string[][]): string[][] {
  return [...rows].sort((a, b) => (a.join('\t') < b.join('\t') ? -1 : 1));
}

test('MSI (wixl, embedded cab): paths and bytes equal msiextract', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  for (const msi of [fx.nested, ...(fx.cpythonLike ? [fx.cpythonLike] : [])]) {
    const got = await collect(MsiReader, msi, dir);
    const want = await msiextractTree(msi, dir);
    assert.deepEqual(sorted(got.hashes), sorted(want), msi);
    assert.deepEqual(got.entries.map((e) => e.path).sort(), msiextractList(msi));
    assert.ok(got.entries.every((e) => !e.absent));
    assert.deepEqual(got.info.warnings, []);
  }
});

/** Builds the fixtures into `dir` (each test owns its dir; wixl takes about a second). */
async function buildOnce(t: TestContext, dir: string): Promise<MsiFixtures | undefined> {
  for (const tool of msiBuildTools) if (!requireTool(t, tool)) return undefined;
  return buildMsiFixtures(dir);
}

test('MSI: nested directories and long names resolve to the install path', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  const got = await collect(MsiReader, fx.nested, dir);
  const paths = got.entries.map((e) => e.path).sort();
  assert.ok(paths.includes('Program Files/LibEval Test/Sub Folder/A Very Long File Name With Spaces.config'), paths.join('\n'));
  assert.ok(paths.includes('Program Files/LibEval Test/Sub Folder/Deeper Still/deep data.bin'));
  // declared facts against msiinfo and md5sum of the payload (independent of our reader)
  const files = msiinfoExport(fx.nested, 'File');
  const col = (name: string): number => files.columns.indexOf(name);
  for (const e of got.entries) {
    const row = files.rows.find((r) => r[col('File')] === e.declared?.['msi.fileKey']);
    assert.ok(row, e.path);
    assert.equal(e.declared?.['msi.component'], row[col('Component_')]);
    assert.equal(String(e.size), row[col('FileSize')]);
    assert.equal(e.declared?.['msi.cabinet'], '#main.cab');
  }
  const readme = got.entries.find((e) => e.path.endsWith('/readme.txt'))!;
  assert.equal(readme.declared?.['msi.md5'], createHash('md5').update(readFileSync(join(fx.payloads, 'readme.txt'))).digest('hex'));
});

test('MSI: product metadata equals msiinfo (Property table and suminfo)', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  const got = await collect(MsiReader, fx.nested, dir);
  const props = new Map(msiinfoExport(fx.nested, 'Property').rows.map((r) => [r[0]!, r[1]!]));
  assert.equal(got.info.format, 'msi');
  assert.equal(got.info.name, props.get('ProductName'));
  assert.equal(got.info.version, props.get('ProductVersion'));
  assert.equal(got.info.manufacturer, props.get('Manufacturer'));
  assert.equal(got.info.properties.ProductCode, props.get('ProductCode'));
  assert.equal(got.info.properties.UpgradeCode, props.get('UpgradeCode'));
  assert.equal(got.info.properties.ProductLanguage, props.get('ProductLanguage'));
  const suminfo = run('msiinfo', ['suminfo', fx.nested]);
  const field = (name: string): string | undefined => new RegExp(`^${name}: (.*)$`, 'm').exec(suminfo)?.[1];
  assert.equal(got.info.properties.PackageCode, field('Revision number \\(UUID\\)'));
  const [platform, languages] = field('Template')!.split(';');
  assert.equal(got.info.properties.Platform, platform);
  assert.equal(got.info.properties.Languages, languages);
  assert.equal(got.info.properties.Author, field('Author'));
  assert.equal(got.info.properties.Comments, field('Comments'));
});

test('MSI tables equal msiinfo export (File, Directory, Media, Property, Component)', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  for (const msi of [fx.nested, fx.external, ...(fx.cpythonLike ? [fx.cpythonLike] : [])]) {
    for (const table of ['File', 'Directory', 'Media', 'Property', 'Component']) {
      const want = msiinfoExport(msi, table);
      const got = await ourTable(msi, table);
      assert.deepEqual(got.columns, want.columns, `${msi} ${table}`);
      assert.deepEqual(sortRows(got.rows), sortRows(want.rows), `${msi} ${table}`);
    }
  }
});

test('MSI with an external cabinet: files are listed as absent, with msiextract paths', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  const got = await collect(MsiReader, fx.external, dir);
  // msiextract reads ext.cab beside the MSI; we list the same paths but do not claim the bytes.
  const want = await msiextractTree(fx.external, dir);
  assert.deepEqual(got.entries.map((e) => e.path).sort(), [...want.keys()].sort());
  assert.deepEqual(got.entries.map((e) => e.path).sort(), msiextractList(fx.external));
  assert.ok(got.entries.every((e) => e.absent && e.declared?.['msi.cabinet'] === 'ext.cab'));
  const sizes = new Map([...msiinfoExport(fx.external, 'File').rows].map((r) => [r[0]!, r[3]!]));
  for (const e of got.entries) assert.equal(String(e.size), sizes.get(e.declared!['msi.fileKey']!));
  assert.equal(got.hashes.size, 0);
  await assert.rejects(got.entries[0]!.open(), InputError);
});

test('MSI: CPython-like layout puts real DLLs under DLLs/', async (t) => {
  if (!requireFixture(t, libvipsDll)) return;
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx?.cpythonLike) return;
  const got = await collect(MsiReader, fx.cpythonLike, dir);
  const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
  assert.equal(got.hashes.get('DLLs/libvips-42.dll'), sha(libvipsDll));
  assert.equal(got.hashes.get('DLLs/zlib1.dll'), sha(join(fx.payloads, 'zlib1.dll')));
  assert.ok(got.hashes.has('Lib/tkinter/__init__.py'));
  assert.ok(got.hashes.has('tcl/tcl8.6/init.tcl'));
  assert.equal(got.info.properties.Platform, 'x64');
});

test('MSI probe: a compound file that is not an MSI is refused', async (t) => {
  const cfb = CFB.utils.cfb_new();
  CFB.utils.cfb_add(cfb, 'WordDocument', Buffer.alloc(5000, 1));
  const bytes = CFB.write(cfb, { type: 'buffer' }) as Buffer;
  const ctx = makeContext(await tempDir(t));
  assert.equal(MsiReader.canRead(bytes.subarray(0, 64), 'x.doc'), true);
  assert.equal(await MsiReader.probe!(new BufferByteSource(bytes), ctx), false);
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  const msi = await FileByteSource.open(fx.nested);
  assert.equal(await MsiReader.probe!(msi, ctx), true);
  await msi.close();
});

/** Opens and drains; returns the error or the collected result. */
async function attempt(file: string, dir: string) {
  try {
    return { ok: await collect(MsiReader, file, dir) };
  } catch (err) {
    return { err };
  }
}

test('MSI corruption: truncation and a corrupt string pool are InputErrors', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  const good = readFileSync(fx.nested);
  for (const cut of [100, 600, Math.floor(good.length / 2), good.length - 300]) {
    const p = join(dir, `cut-${cut}.msi`);
    writeFileSync(p, good.subarray(0, cut));
    const r = await attempt(p, dir);
    assert.ok(r.err instanceof InputError, `cut ${cut}: ${String(r.err)}`);
  }
  // A string length in !_StringPool far beyond !_StringData.
  const cfb = CFB.read(good, { type: 'buffer' });
  const idx = cfb.FileIndex.findIndex((e) => e.name.charCodeAt(0) === 0x4840 && e.name.length > 3 && e.size > 0 && e.size < 4096 && isPool(e.name));
  assert.ok(idx >= 0, 'string pool stream found');
  const pool = Buffer.from(cfb.FileIndex[idx]!.content as Uint8Array);
  pool.writeUInt16LE(0xffff, 4);
  cfb.FileIndex[idx]!.content = pool;
  const bad = join(dir, 'badpool.msi');
  writeFileSync(bad, CFB.write(cfb, { type: 'buffer' }) as Buffer);
  const r = await attempt(bad, dir);
  assert.ok(r.err instanceof InputError, String(r.err));
  assert.match((r.err as InputError).message, /StringPool|StringData/);
});

function isPool(raw: string): boolean {
  // decoded name check without importing internals twice
  return readableName(raw) === '!_StringPool';
}
function readableName(raw: string): string {
  const A = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._';
  let s = '';
  for (const ch of raw) {
    const c = ch.charCodeAt(0);
    if (c === 0x4840) s += '!';
    else if (c >= 0x3800 && c < 0x4800) s += A[(c - 0x3800) & 63]! + A[((c - 0x3800) >> 6) & 63]!;
    else if (c >= 0x4800 && c < 0x4840) s += A[c - 0x4800]!;
    else s += ch;
  }
  return s;
}

test('MSI: a cyclic Directory table is reported, not looped on', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  const msi = join(dir, 'cyclic.msi');
  copyFileSync(fx.nested, msi);
  run('msibuild', [msi, '-q', "UPDATE Directory SET Directory_Parent='SubDir' WHERE Directory='INSTALLDIR'"]);
  const r = await attempt(msi, dir);
  assert.ok(r.ok, String(r.err));
  assert.ok((r.ok.info.warnings ?? []).some((w) => /cycle/.test(w)), JSON.stringify(r.ok.info.warnings));
  assert.equal(r.ok.hashes.size, 4);
});

test('MSI: a file mapped to no cabinet is warned about', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  // Media covers sequence 1 only: the other files are mapped to no cabinet (msiextract still
  // extracts them, because they are in the embedded cab; so do we, with a warning).
  const msi = join(dir, 'unmapped.msi');
  copyFileSync(fx.nested, msi);
  run('msibuild', [msi, '-q', 'UPDATE Media SET LastSequence=1 WHERE DiskId=1']);
  const r = await attempt(msi, dir);
  assert.ok(r.ok, String(r.err));
  assert.ok((r.ok.info.warnings ?? []).some((w) => /mapped to no cabinet/.test(w)));
  assert.deepEqual(sorted(r.ok.hashes), sorted(await msiextractTree(msi, dir)));
  // With no Media rows at all, every file is absent; the cabinet no row names is still a stream
  // of the MSI, so it is a member of its own (opened as a cabinet by the walk).
  const none = join(dir, 'nomedia.msi');
  copyFileSync(fx.nested, none);
  run('msibuild', [none, '-q', 'DELETE FROM Media']);
  const r2 = await attempt(none, dir);
  assert.ok(r2.ok, String(r2.err));
  const present = r2.ok.entries.filter((e) => !e.absent);
  assert.ok(r2.ok.entries.length > 1);
  assert.deepEqual(present.map((e) => e.path), ['main.cab']);
});

/** `msiinfo streams` minus what is not a member: the embedded cabinets and the `\x05` property sets. */
function msiinfoPayloadStreams(msi: string, cabinets: readonly string[]): string[] {
  return run('msiinfo', ['streams', msi])
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('\x05') && !cabinets.includes(l))
    .sort();
}

test('MSI: Binary table rows (a custom action DLL, a script) are members, bytes equal msiinfo extract', async (t) => {
  const dir = await tempDir(t);
  const fx = await buildOnce(t, dir);
  if (!fx) return;
  if (!fx.customAction) return void requireFixture(t, zlibDll);
  const msi = fx.customAction;
  const got = await collect(MsiReader, msi, dir);
  const streams = msiinfoPayloadStreams(msi, ['ca.cab']);
  // The oracle sees them (msiextract, which installs, does not).
  assert.deepEqual(streams, ['Binary.ZlibCA', 'Binary.check.vbs']);
  assert.deepEqual(got.entries.map((e) => e.path).sort(), [...msiextractList(msi), ...streams].sort());
  for (const s of streams) {
    const bytes = execFileSync('msiinfo', ['extract', msi, s], { maxBuffer: 64 << 20 });
    assert.equal(got.hashes.get(s), createHash('sha256').update(bytes).digest('hex'), s);
  }
  const ca = got.entries.find((e) => e.path === 'Binary.ZlibCA')!;
  assert.deepEqual(ca.declared, { 'msi.stream': 'Binary.ZlibCA', 'msi.table': 'Binary' });
  assert.equal(got.hashes.get('Binary.ZlibCA'), createHash('sha256').update(readFileSync(zlibDll)).digest('hex'));
  assert.deepEqual(got.info.warnings, []);
  // Through the whole build, the custom action DLL is inspected like any other PE.
  const out = join(dir, 'custom-action.spdx.json');
  const res = runCli(['build', msi, '-o', out]);
  assert.equal(res.status, 0, res.stderr);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as { files: { fileName: string }[]; packages: { name: string; versionInfo?: string }[] };
  assert.ok(doc.files.some((f) => f.fileName === './Binary.ZlibCA'));
  assert.ok(doc.packages.some((p) => p.name === 'zlib' && p.versionInfo === '1.2.13'));
});
