/**
 * Packages the artifact states itself: pip's wheel is pip (named and versioned by its METADATA),
 * and pip depends on the projects its own vendor.txt pins.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addPackageMetadata } from '../../src/bom/package-metadata.js';
import { resolveBom } from '../../src/bom/resolve.js';
import { analysisOf } from '../helpers/bom.js';

const WHEEL = 'Lib/ensurepip/_bundled/pip-24.2-py3-none-any.whl';

function pipAnalysis(withMetadata: boolean) {
  const files = [
    { path: `${WHEEL}/pip/_vendor/vendor.txt`, container: WHEEL, facts: { format: 'other' as const, strings: [], packageMetadata: { kind: 'pip-vendor' as const, pins: [{ name: 'certifi', version: '2024.7.4', line: 3, text: 'certifi==2024.7.4' }, { name: 'typing_extensions', version: '4.11.0', line: 9, text: 'typing_extensions==4.11.0' }, { name: 'distlib', version: '0.3.8', line: 1, text: 'distlib==0.3.8' }] } } },
    { path: `${WHEEL}/pip/_vendor/certifi/core.py`, container: WHEEL },
    { path: `${WHEEL}/pip/_vendor/certifi/cacert.pem`, container: WHEEL },
    { path: `${WHEEL}/pip/_vendor/typing_extensions.py`, container: WHEEL },
  ];
  if (withMetadata) files.push({ path: `${WHEEL}/pip-24.2.dist-info/METADATA`, container: WHEEL, facts: { format: 'other' as const, strings: [], packageMetadata: { kind: 'python-metadata', name: 'pip', version: '24.2', licenseExpression: 'MIT' } as never } });
  return analysisOf({ containers: [{ key: WHEEL, format: 'zip', name: 'pip-24.2-py3-none-any.whl' }], files });
}

test("pip's wheel: pip is made of the wheel, the artifact depends on pip, pip on each project vendor.txt pins", () => {
  const a = pipAnalysis(true);
  const bom = resolveBom(a, { createdEpoch: 0 });
  addPackageMetadata(bom, a);
  const pip = bom.components.find((c) => c.componentId === 'pypi/pip')!;
  assert.equal(pip.version, '24.2');
  assert.equal(pip.purl, 'pkg:pypi/pip@24.2');
  // pip is the PyPA's, and NVD names it pypa:pip.
  assert.deepEqual(pip.supplier, { type: 'organization', name: 'Python Packaging Authority' });
  assert.deepEqual(pip.cpes, [{ cpe: 'cpe:2.3:a:pypa:pip:24.2:*:*:*:*:*:*:*' }]);
  assert.equal(pip.idHint, 'SPDXRef-PACKAGE-pip');
  const r = (from: string, type: string, to: string) => bom.relationships.some((x) => x.from === from && x.type === type && x.to === to);
  assert.ok(r('artifact', 'depends-on', pip.ref));
  assert.ok(r(pip.ref, 'contains', `container:${WHEEL}`));

  const vendored = bom.components.filter((c) => c !== pip);
  assert.deepEqual(vendored.map((c) => [c.name, c.version, c.purl]).sort(), [
    ['certifi', '2024.7.4', 'pkg:pypi/certifi@2024.7.4'],
    ['distlib', '0.3.8', 'pkg:pypi/distlib@0.3.8'],
    // PEP 503 normalised name.
    ['typing-extensions', '4.11.0', 'pkg:pypi/typing-extensions@4.11.0'],
  ]);
  for (const v of vendored) {
    assert.ok(r(pip.ref, 'depends-on', v.ref), `pip depends on ${v.name}`);
    assert.ok(!r('artifact', 'depends-on', v.ref), `${v.name} is reached through pip`);
    // Vendored and shipped inside pip by pip's maintainers.
    assert.deepEqual(v.supplier, pip.supplier);
    assert.match(v.description!, /^Vendored in pip 24\.2: /);
  }
  const certifi = vendored.find((c) => c.name === 'certifi')!;
  assert.deepEqual(bom.relationships.filter((x) => x.from === certifi.ref).map((x) => x.to).sort(), [`file:${WHEEL}/pip/_vendor/certifi/cacert.pem`, `file:${WHEEL}/pip/_vendor/certifi/core.py`]);
  const te = vendored.find((c) => c.name === 'typing-extensions')!;
  assert.deepEqual(bom.relationships.filter((x) => x.from === te.ref).map((x) => x.to), [`file:${WHEEL}/pip/_vendor/typing_extensions.py`]);
  // distlib has no files in this wheel: the wheel holds it.
  const distlib = vendored.find((c) => c.name === 'distlib')!;
  assert.ok(r(`container:${WHEEL}`, 'contains', distlib.ref));
  // Evidence: the vendor.txt line.
  assert.deepEqual(certifi.evidence.map((e) => [e.file, e.text, e.version]), [[`${WHEEL}/pip/_vendor/vendor.txt`, 'certifi==2024.7.4', '2024.7.4']]);
});

test('a wheel without METADATA is still named and versioned by its file name (PEP 427)', () => {
  const a = pipAnalysis(false);
  const bom = resolveBom(a, { createdEpoch: 0 });
  addPackageMetadata(bom, a);
  const pip = bom.components.find((c) => c.componentId === 'pypi/pip')!;
  assert.equal(pip.version, '24.2');
  assert.equal(pip.evidence[0]!.kind, 'file-name');
  assert.equal(pip.evidence[0]!.text, 'pip-24.2-py3-none-any.whl');
});

test('a wheel given as the artifact is the package itself; a nupkg is named by its nuspec', () => {
  const wheel = analysisOf({
    name: 'certifi-2024.7.4-py3-none-any.whl',
    files: [{ path: 'certifi-2024.7.4.dist-info/METADATA', facts: { format: 'other', strings: [], packageMetadata: { kind: 'python-metadata', name: 'certifi', version: '2024.7.4' } as never } }],
  });
  const bom = resolveBom(wheel, { createdEpoch: 0 });
  addPackageMetadata(bom, wheel);
  const c = bom.components[0]!;
  assert.deepEqual([c.name, c.version, c.purl, c.idHint], ['certifi', '2024.7.4', 'pkg:pypi/certifi@2024.7.4', 'SPDXRef-PACKAGE-certifi']);
  assert.ok(bom.relationships.some((r) => r.from === 'artifact' && r.type === 'contains' && r.to === c.ref));
  assert.ok(bom.relationships.some((r) => r.from === 'artifact' && r.type === 'depends-on' && r.to === c.ref));

  const nupkg = analysisOf({
    containers: [{ key: 'pkgs/Demo.1.0.0.nupkg', format: 'zip' }],
    files: [
      { path: 'pkgs/Demo.1.0.0.nupkg/Demo.nuspec', container: 'pkgs/Demo.1.0.0.nupkg', facts: { format: 'other', strings: [], packageMetadata: { kind: 'nuspec', name: 'Demo', version: '1.0.0' } as never } },
      // Only a nuspec at the package root counts.
      { path: 'pkgs/Demo.1.0.0.nupkg/sub/Other.nuspec', container: 'pkgs/Demo.1.0.0.nupkg', facts: { format: 'other', strings: [], packageMetadata: { kind: 'nuspec', name: 'Other', version: '9' } as never } },
    ],
  });
  const nb = resolveBom(nupkg, { createdEpoch: 0 });
  addPackageMetadata(nb, nupkg);
  assert.deepEqual(nb.components.map((x) => [x.name, x.version]), [['Demo', '1.0.0']]);
  assert.ok(nb.relationships.some((r) => r.from === nb.components[0]!.ref && r.type === 'contains' && r.to === 'container:pkgs/Demo.1.0.0.nupkg'));
  // A zip that is no package states nothing.
  const plain = analysisOf({ containers: [{ key: 'x.zip', format: 'zip' }], files: [{ path: 'x.zip/readme.txt', container: 'x.zip' }] });
  const pb = resolveBom(plain, { createdEpoch: 0 });
  addPackageMetadata(pb, plain);
  assert.deepEqual(pb.components, []);
});
