/**
 * Data appended to a PE that no reader opens is a known unknown, never silently dropped; what
 * belongs to the image though no section holds it (debug data, the COFF string table) and zero
 * padding are not such data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact, type WalkResult } from '../../../src/unpack/walk.js';
import { debFixture, requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { pseudoRandomBytes } from '../../fixtures-build/msi-cab.js';
import { pefileFacts, requirePefile } from '../../inspect/pe/pefile-oracle.js';

const clamav = join(debFixture('clamav-testfiles'), 'usr', 'share', 'clamav-testfiles');

const walk = (path: string): Promise<WalkResult> => walkArtifact(path, async () => {});

test('a PE with bytes appended in no format read here: the file says so and the SBOM lists a known unknown', async (t) => {
  for (const tool of ['x86_64-w64-mingw32-gcc']) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  writeFileSync(join(dir, 'stub.c'), 'int main(void) { return 0; }\n');
  run('x86_64-w64-mingw32-gcc', ['-s', '-O2', '-o', join(dir, 'stub.exe'), join(dir, 'stub.c')]);
  const stub = readFileSync(join(dir, 'stub.exe'));

  const data = join(dir, 'data.exe');
  writeFileSync(data, Buffer.concat([stub, pseudoRandomBytes(3000, 5)]));
  const res = await walk(data);
  assert.deepEqual(res.containers.map((c) => c.info.format), ['file']);
  const reason = `the PE overlay (3000 bytes at byte ${stub.length}) is in no format read here; what it holds is not in this SBOM`;
  assert.deepEqual(res.files.find((f) => f.path === 'data.exe')?.unopened, { format: 'pe-overlay', reason });
  assert.deepEqual(
    res.unknowns.map((u) => [u.kind, u.path, u.format]),
    [['unopened-container', 'data.exe', 'pe-overlay']],
  );

  // Alignment padding says nothing about the file.
  const padded = join(dir, 'padded.exe');
  writeFileSync(padded, Buffer.concat([stub, Buffer.alloc(4096)]));
  const quiet = await walk(padded);
  assert.deepEqual(quiet.unknowns, []);
  assert.equal(quiet.files.find((f) => f.path === 'padded.exe')?.unopened, undefined);
});

test('compiled AutoIt scripts (the script is the overlay) are known unknowns where pefile puts the overlay', async (t) => {
  if (!requirePefile(t)) return;
  for (const [name, marker] of [['clam.ea05.exe', 'AU3!EA05'], ['clam.ea06.exe', 'AU3!EA06']] as const) {
    const exe = requireFixture(t, join(clamav, name));
    if (!exe) return;
    const o = pefileFacts(exe);
    assert.ok(o.overlayStart !== null);
    // AutoIt's own marker 16 bytes into the overlay: the bytes are its script, not padding.
    assert.equal(readFileSync(exe).toString('latin1', o.overlayStart + 16, o.overlayStart + 24), marker);
    const res = await walk(exe);
    const size = o.fileSize - o.overlayStart;
    assert.deepEqual(res.unknowns.map((u) => [u.path, u.format, u.reason]), [
      [name, 'pe-overlay', `the PE overlay (${size} bytes at byte ${o.overlayStart}) is in no format read here; what it holds is not in this SBOM`],
    ]);
  }
});
