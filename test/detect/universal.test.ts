/**
 * Detection in a universal Mach-O built here (clang and ld64.lld for x86_64 and arm64, joined by
 * llvm-lipo): every slice is a build of its own, so a component found in each is stated for each,
 * and a C API is found by its C names whatever the symbol table's leading underscore.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeArtifact } from '../../src/pipeline.js';
import { lipoCreate, llvmTool } from '../fixtures-build/macho.js';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { requireTool, run } from '../helpers/tools.js';

// bzip2's stream API without BZ2_bzlibVersion, as Rust's bzip2-sys links it (@sentry/cli-darwin),
// and zstd's error texts, statically in both slices.
const SOURCE = `
const char *ZSTD_getErrorString(int code) {
  static const char *const texts[] = { "Restored data doesn't match checksum", "Unknown frame descriptor" };
  return texts[code & 1];
}
int BZ2_bzCompressInit(void *s, int a, int b, int c) { return a + b + c; }
int BZ2_bzCompress(void *s, int a) { return a; }
int BZ2_bzCompressEnd(void *s) { return 3; }
int BZ2_bzDecompressInit(void *s, int a, int b) { return a + b; }
int BZ2_bzDecompress(void *s) { return 4; }
int BZ2_bzDecompressEnd(void *s) { return 5; }
`;

test('a universal Mach-O: components found in both slices name both, and C API names count with their underscore', async (t) => {
  const nm = llvmTool('llvm-nm');
  if (!requireTool(t, 'clang') || nm === undefined || llvmTool('llvm-lipo') === undefined) {
    if (nm === undefined) requireTool(t, 'llvm-nm');
    return;
  }
  const dir = await tempDir(t);
  const src = join(dir, 'codecs.c');
  writeFileSync(src, SOURCE);
  const tbd = join(repoRoot, 'fixtures', 'src', 'macho', 'libSystem.tbd');
  const thin = [['x86_64-apple-macos10.13', 'x86_64'], ['arm64-apple-macos11', 'arm64']].map(([triple, arch]) => {
    const out = join(dir, `libcodecs-${arch}.dylib`);
    run('clang', [`--target=${triple}`, '-O1', '-fuse-ld=lld', '-shared', '-nostdlib', tbd, '-o', out, src]);
    return out;
  });
  const fat = join(dir, 'libcodecs.dylib');
  lipoCreate(fat, thin);

  // The oracle: llvm-nm lists the six BZ2_ names, underscored, as defined in each slice.
  for (const arch of ['x86_64', 'arm64']) {
    const defined: string[] = run(nm, ['--defined-only', '--extern-only', `--arch=${arch}`, fat]).split('\n').map((l) => l.split(' ').at(-1)!).filter((n) => n.startsWith('_BZ2_'));
    assert.equal(defined.length, 6, arch);
  }

  const { components } = await analyzeArtifact(fat);
  const byId = new Map(components.map((c) => [c.identity.id, c]));
  assert.deepEqual(byId.get('bzip2')?.archs, ['arm64', 'x86_64']);
  assert.deepEqual(byId.get('zstd')?.archs, ['arm64', 'x86_64']);
  const symbols = byId.get('bzip2')!.evidence.filter((e) => e.kind === 'symbol');
  assert.deepEqual(symbols.map((e) => e.location), ['Mach-O symbol table, defined (6 of 7 names)', 'Mach-O symbol table, defined (6 of 7 names)']);
});
