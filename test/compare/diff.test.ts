import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../helpers/fixtures.js';
import { diffSboms, diffToMarkdown } from '../../src/compare/diff.js';
import type { SpdxDocument } from '../../src/serialize/spdx2-types.js';
import { viewOfSpdx2 } from '../../src/bom/read/spdx2.js';

const view = (doc: SpdxDocument) => viewOfSpdx2(doc as unknown as Record<string, unknown>);

const read = (v: string, f: string) => JSON.parse(readFileSync(join(sharedDir, 'cpython-sbom-inputs', v, f), 'utf8')) as SpdxDocument;

test("CPython's externals from 3.12.6 to 3.13.0rc2: Tcl/Tk updated, Tix removed, mpdecimal added", () => {
  const a = read('3.12.6', 'externals.spdx.json');
  const b = read('3.13.0rc2', 'externals.spdx.json');
  const d = diffSboms(view(a), view(b));
  // The oracle: the two files' own package lists.
  const versions = (doc: SpdxDocument) => new Map(doc.packages!.map((p) => [p.name, p.versionInfo!]));
  const va = versions(a);
  const vb = versions(b);
  const changed = [...va].filter(([n, v]) => vb.has(n) && vb.get(n) !== v).map(([n]) => n).sort();
  assert.deepEqual(d.components.changed.map((c) => c.name).sort(), changed);
  assert.deepEqual(d.components.removed.map((c) => c.name), [...va.keys()].filter((n) => !vb.has(n)));
  assert.deepEqual(d.components.added.map((c) => c.name), [...vb.keys()].filter((n) => !va.has(n)));
  const tk = d.components.changed.find((c) => c.name === 'tk')!;
  assert.deepEqual([tk.from, tk.to], [[va.get('tk')], [vb.get('tk')]]);
  const md = diffToMarkdown(d);
  assert.match(md, new RegExp(`^- Updated \\*\\*tk\\*\\* ${va.get('tk')!.replace(/\./g, '\\.')} → ${vb.get('tk')!.replace(/\./g, '\\.')}$`, 'm'));
  assert.match(md, /^- Removed \*\*tix\*\* /m);
  assert.match(md, /^- Added \*\*mpdecimal\*\* 4\.0\.0$/m);
});

test('source SBOMs: file hashes that changed between releases are listed by path', () => {
  const a = read('3.12.6', 'sbom.spdx.json');
  const b = read('3.13.0rc2', 'sbom.spdx.json');
  const d = diffSboms(view(a), view(b));
  const files = (doc: SpdxDocument) => new Map(doc.files!.map((f) => [f.fileName.replace(/^\.\//, ''), f.checksums.find((c) => c.algorithm === 'SHA256')!.checksumValue]));
  const fa = files(a);
  const fb = files(b);
  assert.deepEqual(d.files.changed.map((f) => f.path), [...fa].filter(([p, h]) => fb.has(p) && fb.get(p) !== h).map(([p]) => p).sort());
  assert.deepEqual(d.files.added, [...fb.keys()].filter((p) => !fa.has(p)).sort());
  assert.deepEqual(d.files.removed, [...fa.keys()].filter((p) => !fb.has(p)).sort());
  assert.equal(diffSboms(view(a), view(a)).identical, true);
});

test('the title names both sides: two artifacts of one CPython release differ by file name', () => {
  // CPython names the package of every artifact `CPython` at the release's version.
  const doc = (fileName: string): SpdxDocument => ({
    spdxVersion: 'SPDX-2.3',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: fileName,
    packages: [{ SPDXID: 'SPDXRef-PACKAGE-cpython', name: 'CPython', versionInfo: '3.13.0rc2', packageFileName: fileName, downloadLocation: 'NOASSERTION' }],
    relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-PACKAGE-cpython' }],
  }) as SpdxDocument;
  const md = diffToMarkdown(diffSboms(view(doc('python-3.13.0rc2-amd64.exe')), view(doc('python-3.13.0rc2-embed-amd64.zip'))));
  assert.equal(md.split('\n')[0], '# Changes from python-3.13.0rc2-amd64.exe (CPython 3.13.0rc2) to python-3.13.0rc2-embed-amd64.zip (CPython 3.13.0rc2)');
  assert.equal(diffToMarkdown(diffSboms(view(doc('a.exe')), view(doc('a.exe')))).split('\n')[0], '# Changes between two SBOMs of CPython 3.13.0rc2');
  const older = doc('python-3.12.6-amd64.exe');
  older.packages![0]!.versionInfo = '3.12.6';
  assert.equal(diffToMarkdown(diffSboms(view(older), view(doc('python-3.13.0rc2-amd64.exe')))).split('\n')[0], '# Changes from CPython 3.12.6 to CPython 3.13.0rc2');
});
