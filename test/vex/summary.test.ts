import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summarizeVex } from '../../src/vex/summary.js';
import { diffVex, formatVexDiff } from '../../src/vex/vex-diff.js';
import { readVex } from '../../src/vex/read.js';
import { runCli } from '../helpers/cli.js';
import { sharedDir, tempDir } from '../helpers/fixtures.js';

/** A hand-written OpenVEX document in the form the OpenVEX specification shows. */
function openVex(statements: { vuln: string; sub?: string; status: string }[]) {
  return {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.org/vex/1',
    author: 'Example Security Team',
    timestamp: '2024-01-01T00:00:00Z',
    version: 1,
    statements: statements.map((s) => ({
      vulnerability: { name: s.vuln },
      products: [{ '@id': 'pkg:generic/app@1.0', ...(s.sub ? { subcomponents: [{ '@id': s.sub }] } : {}) }],
      status: s.status,
      ...(s.status === 'not_affected' ? { justification: 'component_not_present' } : {}),
      ...(s.status === 'affected' ? { action_statement: 'update' } : {}),
    })),
  };
}

test('summarizeVex counts per status and per component, open items first', () => {
  const s = summarizeVex(
    openVex([
      { vuln: 'CVE-1', sub: 'pkg:generic/openssl@3.0.15', status: 'affected' },
      { vuln: 'CVE-2', sub: 'pkg:generic/openssl@3.0.15', status: 'not_affected' },
      { vuln: 'CVE-3', sub: 'pkg:generic/zlib@1.3.1', status: 'fixed' },
      { vuln: 'CVE-4', status: 'under_investigation' },
    ]),
  );
  assert.equal(s.format, 'openvex');
  assert.equal(s.statements, 4);
  assert.deepEqual(s.byStatus, { affected: 1, under_investigation: 1, fixed: 1, not_affected: 1 });
  assert.deepEqual(s.components[0], { component: 'pkg:generic/openssl@3.0.15', byStatus: { affected: 1, under_investigation: 0, fixed: 0, not_affected: 1 } });
  assert.deepEqual(s.open.map((o) => [o.status, o.vulnerability, o.component]), [
    ['affected', 'CVE-1', 'pkg:generic/openssl@3.0.15'],
    ['under_investigation', 'CVE-4', 'pkg:generic/app@1.0'],
  ]);
  assert.throws(() => summarizeVex({ spdxVersion: 'SPDX-2.3' }), /not a VEX document/);
});

test('diffVex follows a component across versions and reports status changes', () => {
  const before = openVex([
    { vuln: 'CVE-1', sub: 'pkg:generic/openssl@3.0.15', status: 'affected' },
    { vuln: 'CVE-2', sub: 'pkg:generic/zlib@1.3.1', status: 'fixed' },
    { vuln: 'CVE-3', sub: 'pkg:generic/tcl@8.6.14', status: 'not_affected' },
  ]);
  const after = openVex([
    { vuln: 'CVE-1', sub: 'pkg:generic/openssl@3.0.16', status: 'fixed' },
    { vuln: 'CVE-2', sub: 'pkg:generic/zlib@1.3.1', status: 'fixed' },
    { vuln: 'CVE-9', sub: 'pkg:generic/openssl@3.0.16', status: 'affected' },
  ]);
  const d = diffVex(before, after);
  assert.deepEqual(d.changed, [{ vulnerability: 'CVE-1', component: 'pkg:generic/openssl@3.0.15 → pkg:generic/openssl@3.0.16', from: 'affected', to: 'fixed' }]);
  assert.deepEqual(d.added, [{ vulnerability: 'CVE-9', component: 'pkg:generic/openssl@3.0.16', to: 'affected' }]);
  assert.deepEqual(d.removed, [{ vulnerability: 'CVE-3', component: 'pkg:generic/tcl@8.6.14', from: 'not_affected' }]);
  assert.equal(d.unchanged, 1);
  assert.match(formatVexDiff(d, 'text'), /^changed +CVE-1 +pkg:generic\/openssl@3\.0\.15 → pkg:generic\/openssl@3\.0\.16 +affected → fixed$/m);
  assert.deepEqual(diffVex(readVex(before), before), { changed: [], added: [], removed: [], unchanged: 3 });
});

test('vex writes nothing when no advisory names anything the artifact ships or declares', async (t) => {
  const dir = await tempDir(t);
  const advisory = join(dir, 'adv.json');
  writeFileSync(advisory, JSON.stringify({ schema_version: '1.6.0', id: 'X-1', modified: '2025-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] }));
  const out = join(dir, 'out.openvex.json');
  const res = runCli(['vex', join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2', 'externals.spdx.json'), '--advisories', advisory, '-o', out]);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stderr, /none of the 1 advisories names anything this artifact ships or declares; no VEX written/);
  assert.equal(existsSync(out), false);
});
