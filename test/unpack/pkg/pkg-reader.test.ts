import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../../src/errors.js';
import { BufferByteSource, FileByteSource } from '../../../src/io/byte-source.js';
import { GzipReader } from '../../../src/unpack/gzip/gzip-reader.js';
import { PbzxReader } from '../../../src/unpack/pbzx/pbzx-reader.js';
import { PkgReader } from '../../../src/unpack/pkg/pkg-reader.js';
import type { Entry } from '../../../src/unpack/types.js';
import { walkArtifact } from '../../../src/unpack/walk.js';
import { buildCpythonPkg, cpioExtract, cpioOf, machoFixtures, xarOf } from '../../fixtures-build/pkg-fixtures.js';
import { collect, sha256, sorted, testContext, treeOfDir, treeOfEntries } from '../../fixtures-build/pkg-harness.js';
import { requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool } from '../../helpers/tools.js';

function haveTools(t: TestContext): boolean {
  return (
    requireTool(t, 'bsdtar') &&
    requireTool(t, 'cpio') &&
    requireTool(t, 'xz') &&
    requireFixture(t, machoFixtures.dylib) !== undefined &&
    requireFixture(t, machoFixtures.universal) !== undefined
  );
}

const FRAMEWORK_ROOT = 'Python_Framework.pkg/Library/Frameworks/Python.framework';

for (const [payload, cpioFormat] of [['gzip', 'odc'], ['pbzx', 'odc'], ['pbzx', 'newc']] as const) {
  test(`CPython-shaped product archive, ${payload} ${cpioFormat} payloads: Distribution, components and payload members`, async (t) => {
    if (!haveTools(t)) return;
    const dir = await tempDir(t);
    const pkg = buildCpythonPkg(dir, { payload, cpioFormat });
    const src = await FileByteSource.open(pkg.path);
    t.after(() => src.close());
    const ctx = testContext(t, {}, ['python-3.13.1-macos11.pkg']);
    assert.ok(PkgReader.canRead(await src.read(0, 64), 'x.pkg'));
    assert.equal(await PkgReader.probe!(src, ctx), true);
    const c = await PkgReader.open(src, ctx);
    // Expected values are the committed Distribution / PackageInfo sources.
    assert.equal(c.info.format, 'pkg');
    assert.equal(c.info.name, 'Python');
    assert.equal(c.info.version, '3.13.1');
    const p = c.info.properties;
    assert.equal(p.kind, 'product');
    assert.equal(p.productId, 'org.python.Python.3.13');
    assert.equal(p.hostArchitectures, 'arm64,x86_64');
    assert.equal(p.minOSVersion, '10.13');
    assert.equal(p['pkgRef.org.python.Python.PythonFramework-3.13.version'], '3.13.1');
    assert.equal(p['pkgRef.org.python.Python.PythonFramework-3.13.installKBytes'], '2048');
    assert.equal(p['pkgRef.org.python.Python.PythonProfileChanges-3.13.path'], 'Python_Shell_Profile_Updater.pkg');
    assert.equal(p['component.Python_Framework.pkg.identifier'], 'org.python.Python.PythonFramework-3.13');
    assert.equal(p['component.Python_Framework.pkg.installLocation'], '/Library/Frameworks/Python.framework');
    assert.equal(p['component.Python_Framework.pkg.numberOfFiles'], '24');
    assert.equal(p['component.Python_Framework.pkg.scripts'], 'postinstall');
    assert.equal(p['component.Python_Shell_Profile_Updater.pkg.payload'], 'none');
    assert.equal(p['component.Python_Shell_Profile_Updater.pkg.identifier'], 'org.python.Python.PythonProfileChanges-3.13');
    assert.equal(p.tocChecksum, 'sha1');
    assert.deepEqual(c.info.warnings, []);

    const entries = await collect(c);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    for (const meta of ['Distribution', 'Resources/en.lproj/ReadMe.rtf', 'Python_Framework.pkg/Bom', 'Python_Framework.pkg/PackageInfo']) {
      const e = byPath.get(meta);
      assert.ok(e, `${meta} is listed`);
      const got = await treeOfEntries([e]);
      assert.equal(got.get(meta), `file:${sha256(readFileSync(join(pkg.stage, meta)))}`, `${meta} bytes`);
    }
    assert.equal(byPath.get('Python_Framework.pkg/PackageInfo')!.declared?.installLocation, '/Library/Frameworks/Python.framework');

    const fwPayload = byPath.get('Python_Framework.pkg/Payload')!;
    assert.deepEqual(fwPayload.containerHints, {
      name: 'org.python.Python.PythonFramework-3.13',
      version: '3.13.1',
      properties: { installLocation: '/Library/Frameworks/Python.framework', componentPackage: 'Python_Framework.pkg', payloadFormat: payload },
      membersRoot: FRAMEWORK_ROOT,
    });
    assert.equal(byPath.get('Python_Applications.pkg/Payload')!.containerHints?.membersRoot, 'Python_Applications.pkg/Applications');
    assert.equal(byPath.get('Python_Framework.pkg/Scripts')!.containerHints?.membersRoot, 'Python_Framework.pkg/Scripts');
    assert.equal(byPath.get('Python_Shell_Profile_Updater.pkg/Scripts')!.containerHints?.membersRoot, 'Python_Shell_Profile_Updater.pkg/Scripts');
    assert.equal(byPath.has('Python_Shell_Profile_Updater.pkg/Payload'), false);

    // Payload members equal what GNU cpio extracts from the cpio the payload was made of.
    for (const comp of ['Python_Framework.pkg', 'Python_Applications.pkg'] as const) {
      const out = join(dir, `oracle-${comp}`);
      cpioExtract(pkg.payloadCpio[comp], out);
      const members = await openPayload(t, byPath.get(`${comp}/Payload`)!, payload);
      assert.deepEqual(sorted(await treeOfEntries(members)), sorted(treeOfDir(out)), comp);
    }
  });
}

async function openPayload(t: TestContext, e: Entry, kind: 'gzip' | 'pbzx'): Promise<Entry[]> {
  const src = await e.open();
  const reader = kind === 'gzip' ? GzipReader : PbzxReader;
  const c = await reader.open(src, testContext(t));
  const entries = await collect(c);
  t.after(async () => {
    await c.close();
    await src.close();
  });
  return entries;
}

test('walking a CPython-shaped pkg places payload files at their installed paths', async (t) => {
  if (!haveTools(t)) return;
  const dir = await tempDir(t);
  const pkg = buildCpythonPkg(dir, { payload: 'pbzx' });
  const seen = new Map<string, string>();
  const result = await walkArtifact(pkg.path, async (file, _source, digests) => {
    seen.set(file.path, (await digests).sha256);
  });
  const libssl = `${FRAMEWORK_ROOT}/Versions/3.13/lib/libssl.3.dylib`;
  assert.equal(seen.get(libssl), sha256(readFileSync(machoFixtures.dylib)));
  assert.equal(
    seen.get(`${FRAMEWORK_ROOT}/Versions/3.13/lib/python3.13/lib-dynload/_ssl.cpython-313-darwin.so`),
    sha256(readFileSync(machoFixtures.universal)),
  );
  assert.ok(seen.has(`${FRAMEWORK_ROOT}/Versions/3.13/Frameworks/Tcl.framework/Versions/8.6/Resources/Info.plist`));
  assert.ok(seen.has('Python_Applications.pkg/Applications/Python 3.13/ReadMe.rtf'));
  assert.ok(seen.has('Python_Shell_Profile_Updater.pkg/Scripts/postinstall'));
  const link = result.files.find((f) => f.path === `${FRAMEWORK_ROOT}/Versions/Current`);
  assert.equal(link?.kind, 'symlink');
  assert.equal(link?.linkTarget, '3.13');
  const payloads = result.containers.filter((c) => c.name === 'Payload').map((c) => c.info.format);
  assert.deepEqual(payloads, ['pbzx', 'pbzx']);
});

function odcMember(name: string, data: string, mode: number): Buffer {
  const n = Buffer.from(`${name}\0`);
  const o = (v: number, w: number) => v.toString(8).padStart(w, '0');
  const h = '070707' + o(0, 6) + o(1, 6) + o(mode, 6) + o(0, 6) + o(0, 6) + o(1, 6) + o(0, 6) + o(0, 11) + o(n.length, 6) + o(data.length, 11);
  return Buffer.concat([Buffer.from(h, 'latin1'), n, Buffer.from(data)]);
}

/** A component package (pkgbuild layout: PackageInfo, Bom, Payload at the top level). */
function componentPkg(dir: string, payload: Buffer, installLocation = '/usr/local/bin'): Buffer {
  const stage = join(dir, 'stage');
  rmSync(stage, { recursive: true, force: true });
  const info = `<?xml version="1.0"?><pkg-info identifier="org.example.tool" version="1.10" install-location="${installLocation}"><payload numberOfFiles="1" installKBytes="1"/></pkg-info>`;
  for (const [name, bytes] of [['PackageInfo', info], ['Bom', 'BOMStore'], ['Payload', payload]] as const) {
    writeFileSync(join(dir, name), bytes);
  }
  return readFileSync(xarOf(dir, ['PackageInfo', 'Bom', 'Payload'], join(dir, 'tool.pkg')));
}

test('component package: name, version as written, install-location as membersRoot', async (t) => {
  if (!requireTool(t, 'bsdtar') || !requireTool(t, 'cpio')) return;
  const dir = await tempDir(t);
  const pkg = componentPkg(dir, gzipSync(Buffer.concat([odcMember('./tool', 'hi', 0o100755), odcMember('TRAILER!!!', '', 0)])));
  const c = await PkgReader.open(new BufferByteSource(pkg), testContext(t));
  assert.equal(c.info.name, 'org.example.tool');
  assert.equal(c.info.version, '1.10');
  assert.equal(c.info.properties.kind, 'component');
  const payload = (await collect(c)).find((e) => e.path === 'Payload')!;
  assert.equal(payload.containerHints?.membersRoot, 'usr/local/bin');
  const members = await openPayload(t, payload, 'gzip');
  assert.deepEqual(members.map((m) => m.path), ['tool']);
});

test('hostile pkg: a Payload that is not cpio, Apple Archive, escaping install-location', async (t) => {
  if (!requireTool(t, 'bsdtar')) return;
  const dir = await tempDir(t);
  const cases: [string, Buffer, RegExp, string?][] = [
    ['random Payload', randomBytes(4096), /not a cpio archive/],
    ['gzip of something else', gzipSync(Buffer.from('just text, no cpio here')), /gzip but does not hold a cpio/],
    ['Apple Archive', Buffer.concat([Buffer.from('AA01'), randomBytes(100)]), /^Apple Archive payloads are not supported$/],
  ];
  for (const [what, payload, message] of cases) {
    const pkg = componentPkg(dir, payload);
    const c = await PkgReader.open(new BufferByteSource(pkg), testContext(t));
    await assert.rejects(collect(c), (e: unknown) => e instanceof InputError && message.test(e.message), what);
  }
  const escaping = componentPkg(dir, gzipSync(Buffer.alloc(10)), '/../../etc');
  await assert.rejects(PkgReader.open(new BufferByteSource(escaping), testContext(t)), /escapes its container/);
});

test('a plain xar is not claimed by PkgReader', async (t) => {
  if (!requireTool(t, 'bsdtar')) return;
  const dir = await tempDir(t);
  writeFileSync(join(dir, 'notes.txt'), 'hello');
  const xar = readFileSync(xarOf(dir, ['notes.txt'], join(dir, 'plain.xar')));
  assert.equal(await PkgReader.probe!(new BufferByteSource(xar), testContext(t)), false);
  // A corrupt xar is left for XarReader to report.
  assert.equal(await PkgReader.probe!(new BufferByteSource(xar.subarray(0, 40)), testContext(t)), false);
});

test('a PackageMaker-era Distribution (<installer-script> root) is read like a productbuild one', async (t) => {
  if (!requireTool(t, 'bsdtar') || !requireTool(t, 'cpio')) return;
  const dir = await tempDir(t);
  const stage = join(dir, 'stage');
  mkdirSync(join(stage, 'Legacy.pkg'), { recursive: true });
  writeFileSync(join(stage, 'Distribution'), '<?xml version="1.0" encoding="UTF-8"?>\n<installer-script minSpecVersion="1.000000" authoringTool="com.apple.PackageMaker" authoringToolVersion="3.0.6">\n  <title>Legacy App</title>\n  <choices-outline><line choice="c1"/></choices-outline>\n  <choice id="c1" title="Legacy"><pkg-ref id="com.example.legacy"/></choice>\n  <pkg-ref id="com.example.legacy" version="1.2" installKBytes="4" auth="Root">#Legacy.pkg</pkg-ref>\n</installer-script>\n');
  writeFileSync(join(stage, 'Legacy.pkg', 'PackageInfo'), '<?xml version="1.0" encoding="utf-8"?>\n<pkg-info format-version="2" identifier="com.example.legacy" version="1.2" install-location="/Applications" auth="root"><payload installKBytes="4" numberOfFiles="1"/></pkg-info>\n');
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'Legacy.app'), { recursive: true });
  writeFileSync(join(tree, 'Legacy.app', 'readme.txt'), 'legacy\n');
  writeFileSync(join(stage, 'Legacy.pkg', 'Payload'), gzipSync(cpioOf(tree, 'odc')));
  const pkg = xarOf(stage, ['Distribution', 'Legacy.pkg'], join(dir, 'legacy.pkg'));
  const res = await walkArtifact(pkg, async () => {});
  assert.equal(res.root.info.format, 'pkg');
  assert.equal(res.root.info.name, 'Legacy App');
  assert.equal(res.root.info.properties['pkgRef.com.example.legacy.version'], '1.2');
  assert.ok(res.files.some((f) => f.path === 'Legacy.pkg/Applications/Legacy.app/readme.txt'), res.files.map((f) => f.path).join(' '));
});
