/**
 * The CycloneDX 1.6 writer on small hand-made models. Expected values are written from the
 * CycloneDX 1.6 specification (JSON schema descriptions) and BSI TR-03183-2 v2.1's property
 * taxonomy, never copied from the writer's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeCycloneDx } from '../../src/serialize/cyclonedx.js';
import type { Bom } from '../../src/bom/model.js';
import { addComponent, addContainer, addFile, burnModel, cabModel, CREATED, DECLARED_ABSENT_TEXT, declaredAbsentModel, digestsOf, dynamicLinkModel, emptyBom, NS, opensslModel, pipModel, RECONCILED_TEXT, reconciledModel, sortedDeep, staticLinkModel, twinFilesModel, undatedModel } from '../helpers/bom.js';
import { cycloneDxSchemaErrors } from '../helpers/oracles.js';

type Node = Record<string, unknown>;

function write(bom: Bom, version: '1.6' | '1.7' = '1.6'): Node {
  const doc = JSON.parse(writeCycloneDx(bom, version)) as Node;
  assert.deepEqual(cycloneDxSchemaErrors(doc, version), []);
  return doc;
}

/** hashes[]: alg from the hash-alg enum (`SHA-1`, `SHA-256`, `SHA-512`), content lower-case hex. */
function hashes(bytes: string) {
  const d = digestsOf(bytes);
  return [
    { alg: 'SHA-1', content: d.sha1 },
    { alg: 'SHA-256', content: d.sha256 },
    { alg: 'SHA-512', content: d.sha512 },
  ];
}

/** BSI TR-03183-2 v2.1 properties: file name and the executable / archive / structured values it defines. */
function bsi(fileName: string, executable: boolean, archive: boolean, structured: boolean) {
  return [
    { name: 'bsi:component:filename', value: fileName },
    { name: 'bsi:component:executable', value: executable ? 'executable' : 'non-executable' },
    { name: 'bsi:component:archive', value: archive ? 'archive' : 'no archive' },
    { name: 'bsi:component:structured', value: structured ? 'structured' : 'unstructured' },
  ];
}

const components = (doc: Node) => doc['components'] as Node[];
const byRef = (list: Node[], ref: string): Node => {
  const n = list.find((c) => c['bom-ref'] === ref);
  assert.ok(n, `${ref} in ${list.map((c) => String(c['bom-ref'])).join(', ')}`);
  return n;
};
const deps = (doc: Node) => sortedDeep(doc['dependencies']) as { ref: string; dependsOn: string[] }[];
const occurrences = (c: Node) => (c['evidence'] as Node | undefined)?.['occurrences'];

test('CycloneDX 1.6: a zip holding one library file that is OpenSSL, written out whole', () => {
  const bom = opensslModel();
  const expected = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    // serialNumber: an RFC 4122 URN; version: the BOM's revision, 1 for a new BOM.
    serialNumber: bom.document.serialNumber,
    version: 1,
    metadata: {
      timestamp: CREATED,
      // 1.5+: tools as components.
      tools: { components: [{ type: 'application', name: 'installer-sbom', version: '9.9.9' }] },
      // The subject of the BOM. An archive's component type is `file`.
      component: {
        type: 'file',
        'bom-ref': 'SPDXRef-PACKAGE-demo.zip',
        name: 'demo.zip',
        hashes: hashes('demo.zip bytes'),
        properties: [...bsi('demo.zip', false, true, true), { name: 'installer-sbom:container-format', value: 'zip' }],
      },
      properties: [
        { name: 'installer-sbom:document-name', value: 'demo.zip' },
        { name: 'installer-sbom:document-namespace', value: NS },
      ],
    },
    components: [
      {
        type: 'file',
        'bom-ref': 'SPDXRef-FILE-lib-libcrypto-3.dll',
        name: 'lib/libcrypto-3.dll',
        hashes: hashes('libcrypto'),
        properties: [...bsi('libcrypto-3.dll', true, false, false), { name: 'installer-sbom:size', value: String('libcrypto'.length) }],
      },
      {
        type: 'library',
        'bom-ref': 'SPDXRef-PACKAGE-openssl-3.0.15',
        name: 'OpenSSL',
        version: '3.0.15',
        supplier: { name: 'OpenSSL Project' },
        cpe: 'cpe:2.3:a:openssl:openssl:3.0.15:*:*:*:*:*:*:*',
        purl: 'pkg:generic/openssl@3.0.15',
        // evidence.occurrences: where the component was found; additionalContext says how.
        evidence: { occurrences: [{ location: 'lib/libcrypto-3.dll', additionalContext: 'contains' }] },
      },
    ],
    dependencies: [{ ref: 'SPDXRef-PACKAGE-demo.zip', dependsOn: ['SPDXRef-PACKAGE-openssl-3.0.15'] }],
    compositions: [
      // Nothing unseen: the artifact's assembly and its dependencies are complete …
      { aggregate: 'complete', assemblies: ['SPDXRef-PACKAGE-demo.zip'] },
      { aggregate: 'complete', dependencies: ['SPDXRef-PACKAGE-demo.zip'] },
      // … and what OpenSSL itself depends on was not analysed: unknown, neither a list nor "none".
      { aggregate: 'unknown', dependencies: ['SPDXRef-PACKAGE-openssl-3.0.15'] },
    ],
  };
  assert.deepEqual(sortedDeep(write(bom)), sortedDeep(expected));
});

test('CycloneDX containment: a container nests its files as components; the container is a component of the artifact', () => {
  const doc = write(cabModel());
  assert.deepEqual(components(doc).map((c) => c['bom-ref']), ['SPDXRef-CONTAINER-data.cab']);
  const container = components(doc)[0]!;
  assert.equal(container['type'], 'file');
  assert.deepEqual(container['hashes'], hashes('data.cab bytes'));
  assert.deepEqual(sortedDeep((container['components'] as Node[]).map((c) => [c['name'], c['hashes']])), sortedDeep([
    ['data.cab/a.txt', hashes('aaa')],
    ['data.cab/b.txt', hashes('bbb')],
  ]));
  assert.deepEqual(sortedDeep(container['properties']), sortedDeep([...bsi('data.cab', false, true, true), { name: 'installer-sbom:container-format', value: 'cab' }, { name: 'installer-sbom:path', value: 'data.cab' }]));
  // Nothing depends on anything: the artifact's (empty) dependency list is complete.
  assert.deepEqual(doc['dependencies'], []);
  assert.ok((doc['compositions'] as Node[]).some((c) => c['aggregate'] === 'complete' && JSON.stringify(c['dependencies']) === '["SPDXRef-PACKAGE-demo.zip"]'));
});

test("CycloneDX: a container's own code holds a component — an occurrence at the container's path", () => {
  const doc = write(burnModel());
  const c = byRef(components(doc), 'SPDXRef-PACKAGE-wix-burn-3.14.1');
  assert.deepEqual(occurrences(c), [{ location: 'setup.exe', additionalContext: 'contains' }]);
  // The component is no member of the container's tree.
  assert.equal(byRef(components(doc), 'SPDXRef-CONTAINER-setup.exe')['components'], undefined);
});

test('CycloneDX static link: an occurrence in the binary that holds the compiled-in copy', () => {
  const doc = write(staticLinkModel());
  assert.deepEqual(occurrences(byRef(components(doc), 'SPDXRef-PACKAGE-zlib-1.3.1')), [{ location: 'app.exe', additionalContext: 'static-link' }]);
  // The binary is a file component of its own, and depends on nothing.
  assert.deepEqual(deps(doc), [{ ref: 'SPDXRef-PACKAGE-demo.zip', dependsOn: ['SPDXRef-PACKAGE-zlib-1.3.1'] }]);
});

test('CycloneDX dynamic link: the importing file depends on the component its import resolves to', () => {
  const doc = write(dynamicLinkModel());
  assert.deepEqual(deps(doc), sortedDeep([
    { ref: 'SPDXRef-FILE-ctypes.pyd', dependsOn: ['SPDXRef-PACKAGE-libffi-3.4.4'] },
    { ref: 'SPDXRef-PACKAGE-demo.zip', dependsOn: ['SPDXRef-PACKAGE-libffi-3.4.4'] },
  ]));
  assert.deepEqual(occurrences(byRef(components(doc), 'SPDXRef-PACKAGE-libffi-3.4.4')), [{ location: 'libffi-8.dll', additionalContext: 'contains' }]);
});

test('CycloneDX depends-on: the artifact on pip, pip on what it vendors', () => {
  const doc = write(pipModel());
  assert.deepEqual(deps(doc), sortedDeep([
    { ref: 'SPDXRef-PACKAGE-demo.zip', dependsOn: ['SPDXRef-PACKAGE-pip'] },
    { ref: 'SPDXRef-PACKAGE-pip', dependsOn: ['SPDXRef-PACKAGE-certifi'] },
  ]));
  // pip's list is stated; certifi's is not analysed.
  const unknown = (doc['compositions'] as Node[]).find((c) => c['aggregate'] === 'unknown')!;
  assert.deepEqual(unknown['dependencies'], ['SPDXRef-PACKAGE-certifi']);
});

test('CycloneDX reconciliation: each status a property on the component', () => {
  const doc = write(reconciledModel());
  const prop = (ref: string) => (byRef(components(doc), ref)['properties'] as Node[]).filter((p) => p['name'] === 'installer-sbom:reconciliation').map((p) => p['value']);
  for (const [name, version] of [['openssl', '3.0.15'], ['expat', '2.7.1'], ['libffi', '3.4.4'], ['zstd', '1.5.6']]) {
    assert.deepEqual(prop(`SPDXRef-PACKAGE-${name}-${version}`), [RECONCILED_TEXT[name!]]);
  }
  // The contradicted copy is one component at the shipped version.
  assert.equal(byRef(components(doc), 'SPDXRef-PACKAGE-expat-2.7.1')['version'], '2.7.1');
});

test('CycloneDX declared but absent: annotations on the artifact, never components', () => {
  const doc = write(declaredAbsentModel());
  assert.deepEqual(doc['components'], []);
  // annotations[]: subjects (bom-refs), annotator (here the tool), timestamp, text.
  const annotator = { component: { type: 'application', name: 'installer-sbom', version: '9.9.9' } };
  assert.deepEqual(sortedDeep(doc['annotations']), sortedDeep(DECLARED_ABSENT_TEXT.map((text) => ({ subjects: ['SPDXRef-PACKAGE-demo.zip'], annotator, timestamp: CREATED, text }))));
});

test('CycloneDX compositions: incomplete exactly where a known unknown makes a list incomplete', () => {
  const bom = emptyBom();
  const cab = addContainer(bom, 'data.cab');
  addContainer(bom, 'other.cab');
  addFile(bom, 'data.cab/a.txt', { container: cab.ref });
  addComponent(bom, 'zlib', 'zlib', '1.3.1');
  bom.knownUnknowns.push({ kind: 'unsupported-member', subject: 'data.cab/b.bin', reason: 'LZX compression is not decoded', scope: cab.ref });
  const doc = write(bom);
  assert.deepEqual(sortedDeep(doc['compositions']), sortedDeep([
    // compositions[].aggregate: `complete` / `incomplete` / `unknown` for the listed assemblies or dependencies.
    { aggregate: 'complete', assemblies: ['SPDXRef-CONTAINER-other.cab', 'SPDXRef-PACKAGE-demo.zip'] },
    { aggregate: 'incomplete', assemblies: ['SPDXRef-CONTAINER-data.cab'] },
    { aggregate: 'incomplete', dependencies: ['SPDXRef-PACKAGE-demo.zip'] },
    { aggregate: 'unknown', dependencies: ['SPDXRef-PACKAGE-zlib-1.3.1'] },
  ]));
  assert.deepEqual((doc['annotations'] as Node[]).map((a) => [a['subjects'], a['text']]), [[['SPDXRef-CONTAINER-data.cab'], 'known unknown (unsupported-member): data.cab/b.bin: LZX compression is not decoded']]);

  // A version no one could see hides no component: the lists stay complete; the component has no version.
  const u = write(undatedModel());
  assert.ok(!(u['compositions'] as Node[]).some((c) => c['aggregate'] === 'incomplete'));
  assert.equal(byRef(components(u), 'SPDXRef-PACKAGE-zlib')['version'], undefined);
});

test('CycloneDX bom-refs: unique even when two files share a path', () => {
  const doc = write(twinFilesModel());
  const twins = components(doc).filter((c) => c['name'] === 'Windows/system32/ATL80.dll');
  assert.equal(twins.length, 2);
  assert.notEqual(twins[0]!['bom-ref'], twins[1]!['bom-ref']);
  assert.deepEqual(twins.map((t) => (t['hashes'] as Node[])[0]!['content']).sort(), [digestsOf('first').sha1, digestsOf('second').sha1].sort());
});

test('CycloneDX creators: an organisation is the manufacturer with its contact, people are authors; suppliers, originators, licences', () => {
  const bom = emptyBom();
  bom.document.creators.push({ type: 'organization', name: 'Example', email: 'sbom@example.com' }, { type: 'person', name: 'Jane Doe', email: 'jane@example.com' });
  Object.assign(bom.artifact, { version: '1.0', supplier: { type: 'organization', name: 'Example', url: 'https://example.com' } });
  addComponent(bom, 'zlib', 'zlib', '1.3.1', {
    originator: { type: 'person', name: 'Jean-loup Gailly' },
    licenseDeclared: 'Zlib',
    homepage: 'https://zlib.net/',
    downloadLocation: 'https://zlib.net/zlib-1.3.1.tar.gz',
    cpes: [{ cpe: 'cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*' }, { cpe: 'cpe:2.3:a:gnu:zlib:1.3.1:*:*:*:*:*:*:*' }],
  });
  const doc = write(bom);
  const metadata = doc['metadata'] as Node;
  assert.deepEqual(metadata['manufacturer'], { name: 'Example', contact: [{ email: 'sbom@example.com' }] });
  assert.deepEqual(metadata['authors'], [{ name: 'Jane Doe', email: 'jane@example.com' }]);
  const root = metadata['component'] as Node;
  assert.equal(root['version'], '1.0');
  assert.deepEqual(root['supplier'], { name: 'Example', url: ['https://example.com'] });
  const z = byRef(components(doc), 'SPDXRef-PACKAGE-zlib-1.3.1');
  assert.deepEqual(z['manufacturer'], { name: 'Jean-loup Gailly' });
  assert.deepEqual(z['licenses'], [{ expression: 'Zlib', acknowledgement: 'declared' }]);
  assert.deepEqual(sortedDeep(z['externalReferences']), sortedDeep([{ type: 'website', url: 'https://zlib.net/' }, { type: 'distribution', url: 'https://zlib.net/zlib-1.3.1.tar.gz' }]));
  // One `cpe` field: the first; the others kept as properties.
  assert.equal(z['cpe'], 'cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*');
  assert.deepEqual(z['properties'], [{ name: 'installer-sbom:cpe', value: 'cpe:2.3:a:gnu:zlib:1.3.1:*:*:*:*:*:*:*' }]);
});

test('CycloneDX evidence.identity: one method per distinct evidence line, the concluded version, the best confidence', () => {
  const bom = emptyBom();
  addComponent(bom, 'zlib', 'zlib', '1.3.1', {
    evidence: [
      { file: 'zlib1.dll', kind: 'versioninfo', text: '1.3.1', location: 'StringFileInfo/040904b0/FileVersion', version: '1.3.1' },
      { file: 'zlib1.dll', kind: 'versioninfo', text: '1.3.1', location: 'StringFileInfo/040904b0/FileVersion', version: '1.3.1' },
      { file: 'zlib1.dll', kind: 'file-name', text: 'zlib1.dll', location: 'file name' },
    ],
  });
  const z = byRef(components(write(bom)), 'SPDXRef-PACKAGE-zlib-1.3.1');
  const identity = ((z['evidence'] as Node)['identity'] as Node[])[0]!;
  assert.equal(identity['field'], 'version');
  assert.equal(identity['concludedValue'], '1.3.1');
  const methods = identity['methods'] as Node[];
  assert.equal(methods.length, 2);
  assert.deepEqual(methods.map((m) => m['technique']).sort(), ['binary-analysis', 'filename']);
  assert.equal(identity['confidence'], Math.max(...methods.map((m) => m['confidence'] as number)));
  assert.ok(methods.every((m) => (m['confidence'] as number) > 0 && (m['confidence'] as number) <= 1));
});

test('CycloneDX 1.7 on request: same content, specVersion 1.7, valid against the 1.7 schema', () => {
  const bom = emptyBom();
  addFile(bom, 'a.txt');
  const doc = write(bom, '1.7');
  assert.equal(doc['specVersion'], '1.7');
  assert.equal(doc['$schema'], 'http://cyclonedx.org/schema/bom-1.7.schema.json');
});

test('CycloneDX: a directory artifact has no file, so no BSI file name; its other properties stay', () => {
  const bom = emptyBom();
  delete bom.artifact.fileName;
  delete bom.artifact.digests;
  Object.assign(bom.artifact, { format: 'directory', purpose: 'file', fileKind: { executable: false, archive: false, structured: true } });
  const root = (write(bom)['metadata'] as Node)['component'] as Node;
  assert.deepEqual(sortedDeep(root['properties']), sortedDeep([...bsi('x', false, false, true).slice(1), { name: 'installer-sbom:container-format', value: 'directory' }]));
  assert.equal(root['hashes'], undefined);
});
