/**
 * Debian packages built here by dpkg-deb, with each compression it writes: the members are what
 * `ar t` lists, the files under data.tar.* are what `dpkg-deb -c` lists, with the bytes
 * `dpkg-deb -x` extracts; a damaged package exits 3 naming it.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyzeArtifact } from '../../../src/pipeline.js';
import { runCli } from '../../helpers/cli.js';
import { debFixture, requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

test('a .deb: its ar members and the files of its data tarball, as ar and dpkg-deb list them, in every compression', { timeout: 120_000 }, async (t) => {
  const dll = requireFixture(t, join(debFixture('libz-mingw-w64'), 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'));
  if (!dll || !requireTool(t, 'dpkg-deb') || !requireTool(t, 'ar')) return;
  const dir = await tempDir(t);
  const root = join(dir, 'root');
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(join(root, 'DEBIAN', 'control'), 'Package: isbom-zlib\nVersion: 1.2.13-1\nArchitecture: all\nMaintainer: Example <dev@example.org>\nDescription: zlib for Windows, as a test\n');
  mkdirSync(join(root, 'usr', 'lib', 'win'), { recursive: true });
  cpSync(dll, join(root, 'usr', 'lib', 'win', 'zlib1.dll'));
  writeFileSync(join(root, 'usr', 'lib', 'win', 'README'), 'zlib\n');

  for (const z of ['xz', 'gzip', 'zstd', 'none']) {
    const deb = join(dir, `isbom-zlib-${z}.deb`);
    try {
      run('dpkg-deb', ['--root-owner-group', `-Z${z}`, '--build', root, deb]);
    } catch {
      t.diagnostic(`dpkg-deb here cannot write -Z${z}`);
      continue;
    }
    const members = run('ar', ['t', deb]).split('\n').filter(Boolean);
    const data = members.find((m) => m.startsWith('data.tar'))!;
    // dpkg-deb -c: `-rw-r--r-- root/root 1234 date ./usr/lib/win/zlib1.dll`, regular files only.
    const listed = run('dpkg-deb', ['-c', deb]).split('\n').filter((l) => l.startsWith('-')).map((l) => `${data}/${l.split(/\s+/).at(-1)!.replace(/^\.\//, '')}`);
    const x = join(dir, `x-${z}`);
    run('dpkg-deb', ['-x', deb, x]);

    const a = await analyzeArtifact(deb);
    assert.equal(a.root.info.format, 'deb', z);
    assert.equal(a.root.info.properties.debVersion, '2.0');
    const top = a.files.filter((f) => f.container === '').map((f) => f.path);
    assert.deepEqual(top.sort(), members.filter((m) => !m.startsWith('data.tar') && !m.startsWith('control.tar')).sort(), `${z}: plain members`);
    assert.deepEqual(a.containers.filter((c) => c.parent === '').map((c) => c.key).sort(), members.filter((m) => m.endsWith('.tar') || m.includes('.tar.')).sort(), `${z}: tarballs`);
    const inData = a.files.filter((f) => f.path.startsWith(`${data}/`) && f.kind === 'file').map((f) => f.path);
    assert.deepEqual(inData.sort(), listed.sort(), `${z}: files`);
    const ours = a.files.find((f) => f.path === `${data}/usr/lib/win/zlib1.dll`)!;
    assert.equal(ours.digests?.sha256, sha256(readFileSync(join(x, 'usr', 'lib', 'win', 'zlib1.dll'))));
    assert.deepEqual(a.components.filter((c) => c.identity.id === 'zlib').map((c) => c.version), ['1.2.13'], z);
  }

  // The package names itself in control.tar's control file: dpkg-deb -f is the oracle.
  const deb = join(dir, 'isbom-zlib-xz.deb');
  const [pkgName, pkgVersion, maintainer] = run('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Maintainer']).trim().split('\n').map((l) => l.replace(/^[^:]+: /, ''));
  const out = join(dir, 'deb.spdx.json');
  const built = runCli(['build', deb, '-o', out]);
  assert.equal(built.status, 0, built.stderr);
  assert.doesNotMatch(built.stderr, /no version|no supplier/);
  const spdx = JSON.parse(readFileSync(out, 'utf8')) as { packages: { SPDXID: string; name: string; packageFileName?: string; versionInfo?: string; supplier?: string; externalRefs?: { referenceType: string; referenceLocator: string }[] }[] };
  const described = spdx.packages.find((p) => p.packageFileName === 'isbom-zlib-xz.deb')!;
  assert.deepEqual([described.versionInfo, described.supplier], [pkgVersion, `Person: ${maintainer!.replace(/\s*<.*>$/, '')}`]);
  const own = spdx.packages.find((p) => p.externalRefs?.some((r) => r.referenceType === 'purl' && r.referenceLocator.startsWith('pkg:deb/')))!;
  assert.deepEqual([own.name, own.versionInfo, own.externalRefs!.find((r) => r.referenceType === 'purl')!.referenceLocator], [pkgName, pkgVersion, `pkg:deb/${pkgName}@${pkgVersion}`]);

  // Damaged: a member header cut short is bad input, named.
  const good = readFileSync(join(dir, 'isbom-zlib-xz.deb'));
  const cut = join(dir, 'cut.deb');
  writeFileSync(cut, good.subarray(0, 8 + 60 + 4 + 30));
  const res = runCli(['build', cut, '-o', join(dir, 'cut.spdx.json')]);
  assert.equal(res.status, 3, res.stderr);
  assert.match(res.stderr, /cut\.deb/);
  // One offset, said once (InputError adds it to the message).
  assert.match(res.stderr, /cannot be read at byte \d+$|needs 60 bytes at byte \d+$/m);
  assert.doesNotMatch(res.stderr, /at byte \d+.* at byte/);
  assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
});
