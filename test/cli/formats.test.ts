/**
 * validate, verify, diff and report accept every format build writes: SPDX 2.3, SPDX 3.0.1 and
 * CycloneDX 1.6, on a zip of Debian's real zlib1.dll (libz-mingw-w64), whose one component is
 * versioned by its own VERSIONINFO.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { runCli } from '../helpers/cli.js';
import { sbomSchemaErrors } from '../helpers/oracles.js';
import { zipOf } from '../fixtures-build/hostile-archives.js';
import { zlibDll } from '../fixtures-build/msi-cab.js';

const FORMATS = { 'spdx-json': 'spdx.json', 'spdx3-json': 'spdx3.json', 'cyclonedx-json': 'cdx.json' } as const;
type Format = keyof typeof FORMATS;
const CREATOR = ['--creator', 'Organization: Example (sbom@example.com)', '--supplier', 'Organization: Example'];

let work = '';
let artifact = '';
const sbom = (f: Format) => join(work, `demo.${FORMATS[f]}`);
const ready = () => existsSync(zlibDll);

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'isbom-cli-formats-'));
  if (!ready()) return;
  artifact = join(work, 'demo.zip');
  writeFileSync(artifact, zipOf([{ name: 'bin/zlib1.dll', data: readFileSync(zlibDll), method: 8 }, { name: 'README.txt', data: Buffer.from('demo\n') }]));
  for (const f of Object.keys(FORMATS) as Format[]) {
    const res = runCli(['build', artifact, '--format', f, '-o', sbom(f), ...CREATOR]);
    assert.equal(res.status, 0, res.stdout + res.stderr);
  }
});
after(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function skipUnlessReady(t: { skip: (m: string) => void }): boolean {
  if (ready()) return false;
  if (process.env['CI']) throw new Error(`fixture missing: ${zlibDll} (run: npm run fixtures)`);
  t.skip(`fixture missing: ${zlibDll}`);
  return true;
}

test('build writes each format, each valid against its official schema', (t) => {
  if (skipUnlessReady(t)) return;
  for (const f of Object.keys(FORMATS) as Format[]) assert.deepEqual(sbomSchemaErrors(JSON.parse(readFileSync(sbom(f), 'utf8'))), [], f);
});

test('validate (NTIA) passes on each format and says which it is', (t) => {
  if (skipUnlessReady(t)) return;
  const names: Record<Format, string> = { 'spdx-json': 'spdx-2.3', 'spdx3-json': 'spdx-3.0.1', 'cyclonedx-json': 'cyclonedx-1.6' };
  for (const f of Object.keys(FORMATS) as Format[]) {
    const res = runCli(['validate', sbom(f)]);
    assert.equal(res.status, 0, `${f}: ${res.stdout}${res.stderr}`);
    assert.match(res.stdout, new RegExp(`\\(${names[f].replace(/\./g, '\\.')}, profile ntia\\): valid`));
  }
});

test('validate --profile bsi passes on SPDX 3.0.1 and CycloneDX with a creator contact, and names what SPDX 2.3 lacks, the format first', (t) => {
  if (skipUnlessReady(t)) return;
  // The bare DLL is versioned by its VERSIONINFO, and so is its one component (a zip states no version of its own).
  const dll = join(work, 'zlib1.dll');
  writeFileSync(dll, readFileSync(zlibDll));
  const bsiSbom = (f: Format) => join(work, `zlib1.${FORMATS[f]}`);
  for (const f of Object.keys(FORMATS) as Format[]) assert.equal(runCli(['build', dll, '--format', f, '-o', bsiSbom(f), '--creator', 'Organization: Example (sbom@example.com)']).status, 0);
  for (const f of ['spdx3-json', 'cyclonedx-json'] as const) {
    const res = runCli(['validate', bsiSbom(f), '--profile', 'bsi']);
    assert.equal(res.status, 0, `${f}: ${res.stdout}${res.stderr}`);
    assert.match(res.stdout, /profile bsi\): valid \(0 error/);
  }
  // The zip states no version of its own: BSI names the artifact.
  const zip = runCli(['validate', sbom('cyclonedx-json'), '--profile', 'bsi']);
  assert.equal(zip.status, 1);
  assert.match(zip.stdout, /error: bsi: SPDXRef-PACKAGE-demo\.zip: demo\.zip: no version/);
  const res = runCli(['validate', bsiSbom('spdx-json'), '--profile', 'bsi', '--json']);
  assert.equal(res.status, 1, res.stdout + res.stderr);
  const report = JSON.parse(res.stdout) as { errors: { check: string; element: string; message: string }[] };
  assert.deepEqual(report.errors[0], { severity: 'error', check: 'bsi', element: 'spdxVersion', message: 'BSI TR-03183-2 v2.1 accepts only CycloneDX 1.6 or later and SPDX 3.0.1 or later, not SPDX 2.3' });
  // SPDX 2.3 has no field for BSI's executable / archive / structured properties of the deployable file: named.
  assert.deepEqual(report.errors.slice(1), [{ severity: 'error', check: 'bsi', element: 'SPDXRef-PACKAGE-zlib1.dll', message: 'zlib1.dll: executable / archive / structured properties not stated' }]);

  // Without a creator contact the BSI profile fails on SPDX 3 and CycloneDX too, naming the creator.
  const bare = join(work, 'bare.cdx.json');
  assert.equal(runCli(['build', artifact, '--format', 'cyclonedx-json', '-o', bare, '--supplier', 'Organization: Example']).status, 0);
  const noContact = runCli(['validate', bare, '--profile', 'bsi']);
  assert.equal(noContact.status, 1);
  assert.match(noContact.stdout, /error: bsi: creator: no email or URL/);
});

test('verify passes on each format against the artifact', (t) => {
  if (skipUnlessReady(t)) return;
  for (const f of Object.keys(FORMATS) as Format[]) {
    const res = runCli(['verify', artifact, sbom(f)]);
    assert.equal(res.status, 0, `${f}: ${res.stdout}${res.stderr}`);
    assert.match(res.stdout, /checked: 2 file\(s\), 0 container\(s\), 1 component\(s\), the artifact checksum/);
  }
});

test("verify on a tampered CycloneDX file (one file's SHA-256 changed) exits 1 naming the file", (t) => {
  if (skipUnlessReady(t)) return;
  const doc = JSON.parse(readFileSync(sbom('cyclonedx-json'), 'utf8')) as { components: { name: string; hashes?: { alg: string; content: string }[] }[] };
  const dll = doc.components.find((c) => c.name === 'bin/zlib1.dll')!;
  const real = createHash('sha256').update(readFileSync(zlibDll)).digest('hex');
  const h = dll.hashes!.find((x) => x.alg === 'SHA-256')!;
  assert.equal(h.content, real, 'the SBOM states the real SHA-256 before tampering');
  h.content = `${real.slice(0, 63)}${real.endsWith('0') ? '1' : '0'}`;
  const tampered = join(work, 'tampered.cdx.json');
  writeFileSync(tampered, JSON.stringify(doc));
  const res = runCli(['verify', artifact, tampered]);
  assert.equal(res.status, 1, res.stdout + res.stderr);
  assert.match(res.stdout, /bin\/zlib1\.dll/);
  assert.match(res.stdout, /SHA256/);
  assert.match(res.stderr, /tampered\.cdx\.json does not match demo\.zip/);
});

test('diff: each format against each other says nothing changed; a changed component shows across formats', (t) => {
  if (skipUnlessReady(t)) return;
  const formats = Object.keys(FORMATS) as Format[];
  for (const a of formats) {
    for (const b of formats) {
      const res = runCli(['diff', sbom(a), sbom(b), '--json']);
      assert.equal(res.status, 0, res.stderr);
      const d = JSON.parse(res.stdout) as { identical: boolean };
      assert.equal(d.identical, true, `${a} vs ${b}: ${res.stdout}`);
    }
  }
  // An older SPDX 2.3 (zlib edited to 1.2.12) against the CycloneDX of today: one change, named.
  const old = JSON.parse(readFileSync(sbom('spdx-json'), 'utf8')) as { packages: { name: string; versionInfo: string }[] };
  const z = old.packages.find((p) => p.name === 'zlib')!;
  const today = z.versionInfo;
  z.versionInfo = '1.2.12';
  const oldPath = join(work, 'old.spdx.json');
  writeFileSync(oldPath, JSON.stringify(old));
  const res = runCli(['diff', oldPath, sbom('cyclonedx-json'), '--json']);
  const d = JSON.parse(res.stdout) as { components: { changed: { name: string; from: string[]; to: string[] }[] } };
  assert.deepEqual(d.components.changed, [{ name: 'zlib', from: ['1.2.12'], to: [today] }]);
});

test('report reads each format (Markdown), with the same component and count', (t) => {
  if (skipUnlessReady(t)) return;
  const outs: string[] = [];
  for (const f of Object.keys(FORMATS) as Format[]) {
    const res = runCli(['report', sbom(f), '--markdown', '-o', '-']);
    assert.equal(res.status, 0, `${f}: ${res.stderr}`);
    assert.match(res.stdout, /zlib/);
    outs.push(res.stdout);
  }
  const count = (md: string) => /Components: (\d+)/.exec(md)?.[1];
  assert.ok(count(outs[0]!), outs[0]);
  assert.equal(count(outs[1]!), count(outs[0]!));
  assert.equal(count(outs[2]!), count(outs[0]!));
  // HTML too.
  const html = runCli(['report', sbom('spdx3-json'), '-o', join(work, 'r.html')]);
  assert.equal(html.status, 0, html.stderr);
  assert.match(readFileSync(join(work, 'r.html'), 'utf8'), /<html/i);
});
