/**
 * Declared (a source SBOM) against shipped (the model): one case per reconciliation status, the
 * declarations a hand-written subset of CPython's externals.spdx.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcileDeclared } from '../../src/bom/reconcile.js';
import type { DeclaredPackage, SourceSboms } from '../../src/bom/source-sbom.js';
import type { SpdxPackage } from '../../src/serialize/spdx2-types.js';
import type { Bom } from '../../src/bom/model.js';
import { addComponent, addFile, emptyBom } from '../helpers/bom.js';

function declared(name: string, version: string, extra: Partial<SpdxPackage> = {}, document = 'externals.spdx.json'): DeclaredPackage {
  return {
    origin: 'externals',
    document,
    pkg: {
      SPDXID: `SPDXRef-PACKAGE-${name}`,
      name,
      versionInfo: version,
      downloadLocation: `https://github.com/python/cpython-source-deps/archive/refs/tags/${name}-${version}.tar.gz`,
      supplier: 'Organization: Example',
      externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: `cpe:2.3:a:${name}:${name}:${version}:*:*:*:*:*:*:*` }],
      ...extra,
    },
    dependsOn: [],
  };
}

const sources = (...packages: DeclaredPackage[]): SourceSboms => ({ packages });
const reconcile = (bom: Bom, s: SourceSboms, notShipped: string[] = []) => reconcileDeclared(bom, s, { notShipped: new Set(notShipped) });

/** A component copy made of its library file, as resolve leaves it. */
function shipped(bom: Bom, id: string, version: string | undefined, file: string) {
  const f = addFile(bom, file, { kind: { executable: true } });
  const c = addComponent(bom, id, id, version);
  bom.relationships.push({ from: c.ref, type: 'contains', to: f.ref });
  return c;
}

test('corroborated: the shipped version equals the declared one; the copy takes the declaration identity', () => {
  const bom = emptyBom();
  const c = shipped(bom, 'openssl', '3.0.15', 'DLLs/libcrypto-3.dll');
  const out = reconcile(bom, sources(declared('openssl', '3.0.15')));
  assert.deepEqual(out.map((o) => [o.name, o.status, o.declared, o.shipped, o.where]), [['openssl', 'corroborated', '3.0.15', ['3.0.15'], ['DLLs/libcrypto-3.dll']]]);
  assert.deepEqual(c.declaration, { status: 'corroborated', version: '3.0.15', document: 'externals.spdx.json', note: 'the binaries show 3.0.15 (libcrypto-3.dll)' });
  assert.equal(c.idHint, 'SPDXRef-PACKAGE-openssl');
  assert.equal(c.downloadLocation, 'https://github.com/python/cpython-source-deps/archive/refs/tags/openssl-3.0.15.tar.gz');
  assert.equal(bom.components.length, 1);
});

test('corroborated: a four-part declared version equal up to .0 keeps CPython spelling, and CPEs verbatim with a normalised one beside', () => {
  const bom = emptyBom();
  const c = shipped(bom, 'sqlite', '3.45.3', 'DLLs/sqlite3.dll');
  reconcile(bom, sources(declared('sqlite', '3.45.3.0')));
  assert.equal(c.declaration!.status, 'corroborated');
  assert.equal(c.version, '3.45.3.0');
  assert.deepEqual(c.cpes, [{ cpe: 'cpe:2.3:a:sqlite:sqlite:3.45.3.0:*:*:*:*:*:*:*' }, { cpe: 'cpe:2.3:a:sqlite:sqlite:3.45.3:*:*:*:*:*:*:*', comment: 'normalised version' }]);
});

test('contradicted: one package at the shipped version, the declared version recorded beside it, never two packages', () => {
  const bom = emptyBom();
  const c = shipped(bom, 'expat', '2.7.1', 'DLLs/pyexpat.pyd');
  const out = reconcile(bom, sources(declared('expat', '2.6.3', { SPDXID: 'SPDXRef-PACKAGE-expat-2.6.3' })));
  assert.deepEqual(out.map((o) => [o.status, o.declared, o.shipped]), [['contradicted', '2.6.3', ['2.7.1']]]);
  assert.equal(bom.components.length, 1);
  assert.equal(c.version, '2.7.1');
  assert.deepEqual(c.declaration, { status: 'contradicted', version: '2.6.3', document: 'externals.spdx.json', note: 'the binaries show 2.7.1 (pyexpat.pyd)' });
  // The declared identifiers name the other version: the copy keeps its own.
  assert.equal(c.idHint, undefined);
  assert.deepEqual(c.cpes, [{ cpe: 'cpe:2.3:a:expat:expat:2.7.1:*:*:*:*:*:*:*' }]);
  assert.deepEqual(bom.declaredAbsent, []);
});

test('not-verifiable: a shipped library whose bytes carry no version takes the declared one, and says so', () => {
  const bom = emptyBom();
  const c = shipped(bom, 'libffi', undefined, 'DLLs/libffi-8.dll');
  const out = reconcile(bom, sources(declared('libffi', '3.4.4')));
  assert.deepEqual(out.map((o) => [o.status, o.shipped]), [['not-verifiable', ['3.4.4']]]);
  assert.equal(c.version, '3.4.4');
  assert.equal(c.declaration!.status, 'not-verifiable');
  assert.match(c.declaration!.note, /without a version mark/);
  assert.equal(c.purl, 'pkg:generic/libffi@3.4.4');
  assert.ok(c.evidence.some((e) => e.kind === 'declared' && e.file === 'externals.spdx.json' && e.version === '3.4.4'));
});

test('not-verifiable: a declared package no rule can see (compiled in without a version mark) is listed as declared', () => {
  const bom = emptyBom();
  const out = reconcile(bom, sources(declared('hacl-star', 'bb3d0', { licenseDeclared: 'MIT' }, 'sbom.spdx.json')));
  assert.deepEqual(out.map((o) => [o.name, o.status]), [['hacl-star', 'not-verifiable']]);
  const c = bom.components[0]!;
  assert.equal(c.name, 'hacl-star');
  assert.equal(c.version, 'bb3d0');
  assert.equal(c.licenseDeclared, 'MIT');
  assert.equal(c.declaration!.status, 'not-verifiable');
  assert.ok(bom.relationships.some((r) => r.from === 'artifact' && r.type === 'depends-on' && r.to === c.ref));
});

test('not-verifiable source: a pure-Python package present as modules is source, made of those files; absent, it is not-shipped', () => {
  const bom = emptyBom();
  const f = addFile(bom, 'Lib/ctypes/macholib/dyld.py');
  reconcile(bom, sources(declared('macholib', '1.16', {}, 'sbom.spdx.json')));
  const c = bom.components[0]!;
  assert.equal(c.purpose, 'source');
  assert.equal(c.declaration!.status, 'not-verifiable');
  assert.ok(bom.relationships.some((r) => r.from === c.ref && r.type === 'contains' && r.to === f.ref));

  const none = emptyBom();
  const out = reconcile(none, sources(declared('macholib', '1.16', {}, 'sbom.spdx.json')));
  assert.deepEqual(out.map((o) => o.status), ['not-shipped']);
  assert.deepEqual(none.components, []);
  assert.equal(none.declaredAbsent[0]!.status, 'not-shipped');
});

test('added: a shipped copy no source SBOM declares', () => {
  const bom = emptyBom();
  const c = shipped(bom, 'zstd', '1.5.6', 'zstd.dll');
  reconcile(bom, sources(declared('openssl', '3.0.15')));
  assert.deepEqual(c.declaration, { status: 'added', note: 'shipped in this artifact; not declared by externals.spdx.json' });
});

test('not-shipped: the platform manifest says so; the declaration is recorded, never a package nor a dependency', () => {
  const bom = emptyBom();
  const out = reconcile(bom, sources(declared('tcl-core', '8.6.15.0')), ['tcl']);
  assert.deepEqual(out.map((o) => o.status), ['not-shipped']);
  assert.deepEqual(bom.components, []);
  assert.deepEqual(bom.relationships, []);
  assert.deepEqual(bom.declaredAbsent, [
    {
      name: 'tcl-core',
      version: '8.6.15.0',
      document: 'externals.spdx.json',
      status: 'not-shipped',
      note: 'the platform manifest says this kind of artifact does not carry it',
      // CPython's verbatim four-part CPE and the normalised one.
      cpes: ['cpe:2.3:a:tcl-core:tcl-core:8.6.15.0:*:*:*:*:*:*:*', 'cpe:2.3:a:tcl-core:tcl-core:8.6.15:*:*:*:*:*:*:*'],
    },
  ]);
});

test('not-shipped: the twin declaration of a corroborated component (the in-tree mpdecimal beside the external one)', () => {
  const bom = emptyBom();
  const c = shipped(bom, 'mpdecimal', '4.0.0', 'DLLs/_decimal.pyd');
  const out = reconcile(bom, sources(declared('mpdecimal', '2.5.1', { SPDXID: 'SPDXRef-PACKAGE-mpdecimal-2.5.1' }, 'sbom.spdx.json'), declared('mpdecimal', '4.0.0')));
  assert.deepEqual(out.map((o) => [o.declared, o.status]).sort(), [['2.5.1', 'not-shipped'], ['4.0.0', 'corroborated']]);
  assert.equal(c.version, '4.0.0');
  assert.equal(bom.components.length, 1);
  assert.match(bom.declaredAbsent[0]!.note, /the binaries show the 4\.0\.0 declared by externals\.spdx\.json/);
});

test('not-found: nothing in the artifact shows a declared package', () => {
  const bom = emptyBom();
  const out = reconcile(bom, sources(declared('zlib', '1.3.1')));
  assert.deepEqual(out.map((o) => o.status), ['not-found']);
  assert.deepEqual(bom.components, []);
  assert.deepEqual(bom.declaredAbsent.map((d) => [d.name, d.version, d.status, d.note]), [['zlib', '1.3.1', 'not-found', 'nothing in this artifact shows zlib']]);
});

test('a PyPI project is matched by its purl (pkg:pypi/…), name normalised as PEP 503 does', () => {
  const bom = emptyBom();
  const c = addComponent(bom, 'pypi/pip', 'pip', '24.2');
  reconcile(bom, sources(declared('pip', '24.2', { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:pypi/pip@24.2' }] }, 'sbom.spdx.json')));
  assert.equal(c.declaration!.status, 'corroborated');
  assert.equal(c.purl, 'pkg:pypi/pip@24.2');
});

test('corroborated: every copy at the declared version is claimed; the first takes the id; our CPE of another product is kept beside the declared one', () => {
  const bom = emptyBom();
  const a = shipped(bom, 'tcl', '8.6.14', 'DLLs/tcl86t.dll');
  a.cpes = [{ cpe: 'cpe:2.3:a:tcl:tcl:8.6.14:*:*:*:*:*:*:*' }, { cpe: 'cpe:2.3:a:tcl-core:tcl-core:8.6.14:*:*:*:*:*:*:*' }];
  // A second copy the resolver kept apart (another architecture): its own ref.
  const bFile = addFile(bom, 'tcl/tcl86t.dll', { kind: { executable: true } });
  const b = addComponent(bom, 'tcl', 'tcl', '8.6.14', { ref: 'component:tcl@8.6.14#arm64' });
  bom.relationships.push({ from: b.ref, type: 'contains', to: bFile.ref });
  const out = reconcile(bom, sources(declared('tcl-core', '8.6.14', { originator: 'Organization: Tcl Core Team', downloadLocation: 'NOASSERTION', externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:tcl-core:tcl-core:8.6.14:*:*:*:*:*:*:*' }, { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:generic/tcl-core@8.6.14' }] })));
  assert.deepEqual(out.map((o) => [o.status, o.shipped, o.where]), [['corroborated', ['8.6.14', '8.6.14'], ['DLLs/tcl86t.dll', 'tcl/tcl86t.dll']]]);
  assert.equal(a.idHint, 'SPDXRef-PACKAGE-tcl-core');
  assert.equal(b.idHint, undefined);
  assert.equal(b.declaration!.status, 'corroborated');
  assert.deepEqual(a.cpes, [{ cpe: 'cpe:2.3:a:tcl-core:tcl-core:8.6.14:*:*:*:*:*:*:*' }, { cpe: 'cpe:2.3:a:tcl:tcl:8.6.14:*:*:*:*:*:*:*' }]);
  assert.equal(a.purl, 'pkg:generic/tcl-core@8.6.14');
  assert.deepEqual(a.originator, { type: 'organization', name: 'Tcl Core Team' });
  // NOASSERTION is no download location.
  assert.equal(a.downloadLocation, undefined);
  assert.equal(a.declaration!.note, 'the binaries show 8.6.14 (tcl86t.dll)');
});

test('the note lists at most three carriers, then how many more', () => {
  const bom = emptyBom();
  for (const f of ['a/z1.dll', 'b/z2.dll', 'c/z3.dll', 'd/z4.dll', 'e/z5.dll']) shipped(bom, 'zlib', '1.3.1', f);
  const out = reconcile(bom, sources(declared('zlib', '1.3.1')));
  assert.equal(out[0]!.note, 'the binaries show 1.3.1 (z1.dll, z2.dll, z3.dll +2)');
});

test('contradicted: an id that does not name a version is taken by the shipped copy; a twin declaration after a contradiction is its own outcome', () => {
  const bom = emptyBom();
  const c = shipped(bom, 'openssl', '3.0.16', 'libcrypto-3.dll');
  const out = reconcile(bom, sources(declared('openssl', '3.0.15')));
  assert.equal(out[0]!.status, 'contradicted');
  // `SPDXRef-PACKAGE-openssl` names no version: CPython's id stays on the shipped copy, the version is its own.
  assert.equal(c.idHint, 'SPDXRef-PACKAGE-openssl');
  assert.equal(c.version, '3.0.16');
  assert.equal(c.downloadLocation, undefined, 'the declared download is of the other version');
});

test('added: without any declaration document the note says the source SBOM', () => {
  const bom = emptyBom();
  const c = shipped(bom, 'zstd', '1.5.6', 'zstd.dll');
  assert.deepEqual(reconcile(bom, sources()), []);
  assert.equal(c.declaration!.note, 'shipped in this artifact; not declared by the source SBOM');
});

test('not-verifiable declared-only package: its declared supplier, originator, purl and download location are kept; NOASSERTION values are not', () => {
  const bom = emptyBom();
  reconcile(bom, sources(declared('libb2', '0.98.1', { supplier: 'Person: Samuel Neves', originator: 'Organization: BLAKE2', downloadLocation: 'NOASSERTION', licenseDeclared: 'NOASSERTION', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:github/blake2/libb2@0.98.1' }] }, 'sbom.spdx.json')));
  const c = bom.components[0]!;
  assert.deepEqual([c.ref, c.idHint, c.componentId, c.purpose], ['component:declared:SPDXRef-PACKAGE-libb2', 'SPDXRef-PACKAGE-libb2', 'declared:libb2', 'library']);
  assert.deepEqual(c.supplier, { type: 'person', name: 'Samuel Neves' });
  assert.deepEqual(c.originator, { type: 'organization', name: 'BLAKE2' });
  assert.equal(c.purl, 'pkg:github/blake2/libb2@0.98.1');
  assert.equal(c.downloadLocation, undefined);
  assert.equal(c.licenseDeclared, undefined);
  assert.equal(c.description, 'Declared by sbom.spdx.json.');
  assert.deepEqual(c.evidence, [{ file: 'sbom.spdx.json', kind: 'declared', text: 'libb2 0.98.1', location: 'source SBOM', version: '0.98.1' }]);
  assert.equal(c.declaration!.document, 'sbom.spdx.json');
});
