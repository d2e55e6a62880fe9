/**
 * Reading a source-tree SBOM the way CPython's release tooling copies it: packages re-identified
 * `SPDXRef-PACKAGE-{name}-{version}`, CPython itself left out, and what each package DEPENDS_ON
 * (pip → the packages it vendors) carried over under the new ids. A document counts as
 * externals.spdx.json only when every package comes from cpython-source-deps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSourceSboms } from '../../src/bom/source-sbom.js';

const pkg = (id: string, name: string, version: string, extra: Record<string, unknown> = {}) => ({ SPDXID: id, name, versionInfo: version, downloadLocation: `https://example.org/${name}`, ...extra });
const rel = (from: string, type: string, to: string) => ({ spdxElementId: from, relationshipType: type, relatedSpdxElement: to });

async function read(doc: unknown) {
  const dir = await mkdtemp(join(tmpdir(), 'isbom-src-deps-'));
  try {
    await writeFile(join(dir, 'sbom.spdx.json'), JSON.stringify(doc));
    return await readSourceSboms([join(dir, 'sbom.spdx.json')]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('source-tree SBOM: DEPENDS_ON carried over under the new ids, only between packages the document declares; other relationship types dropped', async () => {
  const s = await read({
    packages: [pkg('SPDXRef-DOCUMENT-CPython', 'CPython', '3.13.0'), pkg('SPDXRef-pip', 'pip', '24.2'), pkg('SPDXRef-certifi', 'certifi', '2024.7.4'), pkg('SPDXRef-idna', 'idna', '3.7', { filesAnalyzed: false })],
    relationships: [
      rel('SPDXRef-DOCUMENT-CPython', 'DEPENDS_ON', 'SPDXRef-pip'),
      rel('SPDXRef-pip', 'DEPENDS_ON', 'SPDXRef-certifi'),
      rel('SPDXRef-pip', 'CONTAINS', 'SPDXRef-idna'),
      rel('SPDXRef-pip', 'DEPENDS_ON', 'SPDXRef-elsewhere'),
    ],
  });
  assert.equal(s.cpythonVersion, '3.13.0');
  assert.deepEqual(
    s.packages.map((p) => [p.origin, p.document, p.pkg.SPDXID, p.dependsOn]),
    [
      ['source-tree', 'sbom.spdx.json', 'SPDXRef-PACKAGE-pip-24.2', ['SPDXRef-PACKAGE-certifi-2024.7.4']],
      ['source-tree', 'sbom.spdx.json', 'SPDXRef-PACKAGE-certifi-2024.7.4', []],
      ['source-tree', 'sbom.spdx.json', 'SPDXRef-PACKAGE-idna-3.7', []],
    ],
  );
  // filesAnalyzed is only ever turned off, never added.
  assert.equal('filesAnalyzed' in s.packages[0]!.pkg, false);
  assert.equal(s.packages[2]!.pkg.filesAnalyzed, false);
});

test('externals: only when every package is fetched from cpython-source-deps; one package from elsewhere makes the document a source tree', async () => {
  const deps = (name: string) => ({ downloadLocation: `https://github.com/python/cpython-source-deps/archive/${name}.tar.gz` });
  const all = await read({ packages: [pkg('SPDXRef-PACKAGE-xz', 'xz', '5.2.5', deps('xz')), pkg('SPDXRef-PACKAGE-zlib', 'zlib', '1.3.1', deps('zlib'))] });
  assert.deepEqual(all.packages.map((p) => [p.origin, p.pkg.SPDXID]), [['externals', 'SPDXRef-PACKAGE-xz'], ['externals', 'SPDXRef-PACKAGE-zlib']]);
  const mixed = await read({ packages: [pkg('SPDXRef-PACKAGE-xz', 'xz', '5.2.5', deps('xz')), pkg('SPDXRef-PACKAGE-zlib', 'zlib', '1.3.1')] });
  assert.deepEqual(mixed.packages.map((p) => [p.origin, p.pkg.SPDXID]), [['source-tree', 'SPDXRef-PACKAGE-xz-5.2.5'], ['source-tree', 'SPDXRef-PACKAGE-zlib-1.3.1']]);
  assert.equal(mixed.cpythonVersion, undefined);
});
