import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { MsixReader } from '../../../src/unpack/msix/msix-reader.js';
import { publisherId } from '../../../src/unpack/msix/package-family.js';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { tempDir } from '../../helpers/fixtures.js';
import { runCli } from '../../helpers/cli.js';
import { buildMsixFixtures, msixPublisher } from '../../fixtures-build/msix.js';
import { collect, sorted } from '../cab/collect.js';

test('publisher id: the documented value for Microsoft\'s publisher name', () => {
  assert.equal(publisherId('CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US'), '8wekyb3d8bbwe');
});

test('MSIX package: decoded member names and bytes equal python zipfile; identity from the manifest; block map verified', async (t) => {
  const dir = await tempDir(t);
  const fx = buildMsixFixtures(dir);
  const got = await collect(MsixReader, join(dir, 'demo.msix'), dir);
  assert.deepEqual(sorted(got.hashes), sorted(new Map(Object.entries(fx.listings['demo.msix']))));
  assert.ok(got.hashes.has('docs/Read Me.txt'), 'percent-encoded part name is decoded');
  const info = got.info;
  assert.equal(info.format, 'msix');
  assert.equal(info.name, 'Example.DemoApp');
  assert.equal(info.version, '2.5.1.0');
  assert.equal(info.manufacturer, 'Example Fixtures Ltd');
  assert.equal(info.properties.publisher, msixPublisher);
  assert.equal(info.properties.architecture, 'x64');
  assert.equal(info.properties.packageFamilyName, `Example.DemoApp_${publisherId(msixPublisher)}`);
  assert.equal(info.properties.signed, 'no');
  assert.deepEqual(info.warnings, []);
  assert.deepEqual(info.unknowns, []);
  for (const e of got.entries) {
    const inMap = !['AppxBlockMap.xml', '[Content_Types].xml'].includes(e.path);
    assert.equal(e.declared?.['msix.blockMap'], inMap ? 'verified' : undefined, e.path);
  }
});

test('MSIX package: a payload byte changed after signing is a block-map mismatch on the file and the package', async (t) => {
  const dir = await tempDir(t);
  const fx = buildMsixFixtures(dir);
  const got = await collect(MsixReader, join(dir, 'tampered.msix'), dir);
  assert.deepEqual(sorted(got.hashes), sorted(new Map(Object.entries(fx.listings['tampered.msix']))));
  assert.equal(got.entries.find((e) => e.path === 'DemoApp.exe')?.declared?.['msix.blockMap'], 'mismatch');
  // 70000 lies in the second 64 KiB block.
  assert.deepEqual(got.info.warnings, ['DemoApp.exe block 1 does not match its SHA-256 in the block map']);
});

test('MSIX bundle: the bundle identity, and each package opened in turn with its files', async (t) => {
  const dir = await tempDir(t);
  const fx = buildMsixFixtures(dir);
  const files = new Map<string, string>();
  const res = await walkArtifact(join(dir, 'demo.msixbundle'), async (f, _source, digests) => {
    files.set(f.path, (await digests).sha256);
  });
  assert.equal(res.root.info.format, 'msix');
  assert.equal(res.root.info.properties.packageType, 'bundle');
  assert.equal(res.root.info.name, 'Example.DemoApp');
  assert.equal(res.root.info.properties.packages, 'DemoApp_x64.msix DemoApp_arm64.msix');
  const nested = res.containers.filter((c) => c.parent === '');
  assert.deepEqual(nested.map((c) => [c.key, c.info.format, c.info.properties.architecture, c.hints?.version]).sort(), [
    ['DemoApp_arm64.msix', 'msix', 'arm64', '2.5.1.0'],
    ['DemoApp_x64.msix', 'msix', 'x64', '2.5.1.0'],
  ]);
  for (const [name, sha] of Object.entries(fx.listings['DemoApp_x64.msix'])) assert.equal(files.get(`DemoApp_x64.msix/${name}`), sha, name);
  assert.equal(files.get('AppxMetadata/AppxBundleManifest.xml'), fx.listings['demo.msixbundle']['AppxMetadata/AppxBundleManifest.xml']);
  assert.deepEqual(res.unknowns, []);
});

test('MSIX: a manifest without an identity, malformed XML, or a link for a manifest exits 3 in one line', async (t) => {
  const dir = await tempDir(t);
  buildMsixFixtures(dir);
  const script = `
import sys, zipfile
src, out, mode = sys.argv[1:4]
with zipfile.ZipFile(src) as a, zipfile.ZipFile(out, 'w') as b:
    for i in a.infolist():
        data = a.read(i)
        if i.filename == 'AppxManifest.xml' and mode == 'link':
            # A symbolic link (Unix mode in the external attributes), as a fuzzed package had.
            i.create_system = 3
            i.external_attr = 0o120777 << 16
            data = b'elsewhere.xml'
        elif i.filename == 'AppxManifest.xml':
            data = data.replace(b'<Identity', b'<Identityx') if mode == 'identity' else data[:200]
        b.writestr(i, data)
`;
  const expected: Record<string, RegExp> = {
    identity: /bad-identity\.msix: AppxManifest\.xml has no complete Identity/,
    xml: /AppxManifest\.xml is not well-formed XML/,
    link: /bad-link\.msix: AppxManifest\.xml is not a regular file/,
  };
  for (const mode of Object.keys(expected)) {
    const bad = join(dir, `bad-${mode}.msix`);
    execFileSync('/usr/bin/python3', ['-c', script, join(dir, 'demo.msix'), bad, mode]);
    const out = join(dir, `${mode}.spdx.json`);
    const res = runCli(['build', bad, '-o', out, '--supplier', 'Organization: Example']);
    assert.equal(res.status, 3, res.stderr);
    assert.equal(res.stderr.trim().split('\n').length, 1, res.stderr);
    assert.match(res.stderr, expected[mode]!);
    assert.equal(existsSync(out), false);
  }
});

test('MSIX: a zip without the footprint files is an ordinary zip', async (t) => {
  const dir = await tempDir(t);
  const p = join(dir, 'plain.msix');
  execFileSync('/usr/bin/python3', ['-c', `import zipfile,sys\nwith zipfile.ZipFile(sys.argv[1],'w') as z: z.writestr('a.txt','a')`, p]);
  const res = await walkArtifact(p, async () => {});
  assert.equal(res.root.info.format, 'zip');
});
