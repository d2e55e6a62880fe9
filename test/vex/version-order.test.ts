import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareSemver, compareVersions, releaseLine } from '../../src/vex/version-order.js';

/** Each list is in release order, as the projects released them. */
const ORDERED: Record<string, string[]> = {
  // OpenSSL: letter releases after the numbered one, z then za…zm (1.0.2zl, 1.1.1zb are premium releases).
  openssl: ['1.0.2', '1.0.2a', '1.0.2u', '1.0.2z', '1.0.2za', '1.0.2zl', '1.1.0', '1.1.1', '1.1.1w', '1.1.1za', '1.1.1zb', '3.0.0-alpha1', '3.0.0-beta2', '3.0.0', '3.0.9', '3.0.15', '3.0.16', '3.1.0'],
  // CPython (PEP 440): dev < alpha < beta < rc < final.
  cpython: ['3.13.0a1', '3.13.0a6', '3.13.0b1', '3.13.0b4', '3.13.0rc1', '3.13.0rc2', '3.13.0', '3.13.1', '3.14.0a1'],
  // Tcl: 8.6b1 is a beta of 8.6.0.
  tcl: ['8.5.19', '8.6b1', '8.6b2', '8.6.0', '8.6.11', '8.6.13', '8.6.14'],
  sqlite: ['3.9.2', '3.45.1', '3.45.3', '3.46.0', '3.50.2'],
  zlib: ['1.2.11', '1.2.12', '1.2.12.1', '1.2.13', '1.3', '1.3.1'],
  expat: ['2.5.0', '2.6.0', '2.6.3', '2.6.4', '2.7.0'],
};

test('upstream order: every list sorts as released, whatever the starting order', () => {
  for (const [name, list] of Object.entries(ORDERED)) {
    const shuffled = [...list].reverse();
    assert.deepEqual(shuffled.sort(compareVersions), list, name);
    for (let i = 1; i < list.length; i++) assert.equal(compareVersions(list[i - 1]!, list[i]!), -1, `${name}: ${list[i - 1]} < ${list[i]}`);
  }
});

test('upstream order: the same release written differently is equal', () => {
  assert.equal(compareVersions('3.45.3.0', '3.45.3'), 0, 'SQLite tag with a fourth part');
  assert.equal(compareVersions('8.6.14.0', '8.6.14'), 0, 'Tcl tag');
  assert.equal(compareVersions('v3.0.15', '3.0.15'), 0, 'leading v');
  assert.equal(compareVersions('1.1.1W', '1.1.1w'), 0, 'case');
  assert.equal(compareVersions('2.6.4+build7', '2.6.4'), 0, 'build metadata');
  assert.equal(compareVersions('3.0', '3.0.0'), 0);
});

test('upstream order: numbers compare as numbers, not strings', () => {
  assert.equal(compareVersions('3.0.9', '3.0.10'), -1);
  assert.equal(compareVersions('3.13.0rc2', '3.13.0rc10'), -1);
  assert.equal(compareVersions('10.0', '9.9'), 1);
});

test('SemVer 2.0.0 §11 precedence, from the specification text', () => {
  const spec = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0'];
  for (let i = 1; i < spec.length; i++) assert.equal(compareSemver(spec[i - 1]!, spec[i]!), -1, `${spec[i - 1]} < ${spec[i]}`);
  assert.deepEqual(['2.1.1', '2.1.0', '2.0.0', '1.0.0'].sort(compareSemver), ['1.0.0', '2.0.0', '2.1.0', '2.1.1']);
  assert.equal(compareSemver('1.0.0+20130313144700', '1.0.0'), 0, 'build metadata has no precedence');
  // Not SemVer: the upstream order decides.
  assert.equal(compareSemver('3.45.3.0', '3.45.3'), 0);
});

test('release lines are the first two numbers', () => {
  assert.equal(releaseLine('3.0.18'), '3.0');
  assert.equal(releaseLine('1.1.1zb'), '1.1');
  assert.equal(releaseLine('3.13.0rc2'), '3.13');
});
