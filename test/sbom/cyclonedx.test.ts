import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { debFixture, requireFixture, tempDir } from '../helpers/fixtures.js';
import { requireTool } from '../helpers/tools.js';
import { buildOpenSslRelease, MINGW_GCC, zipDirectory } from '../fixtures-build/compare.js';
import { analyzeArtifact } from '../../src/pipeline.js';
import { serialNumberFor, toCycloneDx, toCycloneDxJson } from '../../src/sbom/cyclonedx.js';

type Json = Record<string, any>;

/** The oracle: the JSON schema for CycloneDX 1.6 that the library ships, in its strict form. */
async function schemaErrors(json: string): Promise<unknown> {
  return new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(json);
}

function allComponents(list: Json[] = []): Json[] {
  return list.flatMap((c) => [c, ...allComponents(c.components)]);
}

test('CycloneDX 1.6 for a zip: valid against the library schema, files nested with hashes, evidence, deterministic', async (t) => {
  if (!requireTool(t, MINGW_GCC) || !requireTool(t, 'bsdtar')) return;
  const dir = await tempDir(t);
  const release = buildOpenSslRelease(join(dir, 'release'), '3.0.13', '30 Jan 2024');
  const zip = zipDirectory(release, join(dir, 'release.zip'));
  const a1 = await analyzeArtifact(zip);
  const a2 = await analyzeArtifact(zip);
  const json1 = toCycloneDxJson(a1, { createdEpoch: 1700000000, supplier: 'Organization: Example' });
  const json2 = toCycloneDxJson(a2, { createdEpoch: 1700000000, supplier: 'Organization: Example' });
  assert.equal(json1, json2, 'same input, same bytes');
  assert.equal(await schemaErrors(json1), null);

  const bom = JSON.parse(json1) as Json;
  assert.equal(bom.specVersion, '1.6');
  const zipSha = createHash('sha256').update(readFileSync(zip)).digest('hex');
  assert.equal(bom.serialNumber, serialNumberFor(zipSha));
  assert.match(bom.serialNumber, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(bom.metadata.timestamp, '2023-11-14T22:13:20.000Z');
  assert.equal(bom.metadata.component.name, 'release.zip');
  assert.deepEqual(bom.metadata.component.hashes.find((h: Json) => h.alg === 'SHA-256').content, zipSha);
  assert.equal(bom.metadata.component.supplier.name, 'Example');

  const comps = allComponents(bom.components);
  const refs = comps.map((c) => c['bom-ref']);
  assert.equal(new Set(refs).size, refs.length, 'bom-refs are unique');
  const dll = comps.find((c) => c['bom-ref'] === 'file:bin/libcrypto-3-x64.dll')!;
  assert.equal(dll.type, 'file');
  assert.equal(dll.hashes.find((h: Json) => h.alg === 'SHA-256').content, createHash('sha256').update(readFileSync(join(release, 'bin', 'libcrypto-3-x64.dll'))).digest('hex'));

  const openssl = comps.find((c) => c.type === 'library' && c.name === 'OpenSSL')!;
  assert.equal(openssl['bom-ref'], 'component:openssl@3.0.13');
  assert.equal(openssl.version, '3.0.13', 'the version compiled into the DLL');
  assert.equal(openssl.cpe, 'cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*');
  assert.match(openssl.purl, /^pkg:generic\/openssl@3\.0\.13$/);
  assert.ok(openssl.supplier.name);
  assert.equal(openssl.evidence.identity[0].field, 'version');
  assert.equal(openssl.evidence.identity[0].concludedValue, '3.0.13');
  assert.ok(openssl.evidence.identity[0].methods.some((m: Json) => m.technique === 'binary-analysis' && /OpenSSL 3\.0\.13 30 Jan 2024/.test(m.value)));
  const occ = openssl.evidence.occurrences.find((o: Json) => /OpenSSL 3\.0\.13 30 Jan 2024/.test(o.additionalContext));
  assert.equal(occ.location, 'bin/libcrypto-3-x64.dll');
  // The offset is where the string really is in the DLL.
  const bytes = readFileSync(join(release, 'bin', 'libcrypto-3-x64.dll'));
  assert.equal(occ.offset, bytes.indexOf('OpenSSL 3.0.13 30 Jan 2024'));

  const deps = new Map((bom.dependencies as Json[]).map((d) => [d.ref, d.dependsOn ?? []]));
  assert.ok(deps.get('artifact:release.zip').includes(openssl['bom-ref']));
  assert.ok(deps.get('file:bin/app.exe').includes(openssl['bom-ref']), 'app.exe imports the DLL');
});

test('CycloneDX for a bare DLL and for nested containers validates', async (t) => {
  const dll = requireFixture(t, join(debFixture('libz-mingw-w64'), 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'));
  if (!dll || !requireTool(t, 'bsdtar')) return;
  const dir = await tempDir(t);
  const json = toCycloneDxJson(await analyzeArtifact(dll), { createdEpoch: 0 });
  assert.equal(await schemaErrors(json), null);
  const bom = JSON.parse(json) as Json;
  assert.equal(bom.metadata.component.type, 'library');
  assert.ok(bom.components.some((c: Json) => c.name === 'zlib' && c.version));

  // A zip inside a zip: the inner zip is a file component holding its member.
  const { mkdirSync, copyFileSync } = await import('node:fs');
  mkdirSync(join(dir, 'inner'));
  copyFileSync(dll, join(dir, 'inner', 'zlib1.dll'));
  zipDirectory(join(dir, 'inner'), join(dir, 'outer-src-inner.zip'));
  mkdirSync(join(dir, 'outer'));
  copyFileSync(join(dir, 'outer-src-inner.zip'), join(dir, 'outer', 'inner.zip'));
  const outer = zipDirectory(join(dir, 'outer'), join(dir, 'outer.zip'));
  const nested = toCycloneDx(await analyzeArtifact(outer), { createdEpoch: 0 }) as Json;
  assert.equal(await schemaErrors(JSON.stringify(nested)), null);
  const inner = (nested.components as Json[]).find((c) => c['bom-ref'] === 'container:inner.zip')!;
  assert.ok(inner, 'the inner zip is a top-level component of the outer');
  assert.deepEqual(inner.components.map((c: Json) => c['bom-ref']), ['file:inner.zip/zlib1.dll']);
});

test('serial numbers are RFC 9562 version-5 shaped and differ per artifact', () => {
  const a = serialNumberFor('a'.repeat(64));
  assert.equal(a, serialNumberFor('A'.repeat(64)));
  assert.notEqual(a, serialNumberFor('b'.repeat(64)));
  assert.match(a, /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
