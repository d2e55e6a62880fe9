/**
 * How the SPDX 2.3 writer maps the parts of the model the whole-document tests leave aside: the
 * §7.9 verification code over upper-case digests, a container's comment (description, warnings,
 * declared properties), file comments (§8.12), CPE comments (§7.21), signatures and notes as
 * annotations (§12), and ids a convention cannot take from the document itself.
 */
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSpdx23, verificationCode } from '../../src/serialize/spdx2.js';
import { signatureText } from '../../src/serialize/statements.js';
import type { SignatureFacts } from '../../src/inspect/types.js';
import { addComponent, addContainer, addFile, CREATED, digestsOf, emptyBom } from '../helpers/bom.js';

const SIGNATURE: SignatureFacts = { kind: 'authenticode', status: 'valid-digest', signer: { subject: 'CN=Python Software Foundation', commonName: 'Python Software Foundation' } } as SignatureFacts;
const annotation = (comment: string) => ({ annotationDate: CREATED, annotationType: 'OTHER', annotator: 'Tool: installer-sbom-9.9.9', comment });

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

test('SPDX 2.3 container comment: description, each warning, then the declared properties sorted by name', () => {
  const bom = emptyBom();
  const cab = addContainer(bom, 'data.cab');
  cab.description = 'Container format: cab.';
  cab.warnings.push('checksum mismatch in block 2');
  cab.properties = { SetId: '7', Compression: 'MSZIP' };
  const doc = toSpdx23(bom);
  const p = doc.packages!.find((x) => x.name === 'data.cab')!;
  assert.equal(p.comment, 'Container format: cab.\nWarning: checksum mismatch in block 2\nDeclared: Compression=MSZIP; SetId=7.');
  // The artifact without description or properties has no comment.
  assert.equal(doc.packages!.find((x) => x.name === 'demo.zip')!.comment, undefined);
});

test('SPDX 2.3 files: not inspected, unopened, signatures and notes in the file comment, one line each', () => {
  const bom = emptyBom();
  const f = addFile(bom, 'odd.dll', { kind: { executable: true } });
  Object.assign(f, { notInspected: 'truncated section table', unopened: { format: 'cab', reason: 'nested too deep' } });
  f.signatures.push(SIGNATURE);
  f.notes.push({ text: 'Warning: named like a cab' });
  addFile(bom, 'plain.txt');
  const doc = toSpdx23(bom);
  assert.equal(doc.files!.find((x) => x.fileName === './odd.dll')!.comment, ['Not inspected: truncated section table', 'Unopened container (cab): nested too deep', `Signature: ${signatureText(SIGNATURE)}`, 'Warning: named like a cab'].join('\n'));
  assert.equal(doc.files!.find((x) => x.fileName === './plain.txt')!.comment, undefined);
});

test('SPDX 2.3 packages: a CPE comment stays on its external reference; signatures and notes are package annotations', () => {
  const bom = emptyBom();
  bom.artifact.signatures.push(SIGNATURE);
  bom.artifact.notes.push({ text: 'Repacked by the vendor.' });
  addComponent(bom, 'sqlite', 'SQLite', '3.45.3.0', { cpes: [{ cpe: 'cpe:2.3:a:sqlite:sqlite:3.45.3:*:*:*:*:*:*:*', comment: 'normalised version' }] });
  const doc = toSpdx23(bom);
  const art = doc.packages!.find((x) => x.name === 'demo.zip')!;
  assert.deepEqual(art.annotations, [annotation('Repacked by the vendor.'), annotation(signatureText(SIGNATURE))]);
  const s = doc.packages!.find((x) => x.name === 'SQLite')!;
  assert.deepEqual(s.externalRefs![0], { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:sqlite:sqlite:3.45.3:*:*:*:*:*:*:*', comment: 'normalised version' });
  // A component holds no files (§7.8): not analysed, no verification code, no annotations of its own here.
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
