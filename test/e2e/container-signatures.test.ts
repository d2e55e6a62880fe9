/**
 * An installer's own signature (an MSI's Authenticode, signed here by osslsigncode under a test CA)
 * read back from the SBOM, whichever format it is in: the report's signer table names it, diff
 * shows it appear and verify catches it misstated or broken. osslsigncode is the oracle for who
 * signed and whether the bytes still match.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';
import { buildMsiFixtures, msiBuildTools } from '../fixtures-build/msi-cab.js';
import { makeTestCa, signingTools, signPe } from '../fixtures-build/signing.js';
import { osslsigncodeVerify } from '../inspect/signing/oracles.js';

const ready = [...msiBuildTools, ...signingTools].every(hasTool);
let work = '';
let unsigned = '';
let signed = '';
let caCert = '';

before(async () => {
  if (!ready) {
    if (process.env.CI) throw new Error(`missing fixture tools: ${[...msiBuildTools, ...signingTools].join(', ')}`);
    return;
  }
  work = await mkdtemp(join(tmpdir(), 'isbom-container-sig-'));
  unsigned = buildMsiFixtures(work).nested;
  const ca = makeTestCa(join(work, 'ca'));
  caCert = ca.cert;
  signed = join(work, 'signed.msi');
  await signPe(unsigned, { ca, commonName: 'Example Installer Signer', out: signed });
});

process.on('exit', () => {
  if (work) void rm(work, { recursive: true, force: true });
});

const FORMATS = { 'spdx-json': 'spdx.json', 'spdx3-json': 'spdx3.json', 'cyclonedx-json': 'cdx.json' } as const;

function sbomOf(artifact: string, format: keyof typeof FORMATS): string {
  const out = `${artifact}.${FORMATS[format]}`;
  const res = runCli(['build', artifact, '-o', out, '--format', format]);
  assert.equal(res.status, 0, res.stderr);
  return out;
}

/** The Markdown report's signer rows: `| signer | status | files |`. */
function signerRows(markdown: string): string[] {
  const section = markdown.split(/^#+ /m).find((s) => /^Sign/.test(s)) ?? '';
  return section.split('\n').filter((l) => l.startsWith('| ') && !/^\| (?:Signer|-)/.test(l));
}

test('an MSI\'s own signature is in the report from every SBOM format, as osslsigncode sees it', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  const oracle = osslsigncodeVerify(signed, caCert);
  assert.equal(oracle.signatures.length, 1, oracle.output);
  assert.match(oracle.signatures[0]!.subject ?? '', /CN\s*=\s*Example Installer Signer/, oracle.output);
  assert.equal(oracle.signatures[0]!.current, oracle.signatures[0]!.calculated, oracle.output);
  const tables = Object.keys(FORMATS).map((format) => {
    const md = runCli(['report', sbomOf(signed, format as keyof typeof FORMATS), '--markdown']);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.stdout, /^- Signers: 1$/m, format);
    return signerRows(md.stdout);
  });
  assert.deepEqual(tables[0], ['| Example Installer Signer | valid-digest | `signed.msi` |']);
  assert.deepEqual(tables[1], tables[0], 'SPDX 3.0.1 and SPDX 2.3 agree');
  assert.deepEqual(tables[2], tables[0], 'CycloneDX and SPDX 2.3 agree');
  // Given the artifact, the report builds the same table.
  assert.deepEqual(signerRows(runCli(['report', signed, '--markdown']).stdout), tables[0]);
  // The unsigned MSI has no signer row.
  assert.match(runCli(['report', unsigned, '--markdown']).stdout, /^- Signers: 0$/m);
});

test('diff shows the installer\'s signature appear; verify catches it misstated or broken', (t) => {
  if (!ready) return t.skip('fixture tools missing');
  for (const format of ['spdx-json', 'cyclonedx-json'] as const) {
    const diff = runCli(['diff', sbomOf(unsigned, format), sbomOf(signed, format), '--json']);
    assert.equal(diff.status, 0, diff.stderr);
    assert.deepEqual(JSON.parse(diff.stdout).signers.changed, [{ path: 'signed.msi', from: 'unsigned', to: 'Example Installer Signer (valid-digest)' }], format);
  }

  // The SBOM names someone else as the MSI's signer.
  const sbom = sbomOf(signed, 'spdx-json');
  const misstated = join(work, 'misstated.spdx.json');
  writeFileSync(misstated, readFileSync(sbom, 'utf8').replace('signature by Example Installer Signer;', 'signature by Python Software Foundation;'));
  const res = runCli(['verify', signed, misstated, '--json']);
  assert.equal(res.status, 1, res.stderr);
  const findings = JSON.parse(res.stdout).findings as { kind: string; subject: string; stated?: string; found?: string }[];
  assert.deepEqual(findings.map((f) => [f.kind, f.subject, f.stated, f.found]), [['container-signature-differs', 'signed.msi', 'Python Software Foundation (valid-digest)', 'Example Installer Signer (valid-digest)']]);
  assert.equal(runCli(['verify', signed, sbom]).status, 0);

  // One byte of the summary information changed (its Comments, `nested fixture`; a byte of the
  // cabinet would break the cabinet's own checksum first): osslsigncode's digests part, and verify
  // says the MSI's signature no longer matches (besides the MSI's changed hash).
  const tampered = join(work, 'tampered.msi');
  copyFileSync(signed, tampered);
  const bytes = readFileSync(tampered);
  const at = bytes.indexOf(Buffer.from('nested fixture'));
  assert.ok(at > 0);
  bytes[at] = 'N'.charCodeAt(0);
  writeFileSync(tampered, bytes);
  const after = osslsigncodeVerify(tampered, caCert);
  assert.notEqual(after.signatures[0]!.current, after.signatures[0]!.calculated, after.output);
  const broken = runCli(['verify', tampered, sbom, '--json']);
  assert.equal(broken.status, 1, broken.stderr);
  const kinds = (JSON.parse(broken.stdout).findings as { kind: string; subject: string; found?: string }[]).filter((f) => f.kind === 'container-signature-differs');
  assert.deepEqual(kinds.map((f) => [f.subject, f.found]), [['tampered.msi', 'Example Installer Signer (modified-after-signing)']]);
});
