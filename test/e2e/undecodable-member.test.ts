/**
 * A member of an archive of files whose bytes name a format but do not open as one is data the
 * archive carries, not damage to it: lzma-native 8.0.6 vendors XZ Utils' source tarball, whose
 * tests/files hold deliberately broken and exotic `.xz` files. The oracle is XZ Utils' own
 * `xz -t` on the members `tar` extracts; the artifact itself, truncated, still exits 3.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeArtifact } from '../../src/pipeline.js';
import { runCli } from '../helpers/cli.js';
import { npmFixture, requireFixture, tempDir } from '../helpers/fixtures.js';
import { requireTool, run } from '../helpers/tools.js';

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

test("XZ Utils' broken test files inside its source tarball are files with known unknowns, not a failed build", { timeout: 120_000 }, async (t) => {
  const tarball = requireFixture(t, join(npmFixture('lzma-native@8.0.6'), 'deps', 'xz-5.2.3.tar.bz2'));
  if (!tarball || !requireTool(t, 'tar') || !requireTool(t, 'xz')) return;
  const dir = await tempDir(t);
  const out = join(dir, 'x');
  mkdirSync(out);
  run('tar', ['-xjf', tarball, '-C', out]);
  const tests = join(out, 'xz-5.2.3', 'tests', 'files');
  const xzFiles = readdirSync(tests).filter((n) => n.endsWith('.xz'));
  const rejected = new Set(xzFiles.filter((n) => {
    try {
      run('xz', ['-t', join(tests, n)]);
      return false;
    } catch {
      return true;
    }
  }));
  assert.ok(rejected.size > 20, `xz -t rejects ${rejected.size} test files`);

  const a = await analyzeArtifact(tarball);
  const unknownAt = new Map(a.unknowns.filter((u) => u.kind === 'unopened-container' && u.format === 'xz').map((u) => [u.path, u.reason]));
  const opened = new Set(a.containers.map((c) => c.key));
  for (const n of xzFiles) {
    const path = `xz-5.2.3/tests/files/${n}`;
    const bytes = readFileSync(join(tests, n));
    const file = a.files.find((f) => f.path === path);
    if (!bytes.subarray(0, 6).equals(XZ_MAGIC)) {
      // Not xz by its bytes (bad-0-header_magic.xz): a plain file, its name warned about.
      assert.match(file?.warnings?.join() ?? '', /named like/, n);
      continue;
    }
    // What xz itself rejects, we cannot open either; what we could not open is said, never dropped.
    if (rejected.has(n)) assert.ok(unknownAt.has(path), `${n}: xz -t rejects it, the SBOM must say it was not opened`);
    assert.ok(opened.has(path) !== unknownAt.has(path), `${n}: opened or a known unknown, exactly one`);
    if (!unknownAt.has(path)) continue;
    assert.ok(file, `${n} is listed as a file`);
    assert.equal(file.digests?.sha256, createHash('sha256').update(bytes).digest('hex'));
  }
  // Valid streams that use what xz-embedded does not decode (a BCJ filter) are not called corrupt.
  assert.match(unknownAt.get('xz-5.2.3/tests/files/good-1-x86-lzma2.xz') ?? '', /options this reader does not decode/);
  assert.match(unknownAt.get('xz-5.2.3/tests/files/bad-2-index-1.xz') ?? '', /corrupt xz data/);

  // The same member as the artifact itself is bad input: exit 3 in one line.
  const bad = join(dir, 'bad-2-index-1.xz');
  writeFileSync(bad, readFileSync(join(tests, 'bad-2-index-1.xz')));
  const res = runCli(['build', bad, '-o', join(dir, 'bad.spdx.json')]);
  assert.equal(res.status, 3, res.stderr);
  assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
});
