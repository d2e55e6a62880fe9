/**
 * ar archives are not opened: a static library's code and a .deb's files are known unknowns;
 * an import library (nothing but import stubs) is not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { debFixture, requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';

const unknownsOf = async (path: string): Promise<[string, string][]> => (await walkArtifact(path, async () => {})).unknowns.map((u) => [u.format ?? '', u.reason]);

test("Debian's MinGW libassuan: the static library is a known unknown naming its objects; the import library is not", async (t) => {
  if (!requireTool(t, 'x86_64-w64-mingw32-ar')) return;
  const lib = join(debFixture('libassuan-mingw-w64-dev'), 'usr', 'x86_64-w64-mingw32', 'lib');
  const staticLib = requireFixture(t, join(lib, 'libassuan.a'));
  const importLib = requireFixture(t, join(lib, 'libassuan.dll.a'));
  if (!staticLib || !importLib) return;
  // binutils' ar lists the members (the symbol table is not one).
  const objects = run('x86_64-w64-mingw32-ar', ['t', staticLib]).split('\n').filter((l) => l !== '').length;
  assert.deepEqual(await unknownsOf(staticLib), [
    ['ar', `a static library (an ar archive of ${objects} object files) is not opened here: the code in it is not inspected, so what it holds is not in this SBOM`],
  ]);
  assert.deepEqual(await unknownsOf(importLib), []);
});

test('an MSVC-style import library (short import members, llvm-dlltool) is not an unknown; a .deb (dpkg-deb) is opened, not an unknown', async (t) => {
  for (const tool of ['llvm-dlltool', 'dpkg-deb']) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  writeFileSync(join(dir, 'python3.def'), 'LIBRARY python313.dll\nEXPORTS\nPy_Initialize\nPy_Finalize\nPyRun_SimpleString\n');
  const importLib = join(dir, 'python313.lib');
  run('llvm-dlltool', ['-m', 'i386:x86-64', '-d', join(dir, 'python3.def'), '-l', importLib]);
  assert.deepEqual(await unknownsOf(importLib), []);

  const tree = join(dir, 'pkg');
  mkdirSync(join(tree, 'DEBIAN'), { recursive: true });
  mkdirSync(join(tree, 'usr', 'share', 'doc'), { recursive: true });
  writeFileSync(join(tree, 'DEBIAN', 'control'), 'Package: demo\nVersion: 1.0\nArchitecture: all\nMaintainer: Test <t@example.org>\nDescription: demo\n');
  writeFileSync(join(tree, 'usr', 'share', 'doc', 'readme'), 'hello\n');
  const deb = join(dir, 'demo.deb');
  run('dpkg-deb', ['--build', '--root-owner-group', tree, deb]);
  // deb-reader.test.ts checks what it holds.
  assert.deepEqual(await unknownsOf(deb), []);
});
