import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestContext } from 'node:test';
import { repoRoot, tempDir } from '../helpers/fixtures.js';
import { requireTool } from '../helpers/tools.js';

/** Debian's chromium, driven by playwright-core (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots are kept here (git-ignored) for a person to look at after the run. */
export const artifactsDir = join(repoRoot, 'test-artifacts');
/** A laptop and a narrow window: the report must fit both without a horizontal scroll bar. */
export const WIDTHS = [1280, 800] as const;

export function requireChromium(t: TestContext): boolean {
  return requireTool(t, CHROMIUM);
}

export interface PageFacts {
  lang: string;
  headings: { level: number; text: string }[];
  thWithoutScope: number;
  imagesWithoutAlt: number;
  componentRows: string[][];
  componentDetails: string[];
  lowContrast: string[];
  scripts: number;
  /** documentElement scrollWidth and clientWidth, with every <details> open. */
  scrollWidth: number;
  clientWidth: number;
  /** Elements whose content is cut off (overflow hidden/clip narrower than the content). */
  clipped: string[];
  /** Boxes whose content spills out of them (a word into the next table cell). */
  spilling: string[];
  /** Text that ends in an ellipsis with no title (on it or an ancestor) holding the whole. */
  ellipsisWithoutTitle: string[];
}

const READ_PAGE = `(() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
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
  const clipped = [];
  const spilling = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (getComputedStyle(el).display !== 'inline' && el.scrollWidth > el.clientWidth + 1) spilling.push(el.tagName + ' ' + el.scrollWidth + '>' + el.clientWidth + ' ' + el.textContent.slice(0, 60));
  }
  const ellipsisWithoutTitle = [];
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    if (['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) clipped.push(el.tagName + ' ' + el.textContent.slice(0, 60));
    if (style.textOverflow === 'ellipsis' && !el.closest('[title]')) ellipsisWithoutTitle.push(el.tagName + ' ' + el.textContent.slice(0, 60));
    const own = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('');
    if (!own.trim()) continue;
    if (/…/.test(own) && !el.closest('[title]') && !el.closest('details.component li')) ellipsisWithoutTitle.push(el.tagName + ' ' + own.slice(0, 60));
    const fg = lum(parse(style.color).slice(0, 3));
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
    componentDetails: [...document.querySelectorAll('details.component')].map((d) => d.innerText),
    lowContrast,
    scripts: document.scripts.length,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    clipped,
    spilling,
    ellipsisWithoutTitle,
  };
})()`;

/**
 * Opens a report in headless Debian Chromium with a fresh profile at each width, reads the rendered
 * page with every <details> open, and keeps a full-page screenshot per width as
 * test-artifacts/<name>-<width>.png, beside a copy of the page. Returns the facts per width and every URL the page requested.
 */
export async function inspectInChromium(t: TestContext, htmlPath: string, name: string): Promise<{ facts: Map<number, PageFacts>; requests: string[] }> {
  const { chromium } = await import('playwright-core');
  const profile = await tempDir(t, 'isbom-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    viewport: { width: WIDTHS[0], height: 900 },
  });
  const facts = new Map<number, PageFacts>();
  const requests: string[] = [];
  try {
    const page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    mkdirSync(artifactsDir, { recursive: true });
    copyFileSync(htmlPath, join(artifactsDir, `${name}.html`));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
      facts.set(width, (await page.evaluate(READ_PAGE)) as PageFacts);
      await page.screenshot({ path: join(artifactsDir, `${name}-${width}.png`), fullPage: true });
    }
  } finally {
    await context.close();
  }
  return { facts, requests };
}

/** No horizontal scrolling, nothing clipped, nothing shortened without its whole in a title. */
export function assertFits(facts: Map<number, PageFacts>): void {
  for (const [width, f] of facts) {
    assert.ok(f.scrollWidth <= f.clientWidth, `at ${width} px the page is ${f.scrollWidth} px wide in ${f.clientWidth} px`);
    assert.deepEqual(f.clipped, [], `at ${width} px nothing is clipped`);
    assert.deepEqual(f.spilling, [], `at ${width} px nothing spills out of its cell`);
    assert.deepEqual(f.ellipsisWithoutTitle, [], `at ${width} px every ellipsis has a title`);
  }
}

export function assertAccessible(facts: PageFacts): void {
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
