/**
 * How the SPDX 3.0.1 writer maps the parts of the model the whole-document tests leave aside:
 * distribution files of containers (Software/File with Core/Hash), package identifiers and
 * comments, one Agent per party, and relationship ids that name a set of targets. The evidence
 * line comes from src/serialize/statements.ts (pinned by its own tests).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeSpdx3 } from '../../src/serialize/spdx3.js';
import { evidenceLine } from '../../src/serialize/statements.js';
import type { Bom } from '../../src/bom/model.js';
import { addComponent, addContainer, addFile, digestsOf, emptyBom, NS } from '../helpers/bom.js';

type Node = Record<string, unknown>;

const graphOf = (bom: Bom) => (JSON.parse(writeSpdx3(bom)) as Node)['@graph'] as Node[];
const byName = (graph: Node[], type: string, name: string): Node => {
  const n = graph.find((x) => x['type'] === type && x['name'] === name);
  assert.ok(n, `${type} ${name}`);
  return n;
};

test('SPDX 3.0.1 distribution files: a nested container is a file at its path, an executable bundle is primarily executable, hashes only of the digests known', () => {
  const bom = emptyBom();
  const cab = addContainer(bom, 'sub/data.cab');
  cab.digests = { sha256: digestsOf('cab').sha256 };
  const burn = addContainer(bom, 'setup.exe', 'burn');
  burn.fileKind = { executable: true, archive: true, structured: true };
  const g = graphOf(bom);
  const cabFile = g.find((n) => n['type'] === 'software_File' && n['spdxId'] === `${NS}#SPDXRef-CONTAINER-sub-data.cab-distribution`)!;
  assert.ok(cabFile, 'the cab has its distribution file');
  assert.equal(cabFile['name'], 'sub/data.cab');
  assert.deepEqual(cabFile['verifiedUsing'], [{ type: 'Hash', algorithm: 'sha256', hashValue: digestsOf('cab').sha256 }]);
  assert.deepEqual([cabFile['software_primaryPurpose'], cabFile['software_additionalPurpose']], ['archive', ['container']]);
  const burnFile = byName(g, 'software_File', 'setup.exe');
  assert.deepEqual([burnFile['software_primaryPurpose'], burnFile['software_additionalPurpose']], ['executable', ['archive', 'container']]);
});

test('SPDX 3.0.1 distribution files: a directory artifact has no file of its own; a container without digests has a file without hashes', () => {
  const bom = emptyBom();
  delete bom.artifact.fileName;
  delete bom.artifact.digests;
  const cab = addContainer(bom, 'data.cab');
  delete cab.digests;
  const g = graphOf(bom);
  assert.deepEqual(g.filter((n) => n['type'] === 'software_File').map((n) => n['name']), ['data.cab']);
  assert.equal(byName(g, 'software_File', 'data.cab')['verifiedUsing'], undefined);
  const distribution = g.filter((n) => n['type'] === 'Relationship' && n['relationshipType'] === 'hasDistributionArtifact').map((n) => n['from']);
  assert.deepEqual(distribution, [`${NS}#SPDXRef-CONTAINER-data.cab`]);
});

test('SPDX 3.0.1 packages: download location, home page, CPE comment, description, and the evidence as the comment', () => {
  const bom = emptyBom();
  const ev = { file: 'zlib1.dll', kind: 'versioninfo' as const, text: '1.3.1', location: 'StringFileInfo/040904b0/FileVersion', version: '1.3.1' };
  addComponent(bom, 'zlib', 'zlib', '1.3.1.0', {
    downloadLocation: 'https://zlib.net/zlib-1.3.1.tar.gz',
    homepage: 'https://zlib.net/',
    cpes: [{ cpe: 'cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*', comment: 'normalised version' }],
    description: 'Detected.',
    evidence: [ev],
  });
  const z = byName(graphOf(bom), 'software_Package', 'zlib');
  assert.equal(z['software_downloadLocation'], 'https://zlib.net/zlib-1.3.1.tar.gz');
  assert.equal(z['software_homePage'], 'https://zlib.net/');
  assert.deepEqual((z['externalIdentifier'] as Node[])[0], { type: 'ExternalIdentifier', externalIdentifierType: 'cpe23', identifier: 'cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*', comment: 'normalised version' });
  assert.equal(z['description'], 'Detected.');
  assert.equal(z['comment'], `Evidence:\n- ${evidenceLine(ev)}`);
  // Without evidence, no comment.
  assert.equal(byName(graphOf(emptyBom()), 'software_Package', 'demo.zip')['comment'], undefined);
});

test('SPDX 3.0.1 agents: one element per party, however many packages it supplies; a person is a Person', () => {
  const bom = emptyBom();
  const acme = { type: 'organization' as const, name: 'Acme' };
  bom.artifact.supplier = { ...acme };
  addComponent(bom, 'a', 'a', '1', { supplier: { ...acme } });
  addComponent(bom, 'b', 'b', '1', { supplier: { type: 'person', name: 'Acme' } });
  const g = graphOf(bom);
  const orgs = g.filter((n) => n['type'] === 'Organization' && n['name'] === 'Acme');
  assert.equal(orgs.length, 1);
  assert.equal(byName(g, 'software_Package', 'demo.zip')['suppliedBy'], orgs[0]!['spdxId']);
  assert.equal(byName(g, 'software_Package', 'a')['suppliedBy'], orgs[0]!['spdxId']);
  const person = g.find((n) => n['spdxId'] === byName(g, 'software_Package', 'b')['suppliedBy'])!;
  assert.equal(person['type'], 'Person');
});

test('SPDX 3.0.1 relationship ids name the set of targets, not the order the model lists them in', () => {
  const ids = (reverse: boolean) => {
    const bom = emptyBom();
    for (const p of reverse ? ['b.txt', 'a.txt'] : ['a.txt', 'b.txt']) addFile(bom, p, { ref: `file:${p}` });
    return graphOf(bom)
      .filter((n) => n['type'] === 'Relationship' && n['relationshipType'] === 'contains')
      .map((n) => [n['spdxId'], [...(n['to'] as string[])].sort()]);
  };
  // File ids follow model order, so compare by what the ids name.
  const [x] = ids(false);
  const [y] = ids(true);
  assert.equal((x![1] as string[]).length, 2);
  assert.equal(x![0], y![0]);
});

test('SPDX 3.0.1 software_primaryPurpose: each model purpose is the SoftwarePurpose of the same name', () => {
  for (const purpose of ['install', 'archive', 'application', 'library', 'source', 'file'] as const) {
    const bom = emptyBom();
    bom.artifact.purpose = purpose;
    assert.equal(byName(graphOf(bom), 'software_Package', 'demo.zip')['software_primaryPurpose'], purpose);
  }
});
