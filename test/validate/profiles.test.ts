/**
 * NTIA (2021 minimum elements) and BSI TR-03183-2 v2.1 on the neutral view: a view that meets
 * every rule, then one view per rule that breaks exactly that rule, and the finding must name the
 * element.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bsiFindings, ntiaFindings } from '../../src/validate/profiles.js';
import type { BomView, ViewComponent } from '../../src/bom/view.js';

const SHA512 = 'ab'.repeat(64);
const PROPS = { executable: true, archive: false, structured: false };

function component(name: string, extra: Partial<ViewComponent> = {}): ViewComponent {
  return {
    name,
    version: '1.0',
    cpes: [`cpe:2.3:a:${name}:${name}:1.0:*:*:*:*:*:*:*`],
    purl: `pkg:generic/${name}@1.0`,
    id: `SPDXRef-PACKAGE-${name}`,
    keys: [`name:${name}`],
    supplier: `Organization: ${name}`,
    carriers: [{ path: `${name}.dll`, relation: 'contains' }],
    evidence: [],
    ...extra,
  };
}

/** A view meeting NTIA and BSI: root → zlib, root → pip → certifi; every file with SHA-512 and properties. */
function goodView(): BomView {
  return {
    format: 'cyclonedx-1.6',
    name: 'demo.zip',
    ownTool: true,
    created: '2024-01-02T03:04:05Z',
    creators: ['Tool: installer-sbom-9.9.9', 'Organization: Example'],
    creatorContacts: ['sbom@example.com'],
    root: { name: 'demo.zip', fileName: 'demo.zip', version: '1.0', checksums: { SHA512 }, id: 'ROOT', keys: [], cpes: [], supplier: 'Organization: Example', properties: PROPS },
    hasFiles: true,
    files: ['zlib.dll', 'pip.dll', 'certifi.dll'].map((path) => ({ path, checksums: { SHA512 }, id: `F-${path}`, properties: PROPS })),
    containers: [{ path: 'data.cab', name: 'data.cab', checksums: { SHA512 }, id: 'C-data.cab', properties: PROPS }],
    components: [component('zlib'), component('pip'), component('certifi')],
    declaredAbsent: [],
    knownUnknowns: [],
    complete: true,
    dependencies: [
      { from: 'ROOT', to: ['SPDXRef-PACKAGE-zlib', 'SPDXRef-PACKAGE-pip'] },
      { from: 'SPDXRef-PACKAGE-pip', to: ['SPDXRef-PACKAGE-certifi'] },
    ],
  };
}

const brief = (fs: { severity: string; element: string; message: string }[]) => fs.map((f) => `${f.severity} ${f.element}: ${f.message}`);

test('a view meeting every element passes NTIA and BSI without a finding', () => {
  assert.deepEqual(brief(ntiaFindings(goodView())), []);
  assert.deepEqual(brief(bsiFindings(goodView())), []);
  for (const f of [...ntiaFindings(goodView()), ...bsiFindings(goodView())]) assert.fail(f.message);
});

test('each finding names the profile that asks for the element', () => {
  const v = goodView();
  v.format = 'spdx-2.3';
  v.creators = [];
  const ntiaChecks = ntiaFindings(v).map((f) => f.check);
  const bsiChecks = bsiFindings(v).map((f) => f.check);
  assert.deepEqual(ntiaChecks, ['ntia']);
  assert.deepEqual(bsiChecks, ['bsi']);
});

const ntia = (edit: (v: BomView) => void) => {
  const v = goodView();
  edit(v);
  return brief(ntiaFindings(v));
};

test('NTIA: author of the SBOM data (a creator)', () => {
  assert.deepEqual(ntia((v) => (v.creators = [])), ['error creators: the document names no author (creator)']);
});

test('NTIA: timestamp in UTC, seconds precision', () => {
  for (const created of [undefined, '2024-01-02 03:04:05', '2024-01-02T03:04:05+01:00', '2024-13-45T03:04:05Z']) {
    assert.deepEqual(ntia((v) => (created === undefined ? delete v.created : (v.created = created))), ['error created: no creation timestamp in UTC (YYYY-MM-DDThh:mm:ssZ)'], String(created));
  }
});

test('NTIA: the document describes a package', () => {
  const out = ntia((v) => delete v.root);
  assert.deepEqual(out, ['error root: the document describes no package (no DESCRIBES / rootElement / metadata.component)']);
});

test("NTIA: the described package's supplier (error) and version (a known unknown: warning)", () => {
  assert.deepEqual(ntia((v) => delete v.root!.supplier), ['error ROOT: demo.zip: no supplier']);
  assert.deepEqual(ntia((v) => delete v.root!.version), ['warning ROOT: demo.zip: no version']);
});

test("NTIA: each component's name, supplier, version and other unique identifier", () => {
  assert.deepEqual(ntia((v) => (v.components[0]!.name = '')), ['error SPDXRef-PACKAGE-zlib: component has no name']);
  assert.deepEqual(ntia((v) => delete v.components[0]!.supplier), ['error SPDXRef-PACKAGE-zlib: zlib 1.0: no supplier']);
  assert.deepEqual(ntia((v) => delete v.components[0]!.version), ['warning SPDXRef-PACKAGE-zlib: zlib: no version (a known unknown)']);
  assert.deepEqual(ntia((v) => {
    v.components[0]!.cpes = [];
    delete v.components[0]!.purl;
  }), ['warning SPDXRef-PACKAGE-zlib: zlib 1.0: no unique identifier (CPE or purl)']);
  // Either identifier suffices.
  assert.deepEqual(ntia((v) => (v.components[0]!.cpes = [])), []);
  assert.deepEqual(ntia((v) => delete v.components[0]!.purl), []);
});

test('NTIA dependency relationship: a component not reached from the described package by DEPENDS_ON is named', () => {
  // Through pip, certifi is reached; cut root → pip and both are unreached.
  assert.deepEqual(ntia((v) => (v.dependencies = [{ from: 'ROOT', to: ['SPDXRef-PACKAGE-zlib'] }, { from: 'SPDXRef-PACKAGE-pip', to: ['SPDXRef-PACKAGE-certifi'] }])), [
    'error SPDXRef-PACKAGE-pip: pip: not reached from the described package by a dependency relationship',
    'error SPDXRef-PACKAGE-certifi: certifi: not reached from the described package by a dependency relationship',
  ]);
  // An edge from elsewhere (a file) does not reach it.
  assert.deepEqual(ntia((v) => (v.dependencies = [{ from: 'ROOT', to: ['SPDXRef-PACKAGE-pip'] }, { from: 'F-zlib.dll', to: ['SPDXRef-PACKAGE-zlib'] }, { from: 'SPDXRef-PACKAGE-pip', to: ['SPDXRef-PACKAGE-certifi'] }])), [
    'error SPDXRef-PACKAGE-zlib: zlib: not reached from the described package by a dependency relationship',
  ]);
  // A cycle neither loops forever nor reaches what it does not.
  assert.deepEqual(ntia((v) => v.dependencies.push({ from: 'SPDXRef-PACKAGE-certifi', to: ['SPDXRef-PACKAGE-pip', 'ROOT'] })), []);
  // Without a described package there is nothing to reach from: only the missing root is said.
  assert.deepEqual(ntia((v) => delete v.root), ['error root: the document describes no package (no DESCRIBES / rootElement / metadata.component)']);
});

const bsi = (edit: (v: BomView) => void) => {
  const v = goodView();
  edit(v);
  return brief(bsiFindings(v));
};

test('BSI: only CycloneDX ≥ 1.6 and SPDX ≥ 3.0.1: an SPDX 2.3 document is named first', () => {
  assert.deepEqual(bsi((v) => (v.format = 'spdx-2.3')), ['error spdxVersion: BSI TR-03183-2 v2.1 accepts only CycloneDX 1.6 or later and SPDX 3.0.1 or later, not SPDX 2.3']);
  assert.deepEqual(bsi((v) => (v.format = 'spdx-3.0.1')), []);
  assert.deepEqual(bsi((v) => (v.format = 'cyclonedx-1.7')), []);
});

test("BSI: the SBOM creator's contact, the timestamp, the completeness of dependencies stated", () => {
  assert.deepEqual(bsi((v) => (v.creatorContacts = [])), ['error creator: no email or URL for the SBOM\'s creator (pass --creator "Organization: NAME (email)")']);
  assert.deepEqual(bsi((v) => delete v.created), ['error created: no creation timestamp']);
  assert.deepEqual(bsi((v) => delete v.complete), ['error dependencies: the completeness of the dependency list is not stated']);
  // Stated incomplete is stated.
  assert.deepEqual(bsi((v) => (v.complete = false)), []);
});

test("BSI: the artifact's version, file name, SHA-512 and file properties", () => {
  assert.deepEqual(bsi((v) => delete v.root), ['error root: the document describes no artifact']);
  assert.deepEqual(bsi((v) => delete v.root!.version), ["error ROOT: demo.zip: no version (nor the file's date)"]);
  assert.deepEqual(bsi((v) => delete v.root!.fileName), ['error ROOT: demo.zip: no file name']);
  assert.deepEqual(bsi((v) => (v.root!.checksums = { SHA256: 'cd'.repeat(32) })), ['error ROOT: demo.zip: no SHA-512 of the deployable file']);
  // A SHA-512 is 128 hex digits, no more, no less, nothing around them.
  for (const SHA512 of ['ab'.repeat(63), 'ab'.repeat(65), `0x${'ab'.repeat(64)}`, `${'ab'.repeat(64)} `]) {
    assert.deepEqual(bsi((v) => (v.root!.checksums = { SHA512 })), ['error ROOT: demo.zip: no SHA-512 of the deployable file'], SHA512);
  }
  assert.deepEqual(bsi((v) => delete v.root!.properties), ['error ROOT: demo.zip: executable / archive / structured properties not stated']);
});

test('BSI: every container and every file with SHA-512 and its properties, named by path', () => {
  assert.deepEqual(bsi((v) => (v.containers[0]!.checksums = {})), ['error C-data.cab: data.cab: no SHA-512']);
  assert.deepEqual(bsi((v) => delete v.containers[0]!.properties), ['error C-data.cab: data.cab: executable / archive / structured properties not stated']);
  assert.deepEqual(bsi((v) => (v.files[0]!.checksums = { SHA1: 'ab'.repeat(20) })), [
    'error F-zlib.dll: ./zlib.dll: no SHA-512',
    // zlib's only carrier has no SHA-512 now.
    'error SPDXRef-PACKAGE-zlib: zlib 1.0: no SHA-512 of the file that carries it',
  ]);
  assert.deepEqual(bsi((v) => delete v.files[1]!.properties), ['error F-pip.dll: ./pip.dll: executable / archive / structured properties not stated']);
});

test("BSI: each component's version, identifier, and the file (with its SHA-512) that carries it", () => {
  assert.deepEqual(bsi((v) => delete v.components[0]!.version), ["error SPDXRef-PACKAGE-zlib: zlib: no version (nor the file's date)"]);
  assert.deepEqual(bsi((v) => {
    v.components[0]!.cpes = [];
    delete v.components[0]!.purl;
  }), ['error SPDXRef-PACKAGE-zlib: zlib 1.0: no other unique identifier (CPE or purl)']);
  // Either identifier suffices.
  assert.deepEqual(bsi((v) => (v.components[0]!.cpes = [])), []);
  assert.deepEqual(bsi((v) => delete v.components[0]!.purl), []);
  assert.deepEqual(bsi((v) => (v.components[0]!.carriers = [])), ['error SPDXRef-PACKAGE-zlib: zlib 1.0: no file name: no file of the artifact is shown to carry it']);
  // An importer is not the component's deployable form.
  assert.deepEqual(bsi((v) => (v.components[0]!.carriers = [{ path: 'pip.dll', relation: 'dynamic-link' }])), ['error SPDXRef-PACKAGE-zlib: zlib 1.0: no file name: no file of the artifact is shown to carry it']);
  // A carrier that is no file of the document does not count either.
  assert.deepEqual(bsi((v) => (v.components[0]!.carriers = [{ path: 'elsewhere.dll', relation: 'contains' }])), ['error SPDXRef-PACKAGE-zlib: zlib 1.0: no file name: no file of the artifact is shown to carry it']);
  // A container, a statically linking binary or the artifact itself carries it as well.
  assert.deepEqual(bsi((v) => (v.components[0]!.carriers = [{ path: 'data.cab', relation: 'contains' }])), []);
  assert.deepEqual(bsi((v) => (v.components[0]!.carriers = [{ path: 'pip.dll', relation: 'static-link' }])), []);
  assert.deepEqual(bsi((v) => (v.components[0]!.carriers = [{ path: 'demo.zip', relation: 'contains' }])), []);
  // Without a described artifact, a carrier that is no file of the document is still named, not a crash.
  assert.deepEqual(bsi((v) => {
    delete v.root;
    v.components[0]!.carriers = [{ path: 'demo.zip', relation: 'contains' }];
  }), ['error root: the document describes no artifact', 'error SPDXRef-PACKAGE-zlib: zlib 1.0: no file name: no file of the artifact is shown to carry it']);
  // One carrier with a SHA-512 is enough.
  assert.deepEqual(bsi((v) => {
    v.files[0]!.checksums = {};
    v.components[0]!.carriers.push({ path: 'pip.dll', relation: 'static-link' });
  }), ['error F-zlib.dll: ./zlib.dll: no SHA-512']);
});
