/**
 * resolve's component copies: which unversioned library folds into the versioned build it loads
 * (and what it brings along), which shipped copy an import links to, and that a copy's carriers,
 * evidence and architectures come out in one order whatever order detection found them in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cmp, resolveBom } from '../../src/bom/resolve.js';
import type { Component, Link } from '../../src/detect/engine.js';
import type { Relationship } from '../../src/bom/model.js';
import { analysisOf, evidence, identity, peFacts } from '../helpers/bom.js';

const rels = (list: Relationship[]) => list.map((r) => `${r.from} ${r.type} ${r.to}`).sort();
const dylib = { format: 'macho', strings: [], macho: { fat: false, slices: [] } } as never;

/** libssl (no version mark) loads libcrypto (OpenSSL 3.0.15); libtls (no version mark) loads nothing of it. */
function opensslBuild(order: 'as-found' | 'reversed') {
  const loose: Component = {
    identity: identity('openssl', 'OpenSSL'),
    carriers: [
      { file: 'lib/libtls.dylib', relation: 'contains' },
      { file: 'lib/libssl.3.dylib', relation: 'contains' },
    ],
    evidence: [evidence('lib/libtls.dylib', 'OpenSSL'), evidence('lib/libssl.3.dylib', 'OpenSSL')],
    archs: ['x86_64', 'arm64'],
  };
  const versioned: Component = {
    identity: identity('openssl', 'OpenSSL'),
    version: '3.0.15',
    carriers: [{ file: 'lib/libcrypto.3.dylib', relation: 'contains' }],
    evidence: [evidence('lib/libcrypto.3.dylib', 'OpenSSL 3.0.15', '3.0.15')],
    archs: ['x86_64'],
  };
  const links: Link[] = [
    { componentId: 'openssl', file: 'lib/libssl.3.dylib', target: '@rpath/libcrypto.3.dylib', evidence: [{ file: 'lib/libssl.3.dylib', kind: 'load-command', text: '@rpath/libcrypto.3.dylib', location: 'LC_LOAD_DYLIB' }] },
    // Another component's library loading libcrypto says nothing about libtls.
    { componentId: 'openssl', file: 'lib/libcurl.4.dylib', target: '@rpath/libcrypto.3.dylib', evidence: [] },
  ];
  const rev = <T>(list: T[]) => (order === 'reversed' ? [...list].reverse() : list);
  if (order === 'reversed') {
    loose.carriers.reverse();
    loose.evidence.reverse();
    loose.archs.reverse();
  }
  return analysisOf({
    files: ['lib/libcrypto.3.dylib', 'lib/libssl.3.dylib', 'lib/libtls.dylib', 'lib/libcurl.4.dylib'].map((path) => ({ path, facts: dylib })),
    components: [versioned, loose],
    links: rev(links),
  });
}

test('one build: only the carrier that loads the versioned library folds into it, with its own evidence and a load-command line; the rest stays its own copy', () => {
  const bom = resolveBom(opensslBuild('as-found'), { createdEpoch: 0 });
  const [versioned, loose] = [bom.components.find((c) => c.version === '3.0.15')!, bom.components.find((c) => c.version === undefined)!];
  assert.ok(versioned && loose);
  // Evidence in (file, kind, location, text) order; libssl's own evidence moved along with it.
  assert.deepEqual(versioned.evidence, [
    evidence('lib/libcrypto.3.dylib', 'OpenSSL 3.0.15', '3.0.15'),
    { file: 'lib/libssl.3.dylib', kind: 'load-command', text: '@rpath/libcrypto.3.dylib', location: 'LC_LOAD_DYLIB: same build as lib/libcrypto.3.dylib' },
    evidence('lib/libssl.3.dylib', 'OpenSSL'),
  ]);
  // The loose copy's architectures join the build (sorted, each once).
  assert.deepEqual(versioned.archs, ['arm64', 'x86_64']);
  // What stays loose keeps only what was seen in the files it still has.
  assert.deepEqual(loose.evidence, [evidence('lib/libtls.dylib', 'OpenSSL')]);
  assert.deepEqual(rels(bom.relationships.filter((r) => r.from.startsWith('component:'))), [
    'component:openssl@ contains file:lib/libtls.dylib',
    'component:openssl@3.0.15 contains file:lib/libcrypto.3.dylib',
    'component:openssl@3.0.15 contains file:lib/libssl.3.dylib',
  ]);
  // libcurl's import resolves to the copy whose file it names.
  assert.deepEqual(rels(bom.relationships.filter((r) => r.type === 'dynamic-link')), ['file:lib/libcurl.4.dylib dynamic-link component:openssl@3.0.15']);
});

test('one build: the resolved model does not depend on the order detection listed carriers, evidence, architectures and links in', () => {
  assert.deepEqual(resolveBom(opensslBuild('reversed'), { createdEpoch: 0 }), resolveBom(opensslBuild('as-found'), { createdEpoch: 0 }));
});

test('one build: a load command without a recorded location is named "import"', () => {
  const a = analysisOf({
    files: [{ path: 'libcrypto.3.dylib', facts: dylib }, { path: 'libssl.3.dylib', facts: dylib }],
    components: [
      { identity: identity('openssl'), version: '3.0.15', carriers: [{ file: 'libcrypto.3.dylib', relation: 'contains' }], evidence: [], archs: [] },
      { identity: identity('openssl'), carriers: [{ file: 'libssl.3.dylib', relation: 'contains' }], evidence: [], archs: [] },
    ],
    links: [{ componentId: 'openssl', file: 'libssl.3.dylib', target: 'libcrypto.3.dylib', evidence: [] }],
  });
  const [c] = resolveBom(a, { createdEpoch: 0 }).components;
  assert.deepEqual(c!.evidence, [{ file: 'libssl.3.dylib', kind: 'load-command', text: 'libcrypto.3.dylib', location: 'import: same build as libcrypto.3.dylib' }]);
});

test('one build: a loose copy of another component is never folded into a versioned copy it loads', () => {
  const a = analysisOf({
    files: [{ path: 'libcrypto.3.dylib', facts: dylib }, { path: 'libcurl.4.dylib', facts: dylib }],
    components: [
      { identity: identity('openssl'), version: '3.0.15', carriers: [{ file: 'libcrypto.3.dylib', relation: 'contains' }], evidence: [], archs: [] },
      { identity: identity('curl'), carriers: [{ file: 'libcurl.4.dylib', relation: 'contains' }], evidence: [evidence('libcurl.4.dylib', 'libcurl')], archs: [] },
    ],
    links: [{ componentId: 'curl', file: 'libcurl.4.dylib', target: 'libcrypto.3.dylib', evidence: [] }],
  });
  const bom = resolveBom(a, { createdEpoch: 0 });
  assert.deepEqual(bom.components.map((c) => `${c.componentId}@${c.version ?? ''}`).sort(), ['curl@', 'openssl@3.0.15']);
  assert.deepEqual(bom.components.find((c) => c.componentId === 'curl')!.evidence, [evidence('libcurl.4.dylib', 'libcurl')]);
});

test('dynamic-link: an import under another name goes to the only shipped copy of its component; with two copies and no name match, to none', () => {
  const base = {
    files: [{ path: 'app.exe', facts: peFacts(['ffi.dll'], false) }, { path: 'libffi-8.dll', facts: peFacts() }, { path: 'zlib1.dll', facts: peFacts() }],
    components: [
      { identity: identity('libffi'), version: '3.4.4', carriers: [{ file: 'libffi-8.dll', relation: 'contains' as const }], evidence: [], archs: [] },
      { identity: identity('zlib'), version: '1.3.1', carriers: [{ file: 'zlib1.dll', relation: 'contains' as const }], evidence: [], archs: [] },
    ],
  };
  const one = resolveBom(analysisOf({ ...base, links: [{ componentId: 'libffi', file: 'app.exe', target: 'ffi.dll', evidence: [] }] }), { createdEpoch: 0 });
  assert.deepEqual(rels(one.relationships.filter((r) => r.type === 'dynamic-link')), ['file:app.exe dynamic-link component:libffi@3.4.4']);

  const two = analysisOf({
    files: [{ path: 'app.exe', facts: peFacts(['zlib.dll'], false) }, { path: 'a/zlib1.dll', facts: peFacts() }, { path: 'b/zlibwapi.dll', facts: peFacts() }, { path: 'a/tool.exe', facts: peFacts([], false) }],
    components: [
      { identity: identity('zlib'), version: '1.2.13', carriers: [{ file: 'a/zlib1.dll', relation: 'contains' }, { file: 'a/tool.exe', relation: 'static-link' }], evidence: [], archs: [] },
      { identity: identity('zlib'), version: '1.3.1', carriers: [{ file: 'b/zlibwapi.dll', relation: 'contains' }], evidence: [], archs: [] },
    ],
    links: [
      { componentId: 'zlib', file: 'app.exe', target: 'zlib.dll', evidence: [] },
      // Named: the copy one of whose carriers has that name.
      { componentId: 'zlib', file: 'app.exe', target: 'ZLIB1.DLL', evidence: [] },
    ],
  });
  assert.deepEqual(rels(resolveBom(two, { createdEpoch: 0 }).relationships.filter((r) => r.type === 'dynamic-link')), ['file:app.exe dynamic-link component:zlib@1.2.13']);
});

test('cmp orders strings by code unit, as sort comparators need', () => {
  assert.equal(cmp('a', 'b'), -1);
  assert.equal(cmp('b', 'a'), 1);
  assert.equal(cmp('a', 'a'), 0);
  assert.equal(cmp('B', 'a'), -1);
});

test("a copy's carriers come out in one order whatever order detection found them in", () => {
  const resolve = (files: string[]) =>
    resolveBom(
      analysisOf({
        files: ['a.exe', 'b.exe'].map((path) => ({ path, facts: peFacts([], false) })),
        components: [{ identity: identity('zlib'), version: '1.3.1', carriers: files.map((file) => ({ file, relation: 'static-link' as const })), evidence: [], archs: [] }],
      }),
      { createdEpoch: 0 },
    );
  assert.deepEqual(resolve(['b.exe', 'a.exe']), resolve(['a.exe', 'b.exe']));
});
