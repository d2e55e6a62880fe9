/**
 * Hostile and damaged PEs: every failure is an InputError, nothing else escapes, nothing hangs.
 * Inputs are copies of a real MinGW DLL (zlib1.dll x86: imports, exports, resources, overlay)
 * cut or patched in memory.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../../../src/errors.js';
import { BufferByteSource } from '../../../src/io/byte-source.js';
import { DataDirectory, isPe, readPeFacts, readPeHeaders, rvaToOffset } from '../../../src/inspect/pe/index.js';
import { debFixture, requireFixture } from '../../helpers/fixtures.js';

const ZLIB_X86 = join(debFixture('libz-mingw-w64'), 'usr/i686-w64-mingw32/lib/zlib1.dll');
const OPTS = { timeout: 20_000 };

async function original(t: TestContext): Promise<Uint8Array | undefined> {
  const path = requireFixture(t, ZLIB_X86);
  return path ? new Uint8Array(await readFile(path)) : undefined;
}

async function rejectsAsInputError(bytes: Uint8Array, pattern?: RegExp): Promise<InputError> {
  try {
    await readPeFacts(new BufferByteSource(bytes));
  } catch (err) {
    assert.ok(err instanceof InputError, `expected an InputError, got ${String(err)}`);
    if (pattern) assert.match(err.message, pattern);
    return err;
  }
  assert.fail('expected an InputError, but the PE was read');
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Where the reader's tests patch: from readPeHeaders, itself checked against pefile and pe-library. */
async function layout(bytes: Uint8Array) {
  const h = await readPeHeaders(new BufferByteSource(bytes));
  const rsrc = h.dataDirectories[DataDirectory.resource]!;
  const exp = h.dataDirectories[DataDirectory.export]!;
  return {
    h,
    sectionTable: h.sectionTableEnd - h.numberOfSections * 40,
    rsrcOffset: rvaToOffset(h, rsrc.virtualAddress)!,
    exportOffset: rvaToOffset(h, exp.virtualAddress)!,
  };
}

describe('isPe', () => {
  test('accepts a real DLL head and rejects near misses', async (t) => {
    const bytes = await original(t);
    if (!bytes) return;
    assert.equal(isPe(bytes.subarray(0, 4096)), true);
    const noSig = bytes.slice(0, 4096);
    noSig[view(noSig).getUint32(0x3c, true)] = 0x4e;
    assert.equal(isPe(noSig), false, 'NE/LE or damaged signature');
    assert.equal(isPe(new TextEncoder().encode('\x7fELF' + '\0'.repeat(60))), false);
    assert.equal(isPe(bytes.subarray(0, 10)), false, 'too short for e_lfanew');
    const farHeader = bytes.slice(0, 64);
    view(farHeader).setUint32(0x3c, 0x2000, true);
    assert.equal(isPe(farHeader), true, 'signature beyond the head: let the full reader decide');
    view(farHeader).setUint32(0x3c, 0xffff_fff0, true);
    assert.equal(isPe(farHeader), false);
  });
});

describe('corrupt PEs throw InputError', () => {
  test('truncated in headers, section table, sections and resources', OPTS, async (t) => {
    const bytes = await original(t);
    if (!bytes) return;
    const { h, sectionTable, rsrcOffset } = await layout(bytes);
    const cuts = {
      'inside the DOS header': 30,
      'inside the COFF header': h.peOffset + 10,
      'inside the optional header': h.peOffset + 24 + 50,
      'inside the section table': sectionTable + 40 * 3 + 7,
      'inside the first section': h.sections[0]!.rawOffset + 100,
      'inside the resources': rsrcOffset + 40,
      'one byte short of the last section': bytes.length - 15,
    };
    for (const [where, at] of Object.entries(cuts)) {
      const err = await rejectsAsInputError(bytes.subarray(0, at));
      assert.ok(err.offset === undefined || err.offset < bytes.length, where);
    }
  });

  test('e_lfanew past EOF', OPTS, async (t) => {
    const bytes = await original(t);
    if (!bytes) return;
    const b = bytes.slice();
    view(b).setUint32(0x3c, b.length + 100, true);
    const err = await rejectsAsInputError(b, /e_lfanew/);
    assert.equal(err.offset, 0x3c);
  });

  test('huge NumberOfSections', OPTS, async (t) => {
    const bytes = await original(t);
    if (!bytes) return;
    const { h } = await layout(bytes);
    for (const n of [97, 0xffff]) {
      const b = bytes.slice();
      view(b).setUint16(h.peOffset + 6, n, true);
      await rejectsAsInputError(b, /sections/);
    }
  });

  test('resource directory loop', OPTS, async (t) => {
    const bytes = await original(t);
    if (!bytes) return;
    const { rsrcOffset } = await layout(bytes);
    const v = view(bytes);
    const entries = v.getUint16(rsrcOffset + 12, true) + v.getUint16(rsrcOffset + 14, true);
    let typeEntry = -1;
    for (let i = 0; i < entries; i++) if (v.getUint32(rsrcOffset + 16 + i * 8, true) === 16) typeEntry = rsrcOffset + 16 + i * 8;
    assert.ok(typeEntry > 0, 'zlib1.dll has an RT_VERSION resource');

    const toRoot = bytes.slice();
    view(toRoot).setUint32(typeEntry + 4, 0x8000_0000, true);
    await rejectsAsInputError(toRoot, /loop/);

    // The name level pointing at itself.
    const self = bytes.slice();
    const nameDir = v.getUint32(typeEntry + 4, true) & 0x7fff_ffff;
    view(self).setUint32(rsrcOffset + nameDir + 16 + 4, 0x8000_0000 | nameDir, true);
    await rejectsAsInputError(self, /loop/);
  });

  test('export name table larger than its section', OPTS, async (t) => {
    const bytes = await original(t);
    if (!bytes) return;
    const { exportOffset } = await layout(bytes);
    const b = bytes.slice();
    view(b).setUint32(exportOffset + 24, 0xffff_ffff, true);
    await rejectsAsInputError(b, /export name table/);
  });

  test('certificate table past EOF', OPTS, async (t) => {
    const bytes = await original(t);
    if (!bytes) return;
    const { h } = await layout(bytes);
    const b = bytes.slice();
    const dirs = h.peOffset + 24 + 96; // PE32 data directories
    view(b).setUint32(dirs + 4 * 8, b.length - 8, true);
    view(b).setUint32(dirs + 4 * 8 + 4, 4096, true);
    await rejectsAsInputError(b, /certificate/);
  });

  test('random byte damage never escapes as anything but InputError', OPTS, async (t) => {
    const bytes = await original(t);
    if (!bytes) return;
    const { h, rsrcOffset, exportOffset } = await layout(bytes);
    const idata = h.sections.find((s) => s.name === '.idata')!;
    // Damage where the reader looks: headers, section table, exports, imports, resources.
    const regions: Array<[number, number]> = [
      [0, h.sectionTableEnd],
      [exportOffset, 64],
      [idata.rawOffset, 256],
      [rsrcOffset, 1024],
    ];
    const patch = fc.record({
      region: fc.integer({ min: 0, max: regions.length - 1 }),
      at: fc.nat(),
      value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0xff, 0x80)),
      width: fc.constantFrom(1, 2, 4),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(patch, { minLength: 1, maxLength: 8 }), fc.option(fc.nat({ max: bytes.length })), async (patches, cut) => {
        let b = bytes.slice();
        for (const p of patches) {
          const [start, len] = regions[p.region]!;
          const at = start + (p.at % len);
          for (let i = 0; i < p.width && at + i < b.length; i++) b[at + i] = p.value;
        }
        if (cut !== null) b = b.subarray(0, cut);
        try {
          await readPeFacts(new BufferByteSource(b));
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }),
      { numRuns: 1500, seed: 20240611 },
    );
  });
});
