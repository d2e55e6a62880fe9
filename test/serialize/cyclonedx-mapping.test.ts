/**
 * How the CycloneDX writer maps each kind of evidence, occurrence and file fact of the model.
 * Techniques are checked against CycloneDX 1.6 `evidence.identity.methods[].technique` (its enum
 * and the definitions the schema gives each value); BSI TR-03183-2 v2.1 property names and values
 * come from its CycloneDX taxonomy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeCycloneDx } from '../../src/serialize/cyclonedx.js';
import type { Bom } from '../../src/bom/model.js';
import type { EvidenceKind } from '../../src/detect/types.js';
import { signatureText } from '../../src/serialize/statements.js';
import type { SignatureFacts } from '../../src/inspect/types.js';
import { addComponent, addContainer, addFile, emptyBom } from '../helpers/bom.js';

type Node = Record<string, unknown>;

const write = (bom: Bom): Node => JSON.parse(writeCycloneDx(bom)) as Node;
/** A component anywhere in the tree, by bom-ref or by name. */
const component = (doc: Node, ref: string): Node => {
  const all: Node[] = [];
  const walk = (list: Node[] | undefined) => {
    for (const n of list ?? []) {
      all.push(n);
      walk(n['components'] as Node[] | undefined);
    }
  };
  walk(doc['components'] as Node[]);
  const n = all.find((c) => c['bom-ref'] === ref || c['name'] === ref);
  assert.ok(n, ref);
  return n;
};
const propsOf = (n: Node) => (n['properties'] as { name: string; value: string }[] | undefined) ?? [];
const prop = (n: Node, name: string) => propsOf(n).filter((p) => p.name === name).map((p) => p.value);

/** CycloneDX 1.6 technique for each kind of evidence, by the schema's definition of each technique. */
const EXPECTED_TECHNIQUE: Record<EvidenceKind, string> = {
  // "binary-analysis": examination of the component's binary (strings, version resources, load commands, symbols, a container's stub).
  string: 'binary-analysis',
  versioninfo: 'binary-analysis',
  'install-name': 'binary-analysis',
  'load-command': 'binary-analysis',
  symbol: 'binary-analysis',
  container: 'binary-analysis',
  // "manifest-analysis": a manifest or metadata file describing the component.
  plist: 'manifest-analysis',
  declared: 'manifest-analysis',
  'embedded-sbom': 'manifest-analysis',
  'package-metadata': 'manifest-analysis',
  // "filename": the name of the file.
  'file-name': 'filename',
  'abi-name': 'filename',
  // "hash-comparison": the bytes' hash matched a known one.
  'known-hash': 'hash-comparison',
  // A signer's statement is none of the analysis techniques.
  signature: 'other',
};

test('CycloneDX evidence.identity: each kind of evidence names its CycloneDX 1.6 technique, with a confidence in (0, 1]', () => {
  for (const [kind, technique] of Object.entries(EXPECTED_TECHNIQUE) as [EvidenceKind, string][]) {
    const bom = emptyBom();
    addComponent(bom, 'zlib', 'zlib', '1.3.1', { evidence: [{ file: 'zlib1.dll', kind, text: 'zlib 1.3.1', location: 'here', version: '1.3.1' }] });
    const identity = ((component(write(bom), 'SPDXRef-PACKAGE-zlib-1.3.1')['evidence'] as Node)['identity'] as Node[])[0]!;
    const methods = identity['methods'] as Node[];
    assert.equal(methods.length, 1, kind);
    assert.equal(methods[0]!['technique'], technique, kind);
    const confidence = methods[0]!['confidence'] as number;
    assert.ok(typeof confidence === 'number' && confidence > 0 && confidence <= 1, `${kind}: ${confidence}`);
    assert.equal(identity['confidence'], confidence, kind);
  }
});

test('CycloneDX evidence.identity: a hash match of the exact bytes is certain; a file name is weaker evidence than a version resource', () => {
  const confidenceOf = (kind: EvidenceKind) => {
    const bom = emptyBom();
    addComponent(bom, 'zlib', 'zlib', '1.3.1', { evidence: [{ file: 'zlib1.dll', kind, text: 'x', location: 'here' }] });
    const identity = ((component(write(bom), 'SPDXRef-PACKAGE-zlib-1.3.1')['evidence'] as Node)['identity'] as Node[])[0]!;
    return identity['confidence'] as number;
  };
  assert.equal(confidenceOf('known-hash'), 1);
  assert.ok(confidenceOf('file-name') < confidenceOf('versioninfo'));
  assert.ok(confidenceOf('load-command') < confidenceOf('string'));
});

test('CycloneDX evidence.identity: an evidence kind the writer does not know is technique "other" with a low confidence', () => {
  const bom = emptyBom();
  addComponent(bom, 'zlib', 'zlib', '1.3.1', { evidence: [{ file: 'zlib1.dll', kind: 'future-kind' as EvidenceKind, text: 'x', location: 'here' }] });
  const identity = ((component(write(bom), 'SPDXRef-PACKAGE-zlib-1.3.1')['evidence'] as Node)['identity'] as Node[])[0]!;
  const [method] = identity['methods'] as Node[];
  assert.equal(method!['technique'], 'other');
  assert.ok((method!['confidence'] as number) > 0 && (method!['confidence'] as number) < 0.5);
});

test('CycloneDX evidence: without a version the identity concludes the name; without evidence or occurrence there is no evidence object', () => {
  const bom = emptyBom();
  addComponent(bom, 'zlib', 'zlib', undefined, { evidence: [{ file: 'app.exe', kind: 'string', text: 'deflate ', location: '0x10' }] });
  addComponent(bom, 'expat', 'expat', '2.7.1');
  const doc = write(bom);
  const identity = ((component(doc, 'SPDXRef-PACKAGE-zlib')['evidence'] as Node)['identity'] as Node[])[0]!;
  assert.equal(identity['field'], 'name');
  assert.equal(identity['concludedValue'], 'zlib');
  assert.equal(component(doc, 'SPDXRef-PACKAGE-expat-2.7.1')['evidence'], undefined);
  assert.equal(component(doc, 'SPDXRef-PACKAGE-zlib')['version'], undefined);
});

test('CycloneDX evidence.occurrences alone: a component seen only as the library file it is has occurrences and no identity', () => {
  const bom = emptyBom();
  const f = addFile(bom, 'bin/zlib1.dll', { kind: { executable: true } });
  const z = addComponent(bom, 'zlib', 'zlib', '1.3.1');
  bom.relationships.push({ from: z.ref, type: 'contains', to: f.ref });
  const ev = component(write(bom), 'SPDXRef-PACKAGE-zlib-1.3.1')['evidence'] as Node;
  assert.deepEqual(ev, { occurrences: [{ location: 'bin/zlib1.dll', additionalContext: 'contains' }] });
});

test('CycloneDX file facts: size, recognised format, not inspected, unopened, signatures and notes are properties of the file', () => {
  const bom = emptyBom();
  const f = addFile(bom, 'lib/odd.dll', { bytes: 'odd bytes', kind: { executable: true } });
  Object.assign(f, { binaryFormat: 'pe', notInspected: 'truncated section table', unopened: { format: 'cab', reason: 'nested too deep' } });
  f.notes.push({ text: 'Warning: named like a cab' });
  const sig = { kind: 'authenticode', status: 'valid-digest' } as SignatureFacts;
  f.signatures.push(sig);
  const doc = write(bom);
  const n = component(doc, 'lib/odd.dll');
  assert.equal(n['type'], 'file');
  assert.equal(n['name'], 'lib/odd.dll');
  assert.deepEqual(prop(n, 'bsi:component:filename'), ['odd.dll']);
  assert.deepEqual(prop(n, 'bsi:component:executable'), ['executable']);
  assert.deepEqual(prop(n, 'installer-sbom:size'), [String('odd bytes'.length)]);
  assert.deepEqual(prop(n, 'installer-sbom:format'), ['pe']);
  assert.deepEqual(prop(n, 'installer-sbom:not-inspected'), ['truncated section table']);
  assert.deepEqual(prop(n, 'installer-sbom:unopened'), ['cab: nested too deep']);
  assert.deepEqual(prop(n, 'installer-sbom:note'), ['Warning: named like a cab']);
  assert.deepEqual(prop(n, 'installer-sbom:signature'), [signatureText(sig)]);
});

test('CycloneDX packages: container path, declared properties and warnings; component architectures; the artifact format', () => {
  const bom = emptyBom();
  bom.artifact.properties['ProductCode'] = '{1234}';
  const cab = addContainer(bom, 'sub/data.cab');
  cab.warnings.push('checksum mismatch in block 2');
  cab.properties['SetId'] = '7';
  addComponent(bom, 'openssl', 'OpenSSL', '3.0.15', { archs: ['arm64', 'x86_64'] });
  const doc = write(bom);
  const root = (doc['metadata'] as Node)['component'] as Node;
  assert.deepEqual(prop(root, 'installer-sbom:container-format'), ['zip']);
  assert.deepEqual(prop(root, 'installer-sbom:declared:ProductCode'), ['{1234}']);
  assert.deepEqual(prop(root, 'installer-sbom:path'), []);
  const c = component(doc, 'data.cab');
  assert.deepEqual(prop(c, 'installer-sbom:path'), ['sub/data.cab']);
  assert.deepEqual(prop(c, 'installer-sbom:container-format'), ['cab']);
  assert.deepEqual(prop(c, 'installer-sbom:warning'), ['checksum mismatch in block 2']);
  assert.deepEqual(prop(c, 'installer-sbom:declared:SetId'), ['7']);
  // BSI's file name is the file's own name, not its path inside the artifact.
  assert.deepEqual(prop(c, 'bsi:component:filename'), ['data.cab']);
  const o = component(doc, 'SPDXRef-PACKAGE-openssl-3.0.15');
  assert.deepEqual(prop(o, 'installer-sbom:architectures'), ['arm64 x86_64']);
  assert.deepEqual(prop(o, 'bsi:component:filename'), []);
});

test('CycloneDX component types for each purpose: an installer is an application, an archive a file, source code a library', () => {
  const expected = { install: 'application', archive: 'file', application: 'application', library: 'library', source: 'library', file: 'file' } as const;
  for (const [purpose, type] of Object.entries(expected)) {
    const bom = emptyBom();
    bom.artifact.purpose = purpose as keyof typeof expected;
    addComponent(bom, 'macholib', 'macholib', '1.16.3', { purpose: purpose as keyof typeof expected });
    const doc = write(bom);
    assert.equal(((doc['metadata'] as Node)['component'] as Node)['type'], type, purpose);
    assert.equal(component(doc, 'macholib')['type'], type, purpose);
  }
});

test('CycloneDX hashes: only the digests the model knows, by their hash-alg names; none at all without digests', () => {
  const bom = emptyBom();
  bom.artifact.digests = { sha512: 'ab'.repeat(64) };
  const cab = addContainer(bom, 'data.cab');
  delete cab.digests;
  const doc = write(bom);
  assert.deepEqual(((doc['metadata'] as Node)['component'] as Node)['hashes'], [{ alg: 'SHA-512', content: 'ab'.repeat(64) }]);
  assert.equal('hashes' in component(doc, 'data.cab'), false);
});

test('CycloneDX compositions: an artifact whose own contents are incomplete is listed incomplete, not complete', () => {
  const bom = emptyBom();
  bom.knownUnknowns.push({ kind: 'unopened-container', subject: 'tools.7z', reason: 'a 7z archive is not opened', scope: bom.artifact.ref });
  const compositions = write(bom)['compositions'] as Node[];
  const assemblies = (aggregate: string) => compositions.filter((c) => c['aggregate'] === aggregate && c['assemblies']).flatMap((c) => c['assemblies'] as string[]);
  assert.deepEqual(assemblies('incomplete'), ['SPDXRef-PACKAGE-demo.zip']);
  assert.deepEqual(assemblies('complete'), []);
  assert.ok(compositions.some((c) => c['aggregate'] === 'incomplete' && (c['dependencies'] as string[] | undefined)?.includes('SPDXRef-PACKAGE-demo.zip')));
});
