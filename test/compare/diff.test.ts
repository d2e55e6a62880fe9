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
  // The oracle: the two files' own package lists (research/cpython-sbom.md §2.3 tabulates them).
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
