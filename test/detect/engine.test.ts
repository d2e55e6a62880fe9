import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectInFile, identitiesOf, parseKnownBuilds } from '../../src/detect/engine.js';
import { ALL_RULES } from '../../src/detect/rules/index.js';
import type { InspectedFile } from '../../src/detect/types.js';
import { repoRoot } from '../helpers/fixtures.js';

function peFile(path: string, sha256: string): InspectedFile {
  return {
    path,
    size: 1,
    sha256,
    facts: { format: 'pe', strings: [], pe: { machine: 0x8664, machineName: 'x64', kind: 'PE32+', characteristics: 0x2000, isDll: true, subsystem: 2, timestamp: 0, sections: [], imports: [], delayImports: [], clr: false } },
  };
}

test('every identity has a supplier that is an Organization or Person, and a purl', () => {
  for (const [id, identity] of identitiesOf()) {
    assert.match(identity.supplier, /^(?:Organization|Person): \S/, id);
    assert.ok(identity.purl.type && identity.purl.name, id);
    assert.ok(identity.downloadLocation.startsWith('https://'), id);
  }
  assert.equal(new Set(ALL_RULES.map((r) => r.identity.id)).size, ALL_RULES.length, 'ids are unique');
});

test('libffi-8.dll identifies libffi without a version; a known build dates it', () => {
  const sha = 'ab'.repeat(32);
  const plain = detectInFile(peFile('DLLs/libffi-8.dll', sha)).filter((d) => d.componentId === 'libffi');
  assert.equal(plain.length, 1);
  assert.equal(plain[0]!.version, undefined);
  assert.equal(plain[0]!.evidence[0]!.kind, 'abi-name');
  const known = detectInFile(peFile('DLLs/libffi-8.dll', sha.toUpperCase()), {
    knownBuilds: [{ sha256: sha, componentId: 'libffi', version: '3.4.4', source: 'test row' }],
  }).filter((d) => d.componentId === 'libffi');
  assert.equal(known[0]!.version, '3.4.4');
  assert.ok(known[0]!.evidence.some((e) => e.kind === 'known-hash'));
});

test('data/known-builds.json parses and every row names its source', () => {
  const rows = parseKnownBuilds(readFileSync(join(repoRoot, 'data', 'known-builds.json'), 'utf8'), 'known-builds.json');
  assert.ok(rows.length > 0);
  const ids = identitiesOf();
  for (const r of rows) assert.ok(ids.has(r.componentId), r.componentId);
  assert.throws(() => parseKnownBuilds('{"builds":[{"sha256":"x"}]}', 'bad.json'), /bad\.json: builds\[0\]/);
});
