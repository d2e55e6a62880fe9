/**
 * Binaries whose code is not read (ELF objects of every type and byte order, WebAssembly
 * modules) are said to be so: each is a binary file with a known unknown, never silently a plain
 * file. clang and lld build them here; file(1) is the oracle for what each one is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtures.js';
import { requireTool, run } from '../helpers/tools.js';
import { zipOf } from '../fixtures-build/hostile-archives.js';
import type { SpdxDocument } from '../../src/serialize/spdx2-types.js';

test('ELF objects and a WebAssembly module in a zip: binaries, each a known unknown; a look-alike is not', async (t) => {
  for (const tool of ['clang', 'ld.lld', 'wasm-ld', 'file']) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  writeFileSync(join(dir, 'a.c'), 'int answer(void) { return 42; }\n');
  const built: Record<string, string[]> = {
    'lib/x86_64/libanswer.so': ['--target=x86_64-linux-gnu', '-nostdlib', '-shared', '-fPIC', '-fuse-ld=lld'],
    'lib/ppc64/libanswer.so': ['--target=powerpc64-linux-gnu', '-nostdlib', '-shared', '-fPIC', '-fuse-ld=lld'],
    'obj/answer.o': ['--target=aarch64-linux-gnu', '-c'],
    'web/answer.wasm': ['--target=wasm32', '-nostdlib', '-Wl,--no-entry', '-Wl,--export-all'],
  };
  const members: { name: string; data: Buffer }[] = [];
  for (const [name, flags] of Object.entries(built)) {
    const out = join(dir, name.replace(/\//g, '_'));
    run('clang', [...flags, '-o', out, join(dir, 'a.c')]);
    members.push({ name, data: readFileSync(out) });
  }
  // The oracle says what each is: little- and big-endian shared objects, a relocatable, a module.
  const kinds = members.map((m) => run('file', ['-b', join(dir, m.name.replace(/\//g, '_'))]));
  assert.match(kinds[0]!, /^ELF 64-bit LSB shared object/);
  assert.match(kinds[1]!, /^ELF 64-bit MSB shared object/);
  assert.match(kinds[2]!, /^ELF 64-bit LSB relocatable/);
  assert.match(kinds[3]!, /^WebAssembly \(wasm\) binary module/);
  // Text that starts with ELF's magic but names no object type is no binary.
  members.push({ name: 'notes/fake.bin', data: Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01'), Buffer.alloc(9), Buffer.from([0x77, 0x77]), Buffer.from('not an object file\n')]) });
  members.push({ name: 'README.txt', data: Buffer.from('binaries for other systems\n') });
  const zip = join(dir, 'other-binaries.zip');
  writeFileSync(zip, zipOf(members));

  const res = runCli(['build', zip, '-o', `${zip}.spdx.json`]);
  assert.equal(res.status, 0, res.stderr);
  const doc = JSON.parse(readFileSync(`${zip}.spdx.json`, 'utf8')) as SpdxDocument;
  const texts = [...(doc.annotations ?? []), ...doc.packages!.flatMap((p) => p.annotations ?? [])].map((a) => a.comment);
  const unknown = (path: string) => texts.find((c) => c.startsWith(`known unknown (not-inspected): ${path}: `));
  for (const name of Object.keys(built)) {
    assert.match(unknown(name) ?? '', name.endsWith('.wasm') ? /a WebAssembly module/ : /an ELF binary/, name);
    assert.deepEqual(doc.files!.find((f) => f.fileName === `./${name}`)?.fileTypes, ['BINARY'], name);
    assert.match(res.stderr, new RegExp(`${name.replace(/[.]/g, '\\.')}: known unknown: `), name);
  }
  assert.equal(unknown('notes/fake.bin'), undefined);
  assert.equal(unknown('README.txt'), undefined);
  // What the ELF and WebAssembly files hold is not seen: the dependency list is not complete.
  assert.match(doc.comment ?? '', /known unknown/);
});
