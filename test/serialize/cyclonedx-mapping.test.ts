/**
 * How the CycloneDX writer maps the parts of the model the whole-document tests leave aside:
 * evidence of an unknown kind, with only a name or only occurrences (CycloneDX 1.6
 * `component.evidence`), component types per purpose (the `type` enum), hashes of only the
 * digests known, and an artifact whose own contents are incomplete (`compositions`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeCycloneDx } from '../../src/serialize/cyclonedx.js';
import type { Bom } from '../../src/bom/model.js';
import type { EvidenceKind } from '../../src/detect/types.js';
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
  addContainer(bom, 'empty.cab').digests = {};
  const doc = write(bom);
  assert.deepEqual(((doc['metadata'] as Node)['component'] as Node)['hashes'], [{ alg: 'SHA-512', content: 'ab'.repeat(64) }]);
  assert.equal('hashes' in component(doc, 'data.cab'), false);
  assert.equal('hashes' in component(doc, 'empty.cab'), false);
});

test('CycloneDX compositions: an artifact whose own contents are incomplete is listed incomplete, not complete', () => {
  const bom = emptyBom();
  bom.knownUnknowns.push({ kind: 'unopened-container', subject: 'tools.7z', reason: 'a 7z archive is not opened', scope: bom.artifact.ref });
  const compositions = write(bom)['compositions'] as Node[];
  const assemblies = (aggregate: string) => compositions.filter((c) => c['aggregate'] === aggregate && c['assemblies']).flatMap((c) => c['assemblies'] as string[]);
  assert.deepEqual(assemblies('incomplete'), ['SPDXRef-PACKAGE-demo.zip']);
  assert.deepEqual(assemblies('complete'), []);
  // No composition lists nothing: with no component, no `unknown` dependencies entry either.
  for (const c of compositions) assert.ok(((c['assemblies'] ?? c['dependencies']) as string[]).length > 0, JSON.stringify(c));
  assert.ok(compositions.some((c) => c['aggregate'] === 'incomplete' && (c['dependencies'] as string[] | undefined)?.includes('SPDXRef-PACKAGE-demo.zip')));
});

test('CycloneDX document: specVersion 1.6 unless asked otherwise; people who created it are authors, never the manufacturer', () => {
  const bom = emptyBom();
  bom.document.creators.push({ type: 'person', name: 'Jane Doe', email: 'jane@example.com' });
  const doc = write(bom);
  assert.equal(doc['specVersion'], '1.6');
  assert.equal('manufacturer' in (doc['metadata'] as Node), false);
  assert.deepEqual((doc['metadata'] as Node)['authors'], [{ name: 'Jane Doe', email: 'jane@example.com' }]);
});
