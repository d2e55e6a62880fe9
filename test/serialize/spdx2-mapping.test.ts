/**
 * How the SPDX 2.3 writer maps the parts of the model the whole-document tests leave aside: the
 * §7.9 verification code over upper-case digests, CPE comments (§7.21), a component that holds
 * no files (§7.8), and the document's id that no convention can take.
 */
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSpdx23, verificationCode } from '../../src/serialize/spdx2.js';
import { addComponent, addFile, digestsOf, emptyBom } from '../helpers/bom.js';


test('SPDX 2.3 §7.9: the verification code is over the lower-case SHA-1s, sorted, whatever case the model holds them in', () => {
  const bom = emptyBom();
  const a = addFile(bom, 'a.txt', { bytes: 'aaa' });
  const b = addFile(bom, 'b.txt', { bytes: 'bbb' });
  b.digests = { ...b.digests, sha1: b.digests.sha1.toUpperCase() };
  const sums = [digestsOf('aaa').sha1, digestsOf('bbb').sha1].sort();
  const expected = createHash('sha1').update(sums.join('')).digest('hex');
  assert.equal(verificationCode([b, a]), expected);
  assert.equal(verificationCode([a, b]), expected);
});

test('SPDX 2.3 packages: a CPE comment stays on its external reference; a component holds no files', () => {
  const bom = emptyBom();
  addComponent(bom, 'sqlite', 'SQLite', '3.45.3.0', { cpes: [{ cpe: 'cpe:2.3:a:sqlite:sqlite:3.45.3:*:*:*:*:*:*:*', comment: 'normalised version' }] });
  const doc = toSpdx23(bom);
  const s = doc.packages!.find((x) => x.name === 'SQLite')!;
  assert.deepEqual(s.externalRefs![0], { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:sqlite:sqlite:3.45.3:*:*:*:*:*:*:*', comment: 'normalised version' });
  // §7.8: not analysed, so no verification code; nothing to annotate.
  assert.deepEqual([s.filesAnalyzed, s.packageVerificationCode, s.annotations], [false, undefined, undefined]);
});

test('SPDX 2.3 ids: SPDXRef-DOCUMENT is the document\'s alone, even when a package hints it', () => {
  const bom = emptyBom();
  addComponent(bom, 'x', 'x', '1', { idHint: 'SPDXRef-DOCUMENT' });
  const doc = toSpdx23(bom);
  const x = doc.packages!.find((p) => p.name === 'x')!;
  assert.notEqual(x.SPDXID, 'SPDXRef-DOCUMENT');
  assert.equal(new Set(doc.packages!.map((p) => p.SPDXID)).size, doc.packages!.length);
});
