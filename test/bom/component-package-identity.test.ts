/**
 * One detected copy as a package: its download location filled from the identity's template, the
 * normalised version its CPE and purl carry (the shipped version stays the package's), a ref per
 * copy, and no supplier where the identity asserts none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentPackage, normalizedVersion } from '../../src/bom/component-package.js';
import type { Component } from '../../src/detect/engine.js';
import { identity } from '../helpers/bom.js';

const copy = (version: string | undefined, extra: Parameters<typeof identity>[2] = {}): Component => ({
  identity: identity('sqlite', 'SQLite', extra),
  ...(version !== undefined ? { version } : {}),
  carriers: [],
  evidence: [],
  archs: [],
});

test('download location: {version} is the whole version, {base} its first three numbers, every occurrence filled; none without a version or a template', () => {
  const tpl = { downloadLocation: 'https://example.org/{base}/sqlite-{version}/sqlite-{version}.tar.gz' };
  assert.equal(componentPackage(copy('3.45.3.0', tpl), new Set()).downloadLocation, 'https://example.org/3.45.3/sqlite-3.45.3.0/sqlite-3.45.3.0.tar.gz');
  assert.equal(componentPackage(copy('3.45', { downloadLocation: 'https://example.org/{base}.tgz' }), new Set()).downloadLocation, 'https://example.org/3.45.tgz');
  assert.equal('downloadLocation' in componentPackage(copy(undefined, tpl), new Set()), false);
  assert.equal('downloadLocation' in componentPackage(copy('1.0', { downloadLocation: undefined as never }), new Set()), false);
});

test('CPE and purl carry the normalised version; the package keeps the version the bytes show', () => {
  const p = componentPackage(copy('3.45.3.0'), new Set());
  assert.equal(p.version, '3.45.3.0');
  assert.deepEqual(p.cpes, [{ cpe: 'cpe:2.3:a:sqlite:sqlite:3.45.3:*:*:*:*:*:*:*' }]);
  assert.equal(p.purl, 'pkg:generic/sqlite@3.45.3');
  // Only a fourth `.0` of a four-part version goes.
  assert.equal(normalizedVersion('3.45.3.0-rc1'), '3.45.3.0-rc1');
  assert.equal(normalizedVersion('v3.45.3.0'), 'v3.45.3.0');
  assert.equal(normalizedVersion('3.45.3.00'), '3.45.3.00');
});

test('refs: one per copy, numbered from #2 in the order copies come; no supplier or originator where the identity asserts none', () => {
  const used = new Set<string>();
  assert.deepEqual([1, 2, 3].map(() => componentPackage(copy('1'), used).ref), ['component:sqlite@1', 'component:sqlite@1#2', 'component:sqlite@1#3']);
  const p = componentPackage(copy('1', { supplier: 'NOASSERTION' }), new Set());
  assert.equal('supplier' in p, false);
  assert.equal('originator' in p, false);
  assert.equal('homepage' in p, false);
  assert.equal('licenseDeclared' in p, false);
});
