/**
 * What the formats have no field for, in each writer: container warnings and declared properties,
 * signatures, files that could not be inspected or opened, notes, architectures, evidence. The
 * sentences are the ones src/serialize/statements.ts documents, so readers can parse them back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toSpdx23 } from '../../src/serialize/spdx2.js';
import { writeSpdx3 } from '../../src/serialize/spdx3.js';
import { writeCycloneDx } from '../../src/serialize/cyclonedx.js';
import { declarationText, declaredAbsentText, describeWithEvidence, evidenceLine, evidenceLinesOf, isKnownUnknownText, knownUnknownText, parseDeclarationText, parseDeclaredAbsentText, signatureText } from '../../src/serialize/statements.js';
import type { SignatureFacts } from '../../src/inspect/types.js';
import type { Bom } from '../../src/bom/model.js';
import { addComponent, addContainer, addFile, emptyBom, NS } from '../helpers/bom.js';

type Node = Record<string, unknown>;

const SIGNED: SignatureFacts = {
  kind: 'authenticode',
  status: 'valid-digest',
  digestAlgorithm: 'sha256',
  signer: { subject: 'CN=Example Corp, O=Example Org', commonName: 'Example Corp', organization: 'Example Org', issuer: 'CN=CA', serial: '01', notBefore: '2024-01-01T00:00:00Z', notAfter: '2025-01-01T00:00:00Z', sha256: '' },
  programName: 'Demo',
  signingTime: '2024-06-01T00:00:00Z',
};
const SIGNED_TEXT = 'authenticode signature by Example Corp (Example Org); valid-digest; sha256; program "Demo"; signed 2024-06-01T00:00:00Z';

test('statements: signatures, evidence, declarations, declared-absent packages and known unknowns as one sentence each, parsed back', () => {
  assert.equal(signatureText(SIGNED), SIGNED_TEXT);
  assert.equal(signatureText({ kind: 'macho', status: 'ad-hoc' }), 'macho signature by ad hoc; ad-hoc');
  assert.equal(signatureText({ kind: 'xar', status: 'unreadable', problem: 'bad CMS' }), 'xar signature by no signer; unreadable; bad CMS');
  // The organisation is not repeated when it is the common name; a subject stands in for a missing CN.
  assert.equal(signatureText({ kind: 'authenticode', status: 'modified-after-signing', signer: { subject: 'O=X', organization: 'X', commonName: 'X', issuer: '', serial: '', notBefore: '', notAfter: '', sha256: '' } }), 'authenticode signature by X; modified-after-signing');
  assert.equal(signatureText({ kind: 'authenticode', status: 'not-checked', signer: { subject: 'O=Y', issuer: '', serial: '', notBefore: '', notAfter: '', sha256: '' } }), 'authenticode signature by O=Y; not-checked');

  const e = { file: 'a.dylib', kind: 'string' as const, text: 'OpenSSL 3.0.15', location: '0x10', version: '3.0.15', arch: 'arm64' };
  assert.equal(evidenceLine(e), 'a.dylib: string "OpenSSL 3.0.15" at 0x10 [arm64] → 3.0.15');
  assert.equal(evidenceLine({ file: 'b', kind: 'file-name', text: 'b', location: 'name' }), 'b: file-name "b" at name');
  const comment = describeWithEvidence('Detected.', [e, { file: 'b', kind: 'file-name', text: 'b', location: 'name' }]);
  assert.equal(comment, 'Detected.\nEvidence:\n- a.dylib: string "OpenSSL 3.0.15" at 0x10 [arm64] → 3.0.15\n- b: file-name "b" at name');
  assert.deepEqual(evidenceLinesOf(comment), ['a.dylib: string "OpenSSL 3.0.15" at 0x10 [arm64] → 3.0.15', 'b: file-name "b" at name']);
  assert.equal(describeWithEvidence(undefined, []), '');
  assert.equal(describeWithEvidence(undefined, [e]), 'Evidence:\n- a.dylib: string "OpenSSL 3.0.15" at 0x10 [arm64] → 3.0.15');
  assert.deepEqual(evidenceLinesOf('Detected.'), []);
  assert.deepEqual(evidenceLinesOf(42), []);
  // Without a description the comment starts with the header; a trailing newline adds no line.
  assert.deepEqual(evidenceLinesOf(describeWithEvidence(undefined, [e])), ['a.dylib: string "OpenSSL 3.0.15" at 0x10 [arm64] → 3.0.15']);
  assert.deepEqual(evidenceLinesOf(`${comment}\n`), ['a.dylib: string "OpenSSL 3.0.15" at 0x10 [arm64] → 3.0.15', 'b: file-name "b" at name']);
  // Another tool's list is not evidence without the header.
  assert.deepEqual(evidenceLinesOf('Notes:\n- built with care'), []);

  const d = { status: 'contradicted' as const, version: '2.6.3', document: 'externals.spdx.json', note: 'the binaries show 2.7.1 (pyexpat.pyd)' };
  assert.deepEqual(parseDeclarationText(declarationText(d)), d);
  assert.equal(declarationText({ status: 'not-verifiable', version: '1', note: 'n' }), 'not-verifiable (declared 1 by the source SBOM): n');
  assert.deepEqual(parseDeclarationText('added: not declared'), { status: 'added', note: 'not declared' });
  assert.equal(parseDeclarationText('something else: x'), undefined);
  // A sentence that merely contains a status is no declaration.
  assert.equal(parseDeclarationText('not corroborated: x'), undefined);

  const a = { name: 'tcl-core', version: '8.6.15.0', document: 'externals.spdx.json', status: 'not-shipped' as const, note: 'not in an embeddable zip', cpes: ['cpe:2.3:a:tcl_tk:tcl_tk:8.6.15.0:*:*:*:*:*:*:*'], purl: 'pkg:generic/tcl@8.6.15.0' };
  assert.deepEqual(parseDeclaredAbsentText(declaredAbsentText(a)), a);
  const bare = { name: 'x', document: 'd.json', status: 'not-found' as const, note: 'nothing shows x', cpes: [] };
  assert.equal(declaredAbsentText(bare), 'not-found: x declared by d.json: nothing shows x');
  assert.deepEqual(parseDeclaredAbsentText(declaredAbsentText(bare)), bare);
  assert.equal(parseDeclaredAbsentText('known unknown (absent): x: y'), undefined);
  assert.equal(parseDeclaredAbsentText(`see ${declaredAbsentText(bare)}`), undefined);
  // One note line, then only the identifiers line.
  assert.equal(parseDeclaredAbsentText(`${declaredAbsentText(bare)}\nmore`), undefined);

  const u = { kind: 'absent', subject: 'a.cab', reason: 'missing', scope: 'artifact' };
  assert.equal(knownUnknownText(u), 'known unknown (absent): a.cab: missing');
  assert.equal(isKnownUnknownText(knownUnknownText(u)), true);
  assert.equal(isKnownUnknownText('not-found: x'), false);
});

/** A model with everything a format has no field for. */
function detailed(): Bom {
  const bom = emptyBom();
  bom.artifact.signatures.push(SIGNED);
  bom.artifact.notes.push({ text: 'artifact note' });
  bom.artifact.description = 'Container format: zip. Origin: demo.zip.';
  bom.artifact.properties = { b: '2', a: '1' };
  const cab = addContainer(bom, 'data.cab');
  cab.warnings.push('checksum mismatch');
  cab.properties = { SetId: '7' };
  cab.signatures.push(SIGNED);
  const f = addFile(bom, 'data.cab/odd.dll', { container: cab.ref, kind: { executable: true } });
  f.notInspected = 'truncated PE header';
  f.binaryFormat = 'pe';
  f.signatures.push(SIGNED);
  f.notes.push({ text: 'Warning: named .dll' });
  const u = addFile(bom, 'tools.7z', { kind: { archive: true } });
  u.unopened = { format: '7z', reason: 'not opened' };
  addComponent(bom, 'openssl', 'OpenSSL', '3.0.15', {
    archs: ['arm64', 'x86_64'],
    notes: [{ text: 'component note' }],
    description: 'Detected at version 3.0.15.',
    evidence: [{ file: 'data.cab/odd.dll', kind: 'string', text: 'OpenSSL 3.0.15', location: '0x10', version: '3.0.15', arch: 'arm64' }],
  });
  return bom;
}

test('SPDX 2.3: signatures and notes as annotations, container warnings and declared properties in the comment, file comments', () => {
  const doc = toSpdx23(detailed());
  const pkg = (id: string) => doc.packages!.find((p) => p.SPDXID === id)!;
  const notes = (p: { annotations?: { comment: string }[] }) => (p.annotations ?? []).map((a) => a.comment).sort();
  assert.deepEqual(notes(pkg('SPDXRef-PACKAGE-demo.zip')), ['artifact note', SIGNED_TEXT].sort());
  // §7.20 package comment: description, warnings, the properties the container declares, sorted by key.
  assert.equal(pkg('SPDXRef-PACKAGE-demo.zip').comment, 'Container format: zip. Origin: demo.zip.\nDeclared: a=1; b=2.');
  assert.equal(pkg('SPDXRef-CONTAINER-data.cab').comment, 'Warning: checksum mismatch\nDeclared: SetId=7.');
  assert.deepEqual(notes(pkg('SPDXRef-CONTAINER-data.cab')), [SIGNED_TEXT]);
  const openssl = pkg('SPDXRef-PACKAGE-openssl-3.0.15');
  assert.deepEqual(notes(openssl), ['component note']);
  assert.equal(openssl.comment, 'Detected at version 3.0.15.\nEvidence:\n- data.cab/odd.dll: string "OpenSSL 3.0.15" at 0x10 [arm64] → 3.0.15');
  const file = (name: string) => doc.files!.find((x) => x.fileName === name)!;
  // §8.12 file comment.
  assert.equal(file('./data.cab/odd.dll').comment, `Not inspected: truncated PE header\nSignature: ${SIGNED_TEXT}\nWarning: named .dll`);
  assert.equal(file('./tools.7z').comment, 'Unopened container (7z): not opened');
  assert.deepEqual(file('./tools.7z').fileTypes, ['ARCHIVE']);
});

test('SPDX 3.0.1: signatures and notes as annotations, file comments, the package comment carries the evidence', () => {
  const graph = (JSON.parse(writeSpdx3(detailed())) as { '@graph': Node[] })['@graph'];
  const byId = (id: string) => graph.find((n) => n['spdxId'] === id)!;
  const notes = (id: string) => graph.filter((n) => n['type'] === 'Annotation' && n['subject'] === id).map((n) => n['statement']).sort();
  assert.deepEqual(notes(`${NS}#SPDXRef-PACKAGE-demo.zip`), ['artifact note', SIGNED_TEXT].sort());
  assert.deepEqual(notes(`${NS}#SPDXRef-CONTAINER-data.cab`), [SIGNED_TEXT]);
  assert.deepEqual(notes(`${NS}#SPDXRef-FILE-data.cab-odd.dll`), [SIGNED_TEXT, 'Warning: named .dll'].sort());
  assert.deepEqual(notes(`${NS}#SPDXRef-PACKAGE-openssl-3.0.15`), ['component note']);
  assert.equal(byId(`${NS}#SPDXRef-FILE-data.cab-odd.dll`)['comment'], 'Not inspected: truncated PE header');
  assert.equal(byId(`${NS}#SPDXRef-FILE-tools.7z`)['comment'], 'Unopened container (7z): not opened');
  const openssl = byId(`${NS}#SPDXRef-PACKAGE-openssl-3.0.15`);
  assert.equal(openssl['description'], 'Detected at version 3.0.15.');
  assert.equal(openssl['comment'], 'Evidence:\n- data.cab/odd.dll: string "OpenSSL 3.0.15" at 0x10 [arm64] → 3.0.15');
  assert.equal(byId(`${NS}#SPDXRef-PACKAGE-demo.zip`)['description'], 'Container format: zip. Origin: demo.zip.');
  // The document says how many known unknowns it states (none here).
  assert.equal(graph.find((n) => n['type'] === 'SpdxDocument')!['comment'], undefined);
  const withUnknown = detailed();
  withUnknown.knownUnknowns.push({ kind: 'absent', subject: 'x', reason: 'y', scope: 'artifact' });
  const doc = (JSON.parse(writeSpdx3(withUnknown)) as { '@graph': Node[] })['@graph'].find((n) => n['type'] === 'SpdxDocument')!;
  assert.match(String(doc['comment']), /^1 known unknown\(s\) are stated as annotations/);
  assert.deepEqual((doc['profileConformance'] as string[]).sort(), ['core', 'simpleLicensing', 'software']);
  assert.equal(doc['dataLicense'], 'https://spdx.org/licenses/CC0-1.0');
});

test('CycloneDX: signatures, warnings, declared properties, file facts, notes and architectures as properties', () => {
  const doc = JSON.parse(writeCycloneDx(detailed())) as Node;
  const props = (n: Node) => (n['properties'] as { name: string; value: string }[]).filter((p) => !p.name.startsWith('bsi:')).map((p) => `${p.name}=${p.value}`).sort();
  const root = (doc['metadata'] as Node)['component'] as Node;
  assert.deepEqual(props(root), ['installer-sbom:container-format=zip', 'installer-sbom:declared:a=1', 'installer-sbom:declared:b=2', 'installer-sbom:note=artifact note', `installer-sbom:signature=${SIGNED_TEXT}`].sort());
  assert.equal(root['description'], 'Container format: zip. Origin: demo.zip.');
  const cab = (doc['components'] as Node[]).find((c) => c['bom-ref'] === 'SPDXRef-CONTAINER-data.cab')!;
  assert.deepEqual(props(cab), ['installer-sbom:container-format=cab', 'installer-sbom:declared:SetId=7', 'installer-sbom:path=data.cab', `installer-sbom:signature=${SIGNED_TEXT}`, 'installer-sbom:warning=checksum mismatch'].sort());
  const odd = (cab['components'] as Node[])[0]!;
  assert.deepEqual(props(odd), ['installer-sbom:format=pe', 'installer-sbom:not-inspected=truncated PE header', 'installer-sbom:note=Warning: named .dll', `installer-sbom:signature=${SIGNED_TEXT}`, `installer-sbom:size=${'data.cab/odd.dll'.length}`].sort());
  const seven = (doc['components'] as Node[]).find((c) => c['name'] === 'tools.7z')!;
  assert.ok(props(seven).includes('installer-sbom:unopened=7z: not opened'));
  const openssl = (doc['components'] as Node[]).find((c) => c['name'] === 'OpenSSL')!;
  assert.deepEqual(props(openssl), ['installer-sbom:architectures=arm64 x86_64', 'installer-sbom:note=component note']);
  assert.equal(openssl['description'], 'Detected at version 3.0.15.');
  // A component without version: evidence.identity is about its name.
  const undated = emptyBom();
  addComponent(undated, 'libffi', 'libffi', undefined, { evidence: [{ file: 'x.dll', kind: 'file-name', text: 'x.dll', location: 'name' }] });
  const c = ((JSON.parse(writeCycloneDx(undated)) as Node)['components'] as Node[])[0]!;
  const identity = ((c['evidence'] as Node)['identity'] as Node[])[0]!;
  assert.equal(identity['field'], 'name');
  assert.equal(identity['concludedValue'], 'libffi');
  assert.equal(c['version'], undefined);
  assert.equal(c['cpe'], undefined);
});

test('SPDX ids (§3.2): sanitised names; a clash gets the first 8 hex of SHA-256 of the raw name (release-tools spdx_id), then a counter', async () => {
  const { IdAllocator, sanitizeIdPart } = await import('../../src/serialize/ids.js');
  const { createHash } = await import('node:crypto');
  assert.equal(sanitizeIdPart('a b/c_d.e-f'), 'a-b-c-d.e-f');
  assert.equal(sanitizeIdPart('--x--'), 'x');
  assert.equal(sanitizeIdPart('///'), 'x');
  const ids = new IdAllocator();
  const hex = createHash('sha256').update('a b').digest('hex').slice(0, 8);
  assert.equal(ids.take('SPDXRef-FILE-', 'a b'), 'SPDXRef-FILE-a-b');
  assert.equal(ids.take('SPDXRef-FILE-', 'a b'), `SPDXRef-FILE-a-b-${hex}`);
  assert.equal(ids.take('SPDXRef-FILE-', 'a b'), 'SPDXRef-FILE-a-b-2');
  assert.equal(ids.take('SPDXRef-FILE-', 'a b'), 'SPDXRef-FILE-a-b-3');
  assert.equal(ids.claim('SPDXRef-PACKAGE-cpython'), 'SPDXRef-PACKAGE-cpython');
  assert.equal(ids.claim('SPDXRef-PACKAGE-cpython'), `SPDXRef-PACKAGE-cpython-${createHash('sha256').update('SPDXRef-PACKAGE-cpython').digest('hex').slice(0, 8)}`);
});

test('CycloneDX evidence techniques (1.6 evidence.identity.methods): what each kind of evidence is', () => {
  const kinds = {
    string: 'binary-analysis',
    versioninfo: 'binary-analysis',
    'install-name': 'binary-analysis',
    'load-command': 'binary-analysis',
    container: 'binary-analysis',
    symbol: 'binary-analysis',
    plist: 'manifest-analysis',
    declared: 'manifest-analysis',
    'embedded-sbom': 'manifest-analysis',
    'package-metadata': 'manifest-analysis',
    'file-name': 'filename',
    'abi-name': 'filename',
    'known-hash': 'hash-comparison',
    signature: 'other',
  } as const;
  for (const [kind, technique] of Object.entries(kinds)) {
    const bom = emptyBom();
    addComponent(bom, 'z', 'z', '1', { evidence: [{ file: 'f', kind: kind as keyof typeof kinds, text: 't', location: 'l' }] });
    const c = ((JSON.parse(writeCycloneDx(bom)) as Node)['components'] as Node[])[0]!;
    const method = (((c['evidence'] as Node)['identity'] as Node[])[0]!['methods'] as Node[])[0]!;
    assert.equal(method['technique'], technique, kind);
    const confidence = method['confidence'] as number;
    assert.ok(confidence > 0 && confidence <= 1, kind);
  }
  // A hash match is certain; a file name alone is weak.
  const conf = (kind: keyof typeof kinds) => {
    const bom = emptyBom();
    addComponent(bom, 'z', 'z', '1', { evidence: [{ file: 'f', kind, text: 't', location: 'l' }] });
    const c = ((JSON.parse(writeCycloneDx(bom)) as Node)['components'] as Node[])[0]!;
    return (((c['evidence'] as Node)['identity'] as Node[])[0]!['confidence']) as number;
  };
  assert.equal(conf('known-hash'), 1);
  assert.ok(conf('file-name') < conf('versioninfo'));
  assert.ok(conf('load-command') < conf('string'));
});

test('a package without digests of its own: no checksums, hashes or verifiedUsing in any format', () => {
  const bom = emptyBom();
  const cab = addContainer(bom, 'data.cab');
  delete cab.digests;
  cab.digests = { sha256: 'ab'.repeat(32) };
  const spdx = toSpdx23(bom).packages!.find((p) => p.SPDXID === 'SPDXRef-CONTAINER-data.cab')!;
  assert.deepEqual(spdx.checksums, [{ algorithm: 'SHA256', checksumValue: 'ab'.repeat(32) }]);
  const cdx = ((JSON.parse(writeCycloneDx(bom)) as Node)['components'] as Node[])[0]!;
  assert.deepEqual(cdx['hashes'], [{ alg: 'SHA-256', content: 'ab'.repeat(32) }]);
  const graph = (JSON.parse(writeSpdx3(bom)) as { '@graph': Node[] })['@graph'];
  assert.deepEqual(graph.find((n) => n['type'] === 'software_File' && n['name'] === 'data.cab')!['verifiedUsing'], [{ type: 'Hash', algorithm: 'sha256', hashValue: 'ab'.repeat(32) }]);
  delete cab.digests;
  assert.equal(toSpdx23(bom).packages!.find((p) => p.SPDXID === 'SPDXRef-CONTAINER-data.cab')!.checksums, undefined);
  assert.equal(((JSON.parse(writeCycloneDx(bom)) as Node)['components'] as Node[])[0]!['hashes'], undefined);
  assert.equal((JSON.parse(writeSpdx3(bom)) as { '@graph': Node[] })['@graph'].find((n) => n['type'] === 'software_File' && n['name'] === 'data.cab')!['verifiedUsing'], undefined);
  cab.digests = {};
  assert.equal(toSpdx23(bom).packages!.find((p) => p.SPDXID === 'SPDXRef-CONTAINER-data.cab')!.checksums, undefined);
});
