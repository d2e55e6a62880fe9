/** Hostile and broken Mach-O input: isMacho says no, or readMachoFacts throws InputError. Nothing else. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { isMacho, readMachoFacts } from '../../../src/inspect/macho/index.js';
import { BufferByteSource } from '../../../src/io/byte-source.js';
import { InputError } from '../../../src/errors.js';
import { requireTool } from '../../helpers/tools.js';
import { tempDir } from '../../helpers/fixtures.js';
import { buildDemoDylib, DEMO_TARGETS, writeFat } from '../../fixtures-build/macho.js';

async function rejects(bytes: Uint8Array, offset?: number): Promise<InputError> {
  try {
    await readMachoFacts(new BufferByteSource(bytes));
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    if (offset !== undefined) assert.equal(err.offset, offset, err.message);
    return err;
  }
  assert.fail('readMachoFacts accepted corrupt input');
}

/** Load command positions, found by walking the (trusted, freshly built) image. */
function commands(img: Buffer): { cmd: number; at: number; size: number }[] {
  const out = [];
  let at = 32;
  for (let i = 0; i < img.readUInt32LE(16); i++) {
    out.push({ cmd: img.readUInt32LE(at), at, size: img.readUInt32LE(at + 4) });
    at += img.readUInt32LE(at + 4);
  }
  return out;
}

test('Java class files are not Mach-O', async () => {
  // CAFEBABE, minor 0, major 52 (Java 8); and minor 3, major 45 (JDK 1.1).
  for (const tail of [[0, 0, 0, 52], [0, 3, 0, 45]]) {
    const cls = Buffer.from([0xca, 0xfe, 0xba, 0xbe, ...tail, 0, 0x1d, 0x0a, 0, 6, 0, 0x0f, 0x09, 0, 0x10, 0, 0x11, ...new Array(40).fill(0)]);
    assert.equal(isMacho(cls), false);
    await rejects(cls);
  }
});

test('sniff accepts the magics it should and nothing short', () => {
  assert.equal(isMacho(Buffer.from([0xcf, 0xfa, 0xed, 0xfe, ...new Array(28).fill(0)])), true);
  assert.equal(isMacho(Buffer.from([0xfe, 0xed, 0xfa, 0xce, ...new Array(24).fill(0)])), true);
  assert.equal(isMacho(Buffer.from([0xcf, 0xfa, 0xed])), false);
  assert.equal(isMacho(Buffer.from('MZ\x90\x00')), false);
  assert.equal(isMacho(new Uint8Array(0)), false);
});

test('corrupt builds: truncation, fat tables, load commands', async (t) => {
  if (!requireTool(t, 'clang')) return;
  const dir = await tempDir(t, 'isbom-macho-bad-');
  const thinPath = buildDemoDylib(dir, DEMO_TARGETS[0]!);
  const x64 = buildDemoDylib(dir, DEMO_TARGETS[1]!);
  const fatPath = join(dir, 'fat.dylib');
  await writeFat(fatPath, [x64, thinPath], false);
  const thin = await readFile(thinPath);
  const fat = await readFile(fatPath);
  const sizeofcmds = thin.readUInt32LE(20);

  for (const cut of [0, 3, 7, 20, 31, 40, 32 + sizeofcmds - 1, 32 + sizeofcmds + 10, thin.length - 1]) {
    await rejects(thin.subarray(0, cut));
  }
  for (const cut of [7, 20, 100, 16384, fat.length - 1]) await rejects(fat.subarray(0, cut));

  const patched = (img: Buffer, f: (b: Buffer) => void): Buffer => {
    const b = Buffer.from(img);
    f(b);
    return b;
  };
  // Fat: nfat_arch huge / zero, slice past EOF, slice over the header, overlapping slices, nested fat.
  await rejects(patched(fat, (b) => b.writeUInt32BE(0xffffffff, 4)), 4);
  await rejects(patched(fat, (b) => b.writeUInt32BE(0, 4)), 4);
  assert.equal(isMacho(patched(fat, (b) => b.writeUInt32BE(1000, 4))), false);
  await rejects(patched(fat, (b) => b.writeUInt32BE(fat.length, 8 + 20 + 12)), 28);
  await rejects(patched(fat, (b) => b.writeUInt32BE(0xfffffff0, 8 + 8)), 8);
  await rejects(patched(fat, (b) => b.writeUInt32BE(0, 8 + 8)), 8);
  assert.equal(isMacho(patched(fat, (b) => b.writeUInt32BE(0, 8 + 8))), false);
  await rejects(patched(fat, (b) => b.writeUInt32BE(b.readUInt32BE(8 + 8), 8 + 20 + 8)));
  await rejects(patched(fat, (b) => b.writeUInt32BE(0xcafebabe, b.readUInt32BE(8 + 8))));

  // Thin: header counts, cmdsize 0 / unaligned / too big, string offsets, section counts.
  await rejects(patched(thin, (b) => b.writeUInt32LE(20000, 16)), 16);
  await rejects(patched(thin, (b) => b.writeUInt32LE(thin.length, 20)), 20);
  await rejects(patched(thin, (b) => b.writeUInt32LE(sizeofcmds, 16)), 16);
  await rejects(patched(thin, (b) => b.writeUInt32LE(0, 36)), 36);
  await rejects(patched(thin, (b) => b.writeUInt32LE(12, 36)), 36);
  await rejects(patched(thin, (b) => b.writeUInt32LE(sizeofcmds + 8, 36)), 36);
  const cmds = commands(thin);
  const id = cmds.find((c) => c.cmd === 0xd)!;
  await rejects(patched(thin, (b) => b.writeUInt32LE(9999, id.at + 8)), id.at + 8);
  await rejects(patched(thin, (b) => b.writeUInt32LE(4, id.at + 8)), id.at + 8);
  const seg = cmds.find((c) => c.cmd === 0x19)!;
  await rejects(patched(thin, (b) => b.writeUInt32LE(1000, seg.at + 64)), seg.at);
  await rejects(patched(thin, (b) => b.writeBigUInt64LE(1n << 62n, seg.at + 48)), seg.at);
  const sig = cmds.find((c) => c.cmd === 0x1d)!;
  // A code signature outside the image is a finding on the slice; the image is still read.
  const unsignable = await readMachoFacts(new BufferByteSource(patched(thin, (b) => b.writeUInt32LE(thin.length, sig.at + 8))));
  assert.equal(unsignable.slices[0]!.signature?.status, 'unreadable');
  assert.equal(unsignable.slices[0]!.codeSignature, undefined);
  // An unterminated install name is cut at the command's end, not read past it.
  const unterminated = patched(thin, (b) => b.fill(0x41, id.at + 24, id.at + id.size));
  const facts = await readMachoFacts(new BufferByteSource(unterminated));
  assert.equal(facts.slices[0]!.idDylib!.name, 'A'.repeat(id.size - 24));

  // Random damage to the headers and load commands: accepted or InputError, never anything else.
  for (const img of [thin, fat.subarray(0, 16384 + 4096)]) {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(Math.min(img.length, 32 + sizeofcmds) - 1), fc.nat(255)), { minLength: 1, maxLength: 8 }), async (edits) => {
        const b = Buffer.from(img);
        for (const [at, v] of edits) b[at] = v;
        try {
          await readMachoFacts(new BufferByteSource(b));
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }),
      { numRuns: 400 },
    );
  }
});
