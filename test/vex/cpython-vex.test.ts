import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';
import { buildSignedCpythonArtifacts, cpythonLayoutTools } from '../fixtures-build/cpython-layout.js';
import { makeTestCa } from '../fixtures-build/signing.js';
import type { SpdxDocument } from '../../src/serialize/spdx2-types.js';
import { cycloneDx16SchemaErrors, openVexSchemaErrors } from '../helpers/oracles.js';

const inputs = join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2');
const src313 = ['--source-sbom', join(inputs, 'externals.spdx.json'), '--source-sbom', join(inputs, 'sbom.spdx.json')];
const ours = join(repoRoot, 'fixtures', 'advisories');
const psf248 = join(sharedDir, 'advisories', 'psf-advisory-database', 'advisories', 'python', 'PSF-2024-8.json');

let work = '';
let msi = '';
let embed = '';
const ready = cpythonLayoutTools.every(hasTool);

before(async () => {
  if (!ready) {
    if (process.env.CI) throw new Error(`missing fixture tools: ${cpythonLayoutTools.join(', ')}`);
    return;
  }
  work = mkdirTemp();
  // The installer, and the flat embeddable zip (no Tcl/Tk, no pip) with a pyexpat built with expat 2.6.4.
  const built = await buildSignedCpythonArtifacts(work, makeTestCa(join(work, 'ca')), {
    adjustEmbed: (l) => ({ ...l, files: l.files.map((f) => (f.path === 'pyexpat.pyd' ? { ...f, strings: f.strings!.map((s) => s.replace('expat_2.6.3', 'expat_2.6.4')) } : f)) }),
  });
  msi = built.msi;
  embed = built.embed!;
});

function mkdirTemp(): string {
  const dir = join(tmpdir(), `isbom-vex-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

process.on('exit', () => {
  if (work) void rm(work, { recursive: true, force: true });
});

interface OpenVexStatement {
  vulnerability: { name: string; aliases?: string[] };
  products: { '@id': string; identifiers?: { purl?: string; cpe23?: string }; hashes?: Record<string, string>; subcomponents?: { '@id': string; identifiers?: { purl?: string; cpe23?: string } }[] }[];
  status: string;
  justification?: string;
  impact_statement?: string;
  action_statement?: string;
  status_notes?: string;
}

function openvex(path: string): { '@id': string; statements: OpenVexStatement[] } {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Statements about a vulnerability, by subcomponent @id (or "product"). */
function about(doc: { statements: OpenVexStatement[] }, vuln: string): Record<string, OpenVexStatement> {
  const out: Record<string, OpenVexStatement> = {};
  for (const s of doc.statements.filter((x) => x.vulnerability.name === vuln)) out[s.products[0]!.subcomponents?.[0]?.['@id'] ?? 'product'] = s;
  return out;
}

test('MSI shipping OpenSSL 3.0.15 and expat 2.6.3: statements from the evidence, schema-valid, deterministic', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const out = join(work, 'msi.openvex.json');
  const res = runCli(['vex', msi, '--advisories', ours, ...src313, '-o', out]);
  assert.equal(res.status, 0, res.stderr);
  const doc = openvex(out);
  assert.deepEqual(openVexSchemaErrors(doc), []);

  for (const cve of ['CVE-2024-9143', 'CVE-2024-13176']) {
    const s = about(doc, cve)['pkg:generic/openssl@3.0.15'];
    assert.equal(s?.status, 'affected', cve);
    assert.match(s!.action_statement!, /update to 3\.0\.16 or later; files that carry it: DLLs\/libcrypto-3\.dll, DLLs\/libssl-3\.dll/);
    assert.match(s!.status_notes!, /3\.0\.15 is in the affected range 3\.0\.0 ≤ v < 3\.0\.16/);
  }
  assert.equal(about(doc, 'CVE-2025-9230')['pkg:generic/openssl@3.0.15']?.status, 'affected', 'fixed only in 3.0.18');
  const rpk = about(doc, 'CVE-2024-12797')['pkg:generic/openssl@3.0.15']!;
  assert.equal(rpk.status, 'not_affected', 'RPK support arrived in 3.2');
  assert.match(rpk.impact_statement!, /outside every affected range \(3\.2\.0 ≤ v < 3\.2\.4;/);
  assert.equal(rpk.justification, undefined, 'a version outside the ranges is stated as such, not as code inspection');

  assert.equal(about(doc, 'CVE-2024-50602')['pkg:github/libexpat/libexpat@2.6.3']?.status, 'affected');
  assert.equal(about(doc, 'CVE-2025-6965')['pkg:generic/sqlite@3.45.3']?.status, 'affected', '3.45.3.0 is before 3.50.2');
  assert.equal(about(doc, 'CVE-2022-37434')['pkg:generic/zlib@1.3.1']?.status, 'fixed');
  const tcl = about(doc, 'CVE-2021-35331')['pkg:generic/tcl@8.6.14']!;
  assert.equal(tcl.status, 'not_affected', 'Tcl is shipped, at a version the advisory does not list');
  assert.match(tcl.status_notes!, /Carried by DLLs\/tcl86t\.dll/);
  // libffi-8.dll has no version string; its Authenticode program name ("LibFFI for Python (libffi-3.4.4)") dates it.
  const libffi = about(doc, 'CVE-2017-1000376')['pkg:github/libffi/libffi@3.4.4']!;
  assert.equal(libffi.status, 'fixed', 'fixed in 3.1');
  assert.match(libffi.status_notes!, /signature "LibFFI for Python \(libffi-3\.4\.4\)"/);

  // Same input, same bytes (SOURCE_DATE_EPOCH is fixed by runCli).
  const again = join(work, 'msi-again.openvex.json');
  assert.equal(runCli(['vex', msi, '--advisories', ours, ...src313, '-o', again]).status, 0);
  assert.equal(readFileSync(again, 'utf8'), readFileSync(out, 'utf8'));
});

test('the VEX names product and components as the SBOM of the same artifact does', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const sbomPath = join(work, 'msi.spdx.json');
  assert.equal(runCli(['build', msi, ...src313, '-o', sbomPath]).status, 0);
  const sbom = JSON.parse(readFileSync(sbomPath, 'utf8')) as SpdxDocument;
  const fromSbom = join(work, 'from-sbom.openvex.json');
  const res = runCli(['vex', sbomPath, '--advisories', ours, '-o', fromSbom]);
  assert.equal(res.status, 0, res.stderr);
  const fromArtifact = join(work, 'from-artifact.openvex.json');
  assert.equal(runCli(['vex', msi, '--advisories', ours, ...src313, '-o', fromArtifact]).status, 0);
  assert.equal(readFileSync(fromSbom, 'utf8'), readFileSync(fromArtifact, 'utf8'), 'the artifact and its SBOM give the same VEX');

  const locators = new Set(sbom.packages!.flatMap((p) => (p.externalRefs ?? []).map((r) => r.referenceLocator)));
  const root = sbom.packages!.find((p) => p.SPDXID === 'SPDXRef-PACKAGE-cpython')!;
  for (const s of openvex(fromSbom).statements) {
    const product = s.products[0]!;
    assert.equal(product.identifiers?.purl, root.externalRefs!.find((r) => r.referenceType === 'purl')!.referenceLocator);
    assert.equal(product.hashes?.['sha-256'], root.checksums!.find((c) => c.algorithm === 'SHA256')!.checksumValue);
    for (const sub of product.subcomponents ?? []) {
      for (const id of [sub.identifiers?.purl, sub.identifiers?.cpe23].filter(Boolean)) assert.ok(locators.has(id!), `${id} is in the SBOM`);
    }
  }
});

test('embeddable zip: Tcl declared but not shipped, expat 2.6.4 fixed; CycloneDX VEX valid and deterministic', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const res = runCli(['vex', embed, '--advisories', ours, ...src313]);
  assert.equal(res.status, 0, res.stderr);
  const out = `${embed}.openvex.json`;
  assert.match(res.stdout, new RegExp(`VEX: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  const doc = openvex(out);
  assert.deepEqual(openVexSchemaErrors(doc), []);
  for (const cve of ['CVE-2024-9143', 'CVE-2024-13176']) assert.equal(about(doc, cve)['pkg:generic/openssl@3.0.15']?.status, 'affected', cve);
  const tcl = Object.values(about(doc, 'CVE-2021-35331'));
  assert.equal(tcl.length, 1);
  assert.equal(tcl[0]!.status, 'not_affected');
  assert.equal(tcl[0]!.justification, 'component_not_present');
  assert.equal(tcl[0]!.products[0]!.subcomponents![0]!['@id'], 'cpe:2.3:a:tcl_tk:tcl_tk:8.6.14.0:*:*:*:*:*:*:*', 'as CPython\'s SBOM identifies tcl-core');
  assert.match(tcl[0]!.impact_statement!, /tcl-core 8\.6\.14\.0 is declared by the source SBOM but not shipped in this artifact/);
  const expat = about(doc, 'CVE-2024-50602');
  assert.equal(expat['pkg:github/libexpat/libexpat@2.6.4']?.status, 'fixed');
  assert.match(expat['pkg:github/libexpat/libexpat@2.6.4']!.status_notes!, /2\.6\.4 is at or after 2\.6\.4, which the advisory records as fixed .* Carried by pyexpat\.pyd/);
  const declared = expat['cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*']!;
  assert.equal(declared.justification, 'component_not_present', 'the declared 2.6.3 is not what the zip ships');

  const cdx = join(work, 'embed.cdx-vex.json');
  assert.equal(runCli(['vex', embed, '--advisories', ours, ...src313, '--format', 'cyclonedx', '-o', cdx]).status, 0);
  const bom = JSON.parse(readFileSync(cdx, 'utf8'));
  assert.deepEqual(cycloneDx16SchemaErrors(bom), []);
  const tclVuln = bom.vulnerabilities.find((v: { id: string }) => v.id === 'CVE-2021-35331');
  assert.equal(tclVuln.analysis.state, 'not_affected');
  assert.equal(tclVuln.analysis.justification, 'code_not_present');
  const stdout = runCli(['vex', embed, '--advisories', ours, ...src313, '--format', 'cyclonedx', '-o', '-']);
  assert.equal(stdout.status, 0);
  assert.equal(stdout.stdout, readFileSync(cdx, 'utf8'), '-o - writes the same document to standard output');
});

test('the security team\'s statements override derived ones; one about what the zip does not ship is a warning', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const team = join(work, 'team.json');
  writeFileSync(
    team,
    JSON.stringify({
      statements: [
        { vulnerability: 'CVE-2024-9143', component: { purl: 'pkg:generic/openssl' }, version: '3.0.15', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impact_statement: 'Test statement: no GF(2^m) curve is built from untrusted parameters.' },
        { vulnerability: 'CVE-2021-35331', component: { name: 'tcl-core' }, status: 'affected', action_statement: 'Test statement.' },
      ],
    }),
  );
  const out = join(work, 'team.openvex.json');
  const res = runCli(['vex', embed, '--advisories', ours, ...src313, '--statements', team, '-o', out]);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /warning: team\.json #2 \(CVE-2021-35331\): tcl-core is not shipped in this artifact \(declared by the source SBOM only\); statement not applied/);
  const doc = openvex(out);
  assert.deepEqual(openVexSchemaErrors(doc), []);
  const openssl = about(doc, 'CVE-2024-9143')['pkg:generic/openssl@3.0.15']!;
  assert.equal(openssl.status, 'not_affected');
  assert.equal(openssl.justification, 'vulnerable_code_not_in_execute_path');
  assert.match(openssl.status_notes!, /Stated in team\.json #1\. It replaces the statement derived from the evidence \(affected\)\./);
  assert.equal(about(doc, 'CVE-2024-13176')['pkg:generic/openssl@3.0.15']!.status, 'affected', 'other advisories untouched');
  assert.equal(Object.values(about(doc, 'CVE-2021-35331'))[0]!.justification, 'component_not_present');
});

test('a PSF CPython advisory (GIT range) is evaluated with a tag map and reported not evaluable without one', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const without = join(work, 'psf-none.openvex.json');
  const res = runCli(['vex', msi, '--advisories', psf248, '-o', without]);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /warning: PSF-2024-8: not evaluable for CPython 3\.13\.0rc2: its GIT range on https:\/\/github\.com\/python\/cpython needs a tag map/);
  const product = about(openvex(without), 'CVE-2024-6923')['product']!;
  assert.equal(product.status, 'under_investigation');
  assert.deepEqual(product.vulnerability.aliases, ['PSF-2024-8']);
  assert.match(product.status_notes!, /could not be evaluated for CPython 3\.13\.0rc2/);

  // The ancestry facts come from the map (scripts/vex-git-tags.mjs writes it from a clone); these two
  // maps state opposite facts about the fix commits so that both outcomes are exercised.
  const record = JSON.parse(readFileSync(psf248, 'utf8'));
  const fixes: string[] = record.affected[0].ranges[0].events.filter((e: { fixed?: string }) => e.fixed).map((e: { fixed: string }) => e.fixed);
  const map = (contains: string[]) => ({ repo: 'https://github.com/python/cpython', tags: { 'v3.13.0rc2': { commit: 'c'.repeat(40), contains, lacks: fixes.filter((f) => !contains.includes(f)) } } });
  const cases: [string[], string, RegExp][] = [
    [[], 'affected', /contains none of the fix commits|none of the fix commits/],
    [[fixes[0]!], 'fixed', new RegExp(`contains the fix commit ${fixes[0]!.slice(0, 12)}`)],
  ];
  for (const [contains, status, detail] of cases) {
    const tagsFile = join(work, `tags-${status}.json`);
    writeFileSync(tagsFile, JSON.stringify(map(contains)));
    const out = join(work, `psf-${status}.openvex.json`);
    const r = runCli(['vex', msi, '--advisories', psf248, '--git-tags', tagsFile, '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /not evaluable/);
    const s = about(openvex(out), 'CVE-2024-6923')['product']!;
    assert.equal(s.status, status);
    assert.match(s.status_notes ?? s.action_statement ?? '', detail);
    assert.deepEqual(openVexSchemaErrors(openvex(out)), []);
  }
});

test('malformed advisories, statements and tag maps exit 3 naming the file, and nothing is written', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'isbom-vex-bad-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // An SBOM as input: the malformed file must be caught whatever the input is.
  const sbom = join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2', 'externals.spdx.json');
  const good = readFileSync(join(ours, 'CVE-2024-9143.json'), 'utf8');
  mkdirSync(join(dir, 'db', 'openssl'), { recursive: true });
  writeFileSync(join(dir, 'db', 'good.json'), good);
  const badAdvisory = join(dir, 'db', 'openssl', 'broken.json');
  writeFileSync(badAdvisory, good.replace('"introduced": "3.0.0"', '"introduced": "3.0.0", "fixed": "3.0.16"'));
  const badStatements = join(dir, 'team.json');
  writeFileSync(badStatements, JSON.stringify({ statements: [{ vulnerability: 'CVE-2024-9143', status: 'affected' }] }));
  const badTags = join(dir, 'tags.json');
  writeFileSync(badTags, '{"repo": "https://github.com/python/cpython", "tags": {"v3.13.0": {"commit": "nope"');
  const out = join(dir, 'out.openvex.json');
  const cases: [string[], string][] = [
    [['--advisories', join(dir, 'db')], badAdvisory],
    [['--advisories', ours, '--statements', badStatements], badStatements],
    [['--advisories', ours, '--git-tags', badTags], badTags],
    [['--advisories', join(dir, 'nothing-here')], join(dir, 'nothing-here')],
  ];
  for (const [args, named] of cases) {
    const res = runCli(['vex', sbom, ...args, '-o', out]);
    assert.equal(res.status, 3, res.stderr);
    assert.ok(res.stderr.includes(named), `${res.stderr} names ${named}`);
    assert.equal(res.stderr.trim().split('\n').length, 1, 'one line');
    assert.equal(existsSync(out), false);
  }
  assert.equal(runCli(['vex', sbom, '-o', out]).status, 2, '--advisories is required');
});

test('diff of two VEX documents lists status changes per vulnerability and component', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const old = join(work, 'diff-old.openvex.json');
  const now = join(work, 'diff-new.cdx-vex.json');
  assert.equal(runCli(['vex', msi, '--advisories', ours, ...src313, '-o', old]).status, 0);
  assert.equal(runCli(['vex', embed, '--advisories', ours, ...src313, '--format', 'cyclonedx', '-o', now]).status, 0);
  const res = runCli(['diff', old, now]);
  assert.equal(res.status, 0, res.stderr);
  // The zip ships expat 2.6.4 and does not ship the declared 2.6.3: one component, affected → fixed.
  assert.match(res.stdout, /changed +CVE-2024-50602 +pkg:github\/libexpat\/libexpat@2\.6\.3 → .*pkg:github\/libexpat\/libexpat@2\.6\.4 +affected → fixed/);
  assert.doesNotMatch(res.stdout, /CVE-2024-9143/, 'unchanged statements are only counted');
  const json = JSON.parse(runCli(['diff', old, now, '--json']).stdout);
  assert.deepEqual(json.changed.map((c: { vulnerability: string }) => c.vulnerability), ['CVE-2024-50602']);
  // Tcl shipped (MSI) and Tcl declared but absent (zip) are one component (same CPE), not_affected in both.
  assert.deepEqual([...json.added, ...json.removed], []);
  assert.match(runCli(['diff', old, now, '--markdown']).stdout, /\| CVE-2024-50602 \| .* \| affected \| fixed \|/);
  assert.equal(runCli(['diff', old, join(inputs, 'externals.spdx.json')]).status, 2, 'a VEX and an SBOM do not compare');
});
