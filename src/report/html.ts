import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { formatBytes, type ReportContainer, type ReportData } from './report-data.js';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Long hashes and paths must wrap instead of widening the page. */
const code = (s: string) => `<code>${esc(s)}</code>`;

/** Evidence beyond this many lines per component goes into a <details> (readable without JS). */
const EVIDENCE_SHOWN = 3;

/*
 * Colours are chosen for WCAG AA contrast (≥ 4.5:1 for text): #1b1f24 on #ffffff is 16:1,
 * #0b5c2a on #e6f4ea is 7.1:1, #8a1c1c on #fbeaea is 7.4:1, #5c4300 on #fff4d6 is 8.3:1,
 * #4a5562 on #ffffff is 7.5:1.
 */
const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1f24; background: #ffffff; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; word-break: break-word; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
p.meta { color: #4a5562; margin: 0 0 1rem; }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #d0d7de; padding: .4rem .55rem; text-align: left; vertical-align: top; }
thead th { white-space: nowrap; }
td.name { min-width: 7rem; }
thead th { background: #f0f3f6; }
tbody tr:nth-child(even) { background: #f8fafc; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; word-break: break-word; }
.verdict { display: inline-block; padding: .2rem .6rem; border-radius: .3rem; font-weight: 700; }
.ok { background: #e6f4ea; color: #0b5c2a; }
.bad { background: #fbeaea; color: #8a1c1c; }
.warn { background: #fff4d6; color: #5c4300; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.25rem; }
ul.tree { padding-left: 0; }
ul.tree li { margin: .3rem 0; }
ul.tree li > ul { border-left: 2px solid #d0d7de; margin-left: .35rem; padding-left: 1rem; }
.muted { color: #4a5562; }
ul.evidence { margin: 0; padding-left: 1.1rem; }
details summary { cursor: pointer; color: #1b4f8a; }
footer { margin-top: 2.5rem; color: #4a5562; font-size: .9rem; }
`;

function creation(data: ReportData): string {
  const when = data.created ? `created ${esc(data.created)}` : 'no creation time stated';
  return data.creators.length > 0 ? `${when} by ${esc(data.creators.join(', '))}` : `${when}, no creators stated`;
}

function verdict(data: ReportData): string {
  const v = data.validation;
  if (!v.valid) return `<span class="verdict bad">Invalid: ${v.errors.length} error(s)</span>`;
  if (v.warnings.length > 0) return `<span class="verdict warn">Valid, ${v.warnings.length} warning(s)</span>`;
  return '<span class="verdict ok">Valid</span>';
}

function summary(data: ReportData): string {
  const rows: [string, string][] = [];
  const r = data.root;
  if (r) {
    rows.push(['Artifact', esc(r.name)]);
    if (r.version) rows.push(['Version', esc(r.version)]);
    if (r.purpose) rows.push(['Purpose', esc(r.purpose)]);
    if (r.supplier) rows.push(['Supplier', esc(r.supplier)]);
    if (r.sha256) rows.push(['SHA-256', code(r.sha256)]);
  }
  const size = data.files.bytes !== undefined ? `, ${formatBytes(data.files.bytes)} in all` : '';
  rows.push(['Files', `${data.files.count} (${data.files.binaries} binaries)${size}`]);
  const containers = data.tree ? countContainers(data.tree) - 1 : 0;
  rows.push(['Containers inside', String(containers)]);
  rows.push(['Components', String(data.components.length)]);
  rows.push(['Validation', verdict(data)]);
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function countContainers(n: ReportContainer): number {
  return 1 + n.children.reduce((s, c) => s + countContainers(c), 0);
}

function treeItem(n: ReportContainer): string {
  const facts = [
    n.format ? esc(n.format) : undefined,
    n.version ? `version ${esc(n.version)}` : undefined,
    `${n.files} file(s)${n.bytes !== undefined ? `, ${formatBytes(n.bytes)}` : ''}`,
    n.sha256 ? `SHA-256 ${code(n.sha256.slice(0, 16))}…` : undefined,
  ].filter(Boolean);
  const where = n.path ? ` <span class="muted">${code(n.path)}</span>` : '';
  const kids = n.children.length > 0 ? `<ul>${n.children.map(treeItem).join('')}</ul>` : '';
  return `<li><strong>${esc(n.name)}</strong>${where} <span class="muted">— ${facts.join(' · ')}</span>${kids}</li>`;
}

function componentsTable(data: ReportData): string {
  if (data.components.length === 0) return '<p>No third-party components were detected or stated.</p>';
  const rows = data.components.map((c) => {
    const ids = [c.cpe ? `CPE ${code(c.cpe)}` : '', c.purl ? `purl ${code(c.purl)}` : ''].filter(Boolean).join('<br>') || '<span class="muted">none</span>';
    // `path (relation)`: the path may wrap anywhere, the relation stays words.
    const carrier = (x: string) => {
      const i = x.lastIndexOf(' (');
      return i > 0 ? `${code(x.slice(0, i))} <span class="muted">${esc(x.slice(i + 1))}</span>` : code(x);
    };
    const found = c.carriers.length > 0 ? c.carriers.map(carrier).join('<br>') : '<span class="muted">not stated</span>';
    // A commit hash as version (hacl-star) must wrap; a dotted version must not.
    const version = c.version.length > 16 ? code(c.version) : esc(c.version);
    const shown = c.evidence.slice(0, EVIDENCE_SHOWN);
    const rest = c.evidence.slice(EVIDENCE_SHOWN);
    const list = (items: string[]) => `<ul class="evidence">${items.map((e) => `<li>${esc(e)}</li>`).join('')}</ul>`;
    const evidence =
      c.evidence.length === 0
        ? '<span class="muted">none recorded</span>'
        : list(shown) + (rest.length > 0 ? `<details><summary>${rest.length} more</summary>${list(rest)}</details>` : '');
    return `<tr><td class="name">${esc(c.name)}</td><td>${version}</td><td>${esc(c.supplier ?? '')}</td><td>${ids}</td><td>${found}</td><td>${evidence}</td></tr>`;
  });
  const head = ['Component', 'Version', 'Supplier', 'Identifiers', 'Found in', 'Evidence'].map((h) => `<th scope="col">${h}</th>`).join('');
  return `<table id="components"><caption>${data.components.length} component(s)</caption><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function findingsTable(caption: string, items: ReportData['validation']['errors']): string {
  if (items.length === 0) return '';
  const head = ['Check', 'Element', 'Message'].map((h) => `<th scope="col">${h}</th>`).join('');
  const rows = items.map((e) => `<tr><td>${esc(e.check)}</td><td>${code(e.element)}</td><td>${esc(e.message)}</td></tr>`).join('');
  return `<table><caption>${caption}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
}

function gateSection(data: ReportData): string[] {
  if (!data.gate) return [];
  if (data.gate.length === 0) return ['<h2 id="gate">Release gate</h2>', '<p><span class="verdict ok">Holds</span> — the platform manifest\'s requirements are met.</p>'];
  const head = ['Finding', 'Component', 'Expected', 'Found', 'Where'].map((h) => `<th scope="col">${h}</th>`).join('');
  const rows = data.gate
    .map((g) => `<tr><td>${esc(g.kind)}</td><td>${esc(g.component)}</td><td>${esc(g.expected ?? '')}</td><td>${esc(g.found ?? '')}</td><td>${g.where ? code(g.where) : ''}</td></tr>`)
    .join('');
  return [
    '<h2 id="gate">Release gate</h2>',
    `<p><span class="verdict bad">Fails: ${data.gate.length} finding(s)</span> — checked against the platform manifest.</p>`,
    `<table><caption>Gate findings</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`,
  ];
}

/**
 * One self-contained page: inline CSS, no scripts, no images, no external references, so it can be
 * archived as a CI artifact and opened offline. One h1, headings in order, tables with column
 * headers, a `lang`.
 */
export function renderHtmlReport(data: ReportData): string {
  const v = data.validation;
  const source = data.source === 'artifact' ? 'built from the artifact' : `read from the SBOM “${esc(data.documentName)}”`;
  const body = [
    `<h1>SBOM report: ${esc(data.title)}</h1>`,
    `<p class="meta">${source}; ${creation(data)}</p>`,
    '<h2 id="summary">Summary</h2>',
    summary(data),
    '<h2 id="validation">Validation</h2>',
    `<p>${verdict(data)} — SPDX 2.3 schema, identifiers, relationships and NTIA minimum elements.</p>`,
    findingsTable('Errors', v.errors),
    findingsTable('Warnings', v.warnings),
    ...gateSection(data),
    '<h2 id="containers">Containers</h2>',
    data.tree ? `<ul class="tree">${treeItem(data.tree)}</ul>` : '<p>The SBOM describes no package, so there is no container tree.</p>',
    '<h2 id="components-heading">Components</h2>',
    componentsTable(data),
    `<footer>Generated by ${TOOL_NAME} ${TOOL_VERSION}.</footer>`,
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>SBOM report: ${esc(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
