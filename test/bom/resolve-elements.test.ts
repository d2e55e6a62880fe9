/**
 * resolve's elements written out whole: the artifact, a container and a file carry exactly what
 * the analysis states of them (no stray field, no empty placeholder); which nodes are files; where
 * an absent file's unknown is scoped; what a directory's identity hashes; how versions compare.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBom } from '../../src/bom/resolve.js';
import { addContainer, analysisOf, digestsOf, emptyBom, identity, peFacts } from '../helpers/bom.js';

test('the artifact, a container and a file, each as the analysis states it and nothing more', () => {
  const a = analysisOf({ containers: [{ key: 'data.cab', format: 'cab' }], files: [{ path: 'data.cab/a.txt', container: 'data.cab' }] });
  const bom = resolveBom(a, { createdEpoch: 0 });
  // The same zip and cab the writer tests hand-make (test/helpers/bom.ts), with the description resolve writes:
  // BSI TR-03183-2 file kinds of a zip and a cab (archives whose members are listed), no CPE, no note.
  const expected = emptyBom();
  const cab = addContainer(expected, 'data.cab');
  assert.deepEqual(bom.artifact, { ...expected.artifact, description: 'Container format: zip. Origin: demo.zip.' });
  assert.deepEqual(bom.containers, [{ ...cab, description: 'Container format: cab. Origin: demo.zip › data.cab.' }]);
  assert.deepEqual(bom.files, [
    {
      ref: 'file:data.cab/a.txt',
      path: 'data.cab/a.txt',
      container: 'container:data.cab',
      size: 'data.cab/a.txt'.length,
      digests: digestsOf('data.cab/a.txt'),
      fileKind: { executable: false, archive: false, structured: false },
      signatures: [],
      notes: [],
    },
  ]);
  assert.deepEqual(bom.declaredAbsent, []);
  assert.deepEqual(bom.knownUnknowns, []);
});

test('a PE file without signatures has none; a Burn bundle inside the zip is an executable container; a pbzx stream and a format nobody describes are not', () => {
  const a = analysisOf({ containers: [{ key: 'setup.exe', format: 'burn' }, { key: 'odd.bin', format: 'future-format' }, { key: 'Payload', format: 'pbzx' }], files: [{ path: 'x.dll', facts: peFacts() }] });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(bom.files[0]!.signatures, []);
  assert.equal(bom.files[0]!.fileKind.executable, true);
  const [burn, odd, payload] = bom.containers;
  // A pbzx stream has no file name extension of its own, so nothing says it runs.
  assert.equal(payload!.fileKind.executable, false);
  assert.deepEqual([burn!.purpose, burn!.fileKind], ['install', { executable: true, archive: true, structured: true }]);
  assert.deepEqual([odd!.purpose, odd!.fileKind], ['archive', { executable: false, archive: true, structured: true }]);
});

test('only regular files whose bytes are here are file elements: a hard link and a declared-absent file are not', () => {
  const a = analysisOf({ containers: [{ key: 'Payload', format: 'cpio' }], files: [{ path: 'Payload/bin/python3', container: 'Payload' }, { path: 'Payload/lib/gone.dylib', container: 'Payload', absent: true }] });
  a.files.push(
    { path: 'Payload/bin/python3.13', container: 'Payload', chain: [], kind: 'hardlink', size: 16, digests: digestsOf('Payload/bin/python3'), linkTarget: 'Payload/bin/python3' },
    { path: 'Payload/bin/py', container: 'Payload', chain: [], kind: 'symlink', size: 0 },
    { path: 'elsewhere', container: '', chain: [], kind: 'symlink', size: 0, linkTarget: 'x' },
  );
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(bom.files.map((f) => f.path), ['Payload/bin/python3']);
  // Links are recorded in their own container's description (a link without a target shows `?`), never followed.
  assert.equal(bom.containers[0]!.description, 'Container format: cpio. Origin: demo.zip › Payload.\nLinks (not followed): Payload/bin/python3.13 -> Payload/bin/python3; Payload/bin/py -> ?.');
  assert.equal(bom.artifact.description, 'Container format: zip. Origin: demo.zip.\nLinks (not followed): elsewhere -> x.');
  // The absent file is a known unknown of the container that declares it.
  assert.deepEqual(bom.knownUnknowns, [{ kind: 'absent', subject: 'Payload/lib/gone.dylib', reason: 'declared by its container but its bytes are not in this artifact', scope: 'container:Payload' }]);
});

test("a file's uninspected facts and an unopened container are stated on the file and as known unknowns", () => {
  const a = analysisOf({ files: [{ path: 'odd.dll' }, { path: 'tools.7z' }, { path: 'plain.txt' }] });
  a.inspectWarnings.set('odd.dll', 'truncated section table');
  a.files[1]!.unopened = { format: '7z', reason: 'a 7z archive is not opened' } as never;
  const bom = resolveBom(a, { createdEpoch: 0 });
  const f = (p: string) => bom.files.find((x) => x.path === p)!;
  assert.equal(f('odd.dll').notInspected, 'truncated section table');
  assert.deepEqual(f('tools.7z').unopened, { format: '7z', reason: 'a 7z archive is not opened' });
  assert.equal(f('tools.7z').fileKind.archive, true);
  assert.ok(!('notInspected' in f('plain.txt')) && !('unopened' in f('plain.txt')));
  assert.deepEqual(bom.knownUnknowns.map((u) => [u.kind, u.subject, u.scope]).sort(), [
    ['not-inspected', 'odd.dll', 'file:odd.dll'],
    ['unopened-container', 'tools.7z', 'file:tools.7z'],
  ]);
});

test("a bundle's own stub holding the Burn engine gives the bundle neither Burn's version nor its supplier", () => {
  const a = analysisOf({ name: 'setup.exe', format: 'burn', components: [{ identity: identity('wix-burn', 'WiX Burn'), version: '3.14.1', carriers: [{ file: 'setup.exe', relation: 'contains' }], evidence: [], archs: [] }] });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual([bom.artifact.version, bom.artifact.supplier], [undefined, undefined]);
  assert.ok(bom.relationships.some((r) => r.from === 'artifact' && r.type === 'contains' && r.to === 'component:wix-burn@3.14.1'));
});

test('a bare executable with a compiled-in copy of a component is not that component: it takes neither its version nor its supplier', () => {
  const a = analysisOf({ name: 'app.exe', format: 'file', files: [{ path: 'app.exe', facts: peFacts([], false) }], components: [{ identity: identity('zlib'), version: '1.3.1', carriers: [{ file: 'app.exe', relation: 'static-link' }], evidence: [], archs: [] }] });
  const art = resolveBom(a, { createdEpoch: 0 }).artifact;
  assert.deepEqual([art.version, art.supplier, art.purpose], [undefined, undefined, 'application']);
});

test('bare binaries: signatures of the PE and of every Mach-O slice are the artifact\'s; a Mach-O without a slice read is a plain file', () => {
  const pe = peFacts([], false);
  pe.pe!.signatures = [{ kind: 'authenticode', status: 'valid-digest' }] as never;
  const exe = resolveBom(analysisOf({ name: 'app.exe', format: 'file', files: [{ path: 'app.exe', facts: pe }] }), { createdEpoch: 0 }).artifact;
  assert.deepEqual(exe.signatures, pe.pe!.signatures);
  const slice = (arch: string, signature?: unknown) => ({ arch, cputype: 0, cpusubtype: 0, offset: 0, size: 1, bits: 64, fileType: 'MH_DYLIB', dylibs: [], ...(signature ? { signature } : {}) });
  const fat = { format: 'macho', strings: [], macho: { fat: true, slices: [slice('arm64', { kind: 'macho', status: 'ad-hoc' }), slice('x86_64')] } } as never;
  const lib = resolveBom(analysisOf({ name: 'libx.dylib', format: 'file', files: [{ path: 'libx.dylib', facts: fat }] }), { createdEpoch: 0 }).artifact;
  assert.deepEqual(lib.signatures, [{ kind: 'macho', status: 'ad-hoc' }]);
  const empty = { format: 'macho', strings: [], macho: { fat: true, slices: [] } } as never;
  assert.equal(resolveBom(analysisOf({ name: 'liby.dylib', format: 'file', files: [{ path: 'liby.dylib', facts: empty }] }), { createdEpoch: 0 }).artifact.purpose, 'file');
  // A container format's own signature (a signed .pkg's xar TOC) is the artifact's too.
  const pkg = analysisOf({ name: 'x.pkg', format: 'pkg' });
  pkg.root.info.signatures = [{ kind: 'xar', status: 'not-checked' }] as never;
  assert.deepEqual(resolveBom(pkg, { createdEpoch: 0 }).artifact.signatures, [{ kind: 'xar', status: 'not-checked' }]);
});

test("a directory's identity hashes each file's bytes and each link's target", () => {
  const dir = (bytes: string, target: string) => {
    const a = analysisOf({ name: 'release', format: 'directory', files: [{ path: 'a.txt' }] });
    delete a.root.digests;
    a.files[0]!.digests = digestsOf(bytes);
    a.files.push({ path: 'current', container: '', chain: [], kind: 'symlink', size: 0, linkTarget: target });
    return resolveBom(a, { createdEpoch: 0 }).document.namespace;
  };
  const base = dir('one', 'v1');
  assert.equal(dir('one', 'v1'), base);
  assert.notEqual(dir('two', 'v1'), base);
  assert.notEqual(dir('one', 'v2'), base);
});

