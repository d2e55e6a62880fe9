import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, sharedDir, tempDir } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { requireTool } from '../helpers/tools.js';
import { buildOpenSslRelease, MINGW_GCC, zipDirectory } from '../fixtures-build/compare.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { renderMarkdownReport } from '../../src/report/markdown.js';
import { reportData } from '../../src/report/report-data.js';
import { viewOfSpdx2 } from '../../src/bom/read/spdx2.js';
import { validateDocument } from '../../src/validate/index.js';
import type { SpdxDocument } from '../../src/serialize/spdx2-types.js';

const CHROMIUM = '/usr/bin/chromium';
const artifactsDir = join(repoRoot, 'test-artifacts');

type Ctx = import('node:test').TestContext;

function requireChromium(t: Ctx): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} missing (.ci/run installs Debian chromium)`);
  t.skip(`${CHROMIUM} missing`);
  return false;
}

interface PageFacts {
  lang: string;
  headings: { level: number; text: string }[];
  thWithoutScope: number;
  imagesWithoutAlt: number;
  componentRows: string[][];
  lowContrast: string[];
  scripts: number;
}

/** Opens a file in headless Debian Chromium with a fresh profile, reads the rendered page, keeps a screenshot. */
async function inspectInChromium(t: Ctx, htmlPath: string, screenshot: string): Promise<{ facts: PageFacts; requests: string[] }> {
  const { chromium } = await import('playwright-core');
  const profile = await tempDir(t, 'isbom-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const facts = await page.evaluate(`(() => {
      const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
        }
        return [255, 255, 255];
      };
      const lowContrast = [];
      for (const el of document.body.querySelectorAll('*')) {
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own) continue;
        const fg = lum(parse(getComputedStyle(el).color).slice(0, 3));
        const bg = lum(background(el));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        if (ratio < 4.5) lowContrast.push(el.tagName + ' ' + ratio.toFixed(2) + ' ' + el.textContent.slice(0, 40));
      }
      return {
        lang: document.documentElement.lang,
        headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map((h) => ({ level: Number(h.tagName[1]), text: h.textContent.trim() })),
        thWithoutScope: [...document.querySelectorAll('thead th')].filter((th) => th.getAttribute('scope') !== 'col').length,
        imagesWithoutAlt: [...document.querySelectorAll('img')].filter((i) => !i.hasAttribute('alt')).length,
        componentRows: [...document.querySelectorAll('table#components tbody tr')].map((tr) => [...tr.cells].map((c) => c.innerText.trim())),
        lowContrast,
        scripts: document.scripts.length,
      };
    })()`) as PageFacts;
    mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    return { facts, requests };
  } finally {
    await context.close();
  }
}

function assertAccessible(facts: PageFacts): void {
  assert.equal(facts.lang, 'en');
  assert.equal(facts.headings.filter((h) => h.level === 1).length, 1, 'exactly one h1');
  assert.equal(facts.headings[0]!.level, 1, 'the h1 comes first');
  for (let i = 1; i < facts.headings.length; i++) {
    assert.ok(facts.headings[i]!.level <= facts.headings[i - 1]!.level + 1, `heading order skips a level at "${facts.headings[i]!.text}"`);
  }
  assert.equal(facts.thWithoutScope, 0, 'every column header has scope="col"');
  assert.equal(facts.imagesWithoutAlt, 0);
  assert.deepEqual(facts.lowContrast, [], 'text contrast at least 4.5:1');
  assert.equal(facts.scripts, 0, 'readable without JavaScript');
}

test('report renders in headless Chromium: components table, accessible, self-contained', async (t) => {
  if (!requireTool(t, MINGW_GCC) || !requireTool(t, 'bsdtar') || !requireChromium(t)) return;
  const dir = await tempDir(t);
  const zip = zipDirectory(buildOpenSslRelease(join(dir, 'release'), '3.0.13', '30 Jan 2024'), join(dir, 'demo-app-1.0.zip'));
  const html = join(dir, 'report.html');
  const res = runCli(['report', zip, '-o', html, '--supplier', 'Organization: Example Release Team']);
  assert.equal(res.status, 0, res.stdout + res.stderr);

  const text = readFileSync(html, 'utf8');
  assert.doesNotMatch(text, /<script|<link|<img|<iframe|\s(?:src|href)=/i, 'no scripts, stylesheets, images or references to load');

  const { facts, requests } = await inspectInChromium(t, html, join(artifactsDir, 'report-artifact.png'));
  assert.deepEqual(requests.filter((u) => !u.startsWith('file:')), [], 'no network requests');
  assertAccessible(facts);
  assert.deepEqual(facts.headings.map((h) => h.text), ['SBOM report: demo-app-1.0.zip', 'Summary', 'Validation', 'Containers', 'Components']);
  assert.equal(facts.componentRows.length, 1);
  const [name, version, , ids, found, evidence] = facts.componentRows[0]!;
  assert.equal(name, 'OpenSSL');
  assert.equal(version, '3.0.13', 'the version compiled into the fixture DLL');
  assert.match(ids!, /cpe:2\.3:a:openssl:openssl:3\.0\.13/);
  assert.match(found!, /bin\/libcrypto-3-x64\.dll \(contains\)/);
  assert.match(evidence!, /OpenSSL 3\.0\.13 30 Jan 2024/);
});

test('report on an SBOM file (CPython-style, no files) and --markdown', async (t) => {
  if (!requireChromium(t)) return;
  const dir = await tempDir(t);
  const sbom = join(sharedDir, 'cpython-sbom-inputs', '3.12.6', 'sbom.spdx.json');
  const html = join(dir, 'cpython.html');
  const res = runCli(['report', sbom, '-o', html]);
  assert.equal(res.status, 0, res.stderr);
  const { facts } = await inspectInChromium(t, html, join(artifactsDir, 'report-cpython-source-sbom.png'));
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
  const { facts } = await inspectInChromium(t, html, join(artifactsDir, 'report-cpython-gate.png'));
  assertAccessible(facts);
  assert.deepEqual(facts.headings.map((h) => h.text), ['SBOM report: python-3.13.0rc2-embed-amd64.zip', 'Summary', 'Validation', 'Release gate', 'Containers', 'Components']);
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
