import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BomView, ViewComponent } from '../../src/bom/view.js';
import { deriveVex } from '../../src/vex/derive.js';
import { parseAdvisory } from '../../src/vex/osv.js';
import { parseStatements } from '../../src/vex/statements-file.js';
import { toOpenVex } from '../../src/vex/openvex.js';
import { toCycloneDxVex } from '../../src/vex/cyclonedx-vex.js';
import { cycloneDx16SchemaErrors, openVexSchemaErrors } from '../helpers/oracles.js';

const SHA = 'ab'.repeat(32);

function component(name: string, version: string | undefined, purl: string, carriers: string[], extra: Partial<ViewComponent> = {}): ViewComponent {
  return {
    name,
    ...(version ? { version } : {}),
    cpes: [],
    purl: version ? `${purl}@${version}` : purl,
    id: `SPDXRef-PACKAGE-${name}`,
    keys: [],
    carriers: carriers.map((path) => ({ path, relation: 'contains' as const })),
    evidence: carriers.map((c) => `${c}: versioninfo "${version}" at FileVersion`),
    ...extra,
  };
}

const view: BomView = {
  format: 'spdx-2.3',
  name: 'app-1.0-setup.exe',
  ownTool: true,
  creators: [],
  root: { name: 'app-1.0-setup.exe', fileName: 'app-1.0-setup.exe', checksums: { SHA256: SHA }, id: 'SPDXRef-PACKAGE-app', keys: [], cpes: [], purpose: 'install' },
  hasFiles: true,
  files: [],
  containers: [],
  components: [
    component('OpenSSL', '3.0.15', 'pkg:generic/openssl', ['bin/libcrypto-3-x64.dll', 'bin/libssl-3-x64.dll']),
    component('libffi', undefined, 'pkg:github/libffi/libffi', ['bin/libffi-8.dll'], { declaredVersion: '3.4.4' }),
    component('zlib', '1.3.1', 'pkg:generic/zlib', ['bin/zlib1.dll']),
  ],
  declaredAbsent: [{ name: 'tcl-core', version: '8.6.11.0', note: 'not-shipped: this kind of artifact does not carry Tcl', cpes: ['cpe:2.3:a:tcl_tk:tcl_tk:8.6.11.0:*:*:*:*:*:*:*'] }],
  knownUnknowns: [],
  creatorContacts: [],
  dependencies: [],
};

function osv(id: string, names: string[], ranges: object[] | undefined, versions?: string[], aliases: string[] = []) {
  return parseAdvisory(
    { schema_version: '1.6.0', id, modified: '2025-01-01T00:00:00Z', aliases, affected: [{ ...(ranges ? { ranges } : {}), ...(versions ? { versions } : {}), database_specific: { names } }] },
    `${id}.json`,
  );
}

const fixedIn = (v: string) => [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: v }] }];
const advisories = [
  osv('CVE-2024-9143', ['openssl'], fixedIn('3.0.16')),
  osv('CVE-2022-37434', ['zlib'], fixedIn('1.2.13')),
  osv('CVE-2017-1000376', ['libffi'], fixedIn('3.1')),
  osv('CVE-2021-35331', ['tcl', 'tcl-core'], undefined, ['8.6.11']),
  osv('CVE-1999-0001', ['no-such-thing'], fixedIn('1.0')),
];

const byVuln = (r: ReturnType<typeof deriveVex>, name: string) => r.document.statements.filter((s) => s.vulnerability.name === name);

test('each rule of the derivation, with the evidence it rests on', () => {
  const r = deriveVex(view, advisories, { timestamp: '2024-01-01T00:00:00Z' });
  const [openssl] = byVuln(r, 'CVE-2024-9143');
  assert.equal(openssl!.status, 'affected');
  assert.match(openssl!.actionStatement!, /update to 3\.0\.16 or later; files that carry it: bin\/libcrypto-3-x64\.dll, bin\/libssl-3-x64\.dll/);
  assert.match(openssl!.statusNotes!, /3\.0\.15 is in the affected range v < 3\.0\.16, per OSV record CVE-2024-9143/);

  const [zlib] = byVuln(r, 'CVE-2022-37434');
  assert.equal(zlib!.status, 'fixed');
  assert.match(zlib!.statusNotes!, /1\.3\.1 is at or after 1\.2\.13/);

  const [libffi] = byVuln(r, 'CVE-2017-1000376');
  assert.equal(libffi!.status, 'under_investigation', 'no version evidenced: nothing is claimed');
  assert.match(libffi!.statusNotes!, /No version of libffi is evidenced .* The source SBOM declares 3\.4\.4, for which the advisory says: 3\.4\.4 is at or after 3\.1/);

  const [tcl] = byVuln(r, 'CVE-2021-35331');
  assert.equal(tcl!.status, 'not_affected');
  assert.equal(tcl!.justification, 'component_not_present');
  assert.equal(tcl!.component!.shipped, false);
  assert.match(tcl!.impactStatement!, /tcl-core 8\.6\.11\.0 is declared by the source SBOM but not shipped in this artifact \(not-shipped: /);

  assert.deepEqual(byVuln(r, 'CVE-1999-0001'), [], 'an advisory naming nothing here states nothing');
  assert.deepEqual(r.warnings, []);
});

test('records of one CVE from several databases make one vulnerability with every id as an alias', () => {
  const again = osv('GHSA-xxxx-yyyy-zzzz', ['openssl'], fixedIn('3.0.16'), undefined, ['CVE-2024-9143']);
  const r = deriveVex(view, [...advisories, again], { timestamp: '2024-01-01T00:00:00Z' });
  const s = byVuln(r, 'CVE-2024-9143');
  assert.equal(s.length, 1);
  assert.deepEqual(s[0]!.vulnerability.aliases, ['GHSA-xxxx-yyyy-zzzz']);
});

test('human statements replace derived ones, and are checked against what the artifact ships', () => {
  const statements = parseStatements(
    {
      statements: [
        { vulnerability: 'cve-2024-9143', component: { purl: 'pkg:generic/openssl' }, version: '3.0.15', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impact_statement: 'The application never builds explicit GF(2^m) curves.' },
        { vulnerability: 'CVE-2024-9143', component: { name: 'OpenSSL' }, version: '3.0.14', status: 'affected', action_statement: 'x' },
        { vulnerability: 'CVE-2021-35331', component: { name: 'tcl-core' }, status: 'affected', action_statement: 'update Tcl' },
        { vulnerability: 'CVE-2030-1', component: { name: 'left-pad' }, status: 'under_investigation' },
        { vulnerability: 'CVE-2022-37434', component: { cpe: 'cpe:2.3:a:zlib:zlib' }, artifact: 'other-2.0-setup.exe', status: 'affected', action_statement: 'y' },
        { vulnerability: 'CVE-2030-2', status: 'not_affected', impact_statement: 'The installer itself runs no network code.', artifact: SHA },
      ],
    },
    'team.json',
  );
  const r = deriveVex(view, advisories, { statements, timestamp: '2024-01-01T00:00:00Z' });
  const [openssl] = byVuln(r, 'CVE-2024-9143');
  assert.equal(openssl!.status, 'not_affected');
  assert.equal(openssl!.origin, 'statements-file');
  assert.match(openssl!.statusNotes!, /Stated in team\.json #1\. It replaces the statement derived from the evidence \(affected\)\./);
  assert.equal(byVuln(r, 'CVE-2022-37434')[0]!.status, 'fixed', 'scoped to another artifact: not applied, no warning');
  assert.equal(byVuln(r, 'CVE-2021-35331')[0]!.justification, 'component_not_present', 'the derived statement stands');
  const product = byVuln(r, 'CVE-2030-2')[0]!;
  assert.equal(product.component, undefined, 'no component: about the product itself');
  assert.equal(r.warnings.length, 3, r.warnings.join('\n'));
  assert.match(r.warnings[0]!, /team\.json #2 \(CVE-2024-9143\): this artifact ships OpenSSL 3\.0\.15, not version 3\.0\.14/);
  assert.match(r.warnings[1]!, /team\.json #3 .*tcl-core is not shipped in this artifact \(declared by the source SBOM only\)/);
  assert.match(r.warnings[2]!, /team\.json #4 .*left-pad is not shipped in this artifact; statement not applied/);
});

test('malformed statements files are input errors naming the file', () => {
  const bad = [
    { statements: [{ vulnerability: 'CVE-1', status: 'not_affected' }] },
    { statements: [{ vulnerability: 'CVE-1', status: 'affected' }] },
    { statements: [{ vulnerability: 'CVE-1', status: 'fixed', justification: 'component_not_present' }] },
    { statements: [{ vulnerability: 'CVE-1', status: 'unknown' }] },
    { statements: [{ vulnerability: 'CVE-1', status: 'fixed', component: {} }] },
    { statement: [] },
  ];
  for (const doc of bad) assert.throws(() => parseStatements(doc, 'team.json'), (err: Error) => err.name === 'InputError' && /not a statements file/.test(err.message), JSON.stringify(doc));
});

test('both writers produce documents the official schemas accept, byte-identical for the same input', () => {
  const r = deriveVex(view, advisories, { timestamp: '2024-01-01T00:00:00Z' });
  const openvex = toOpenVex(r.document);
  const cdx = toCycloneDxVex(r.document);
  assert.deepEqual(openVexSchemaErrors(JSON.parse(openvex)), []);
  assert.deepEqual(cycloneDx16SchemaErrors(JSON.parse(cdx)), []);
  assert.equal(toOpenVex(deriveVex(view, advisories, { timestamp: '2024-01-01T00:00:00Z' }).document), openvex);
  const doc = JSON.parse(openvex);
  // Without a purl in the SBOM, the product is named by its bytes.
  assert.equal(doc.statements[0].products[0]['@id'], `pkg:generic/app-1.0-setup.exe?checksum=sha256:${SHA}`);
  assert.deepEqual(doc.statements[0].products[0].hashes, { 'sha-256': SHA });
  // The document id follows the content, not the clock.
  assert.equal(JSON.parse(toOpenVex({ ...r.document, timestamp: '2025-01-01T00:00:00Z' }))['@id'], doc['@id']);
  assert.notEqual(JSON.parse(toOpenVex({ ...r.document, statements: r.document.statements.slice(1) }))['@id'], doc['@id']);
  const bom = JSON.parse(cdx);
  assert.equal(bom.metadata.component.type, 'application');
  const states = Object.fromEntries(bom.vulnerabilities.map((v: { id: string; analysis: { state: string } }) => [v.id, v.analysis.state]));
  assert.deepEqual(states, { 'CVE-2017-1000376': 'in_triage', 'CVE-2021-35331': 'not_affected', 'CVE-2022-37434': 'resolved', 'CVE-2024-9143': 'exploitable' });
});
