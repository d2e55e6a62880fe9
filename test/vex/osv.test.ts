import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { loadAdvisories, normalizeRepo } from '../../src/vex/osv.js';
import { repoRoot, sharedDir, tempDir } from '../helpers/fixtures.js';
import { osvSchemaErrors } from '../helpers/oracles.js';

const psf = join(sharedDir, 'advisories', 'psf-advisory-database', 'advisories');
const ours = join(repoRoot, 'fixtures', 'advisories');

test('the PSF database loads whole: every record, CVE as the VEX name, GIT ranges on CPython', async () => {
  const warnings: string[] = [];
  const all = await loadAdvisories([join(sharedDir, 'advisories', 'psf-advisory-database')], (m) => warnings.push(m));
  const files = readdirSync(join(psf, 'python')).filter((f) => f.endsWith('.json'));
  assert.equal(all.length, files.length);
  assert.deepEqual(warnings, []);
  const rec = all.find((a) => a.id === 'PSF-2024-8')!;
  assert.equal(rec.name, 'CVE-2024-6923');
  assert.deepEqual(rec.affected[0]!.repos, ['github.com/python/cpython']);
  assert.equal(rec.affected[0]!.ranges[0]!.events.filter((e) => e.fixed).length, 6);
  const noCve = all.filter((a) => !a.aliases.some((x) => x.startsWith('CVE-')));
  for (const a of noCve) assert.equal(a.name, a.id);
});

test('our third-party records validate against the OSV schema (the oracle) and name their sources', async () => {
  const files = readdirSync(ours).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 9);
  for (const f of files) {
    const doc = JSON.parse(readFileSync(join(ours, f), 'utf8'));
    assert.deepEqual(osvSchemaErrors(doc), [], f);
    assert.equal(`${doc.id}.json`, f, 'one CVE per file, named by it');
    assert.ok(doc.references.length > 0 && doc.affected[0].database_specific.range_source, `${f} names the source of its range`);
  }
  const loaded = await loadAdvisories([ours], () => {});
  const openssl = loaded.filter((a) => a.affected.some((e) => e.cpes.includes('openssl:openssl')));
  assert.deepEqual(openssl.map((a) => a.id).sort(), ['CVE-2024-12797', 'CVE-2024-13176', 'CVE-2024-9143', 'CVE-2025-9230']);
  assert.deepEqual(loaded.find((a) => a.id === 'CVE-2021-35331')!.affected[0]!.names, ['tcl', 'tclcore']);
});

test('a malformed record stops everything, naming the file', async (t) => {
  const dir = await tempDir(t);
  const good = readFileSync(join(ours, 'CVE-2024-50602.json'), 'utf8');
  const cases: [string, string, RegExp][] = [
    ['truncated.json', good.slice(0, 200), /not readable as JSON/],
    ['two-keys.json', good.replace('"introduced": "0"', '"introduced": "0", "fixed": "2.6.4"'), /not a valid OSV record/],
    ['no-modified.json', good.replace(/"modified": "[^"]+",/, ''), /not a valid OSV record/],
    ['empty-event.json', good.replace('"fixed": "2.6.4"', '"fixed": ""'), /empty event/],
    ['git-without-repo.json', good.replace('"type": "ECOSYSTEM"', '"type": "GIT"'), /not a valid OSV record/],
  ];
  for (const [name, text, message] of cases) {
    const db = join(dir, name.replace('.json', ''));
    await mkdir(join(db, 'sub'), { recursive: true });
    await writeFile(join(db, 'good.json'), good);
    const path = join(db, 'sub', name);
    await writeFile(path, text);
    await assert.rejects(loadAdvisories([db], () => {}), (err: unknown) => err instanceof InputError && err.chain[0] === path && message.test(err.message), name);
  }
  await assert.rejects(loadAdvisories([join(dir, 'missing')], () => {}), (err: unknown) => err instanceof InputError && /cannot read: ENOENT/.test(err.message));
});

test('withdrawn records are skipped and a record seen twice keeps its latest version, with warnings', async (t) => {
  const dir = await tempDir(t);
  const doc = JSON.parse(readFileSync(join(ours, 'CVE-2024-50602.json'), 'utf8'));
  await writeFile(join(dir, 'a.json'), JSON.stringify({ ...doc, modified: '2025-01-01T00:00:00Z' }));
  await writeFile(join(dir, 'b.json'), JSON.stringify({ ...doc, modified: '2026-01-01T00:00:00Z', summary: 'newer' }));
  await writeFile(join(dir, 'c.json'), JSON.stringify({ ...doc, id: 'CVE-2000-1', withdrawn: '2024-01-01T00:00:00Z' }));
  await writeFile(join(dir, 'notes.txt'), 'not a record');
  const warnings: string[] = [];
  const loaded = await loadAdvisories([dir], (m) => warnings.push(m));
  assert.deepEqual(loaded.map((a) => [a.id, a.summary]), [['CVE-2024-50602', 'newer']]);
  assert.equal(warnings.length, 2);
  assert.match(warnings.join('\n'), /withdrawn/);
  assert.match(warnings.join('\n'), /b\.json \(modified 2026/);
});

test('repository URLs are compared in one form', () => {
  for (const url of ['https://github.com/python/cpython', 'https://github.com/python/cpython.git', 'git@github.com:python/cpython.git', 'https://www.github.com/Python/CPython/']) {
    assert.equal(normalizeRepo(url), 'github.com/python/cpython', url);
  }
});
