/**
 * The validators the build precompiles (dist/schemas, scripts/compile-schemas.mjs) are the ones
 * ajv compiles at run time: the same verdict and the same errors, for valid documents and for
 * documents broken in the ways each schema checks (types, required members, formats, patterns).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { precompiledPath, schemaCompiler, schemaValidator, SCHEMA_FORMATS } from '../../src/validate/schemas.js';
import type { BomFormat } from '../../src/bom/view.js';

const DOCS: Record<BomFormat, unknown[]> = {
  'spdx-2.3': [
    { spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', SPDXID: 'SPDXRef-DOCUMENT', name: 'x', documentNamespace: 'https://example.org/x', creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: x'] } },
    { spdxVersion: 'SPDX-2.3', SPDXID: 7, packages: [{ name: 'p' }], creationInfo: {} },
  ],
  'spdx-3.0.1': [
    { '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [] },
    { '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [{ type: 'software_Package', spdxId: 3, name: [] }] },
  ],
  'cyclonedx-1.6': [
    { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'zlib', version: '1.3.1' }] },
    { bomFormat: 'CycloneDX', specVersion: '1.6', metadata: { timestamp: 'yesterday', authors: [{ email: 'not an address' }] }, components: [{ type: 'lib', externalReferences: [{ type: 'website', url: 'http://a b' }] }] },
  ],
  'cyclonedx-1.7': [
    { bomFormat: 'CycloneDX', specVersion: '1.7', version: 1 },
    { bomFormat: 'CycloneDX', specVersion: '1.7', metadata: { timestamp: '2024-13-45T00:00:00Z' }, components: [{ name: 1 }] },
  ],
};

test('every precompiled validator judges as the runtime-compiled one does', () => {
  for (const format of SCHEMA_FORMATS) {
    assert.ok(existsSync(precompiledPath(format)), `npm run build writes ${precompiledPath(format)}`);
    const loaded = schemaValidator(format);
    const { ajv, schema } = schemaCompiler(format);
    const compiled = ajv.compile(schema);
    DOCS[format].forEach((doc, i) => {
      const verdict = loaded(doc);
      assert.equal(verdict, compiled(doc), `${format} #${i}`);
      assert.deepEqual(loaded.errors ?? null, compiled.errors ?? null, `${format} #${i}`);
      assert.equal(verdict, i === 0, `${format} #${i}: ${JSON.stringify(loaded.errors?.slice(0, 2))}`);
    });
  }
});
