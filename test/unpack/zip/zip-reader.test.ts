import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { InputError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool, run, debianPython } from '../../helpers/tools.js';

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

function treeHashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), sha256(readFileSync(p)));
    }
  };
  walk(dir);
  return out;
}

async function ourHashes(artifact: string): Promise<Map<string, string>> {
  const res = await walkArtifact(artifact, async () => {});
  return new Map(res.files.filter((f) => f.kind === 'file').map((f) => [f.path, f.digests!.sha256]));
}

async function makeSourceTree(t: import('node:test').TestContext): Promise<string> {
  const dir = await tempDir(t);
  const src = join(dir, 'src');
  mkdirSync(join(src, 'Lib', 'deep', 'er'), { recursive: true });
  writeFileSync(join(src, 'python.exe'), Buffer.alloc(70000, 7));
  writeFileSync(join(src, 'Lib', 'os.py'), 'import sys\n'.repeat(500));
  writeFileSync(join(src, 'Lib', 'deep', 'er', 'name with spaces.txt'), 'hello');
  writeFileSync(join(src, 'empty.txt'), '');
  return dir;
}

test('zip members and bytes equal what bsdtar extracts (deflate and stored)', async (t) => {
  if (!requireTool(t, 'bsdtar')) return;
  const dir = await makeSourceTree(t);
  for (const options of ['zip:compression=deflate', 'zip:compression=store']) {
    const zip = join(dir, `a-${options.split('=')[1]}.zip`);
    run('bsdtar', ['-c', '-f', zip, '--format', 'zip', '--options', options, '-C', join(dir, 'src'), '.']);
    const out = join(dir, `x-${options.split('=')[1]}`);
    mkdirSync(out);
    run('bsdtar', ['-x', '-f', zip, '-C', out]);
    assert.deepEqual(await ourHashes(zip), treeHashes(out));
  }
});

test('zip64 archives written by python zipfile are read', async (t) => {
  const dir = await makeSourceTree(t);
  const zip = join(dir, 'z64.zip');
  // force_zip64 writes zip64 extra fields for every member; the oracle is python's own listing.
  run(debianPython, ['-c', `
import zipfile, sys, hashlib
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    for n, data in [('a/b.bin', b'x' * 100000), ('c.txt', b'hello')]:
        with z.open(n, 'w', force_zip64=True) as f: f.write(data)
`, zip]);
  const listing = JSON.parse(run(debianPython, ['-c', `
import zipfile, sys, hashlib, json
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist()}))
`, zip]));
  assert.deepEqual(Object.fromEntries(await ourHashes(zip)), listing);
});

test('a nested zip is unpacked with its origin chain', async (t) => {
  if (!requireTool(t, 'bsdtar')) return;
  const dir = await makeSourceTree(t);
  const inner = join(dir, 'src', 'Lib', 'python313.zip');
  run('bsdtar', ['-c', '-f', inner, '--format', 'zip', '-C', join(dir, 'src', 'Lib'), 'os.py']);
  const outer = join(dir, 'embed.zip');
  run('bsdtar', ['-c', '-f', outer, '--format', 'zip', '-C', join(dir, 'src'), '.']);
  const res = await walkArtifact(outer, async () => {});
  const nested = res.files.find((f) => f.path === 'Lib/python313.zip/os.py');
  assert.ok(nested, 'member of the inner zip is listed under the inner zip');
  assert.deepEqual(nested.chain, ['embed.zip', 'Lib/python313.zip', 'os.py']);
  assert.ok(res.containers.some((c) => c.key === 'Lib/python313.zip' && c.info.format === 'zip' && c.digests));
});

test('truncated and corrupted zips are InputErrors naming the chain', async (t) => {
  if (!requireTool(t, 'bsdtar')) return;
  const dir = await makeSourceTree(t);
  const zip = join(dir, 'a.zip');
  run('bsdtar', ['-c', '-f', zip, '--format', 'zip', '-C', join(dir, 'src'), '.']);
  const bytes = readFileSync(zip);
  for (const cut of [bytes.length - 10, Math.floor(bytes.length / 2), 100]) {
    const p = join(dir, `cut-${cut}.zip`);
    writeFileSync(p, bytes.subarray(0, cut));
    await assert.rejects(walkArtifact(p, async () => {}), (err: unknown) => err instanceof InputError && err.chain[0] === `cut-${cut}.zip`);
  }
  // Flip bytes inside the first member's compressed data: CRC or inflate must catch it.
  const flipped = Buffer.from(bytes);
  for (let i = 200; i < 260; i++) flipped[i] = flipped[i]! ^ 0x5a;
  const p = join(dir, 'flipped.zip');
  writeFileSync(p, flipped);
  await assert.rejects(walkArtifact(p, async () => {}), InputError);
});

test('zip-slip names are contained: ../ is refused, absolute paths are made relative', async (t) => {
  const dir = await tempDir(t);
  const zip = join(dir, 'slip.zip');
  run(debianPython, ['-c', `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('/etc/abs.txt', 'a')
    z.writestr('ok/../../evil.txt', 'b')
`, zip]);
  await assert.rejects(walkArtifact(zip, async () => {}), (err: unknown) => err instanceof InputError && /escapes/.test(err.message));
  const zip2 = join(dir, 'abs.zip');
  run(debianPython, ['-c', `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('/etc/abs.txt', 'a')
    z.writestr('C:\\\\Windows\\\\x.txt', 'b')
`, zip2]);
  const res = await walkArtifact(zip2, async () => {});
  assert.deepEqual(res.files.map((f) => f.path).sort(), ['Windows/x.txt', 'etc/abs.txt']);
});
