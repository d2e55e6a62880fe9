import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/errors.js';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { tempDir } from '../../helpers/fixtures.js';
import { debianPython, requireTool, run } from '../../helpers/tools.js';
import { pseudoRandomBytes } from '../../fixtures-build/msi-cab.js';
import { hashTree } from '../cab/collect.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A real PE stub (MinGW) with a VERSIONINFO, standing in for a self-extractor's stub. */
function buildStub(dir: string): Buffer {
  writeFileSync(join(dir, 'stub.c'), 'int main(void) { return 0; }\n');
  writeFileSync(join(dir, 'stub.rc'), '1 VERSIONINFO\nFILEVERSION 2,4,0,0\nBEGIN\n BLOCK "StringFileInfo"\n BEGIN\n  BLOCK "040904B0"\n  BEGIN\n   VALUE "CompanyName", "Example Corp"\n   VALUE "ProductName", "Example Setup"\n   VALUE "ProductVersion", "2.4"\n  END\n END\n BLOCK "VarFileInfo"\n BEGIN\n  VALUE "Translation", 0x409, 1200\n END\nEND\n');
  run('x86_64-w64-mingw32-windres', ['-O', 'coff', '-i', join(dir, 'stub.rc'), '-o', join(dir, 'stub-res.o')]);
  run('x86_64-w64-mingw32-gcc', ['-s', '-O2', '-o', join(dir, 'stub.exe'), join(dir, 'stub.c'), join(dir, 'stub-res.o')]);
  return readFileSync(join(dir, 'stub.exe'));
}

interface Built {
  dir: string;
  stub: Buffer;
  src: string;
}

async function build(t: TestContext): Promise<Built | undefined> {
  for (const tool of ['x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres', 'gcab', '7zz', 'xz', 'tar', 'zip']) if (!requireTool(t, tool)) return undefined;
  const dir = await tempDir(t);
  const stub = buildStub(dir);
  const src = join(dir, 'payload');
  mkdirSync(join(src, 'bin'), { recursive: true });
  writeFileSync(join(src, 'bin', 'tool.dll'), pseudoRandomBytes(80_000, 9));
  writeFileSync(join(src, 'readme.txt'), 'installed by a self-extractor\n');
  return { dir, stub, src };
}

function sfx(b: Built, name: string, archive: string): string {
  const out = join(b.dir, name);
  writeFileSync(out, Buffer.concat([b.stub, readFileSync(archive)]));
  return out;
}

test('self-extractors: a PE whose overlay is a cab, zip, 7z or tar.xz lists the archive members; the stub is a file too', { timeout: 180_000 }, async (t) => {
  const b = await build(t);
  if (!b) return;
  const want = await hashTree(b.src);
  const archives: Record<string, string> = {};
  archives.cab = join(b.dir, 'p.cab');
  run('gcab', ['-c', '-z', archives.cab, 'bin/tool.dll', 'readme.txt'], { cwd: b.src });
  archives.zip = join(b.dir, 'p.zip');
  run('zip', ['-q', '-r', archives.zip, 'bin', 'readme.txt'], { cwd: b.src });
  archives['7z'] = join(b.dir, 'p.7z');
  run('7zz', ['a', archives['7z'], 'bin', 'readme.txt'], { cwd: b.src });
  archives.xz = join(b.dir, 'p.tar.xz');
  run('tar', ['-cJf', archives.xz, 'bin', 'readme.txt'], { cwd: b.src });
  for (const [format, archive] of Object.entries(archives)) {
    const exe = sfx(b, `setup-${format}.exe`, archive);
    // 7-Zip opens the archive inside at the stub's size: the independent view of where it is.
    const listing = run('7zz', ['l', exe]);
    if (format !== 'xz') assert.match(listing, new RegExp(`Offset = ${b.stub.length}\\b`), format);
    const res = await walkArtifact(exe, async () => {});
    assert.equal(res.root.info.format, 'sfx', format);
    assert.equal(res.root.info.properties.overlayFormat, format);
    assert.equal(res.root.info.properties.overlayOffset, String(b.stub.length));
    assert.equal(res.root.info.name, 'Example Setup');
    assert.equal(res.root.info.version, '2.4');
    assert.equal(res.root.info.manufacturer, 'Example Corp');
    const stubFile = res.files.find((f) => f.path === `setup-${format}.exe`);
    assert.equal(stubFile?.digests?.sha256, sha256(readFileSync(exe)), 'the executable itself is listed and hashed');
    const members = new Map(res.files.filter((f) => f.path !== `setup-${format}.exe` && f.kind === 'file').map((f) => [f.path, f.digests!.sha256]));
    assert.deepEqual([...members].sort(), [...want].sort(), format);
  }
});

test('a zip appended to a stub and adjusted with zip -A (offsets from the file start) is read', async (t) => {
  if (!requireTool(t, debianPython)) return;
  const b = await build(t);
  if (!b) return;
  const zip = join(b.dir, 'p.zip');
  run('zip', ['-q', '-r', zip, 'bin', 'readme.txt'], { cwd: b.src });
  const exe = sfx(b, 'adjusted.exe', zip);
  run('zip', ['-q', '-A', exe]);
  const py = JSON.parse(run(debianPython, ['-c', 'import zipfile,sys,json,hashlib\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({i.filename: hashlib.sha256(z.read(i)).hexdigest() for i in z.infolist() if not i.is_dir()}))', exe])) as Record<string, string>;
  const res = await walkArtifact(exe, async () => {});
  const members = Object.fromEntries(res.files.filter((f) => f.path !== 'adjusted.exe').map((f) => [f.path, f.digests!.sha256]));
  assert.deepEqual(members, py);
});

test('a self-extractor inside an archive keeps its place: the exe is a file and a container of the same path', async (t) => {
  const b = await build(t);
  if (!b) return;
  const cab = join(b.dir, 'p.cab');
  run('gcab', ['-c', cab, 'readme.txt'], { cwd: b.src });
  mkdirSync(join(b.dir, 'outer'));
  writeFileSync(join(b.dir, 'outer', 'setup.exe'), Buffer.concat([b.stub, readFileSync(cab)]));
  const outer = join(b.dir, 'outer.zip');
  run('zip', ['-q', '-r', outer, 'setup.exe'], { cwd: join(b.dir, 'outer') });
  const res = await walkArtifact(outer, async () => {});
  assert.deepEqual(res.containers.map((c) => [c.key, c.info.format]), [['', 'zip'], ['setup.exe', 'sfx']]);
  assert.deepEqual(res.files.map((f) => [f.path, f.container]).sort(), [['setup.exe', ''], ['setup.exe/readme.txt', 'setup.exe']]);
});

test('a self-extractor whose overlay archive is cut short is corrupt input naming the overlay', async (t) => {
  const b = await build(t);
  if (!b) return;
  const cab = join(b.dir, 'p.cab');
  run('gcab', ['-c', '-z', cab, 'bin/tool.dll', 'readme.txt'], { cwd: b.src });
  const whole = Buffer.concat([b.stub, readFileSync(cab)]);
  writeFileSync(join(b.dir, 'cut.exe'), whole.subarray(0, whole.length - 5000));
  await assert.rejects(walkArtifact(join(b.dir, 'cut.exe'), async () => {}), (err: unknown) => {
    assert.ok(err instanceof InputError, String(err));
    assert.match(err.describe(), new RegExp(`^cut\\.exe › overlay at byte ${b.stub.length}`));
    return true;
  });
});
