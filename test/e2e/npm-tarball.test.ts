/**
 * An npm tarball states its own name, version, author and licence in `package/package.json`:
 * the artifact and its npm component carry them, in every SBOM format. Tarballs are made here by
 * `npm pack` (offline, scripts off), whose `--json` report is the oracle for the name, version
 * and the tarball's SHA-1 and SHA-512; one packs a small scoped package, the other a real one from
 * the fixture cache (sharp's libvips for Windows, whose DLLs are detected as well).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { npmFixture, requireFixture, tempDir } from '../helpers/fixtures.js';
import type { SpdxDocument } from '../../src/serialize/spdx2-types.js';

interface Packed {
  name: string;
  version: string;
  filename: string;
  shasum: string;
  integrity: string;
}

/** `npm pack` of `dir` into `out`, and npm's own account of the tarball. */
function npmPack(dir: string, out: string): Packed & { path: string } {
  const res = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--offline', '--pack-destination', out], { cwd: dir, encoding: 'utf8', shell: process.platform === 'win32' });
  assert.equal(res.status, 0, res.stderr);
  const packed = (JSON.parse(res.stdout) as Packed[])[0]!;
  return { ...packed, path: join(out, packed.filename) };
}

function build(tgz: string, format: string): { doc: Record<string, unknown>; stderr: string } {
  const out = `${tgz}.${format}.json`;
  const res = runCli(['build', tgz, '-o', out, '--format', format]);
  assert.equal(res.status, 0, res.stderr);
  return { doc: JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>, stderr: res.stderr };
}

test('a scoped package: the artifact has its version and author, and is the npm component, in every format', async (t) => {
  const dir = await tempDir(t);
  mkdirSync(join(dir, 'pkg'));
  writeFileSync(join(dir, 'pkg', 'package.json'), JSON.stringify({
    name: '@demo/widget',
    version: '1.2.3-beta.1',
    description: 'A widget',
    author: 'Jane Doe <jane@example.org> (https://example.org/jane)',
    license: '(MIT OR Apache-2.0)',
    homepage: 'https://example.org/widget',
  }));
  writeFileSync(join(dir, 'pkg', 'index.js'), 'module.exports = 1;\n');
  const packed = npmPack(join(dir, 'pkg'), dir);

  const { doc, stderr } = build(packed.path, 'spdx-json');
  const spdx = doc as unknown as SpdxDocument;
  const root = spdx.packages!.find((p) => p.packageFileName === packed.filename)!;
  assert.equal(root.versionInfo, packed.version);
  assert.equal(root.supplier, 'Person: Jane Doe');
  assert.deepEqual(
    Object.fromEntries(root.checksums!.map((c) => [c.algorithm, c.checksumValue])),
    {
      SHA1: packed.shasum,
      SHA256: root.checksums!.find((c) => c.algorithm === 'SHA256')!.checksumValue,
      SHA512: Buffer.from(packed.integrity.replace(/^sha512-/, ''), 'base64').toString('hex'),
    },
  );
  const npm = spdx.packages!.find((p) => p.externalRefs?.some((r) => r.referenceType === 'purl' && r.referenceLocator.startsWith('pkg:npm/')))!;
  assert.deepEqual([npm.name, npm.versionInfo, npm.supplier, npm.licenseDeclared, npm.homepage, npm.downloadLocation], [packed.name, packed.version, 'Person: Jane Doe', '(MIT OR Apache-2.0)', 'https://example.org/widget', 'https://registry.npmjs.org/@demo/widget/-/widget-1.2.3-beta.1.tgz']);
  assert.equal(npm.externalRefs!.find((r) => r.referenceType === 'purl')!.referenceLocator, 'pkg:npm/%40demo/widget@1.2.3-beta.1');
  assert.doesNotMatch(stderr, /no version|no supplier/);

  // SPDX 3.0.1 and CycloneDX say the same.
  const cdx = build(packed.path, 'cyclonedx-json').doc as { metadata: { component: { version: string; supplier?: { name: string } } }; components: { purl?: string; version?: string }[] };
  assert.equal(cdx.metadata.component.version, packed.version);
  assert.ok(cdx.components.some((c) => c.purl === 'pkg:npm/%40demo/widget@1.2.3-beta.1' && c.version === packed.version));
  const spdx3 = JSON.stringify(build(packed.path, 'spdx3-json').doc);
  assert.match(spdx3, /"software_packageUrl":"pkg:npm\/%40demo\/widget@1\.2\.3-beta\.1"/);
  assert.match(spdx3, /"software_packageVersion":"1\.2\.3-beta\.1"/);
});

test('sharp\'s libvips for Windows, packed again: the package as npm names it, and the libraries in its DLLs', async (t) => {
  const fixture = requireFixture(t, join(npmFixture('@img/sharp-libvips-win32-x64@1.3.3'), 'package.json'));
  if (!fixture) return;
  const dir = await tempDir(t);
  cpSync(join(fixture, '..'), join(dir, 'pkg'), { recursive: true });
  const packed = npmPack(join(dir, 'pkg'), dir);
  const manifest = JSON.parse(readFileSync(fixture, 'utf8')) as { name: string; version: string; author: string; license: string };
  assert.deepEqual([packed.name, packed.version], [manifest.name, manifest.version]);

  const spdx = build(packed.path, 'spdx-json').doc as unknown as SpdxDocument;
  const root = spdx.packages!.find((p) => p.packageFileName === packed.filename)!;
  assert.deepEqual([root.versionInfo, root.supplier], [manifest.version, 'Person: Lovell Fuller']);
  const npm = spdx.packages!.find((p) => p.name === manifest.name)!;
  assert.deepEqual([npm.versionInfo, npm.licenseDeclared], [manifest.version, manifest.license]);
  // The bytes inside are still read: libvips itself, dated by its DLL.
  const versions = JSON.parse(readFileSync(join(fixture, '..', 'versions.json'), 'utf8')) as { vips: string };
  assert.ok(spdx.packages!.some((p) => p.name === 'libvips' && p.versionInfo === versions.vips), 'libvips');
});
