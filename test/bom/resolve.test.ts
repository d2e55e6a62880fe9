/**
 * analysis → model on small hand-made analyses: what each relationship means, one package per
 * component copy, and what could not be seen. The expected relationships are written from what
 * the inputs state (which file imports which library, which file is which component).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBom } from '../../src/bom/resolve.js';
import type { Relationship } from '../../src/bom/model.js';
import { analysisOf, digestsOf, evidence, identity, peFacts } from '../helpers/bom.js';

const rels = (list: Relationship[]) => list.map((r) => `${r.from} ${r.type} ${r.to}${r.comment ? ` (${r.comment})` : ''}`).sort();

test('contains: the artifact holds its top-level files and containers, a container holds its members', () => {
  const a = analysisOf({
    containers: [{ key: 'data.cab', format: 'cab' }],
    files: [{ path: 'readme.txt' }, { path: 'data.cab/a.txt', container: 'data.cab' }],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(rels(bom.relationships), ['artifact contains container:data.cab', 'artifact contains file:readme.txt', 'container:data.cab contains file:data.cab/a.txt']);
  assert.deepEqual(bom.containers.map((c) => [c.ref, c.path, c.format, c.purpose]), [['container:data.cab', 'data.cab', 'cab', 'archive']]);
  assert.deepEqual(bom.files.map((f) => [f.ref, f.container, f.digests]), [
    ['file:readme.txt', 'artifact', digestsOf('readme.txt')],
    ['file:data.cab/a.txt', 'container:data.cab', digestsOf('data.cab/a.txt')],
  ]);
  assert.deepEqual(bom.components, []);
  assert.deepEqual(bom.knownUnknowns, []);
});

test('contains: a component is made of the library file that is it, and the artifact depends on it', () => {
  const a = analysisOf({
    files: [{ path: 'libcrypto-3.dll', facts: peFacts() }],
    components: [{ identity: identity('openssl', 'OpenSSL'), version: '3.0.15', carriers: [{ file: 'libcrypto-3.dll', relation: 'contains' }], evidence: [evidence('libcrypto-3.dll', 'OpenSSL 3.0.15', '3.0.15')], archs: [] }],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(rels(bom.relationships), [
    'artifact contains file:libcrypto-3.dll',
    'artifact depends-on component:openssl@3.0.15',
    'component:openssl@3.0.15 contains file:libcrypto-3.dll',
  ]);
  const c = bom.components[0]!;
  assert.equal(c.name, 'OpenSSL');
  assert.equal(c.version, '3.0.15');
  assert.deepEqual(c.supplier, { type: 'organization', name: 'OpenSSL Project' });
  // CPE 2.3 formatted string binding (NISTIR 7695 §6.2) and a purl at the version.
  assert.deepEqual(c.cpes, [{ cpe: 'cpe:2.3:a:openssl:openssl:3.0.15:*:*:*:*:*:*:*' }]);
  assert.equal(c.purl, 'pkg:generic/openssl@3.0.15');
  assert.equal(c.downloadLocation, 'https://example.org/openssl-3.0.15.tar.gz');
  assert.equal(bom.files[0]!.fileKind.executable, true);
});

test("contains: a container's own code holds a component (the Burn engine in a bundle's stub; the artifact itself)", () => {
  const a = analysisOf({
    name: 'setup.exe',
    format: 'burn',
    containers: [{ key: 'inner.exe', format: 'burn' }],
    components: [
      { identity: identity('wix-burn', 'WiX Burn'), version: '3.14.1', carriers: [{ file: 'setup.exe', relation: 'contains' }, { file: 'inner.exe', relation: 'contains' }], evidence: [], archs: [] },
    ],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(rels(bom.relationships), ['artifact contains component:wix-burn@3.14.1', 'artifact contains container:inner.exe', 'artifact depends-on component:wix-burn@3.14.1', 'container:inner.exe contains component:wix-burn@3.14.1']);
  assert.equal(bom.artifact.purpose, 'install');
  // A Burn bundle is an .exe: its own bytes run.
  assert.equal(bom.artifact.fileKind.executable, true);
});

test('static-link: a binary holding a compiled-in copy; metadata (a plist) is evidence, never a link', () => {
  const a = analysisOf({
    files: [{ path: 'python.exe', facts: peFacts([], false) }, { path: 'Tcl.framework/Resources/Info.plist', facts: { format: 'plist', strings: [] } }],
    components: [
      { identity: identity('zlib'), version: '1.3.1', carriers: [{ file: 'python.exe', relation: 'static-link' }], evidence: [], archs: [] },
      { identity: identity('tcl', 'Tcl'), version: '8.6.14', carriers: [{ file: 'Tcl.framework/Resources/Info.plist', relation: 'static-link' }], evidence: [evidence('Tcl.framework/Resources/Info.plist', '8.6.14', '8.6.14')], archs: [] },
    ],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  const links = bom.relationships.filter((r) => r.type === 'static-link' || (r.type === 'contains' && r.from.startsWith('component:')));
  assert.deepEqual(rels(links), ['file:python.exe static-link component:zlib@1.3.1']);
  assert.equal(bom.components.find((c) => c.componentId === 'tcl')!.evidence.length, 1);
});

test('dynamic-link: every import of a shipped library is a link from the importer to the copy it loads', () => {
  const a = analysisOf({
    files: [
      { path: 'DLLs/_ctypes.pyd', facts: peFacts(['libffi-8.dll']) },
      { path: 'DLLs/_sqlite3.pyd', facts: peFacts(['sqlite3.dll']) },
      { path: 'DLLs/_hashlib.pyd', facts: peFacts(['libcrypto-3.dll']) },
      { path: 'DLLs/libffi-8.dll', facts: peFacts() },
      { path: 'DLLs/sqlite3.dll', facts: peFacts() },
    ],
    components: [
      { identity: identity('libffi'), version: '3.4.4', carriers: [{ file: 'DLLs/libffi-8.dll', relation: 'contains' }], evidence: [], archs: [] },
      { identity: identity('sqlite', 'SQLite'), version: '3.45.3', carriers: [{ file: 'DLLs/sqlite3.dll', relation: 'contains' }], evidence: [], archs: [] },
    ],
    links: [
      { componentId: 'libffi', file: 'DLLs/_ctypes.pyd', target: 'libffi-8.dll', evidence: [{ file: 'DLLs/_ctypes.pyd', kind: 'load-command', text: 'libffi-8.dll', location: 'import table' }] },
      { componentId: 'sqlite', file: 'DLLs/_sqlite3.pyd', target: 'SQLITE3.DLL', evidence: [{ file: 'DLLs/_sqlite3.pyd', kind: 'load-command', text: 'SQLITE3.DLL', location: 'delay-import table' }] },
      // OpenSSL is not shipped here (a system library): its import links to nothing.
      { componentId: 'openssl', file: 'DLLs/_hashlib.pyd', target: 'libcrypto-3.dll', evidence: [] },
    ],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(rels(bom.relationships.filter((r) => r.type === 'dynamic-link')), [
    'file:DLLs/_ctypes.pyd dynamic-link component:libffi@3.4.4 (import table: libffi-8.dll)',
    // Windows file names are case-insensitive.
    'file:DLLs/_sqlite3.pyd dynamic-link component:sqlite@3.45.3 (delay-import table: SQLITE3.DLL)',
  ]);
  // The implementing files are tied to their packages.
  assert.deepEqual(rels(bom.relationships.filter((r) => r.from.startsWith('component:'))), ['component:libffi@3.4.4 contains file:DLLs/libffi-8.dll', 'component:sqlite@3.45.3 contains file:DLLs/sqlite3.dll']);
});

test('dynamic-link: with two copies of a component the import goes to the copy whose file it names', () => {
  const a = analysisOf({
    files: [{ path: 'a/app.exe', facts: peFacts(['zlib1.dll'], false) }, { path: 'a/zlib1.dll', facts: peFacts() }, { path: 'b/zlibwapi.dll', facts: peFacts() }],
    components: [
      { identity: identity('zlib'), version: '1.2.13', carriers: [{ file: 'a/zlib1.dll', relation: 'contains' }], evidence: [], archs: [] },
      { identity: identity('zlib'), version: '1.3.1', carriers: [{ file: 'b/zlibwapi.dll', relation: 'contains' }], evidence: [], archs: [] },
    ],
    links: [{ componentId: 'zlib', file: 'a/app.exe', target: 'zlib1.dll', evidence: [] }],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(rels(bom.relationships.filter((r) => r.type === 'dynamic-link')), ['file:a/app.exe dynamic-link component:zlib@1.2.13 (import: zlib1.dll)']);
  assert.equal(bom.components.length, 2);
});

test('one copy: libssl without a version mark that loads the versioned libcrypto is the same OpenSSL build (two carriers, no twin)', () => {
  const a = analysisOf({
    files: [{ path: 'lib/libcrypto.3.dylib', facts: { format: 'macho', strings: [], macho: { slices: [] } as never } }, { path: 'lib/libssl.3.dylib', facts: { format: 'macho', strings: [], macho: { slices: [] } as never } }],
    components: [
      { identity: identity('openssl', 'OpenSSL'), version: '3.0.15', carriers: [{ file: 'lib/libcrypto.3.dylib', relation: 'contains' }], evidence: [evidence('lib/libcrypto.3.dylib', 'OpenSSL 3.0.15', '3.0.15')], archs: ['arm64'] },
      { identity: identity('openssl', 'OpenSSL'), carriers: [{ file: 'lib/libssl.3.dylib', relation: 'contains' }], evidence: [evidence('lib/libssl.3.dylib', 'OpenSSL')], archs: ['x86_64'] },
    ],
    links: [{ componentId: 'openssl', file: 'lib/libssl.3.dylib', target: '@rpath/libcrypto.3.dylib', evidence: [{ file: 'lib/libssl.3.dylib', kind: 'load-command', text: '@rpath/libcrypto.3.dylib', location: 'LC_LOAD_DYLIB' }] }],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.equal(bom.components.length, 1);
  const c = bom.components[0]!;
  assert.equal(c.version, '3.0.15');
  assert.deepEqual(c.archs, ['arm64', 'x86_64']);
  assert.deepEqual(rels(bom.relationships.filter((r) => r.from === c.ref)), ['component:openssl@3.0.15 contains file:lib/libcrypto.3.dylib', 'component:openssl@3.0.15 contains file:lib/libssl.3.dylib']);
  // libssl loading libcrypto is inside one build: no link of the component to itself.
  assert.deepEqual(bom.relationships.filter((r) => r.type === 'dynamic-link'), []);
  assert.ok(c.evidence.some((e) => e.file === 'lib/libssl.3.dylib' && /same build as lib\/libcrypto\.3\.dylib/.test(e.location)));
  // No CPE without a version ever (a wildcard would match every OpenSSL).
  assert.ok(c.cpes.every((x) => !x.cpe.includes(':*:*:*:*:*:*:*:*')));
});

test('a component without a version: no CPE (never a wildcard), a purl without version', () => {
  const a = analysisOf({ files: [{ path: 'x.dll', facts: peFacts() }], components: [{ identity: identity('libffi'), carriers: [{ file: 'x.dll', relation: 'contains' }], evidence: [], archs: [] }] });
  const c = resolveBom(a, { createdEpoch: 0 }).components[0]!;
  assert.equal(c.version, undefined);
  assert.deepEqual(c.cpes, []);
  assert.equal(c.purl, 'pkg:generic/libffi');
  assert.equal(c.downloadLocation, undefined);
  assert.equal(c.ref, 'component:libffi@');
});

test('two files at one path (an MSI installing a name twice) are two file elements, each contained', () => {
  const a = analysisOf({ files: [{ path: 'Windows/system32/ATL80.dll' }, { path: 'Windows/system32/ATL80.dll' }] });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(bom.files.map((f) => f.ref), ['file:Windows/system32/ATL80.dll', 'file:Windows/system32/ATL80.dll#2']);
  assert.deepEqual(rels(bom.relationships), ['artifact contains file:Windows/system32/ATL80.dll', 'artifact contains file:Windows/system32/ATL80.dll#2']);
});

test('known unknowns: unopened containers, undecodable members, absent payloads and uninspected files, each scoped to the list it makes incomplete', () => {
  const a = analysisOf({
    containers: [{ key: 'data.cab', format: 'cab' }],
    files: [{ path: 'data.cab/a.txt', container: 'data.cab' }, { path: 'missing.cab', absent: true }, { path: 'odd.dll' }, { path: 'tools.7z' }],
    unknowns: [{ kind: 'unsupported-member', path: 'data.cab/b.bin', format: 'lzx', reason: 'LZX is not decoded' }],
  });
  a.files.find((f) => f.path === 'tools.7z')!.unopened = { format: '7z', reason: 'a 7z archive is not opened' };
  a.inspectWarnings.set('odd.dll', 'truncated PE header');
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(
    bom.knownUnknowns.map((u) => [u.kind, u.subject, u.reason, u.scope]),
    [
      ['unsupported-member', 'data.cab/b.bin', 'LZX is not decoded (lzx)', 'container:data.cab'],
      ['absent', 'missing.cab', 'declared by its container but its bytes are not in this artifact', 'artifact'],
      ['not-inspected', 'odd.dll', 'truncated PE header', 'file:odd.dll'],
      ['unopened-container', 'tools.7z', 'a 7z archive is not opened (7z)', 'file:tools.7z'],
    ],
  );
  // An absent file has no bytes: it is no file element.
  assert.ok(!bom.files.some((f) => f.path === 'missing.cab'));
  const unopened = bom.files.find((f) => f.path === 'tools.7z')!;
  assert.deepEqual(unopened.unopened, { format: '7z', reason: 'a 7z archive is not opened' });
  assert.equal(unopened.fileKind.archive, true);
  assert.equal(bom.files.find((f) => f.path === 'odd.dll')!.notInspected, 'truncated PE header');
});

test('the artifact: name, file name, digests, its stated version and supplier, the --supplier fallback only when it states none', () => {
  const a = analysisOf({ name: 'demo.msi', format: 'msi' });
  a.root.info = { format: 'msi', properties: { ProductCode: '{X}' }, version: '1.2.3', manufacturer: 'Example Corp' };
  const bom = resolveBom(a, { createdEpoch: 0, supplier: 'Organization: Fallback' });
  assert.equal(bom.artifact.name, 'demo.msi');
  assert.equal(bom.artifact.fileName, 'demo.msi');
  assert.equal(bom.artifact.version, '1.2.3');
  assert.deepEqual(bom.artifact.supplier, { type: 'organization', name: 'Example Corp' });
  assert.deepEqual(bom.artifact.digests, digestsOf('demo.msi bytes'));
  assert.deepEqual(bom.artifact.properties, { ProductCode: '{X}' });
  assert.equal(bom.artifact.purpose, 'install');
  assert.deepEqual(bom.artifact.fileKind, { executable: false, archive: true, structured: true });

  const b = analysisOf({ name: 'demo.zip' });
  const fallback = resolveBom(b, { createdEpoch: 0, supplier: 'Organization: Fallback (sbom@example.com)' });
  assert.deepEqual(fallback.artifact.supplier, { type: 'organization', name: 'Fallback', email: 'sbom@example.com' });
  assert.equal(fallback.artifact.purpose, 'archive');
  // Containers inside do not take the --supplier fallback: only what the artifact itself states.
});

test('the document: name, namespace and serial number derived from the artifact, created from the epoch', () => {
  const a = analysisOf({ name: 'demo.zip' });
  const bom = resolveBom(a, { createdEpoch: 1700000000, creators: ['Organization: Example (sbom@example.com)'] });
  assert.equal(bom.document.name, 'demo.zip');
  assert.equal(bom.document.created, '2023-11-14T22:13:20Z');
  assert.match(bom.document.namespace, /^https:\/\/spdx\.org\/spdxdocs\/installer-sbom\/demo\.zip-[0-9a-f]{64}$/);
  assert.ok(bom.document.namespace.endsWith(digestsOf('demo.zip bytes').sha256));
  // RFC 9562 §5.5: version 5 (name-based, SHA-1), variant 10.
  assert.match(bom.document.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.deepEqual(bom.document.creators, [{ type: 'organization', name: 'Example', email: 'sbom@example.com' }]);
  // Same input, same identity.
  assert.deepEqual(resolveBom(analysisOf({ name: 'demo.zip' }), { createdEpoch: 1700000000 }).document.serialNumber, bom.document.serialNumber);
  assert.notEqual(resolveBom(analysisOf({ name: 'other.zip' }), { createdEpoch: 1700000000 }).document.serialNumber, bom.document.serialNumber);
});

const withVersionInfo = (strings: Record<string, string>, isDll = true) => {
  const f = peFacts([], isDll);
  f.pe!.versionInfo = { strings: { '040904b0': strings } } as never;
  return f;
};
const machoOf = (fileType: string) => ({ format: 'macho' as const, strings: [], macho: { fat: false, slices: [{ arch: 'arm64', cputype: 0, cpusubtype: 0, offset: 0, size: 1, bits: 64 as const, fileType, dylibs: [] }] } }) as never;

test('a bare binary as the artifact: its VERSIONINFO states version and supplier (padding dropped); DLL is a library, EXE an application', () => {
  const dll = analysisOf({ name: 'zlib1.dll', format: 'file', files: [{ path: 'zlib1.dll', facts: withVersionInfo({ ProductVersion: '1.3.1\0\0', CompanyName: ' Zlib Org ' }) }] });
  const a = resolveBom(dll, { createdEpoch: 0, supplier: 'Organization: Fallback' }).artifact;
  assert.deepEqual([a.version, a.supplier, a.purpose, a.fileName, a.fileKind], ['1.3.1', { type: 'organization', name: 'Zlib Org' }, 'library', 'zlib1.dll', { executable: true, archive: false, structured: false }]);
  assert.equal(a.description, 'The file zlib1.dll.');
  const exe = analysisOf({ name: 'app.exe', format: 'file', files: [{ path: 'app.exe', facts: withVersionInfo({ FileVersion: '2.0' }, false) }] });
  const e = resolveBom(exe, { createdEpoch: 0, supplier: 'Organization: Fallback' }).artifact;
  assert.deepEqual([e.version, e.supplier, e.purpose], ['2.0', { type: 'organization', name: 'Fallback' }, 'application']);
  // ProductVersion before FileVersion; an empty value is no value.
  const both = analysisOf({ name: 'b.dll', format: 'file', files: [{ path: 'b.dll', facts: withVersionInfo({ ProductVersion: ' ', FileVersion: '3.1' }) }] });
  assert.equal(resolveBom(both, { createdEpoch: 0 }).artifact.version, '3.1');
  const macExe = analysisOf({ name: 'tool', format: 'file', files: [{ path: 'tool', facts: machoOf('MH_EXECUTE') }] });
  assert.equal(resolveBom(macExe, { createdEpoch: 0 }).artifact.purpose, 'application');
  const dylib = analysisOf({ name: 'libx.dylib', format: 'file', files: [{ path: 'libx.dylib', facts: machoOf('MH_DYLIB') }] });
  assert.equal(resolveBom(dylib, { createdEpoch: 0 }).artifact.purpose, 'library');
  const text = analysisOf({ name: 'notes.txt', format: 'file', files: [{ path: 'notes.txt' }] });
  const t = resolveBom(text, { createdEpoch: 0 }).artifact;
  assert.deepEqual([t.purpose, t.fileKind.executable], ['file', false]);
});

test('a bare library that is one component takes that component version and supplier when its bytes state none', () => {
  const a = analysisOf({
    name: 'libffi-8.dll',
    format: 'file',
    files: [{ path: 'libffi-8.dll', facts: peFacts() }],
    components: [{ identity: identity('libffi'), version: '3.4.4', carriers: [{ file: 'libffi-8.dll', relation: 'contains' }], evidence: [], archs: [] }],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.equal(bom.artifact.version, '3.4.4');
  assert.deepEqual(bom.artifact.supplier, { type: 'organization', name: 'libffi Project' });
  assert.ok(bom.relationships.some((r) => r.from === 'component:libffi@3.4.4' && r.type === 'contains' && r.to === 'file:libffi-8.dll'));
  // Two components in one bare file: neither is the file's identity.
  a.components.push({ identity: identity('zlib'), version: '1.3.1', carriers: [{ file: 'libffi-8.dll', relation: 'contains' }], evidence: [], archs: [] });
  const two = resolveBom(a, { createdEpoch: 0 });
  assert.equal(two.artifact.version, undefined);
  assert.equal(two.artifact.supplier, undefined);
});

test('a directory: no file name, no digests, purpose file; its identity is its file list', () => {
  const dir = (extra: string) => {
    const a = analysisOf({ name: 'release', format: 'directory', files: [{ path: 'a.txt' }, { path: extra }] });
    delete a.root.digests;
    return resolveBom(a, { createdEpoch: 0 });
  };
  const bom = dir('b.txt');
  assert.deepEqual([bom.artifact.fileName, bom.artifact.digests, bom.artifact.purpose, bom.artifact.fileKind], [undefined, undefined, 'file', { executable: false, archive: false, structured: true }]);
  assert.equal(dir('b.txt').document.namespace, bom.document.namespace);
  assert.notEqual(dir('c.txt').document.namespace, bom.document.namespace);
  assert.match(bom.document.namespace, /\/release-[0-9a-f]{64}$/);
});

test('containers: declared name, version and supplier; the artifact supplier it states (not --supplier) for one that states none; links recorded, not followed', () => {
  const a = analysisOf({
    name: 'bundle.msi',
    format: 'msi',
    containers: [{ key: 'core.cab', format: 'cab' }, { key: 'Payload', format: 'cpio' }],
    files: [{ path: 'core.cab/a.dll' , container: 'core.cab' }],
  });
  a.root.info = { format: 'msi', properties: {}, manufacturer: 'Example Corp' };
  a.containers[1]!.info = { format: 'cab', properties: { SetId: '7' }, name: 'Core', version: '1.2', manufacturer: 'Cab Maker', warnings: ['checksum mismatch'], signatures: [{ kind: 'xar', status: 'not-checked' }] };
  a.containers[2]!.hints = { name: 'org.python.Python', version: '3.13.0', properties: { installKBytes: '12' } };
  a.files.push({ path: 'Payload/lib/libz.dylib', container: 'Payload', chain: [], kind: 'symlink', size: 0, linkTarget: 'libz.1.dylib' });
  const bom = resolveBom(a, { createdEpoch: 0, supplier: 'Organization: Fallback' });
  const [cab, payload] = bom.containers;
  assert.deepEqual([cab!.name, cab!.version, cab!.supplier, cab!.properties, cab!.warnings, cab!.signatures.length], ['Core', '1.2', { type: 'organization', name: 'Cab Maker' }, { SetId: '7' }, ['checksum mismatch'], 1]);
  assert.deepEqual([payload!.name, payload!.version, payload!.supplier, payload!.properties], ['org.python.Python', '3.13.0', { type: 'organization', name: 'Example Corp' }, { installKBytes: '12' }]);
  assert.equal(payload!.description, 'Container format: cpio. Origin: bundle.msi › Payload.\nLinks (not followed): Payload/lib/libz.dylib -> libz.1.dylib.');
  // A link is no file element.
  assert.ok(!bom.files.some((f) => f.path === 'Payload/lib/libz.dylib'));
  const bare = analysisOf({ name: 'x.zip', containers: [{ key: 'in.cab', format: 'cab' }] });
  assert.equal(resolveBom(bare, { createdEpoch: 0, supplier: 'Organization: Fallback' }).containers[0]!.supplier, undefined);
});

test('files: signatures from PE and Mach-O, the format recognised, warnings as notes', () => {
  const pe = peFacts();
  pe.pe!.signatures = [{ kind: 'authenticode', status: 'valid-digest' }];
  const macho = machoOf('MH_DYLIB') as { macho: { slices: { signature?: unknown }[] } };
  macho.macho.slices[0]!.signature = { kind: 'macho', status: 'ad-hoc' };
  const a = analysisOf({ files: [{ path: 'a.dll', facts: pe }, { path: 'b.dylib', facts: macho as never }, { path: 'c.txt', facts: { format: 'other', strings: [] } }] });
  a.files[2]!.warnings = ['named like a cab, is text'];
  const bom = resolveBom(a, { createdEpoch: 0 });
  const f = (p: string) => bom.files.find((x) => x.path === p)!;
  assert.deepEqual(f('a.dll').signatures.map((s) => s.status), ['valid-digest']);
  assert.deepEqual(f('b.dylib').signatures.map((s) => s.status), ['ad-hoc']);
  assert.equal(f('a.dll').binaryFormat, 'pe');
  assert.equal(f('b.dylib').binaryFormat, 'macho');
  assert.equal(f('c.txt').binaryFormat, undefined);
  assert.deepEqual(f('c.txt').notes, [{ text: 'Warning: named like a cab, is text' }]);
  assert.deepEqual(f('b.dylib').fileKind, { executable: true, archive: false, structured: false });
});

test('known unknowns are scoped to the deepest container that holds them', () => {
  const a = analysisOf({
    containers: [{ key: 'outer.cab', format: 'cab' }, { key: 'outer.cab/inner.cab', format: 'cab', parent: 'outer.cab' }],
    unknowns: [
      { kind: 'unsupported-member', path: 'outer.cab/inner.cab/x.bin', reason: 'LZX' },
      { kind: 'absent', path: 'outer.cab/inner.cab', reason: 'not attached' },
      { kind: 'unopened-container', path: 'top.7z', reason: 'not opened' },
    ],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(bom.knownUnknowns.map((u) => [u.subject, u.scope, u.reason]), [
    ['outer.cab/inner.cab/x.bin', 'container:outer.cab/inner.cab', 'LZX'],
    ['outer.cab/inner.cab', 'container:outer.cab/inner.cab', 'not attached'],
    ['top.7z', 'artifact', 'not opened'],
  ]);
  assert.ok(bom.relationships.some((r) => r.from === 'container:outer.cab' && r.type === 'contains' && r.to === 'container:outer.cab/inner.cab'));
});

test('component copies: one ref each (a second copy at one version gets #2), download locations from the identity, description', () => {
  const id = identity('openssl', 'OpenSSL', { downloadLocation: 'https://example.org/{base}/openssl-{version}.tar.gz', homepage: 'https://openssl.org', licenseDeclared: 'Apache-2.0', originator: 'Organization: OpenSSL Foundation' });
  const a = analysisOf({
    files: [{ path: 'a/libcrypto-3.dll', facts: peFacts() }, { path: 'b/libcrypto-3.dll', facts: peFacts() }],
    components: [
      { identity: id, version: '3.0.15-beta1', carriers: [{ file: 'a/libcrypto-3.dll', relation: 'contains' }], evidence: [], archs: ['arm64', 'x86_64'] },
      { identity: id, version: '3.0.15-beta1', carriers: [{ file: 'b/libcrypto-3.dll', relation: 'contains' }, { file: 'b/libcrypto-3.dll', relation: 'contains' }], evidence: [], archs: [] },
    ],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(bom.components.map((c) => c.ref), ['component:openssl@3.0.15-beta1', 'component:openssl@3.0.15-beta1#2']);
  const c = bom.components[0]!;
  assert.equal(c.downloadLocation, 'https://example.org/3.0.15/openssl-3.0.15-beta1.tar.gz');
  assert.deepEqual([c.homepage, c.licenseDeclared, c.originator], ['https://openssl.org', 'Apache-2.0', { type: 'organization', name: 'OpenSSL Foundation' }]);
  assert.equal(c.description, 'Detected by installer-sbom at version 3.0.15-beta1. Architectures: arm64, x86_64.');
  assert.equal(c.purpose, 'library');
  // Each relationship once.
  const keys = bom.relationships.map((r) => `${r.from} ${r.type} ${r.to}`);
  assert.equal(new Set(keys).size, keys.length);
  assert.ok(keys.includes('component:openssl@3.0.15-beta1#2 contains file:b/libcrypto-3.dll'));
  const undated = resolveBom(analysisOf({ files: [{ path: 'x.dll', facts: peFacts() }], components: [{ identity: identity('zlib'), carriers: [{ file: 'x.dll', relation: 'contains' }], evidence: [], archs: [] }] }), { createdEpoch: 0 });
  assert.equal(undated.components[0]!.description, 'Detected by installer-sbom; no evidence shows its version.');
});

test('a loose unversioned copy compiled into another binary stays its own copy (only a library of the same build folds)', () => {
  const a = analysisOf({
    files: [{ path: 'libcrypto.3.dylib', facts: machoOf('MH_DYLIB') }, { path: 'app', facts: machoOf('MH_EXECUTE') }],
    components: [
      { identity: identity('openssl'), version: '3.0.15', carriers: [{ file: 'libcrypto.3.dylib', relation: 'contains' }], evidence: [], archs: [] },
      { identity: identity('openssl'), carriers: [{ file: 'app', relation: 'static-link' }], evidence: [evidence('app', 'OpenSSL')], archs: [] },
    ],
    links: [{ componentId: 'openssl', file: 'app', target: '@rpath/libcrypto.3.dylib', evidence: [] }],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(bom.components.map((c) => c.ref).sort(), ['component:openssl@', 'component:openssl@3.0.15']);
  assert.ok(bom.relationships.some((r) => r.from === 'file:app' && r.type === 'static-link' && r.to === 'component:openssl@'));
  // app imports libcrypto: a dynamic link to the versioned copy whose file it names.
  assert.ok(bom.relationships.some((r) => r.from === 'file:app' && r.type === 'dynamic-link' && r.to === 'component:openssl@3.0.15'));
});
