import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir, tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { requireTool } from '../helpers/tools.js';
import { buildOpenSslRelease, MINGW_GCC, zipDirectory } from '../fixtures-build/compare.js';
import { buildCpythonLayout, cpythonLayoutTools, msiLayout, readLayout } from '../fixtures-build/cpython-layout.js';
import { buildMacFramework, buildMacPkg, cpythonMacosTools, readMacLayout } from '../fixtures-build/cpython-macos.js';
import { llvmTool } from '../fixtures-build/macho.js';
import { assertAccessible, assertFits, inspectInChromium, requireChromium, WIDTHS } from './chromium.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { renderMarkdownReport } from '../../src/report/markdown.js';
import { reportData } from '../../src/report/report-data.js';
import { viewOfSpdx2 } from '../../src/bom/read/spdx2.js';
import { validateDocument } from '../../src/validate/index.js';
import type { SpdxDocument } from '../../src/serialize/spdx2-types.js';

import type { ReportData } from '../../src/report/report-data.js';

type Ctx = import('node:test').TestContext;

test('report renders in headless Chromium: components table, accessible, self-contained', async (t) => {
  if (!requireTool(t, MINGW_GCC) || !requireTool(t, 'bsdtar') || !requireChromium(t)) return;
  const dir = await tempDir(t);
  const zip = zipDirectory(buildOpenSslRelease(join(dir, 'release'), '3.0.13', '30 Jan 2024'), join(dir, 'demo-app-1.0.zip'));
  const html = join(dir, 'report.html');
  const res = runCli(['report', zip, '-o', html, '--supplier', 'Organization: Example Release Team']);
  assert.equal(res.status, 0, res.stdout + res.stderr);

  const text = readFileSync(html, 'utf8');
  assert.doesNotMatch(text, /<script|<link|<img|<iframe|\ssrc=|\shref="(?!#)/i, 'no scripts, stylesheets, images or references to load');

  const { facts: byWidth, requests } = await inspectInChromium(t, html, 'report-artifact');
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'no network requests');
  assertFits(byWidth);
  const facts = byWidth.get(WIDTHS[0])!;
  assertAccessible(facts);
  assert.deepEqual(facts.headings.map((h) => h.text), ['SBOM report: demo-app-1.0.zip', 'Summary', 'Signatures', 'Validation', 'Component details', 'Containers']);
  assert.equal(facts.componentRows.length, 1);
  const [name, version, , found] = facts.componentRows[0]!;
  assert.equal(name, 'OpenSSL');
  assert.equal(version, '3.0.13', 'the version compiled into the fixture DLL');
  assert.match(found!, /bin\/libcrypto-3-x64\.dll \(contains\)/);
  const details = facts.componentDetails[0]!;
  assert.match(details, /cpe:2\.3:a:openssl:openssl:3\.0\.13/);
  assert.match(details, /OpenSSL 3\.0\.13 30 Jan 2024/);
});

test('report on an SBOM file (CPython-style, no files) and --markdown', async (t) => {
  if (!requireChromium(t)) return;
  const dir = await tempDir(t);
  const sbom = join(sharedDir, 'cpython-sbom-inputs', '3.12.6', 'sbom.spdx.json');
  const html = join(dir, 'cpython.html');
  const res = runCli(['report', sbom, '-o', html]);
  assert.equal(res.status, 0, res.stderr);
  const { facts: byWidth } = await inspectInChromium(t, html, 'report-cpython-source-sbom');
  assertFits(byWidth);
  const facts = byWidth.get(WIDTHS[0])!;
  assertAccessible(facts);
  const source = JSON.parse(readFileSync(sbom, 'utf8')) as SpdxDocument;
  assert.deepEqual(
    facts.componentRows.map((r) => `${r[0]} ${r[1]}`).sort(),
    source.packages!.map((p) => `${p.name} ${p.versionInfo}`).sort(),
  );

  const md = runCli(['report', sbom, '--markdown']);
  assert.equal(md.status, 0);
  assert.match(md.stdout, /^# SBOM report: /);
  for (const p of source.packages!) assert.match(md.stdout, new RegExp(`^\\| ${p.name} \\| ${p.versionInfo!.replace(/\./g, '\\.')} \\|`, 'm'));
});

test('report on a CPython-named artifact shows the release gate against its platform manifest', async (t) => {
  if (!requireTool(t, MINGW_GCC) || !requireTool(t, 'bsdtar') || !requireChromium(t)) return;
  const dir = await tempDir(t);
  const zip = zipDirectory(buildOpenSslRelease(join(dir, 'payload'), '3.0.15', '3 Sep 2024'), join(dir, 'python-3.13.0rc2-embed-amd64.zip'));
  const html = join(dir, 'python.html');
  const res = runCli(['report', zip, '-o', html]);
  assert.equal(res.status, 0, res.stderr);
  const { facts: byWidth } = await inspectInChromium(t, html, 'report-cpython-gate');
  assertFits(byWidth);
  const facts = byWidth.get(WIDTHS[0])!;
  assertAccessible(facts);
  assert.deepEqual(facts.headings.map((h) => h.text), ['SBOM report: python-3.13.0rc2-embed-amd64.zip', 'Summary', 'Release gate', 'Signatures', 'Validation', 'Component details', 'Containers']);
  // The payload has none of python313.dll, sqlite3.dll …: the manifest's required files are missing.
  assert.match(readFileSync(html, 'utf8'), /missing-file/);
  assert.ok(facts.componentRows.some((r) => /^openssl$/i.test(r[0]!) && r[1] === '3.0.15'));
});

test('HTML escapes what the SBOM says (a hostile package name cannot inject markup)', () => {
  const doc: SpdxDocument = {
    SPDXID: 'SPDXRef-DOCUMENT', spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', name: '<b>doc</b>',
    documentNamespace: 'https://example.com/x', creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: x'] },
    packages: [
      { SPDXID: 'SPDXRef-root', name: 'root<script>alert(1)</script>', downloadLocation: 'NONE', versionInfo: '1', supplier: 'Organization: A' },
      { SPDXID: 'SPDXRef-c', name: '"><img src=x onerror=alert(1)>', downloadLocation: 'NONE', versionInfo: '1|2', supplier: 'Organization: A', comment: 'x\n- a|b <i>' },
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-root' },
      { spdxElementId: 'SPDXRef-root', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-c' },
    ],
  };
  const json = doc as unknown as Record<string, unknown>;
  const view = viewOfSpdx2(json);
  const data = reportData(view, validateDocument(json, view));
  const html = renderHtmlReport(data);
  assert.doesNotMatch(html, /<script|<img|<i>|<b>doc/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  const md = renderMarkdownReport(data);
  assert.match(md, /\| 1\\\|2 \|/, 'a pipe in a cell is escaped');
});

/** Reports on a real-shaped artifact at both widths: fits, accessible, one row per component. */
async function reportFits(t: Ctx, artifact: string, name: string): Promise<void> {
  const html = join(await tempDir(t), `${name}.html`);
  const res = runCli(['report', artifact, '-o', html]);
  assert.equal(res.status, 0, res.stderr);
  const { facts: byWidth, requests } = await inspectInChromium(t, html, name);
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'no network requests');
  assertFits(byWidth);
  const facts = byWidth.get(WIDTHS[0])!;
  assertAccessible(facts);
  assert.equal(facts.headings[1]?.text, 'Summary', 'the summary comes first');
  assert.ok(facts.componentRows.length > 3, `components listed: ${facts.componentRows.length}`);
  assert.equal(facts.componentDetails.length, facts.componentRows.length, 'one details block per component');
  const md = runCli(['report', artifact, '--markdown']);
  assert.equal(md.status, 0, md.stderr);
  assert.equal((md.stdout.match(/^<details>/gm) ?? []).length, facts.componentRows.length);
}

test('report on a CPython-shaped MSI fits 1280 and 800 px', async (t) => {
  for (const tool of cpythonLayoutTools) if (!requireTool(t, tool)) return;
  if (!requireChromium(t)) return;
  const dir = await tempDir(t, 'isbom-report-msi-');
  const layout = readLayout();
  const msi = msiLayout(buildCpythonLayout(join(dir, 'stage'), layout), layout, join(dir, `python-${layout.version}-amd64.msi`));
  await reportFits(t, msi, 'report-msi');
});

test('report on a CPython-shaped macOS .pkg fits 1280 and 800 px', async (t) => {
  for (const tool of cpythonMacosTools) if (!requireTool(t, tool)) return;
  if (!llvmTool('llvm-lipo')) {
    if (process.env.CI) throw new Error('llvm-lipo missing');
    return t.skip('llvm-lipo missing');
  }
  if (!requireChromium(t)) return;
  const dir = await tempDir(t, 'isbom-report-pkg-');
  const spec = readMacLayout();
  const pkg = buildMacPkg(dir, buildMacFramework(dir, 'framework'), `python-${spec.version}-macos11`, 'pbzx', spec.version);
  await reportFits(t, pkg, 'report-pkg');
});

/** Every section filled, with the longest things a real report holds (deep paths, 64-hex hashes, many carriers). */
function everySection(): ReportData {
  const deep = 'Library/Frameworks/Python.framework/Versions/3.13/lib/python3.13/site-packages/pip/_vendor/certifi/very-long-directory-name-without-any-break-opportunity-at-all-0123456789abcdef/cacert.pem';
  const carriers = Array.from({ length: 7 }, (_, i) => `${deep.replace('cacert.pem', `lib${i}.dylib`)} (static link)`);
  return {
    title: 'python-3.13.0-macos11-with-a-rather-long-artifact-file-name-that-must-wrap-somewhere.pkg',
    documentName: 'x',
    created: '2024-01-01T00:00:00Z',
    creators: ['Tool: installer-sbom-0.1.0', 'Organization: Python Software Foundation'],
    root: { name: 'CPython', version: '3.13.0', sha256: 'ab'.repeat(32), purpose: 'INSTALL', supplier: 'Organization: Python Software Foundation' },
    tree: { name: 'python.pkg', path: '', format: 'xar', files: 1, sha256: 'cd'.repeat(32), children: [{ name: 'Python_Framework.pkg', path: deep, format: 'pkg', files: 4200, children: [] }] },
    components: [
      { name: 'OpenSSL', version: '3.0.15', status: 'corroborated', supplier: 'OpenSSL Software Foundation', cpe: 'cpe:2.3:a:openssl:openssl:3.0.15:*:*:*:*:*:*:*', purl: 'pkg:generic/openssl@3.0.15?download_url=https://www.openssl.org/source/openssl-3.0.15.tar.gz', carriers, evidence: Array.from({ length: 12 }, (_, i) => `${deep}: string "OpenSSL 3.0.15 3 Sep 2024" at 0x${(i * 4096).toString(16)} (__TEXT,__cstring, ascii)`) },
      { name: 'Tcl', version: '8.6.14', status: 'contradicted', statusNote: 'declared 8.6.13.0; the binaries show 8.6.14', carriers: carriers.slice(0, 1), evidence: [] },
      { name: 'hacl-star', version: 'f218923ef2417d963d7efc7951593ae6aef613f7', status: 'not-verifiable', carriers: [], evidence: [] },
      { name: 'libffi', version: '3.4.6', status: 'added', carriers: carriers.slice(2, 4), evidence: ['x'] },
    ],
    files: { count: 4200, binaries: 310, bytes: 191_000_000 },
    validation: { format: 'spdx-2.3', profile: 'ntia', valid: false, errors: [{ severity: 'error', check: 'ntia', element: `SPDXRef-File-${'a'.repeat(120)}`, message: 'package has no supplier' }], warnings: [] },
    gate: [{ kind: 'missing-file', component: 'sqlite', expected: deep, found: 'absent', where: deep }],
    signers: [
      { signer: 'Developer ID Installer: Python Software Foundation (BMM5U3QVKW)', status: 'valid', files: [deep] },
      { signer: 'Developer ID Application: Python Software Foundation (BMM5U3QVKW)', status: 'unexpected', files: carriers.map((c) => c.replace(/ \(.*$/, '')), note: 'the manifest names another team' },
    ],
    knownUnknowns: [{ what: 'container left unopened (7z)', where: `${deep}/inner.7z`, why: '7z is recognised but not read' }],
    warnings: [{ kind: 'no-supplier', message: 'the artifact states no supplier and --supplier was not given', where: deep }],
    vex: { source: 'cpython-3.13.0.openvex.json', statements: [{ vulnerability: 'CVE-2024-12345', component: 'OpenSSL', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }] },
    source: 'artifact',
  };
}

test('every section (signers, known unknowns, warnings, VEX, gate, statuses) renders and fits', async (t) => {
  const data = everySection();
  const text = renderHtmlReport(data);
  for (const id of ['components', 'signers', 'known-unknowns', 'warnings', 'vex', 'gate', 'component-details']) assert.match(text, new RegExp(`id="${id}`), id);
  assert.match(text, /Library\/<wbr>Frameworks\/<wbr>Python\.framework\//, 'paths break after slashes');
  assert.match(text, /<span class="status bad">contradicted<\/span> declared 8\.6\.13\.0/);
  assert.match(text, /<span title="[^"]*lib3\.dylib[^"]*">… and 4 more<\/span>/, 'what the summary leaves out is in a title');
  const md = renderMarkdownReport(data);
  for (const h of ['## Known unknowns', '## Warnings', '## Signatures', '## Vulnerability statements (VEX)', '## Release gate']) assert.ok(md.includes(h), h);
  assert.match(md, /^\| Tcl \| 8\.6\.14 \| contradicted \|/m);
  if (!requireChromium(t)) return;
  const html = join(await tempDir(t), 'every-section.html');
  writeFileSync(html, text);
  const { facts } = await inspectInChromium(t, html, 'report-every-section');
  assertFits(facts);
  assertAccessible(facts.get(WIDTHS[0])!);
});
