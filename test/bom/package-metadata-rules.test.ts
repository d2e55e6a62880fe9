/**
 * Where a package's own metadata counts (PEP 427 wheel names, `*.dist-info/METADATA` and
 * `*.nuspec` directly inside the package), what its container takes from it, and what pip's
 * vendored projects inherit from pip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addPackageMetadata, pypiName } from '../../src/bom/package-metadata.js';
import { resolveBom } from '../../src/bom/resolve.js';
import { analysisOf } from '../helpers/bom.js';

const meta = (name: string, version: string) => ({ format: 'other' as const, strings: [], packageMetadata: { kind: 'python-metadata', name, version } as never });
const nuspec = (name: string, version: string) => ({ format: 'other' as const, strings: [], packageMetadata: { kind: 'nuspec', name, version } as never });

function build(a: ReturnType<typeof analysisOf>) {
  const bom = resolveBom(a, { createdEpoch: 0 });
  addPackageMetadata(bom, a);
  return bom;
}

test('PEP 503 names: runs of -, _ and . are one hyphen, lower-case', () => {
  assert.equal(pypiName('Typing__Extensions'), 'typing-extensions');
  assert.equal(pypiName('zope.interface'), 'zope-interface');
  assert.equal(pypiName('A-_.b'), 'a-b');
});

test('PEP 427 wheel names: an optional build tag, three tags, .whl at the end; anything else names no package', () => {
  const named = (file: string) => build(analysisOf({ containers: [{ key: `w/${file}`, format: 'zip', name: file }], files: [{ path: `w/${file}/x.py`, container: `w/${file}` }] })).components.map((c) => [c.name, c.version]);
  assert.deepEqual(named('Foo_Bar-1.0-1-py3-none-any.whl'), [['foo-bar', '1.0']]);
  assert.deepEqual(named('foo-2.0-py3-none-any.whl'), [['foo', '2.0']]);
  // A build tag starts with a digit: `-x1` is no build tag, so the name has one tag too many.
  assert.deepEqual(named('foo-2.0-x1-py3-none-any.whl'), []);
  assert.deepEqual(named('foo-2.0-py3-none-any.whl.part'), []);
  // The whole name: a path before it is not part of a distribution name.
  assert.deepEqual(named('pre/foo-2.0-py3-none-any.whl'), []);
  assert.deepEqual(named('foo-2.0.zip'), []);
  // The wheel's file name is the evidence, under the container's own path.
  const bom = build(analysisOf({ containers: [{ key: 'w/foo-2.0-py3-none-any.whl', format: 'zip' }], files: [{ path: 'w/foo-2.0-py3-none-any.whl/x.py', container: 'w/foo-2.0-py3-none-any.whl' }] }));
  assert.deepEqual(bom.components[0]!.evidence, [{ file: 'w/foo-2.0-py3-none-any.whl', kind: 'file-name', text: 'foo-2.0-py3-none-any.whl', location: 'wheel file name (PEP 427)', version: '2.0' }]);
});

test('only metadata directly inside the package counts: a nested dist-info or nuspec, or another file name, does not', () => {
  const W = 'foo-2.0-py3-none-any.whl';
  const withMeta = (path: string) =>
    build(analysisOf({ containers: [{ key: W, format: 'zip' }], files: [{ path: `${W}/${path}`, container: W, facts: meta('Other', '9.9') }] })).components.map((c) => [c.name, c.version, c.evidence[0]!.kind]);
  // METADATA's Name as written (the purl normalises it).
  assert.deepEqual(withMeta('other-9.9.dist-info/METADATA'), [['Other', '9.9', 'package-metadata']]);
  // Not the package's own metadata: the wheel's file name names it.
  for (const p of ['vendor/other-9.9.dist-info/METADATA', 'other-9.9.dist-info/METADATA.orig', 'other.dist-info/sub/METADATA', '.dist-info/METADATA', 'xother-9.9.egg-info/METADATA']) {
    assert.deepEqual(withMeta(p), [['foo', '2.0', 'file-name']], p);
  }
  // A file of another container never counts for this one (B's key is as long as W's, so its
  // member's path past that length reads like a METADATA of W's).
  const B = `${'b'.repeat(W.length - 4)}.zip`;
  const other = build(analysisOf({ containers: [{ key: W, format: 'zip' }, { key: B, format: 'zip' }], files: [{ path: `${B}/other-9.9.dist-info/METADATA`, container: B, facts: meta('Other', '9.9') }, { path: `${W}/x.py`, container: W }] }));
  assert.deepEqual(other.components.map((c) => c.name).sort(), ['Other', 'foo']);
  assert.ok(other.relationships.some((r) => r.from === other.components.find((c) => c.name === 'Other')!.ref && r.to === `container:${B}`));

  const N = 'pkgs/Demo.1.0.0.nupkg';
  const withNuspec = (path: string, facts = nuspec('Demo', '1.0.0')) => build(analysisOf({ containers: [{ key: N, format: 'zip' }], files: [{ path: `${N}/${path}`, container: N, facts }] })).components.map((c) => [c.name, c.version]);
  // NuGet writes the nuspec name as the id's case; the extension's case does not matter.
  assert.deepEqual(withNuspec('Demo.NUSPEC'), [['Demo', '1.0.0']]);
  assert.deepEqual(withNuspec('lib/Demo.nuspec'), []);
  assert.deepEqual(withNuspec('Demo.nuspec.bak'), []);
  // A nuspec's facts under a METADATA path, or METADATA facts under a nuspec path, are not the package's.
  assert.deepEqual(withNuspec('demo-1.0.dist-info/METADATA'), []);
  assert.deepEqual(withNuspec('Demo.nuspec', meta('Demo', '1.0.0')), []);
});

test("a package's container takes its version and supplier only where it states none itself", () => {
  const W = 'pip-24.2-py3-none-any.whl';
  const bom = build(analysisOf({ containers: [{ key: W, format: 'zip' }, { key: 'x-1.0-py3-none-any.whl', format: 'zip', version: '7' }], files: [{ path: `${W}/pip-24.2.dist-info/METADATA`, container: W, facts: meta('pip', '24.2') }, { path: 'x-1.0-py3-none-any.whl/a.py', container: 'x-1.0-py3-none-any.whl' }] }));
  const wheel = bom.containers.find((c) => c.ref === `container:${W}`)!;
  assert.equal(wheel.version, '24.2');
  assert.deepEqual(wheel.supplier, { type: 'organization', name: 'Python Packaging Authority' });
  // A container whose own bytes state a version keeps it; x has no supplier to give.
  const x = bom.containers.find((c) => c.ref === 'container:x-1.0-py3-none-any.whl')!;
  assert.equal(x.version, '7');
  assert.equal(x.supplier, undefined);
  // The artifact is no package here and takes nothing.
  assert.equal(bom.artifact.version, undefined);

  // A wheel given as the artifact: the artifact is the package and takes its version.
  const whole = build(analysisOf({ name: W, files: [{ path: 'pip-24.2.dist-info/METADATA', facts: meta('pip', '24.2') }] }));
  assert.equal(whole.artifact.version, '24.2');
  assert.deepEqual(whole.artifact.supplier, { type: 'organization', name: 'Python Packaging Authority' });
});

test("pip is PyPA's (originator too), with pip's homepage and NVD's pypa:pip CPE; another project keeps what its metadata says", () => {
  const bom = build(analysisOf({ containers: [{ key: 'pip-24.2-py3-none-any.whl', format: 'zip' }, { key: 'six-1.16.0-py2.py3-none-any.whl', format: 'zip' }], files: [{ path: 'pip-24.2-py3-none-any.whl/p.py', container: 'pip-24.2-py3-none-any.whl' }, { path: 'six-1.16.0-py2.py3-none-any.whl/six.py', container: 'six-1.16.0-py2.py3-none-any.whl' }] }));
  const pip = bom.components.find((c) => c.name === 'pip')!;
  assert.deepEqual(pip.originator, pip.supplier);
  assert.equal(pip.homepage, 'https://pip.pypa.io/');
  assert.deepEqual(pip.cpes, [{ cpe: 'cpe:2.3:a:pypa:pip:24.2:*:*:*:*:*:*:*' }]);
  const six = bom.components.find((c) => c.name === 'six')!;
  assert.deepEqual([six.version, six.purl, six.idHint, six.homepage, six.originator], ['1.16.0', 'pkg:pypi/six@1.16.0', 'SPDXRef-PACKAGE-six', undefined, undefined]);
  assert.ok(!six.cpes.some((c) => c.cpe.includes('pypa')));
  // Only pip has vendored projects.
  assert.equal(bom.components.length, 2);
});

test("vendored projects: pip's supplier, the pin's text trimmed, their code by the pin's name with - as _", () => {
  const W = 'pip-24.2-py3-none-any.whl';
  const bom = build(
    analysisOf({
      containers: [{ key: W, format: 'zip' }],
      files: [
        { path: `${W}/pip/_vendor/vendor.txt`, container: W, facts: { format: 'other', strings: [], packageMetadata: { kind: 'pip-vendor', pins: [{ name: 'msgpack-python', version: '1.0.8', line: 4, text: '  msgpack-python==1.0.8  # comment ' }] } as never } },
        { path: `${W}/pip/_vendor/msgpack_python/__init__.py`, container: W },
        { path: `${W}/pip/_vendor/msgpack_pythonic.py`, container: W },
      ],
    }),
  );
  const v = bom.components.find((c) => c.name === 'msgpack-python')!;
  assert.deepEqual(v.supplier, { type: 'organization', name: 'Python Packaging Authority' });
  assert.equal(v.description, 'Vendored in pip 24.2: msgpack-python==1.0.8  # comment in pip/_vendor/vendor.txt.');
  assert.equal(v.evidence[0]!.location, `pip/_vendor/vendor.txt line 4 of ${W}`);
  assert.deepEqual(bom.relationships.filter((r) => r.from === v.ref && r.type === 'contains').map((r) => r.to), [`file:${W}/pip/_vendor/msgpack_python/__init__.py`]);
  assert.equal(v.downloadLocation, 'https://pypi.org/project/msgpack-python/1.0.8/');
});
