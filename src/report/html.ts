import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { formatBytes, type ReportComponent, type ReportContainer, type ReportData } from './report-data.js';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Identifiers and hashes: wrap only where the column is too narrow for them. */
const code = (s: string) => `<code>${esc(s)}</code>`;

/** A path breaks after a slash first, so a reader sees whole directory names. */
const path = (s: string) => `<code>${esc(s).replace(/([/\\])/g, '$1<wbr>')}</code>`;

/** SPDX's NOASSERTION, said in words: no evidence showed a version. */
const version = (v: string) => (v === 'NOASSERTION' ? '<span class="muted" title="NOASSERTION: no evidence shows a version">no version</span>' : esc(v));

/** Something shortened for space: the ellipsis shows it, the title holds all of it. */
const shortened = (shown: string, full: string) => `<span title="${esc(full)}">${shown}</span>`;

/** Files listed in a summary row before the rest is counted (the details list them all). */
const WHERE_SHOWN = 3;

/*
 * Colours are chosen for WCAG AA contrast (≥ 4.5:1 for text): #1b1f24 on #ffffff is 16:1,
 * #0b5c2a on #e6f4ea is 7.1:1, #8a1c1c on #fbeaea is 7.4:1, #5c4300 on #fff4d6 is 8.3:1,
 * #4a5562 on #ffffff is 7.5:1, #1b4f8a on #ffffff is 8.4:1, #33414f on #eef1f4 is 9.6:1.
 * No line may widen the page: tables have a fixed layout and every cell may wrap (paths at their
 * slashes first), so the page fits 800 px as well as 1280 px.
 */
const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1b1f24; background: #ffffff; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; overflow-wrap: break-word; }
h2 { font-size: 1.25rem; margin: 2rem 0 .75rem; padding-bottom: .25rem; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
p, li, dd, td, th, summary { overflow-wrap: break-word; }
p.meta { color: #4a5562; margin: 0 0 1rem; }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; overflow-wrap: break-word; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; table-layout: fixed; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #d0d7de; padding: .4rem .55rem; text-align: left; vertical-align: top; }
thead th { background: #f0f3f6; }
tbody tr:nth-child(even) { background: #f8fafc; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .3rem 1.25rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; }
ul.verdicts { list-style: none; padding: 0; margin: 1rem 0; display: flex; flex-wrap: wrap; gap: .5rem 1rem; }
.verdict, .status { display: inline-block; max-width: 100%; border-radius: .3rem; font-weight: 700; }
.verdict { padding: .2rem .6rem; }
.status { padding: .05rem .35rem; font-size: .85em; }
.ok { background: #e6f4ea; color: #0b5c2a; }
.bad { background: #fbeaea; color: #8a1c1c; }
.warn { background: #fff4d6; color: #5c4300; }
.neutral { background: #eef1f4; color: #33414f; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 1.25rem; }
ul.tree { padding-left: 0; }
ul.tree li { margin: .3rem 0; }
ul.tree li > ul { border-left: 2px solid #d0d7de; margin-left: .35rem; padding-left: 1rem; }
.muted { color: #4a5562; }
ul.plain { margin: 0; padding-left: 1.1rem; }
details.component { border: 1px solid #d0d7de; border-radius: .3rem; padding: .4rem .7rem; margin: .5rem 0; }
details.component[open] > summary { margin-bottom: .5rem; }
details summary { cursor: pointer; color: #1b4f8a; }
a { color: #1b4f8a; }
footer { margin-top: 2.5rem; color: #4a5562; font-size: .9rem; }
`;

const STATUS_CLASS: Record<string, string> = {
  corroborated: 'ok', valid: 'ok', expected: 'ok', detected: 'neutral', added: 'neutral',
  contradicted: 'bad', invalid: 'bad', unexpected: 'bad', missing: 'bad',
  'not-shipped': 'neutral', 'not-verifiable': 'warn', unverified: 'warn', unsigned: 'warn',
  not_affected: 'ok', fixed: 'ok', affected: 'bad', under_investigation: 'warn',
};
const pill = (status: string) => `<span class="status ${STATUS_CLASS[status] ?? 'neutral'}">${esc(status)}</span>`;

function table(id: string | undefined, caption: string, columns: [string, number][], rows: string[][]): string {
  const cols = columns.map(([, w]) => `<col style="width:${w}%">`).join('');
  const head = columns.map(([h]) => `<th scope="col">${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table${id ? ` id="${id}"` : ''}><caption>${caption}</caption><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function creation(data: ReportData): string {
  const when = data.created ? `created ${esc(data.created)}` : 'no creation time stated';
  return data.creators.length > 0 ? `${when} by ${esc(data.creators.join(', '))}` : `${when}, no creators stated`;
}

function validationVerdict(data: ReportData): string {
  const v = data.validation;
  if (!v.valid) return `<span class="verdict bad">Invalid: ${v.errors.length} error(s)</span>`;
  if (v.warnings.length > 0) return `<span class="verdict warn">Valid, ${v.warnings.length} warning(s)</span>`;
  return '<span class="verdict ok">Valid</span>';
}

function gateVerdict(data: ReportData): string | undefined {
  if (!data.gate) return undefined;
  return data.gate.length === 0 ? '<span class="verdict ok">Holds</span>' : `<span class="verdict bad">Fails: ${data.gate.length} finding(s)</span>`;
}

/** Counts by status (`2 valid, 1 unsigned`), for verdict lines. */
function tally(statuses: string[]): string {
  const counts = new Map<string, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

function verdicts(data: ReportData): string {
  const items: [string, string][] = [['Validation', validationVerdict(data)]];
  const gate = gateVerdict(data);
  if (gate) items.push(['Release gate', gate]);
  if (data.signers) {
    const bad = data.signers.some((s) => STATUS_CLASS[s.status] === 'bad');
    items.push(['Signatures', `<span class="verdict ${bad ? 'bad' : 'neutral'}">${data.signers.length === 0 ? 'none' : esc(tally(data.signers.map((s) => s.status)))}</span>`]);
  }
  if (data.knownUnknowns) items.push(['Known unknowns', `<span class="verdict ${data.knownUnknowns.length > 0 ? 'warn' : 'ok'}">${data.knownUnknowns.length}</span>`]);
  if (data.warnings) items.push(['Warnings', `<span class="verdict ${data.warnings.length > 0 ? 'warn' : 'ok'}">${data.warnings.length}</span>`]);
  if (data.vex) items.push(['VEX', `<span class="verdict neutral">${data.vex.statements.length === 0 ? 'no statements' : esc(tally(data.vex.statements.map((s) => s.status)))}</span>`]);
  return `<ul class="verdicts">${items.map(([k, v]) => `<li>${k}: ${v}</li>`).join('')}</ul>`;
}

function facts(data: ReportData): string {
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
  rows.push(['Containers inside', String(data.tree ? countContainers(data.tree) - 1 : 0)]);
  rows.push(['Components', String(data.components.length)]);
  return `<dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function countContainers(n: ReportContainer): number {
  return 1 + n.children.reduce((s, c) => s + countContainers(c), 0);
}

/** `path (relation)` as the report data writes carriers: the path wraps, the relation stays words. */
function carrier(x: string): string {
  const i = x.lastIndexOf(' (');
  return i > 0 ? `${path(x.slice(0, i))} <span class="muted">${esc(x.slice(i + 1))}</span>` : path(x);
}

const anchor = (i: number) => `component-${i + 1}`;

function componentsSummary(data: ReportData): string {
  if (data.components.length === 0) return '<p>No third-party components were detected or stated.</p>';
  const rows = data.components.map((c, i) => {
    const where = c.carriers.slice(0, WHERE_SHOWN).map(carrier).join('<br>');
    const more = c.carriers.length - WHERE_SHOWN;
    const rest = more > 0 ? `<br>${shortened(`… and ${more} more`, c.carriers.slice(WHERE_SHOWN).join('\n'))}` : '';
    const status = c.status ? pill(c.status) : '<span class="muted">not stated</span>';
    return [`<a href="#${anchor(i)}">${esc(c.name)}</a>`, version(c.version), status, c.carriers.length > 0 ? where + rest : '<span class="muted">not stated</span>'];
  });
  return table('components', `${data.components.length} component(s)`, [['Component', 20], ['Version', 16], ['Status', 18], ['Where', 46]], rows);
}

function componentDetails(c: ReportComponent, i: number): string {
  const rows: [string, string][] = [];
  if (c.status) rows.push(['Status', `${pill(c.status)}${c.statusNote ? ` ${esc(c.statusNote)}` : ''}`]);
  if (c.supplier) rows.push(['Supplier', esc(c.supplier)]);
  if (c.cpe) rows.push(['CPE', code(c.cpe)]);
  if (c.purl) rows.push(['purl', code(c.purl)]);
  const list = (items: string[]) => `<ul class="plain">${items.map((x) => `<li>${x}</li>`).join('')}</ul>`;
  rows.push(['Found in', c.carriers.length > 0 ? list(c.carriers.map(carrier)) : '<span class="muted">not stated</span>']);
  rows.push(['Evidence', c.evidence.length > 0 ? list(c.evidence.map(esc)) : '<span class="muted">none recorded</span>']);
  const title = `<strong>${esc(c.name)}</strong> ${version(c.version)}${c.status ? ` ${pill(c.status)}` : ''} <span class="muted">— ${c.evidence.length} piece(s) of evidence</span>`;
  return `<details class="component" id="${anchor(i)}"><summary>${title}</summary><dl class="facts">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl></details>`;
}

function treeItem(n: ReportContainer): string {
  const bits = [
    n.format ? esc(n.format) : undefined,
    n.version ? `version ${esc(n.version)}` : undefined,
    `${n.files} file(s)${n.bytes !== undefined ? `, ${formatBytes(n.bytes)}` : ''}`,
    n.sha256 ? `SHA-256 ${shortened(code(`${n.sha256.slice(0, 16)}…`), n.sha256)}` : undefined,
  ].filter(Boolean);
  const where = n.path ? ` <span class="muted">${path(n.path)}</span>` : '';
  const kids = n.children.length > 0 ? `<ul>${n.children.map(treeItem).join('')}</ul>` : '';
  return `<li><strong>${esc(n.name)}</strong>${where} <span class="muted">— ${bits.join(' · ')}</span>${kids}</li>`;
}

function findingsTable(caption: string, items: ReportData['validation']['errors']): string {
  if (items.length === 0) return '';
  return table(undefined, caption, [['Check', 18], ['Element', 32], ['Message', 50]], items.map((e) => [esc(e.check), code(e.element), esc(e.message)]));
}

function gateSection(data: ReportData): string[] {
  if (!data.gate) return [];
  if (data.gate.length === 0) return ['<h2 id="gate">Release gate</h2>', '<p><span class="verdict ok">Holds</span> — the platform manifest\'s requirements are met.</p>'];
  const rows = data.gate.map((g) => [esc(g.kind), esc(g.component), g.expected ? path(g.expected) : '', g.found ? path(g.found) : '', g.where ? path(g.where) : '']);
  return [
    '<h2 id="gate">Release gate</h2>',
    `<p><span class="verdict bad">Fails: ${data.gate.length} finding(s)</span> — checked against the platform manifest.</p>`,
    table(undefined, 'Gate findings', [['Finding', 16], ['Component', 16], ['Expected', 18], ['Found', 18], ['Where', 32]], rows),
  ];
}

function signersSection(data: ReportData): string[] {
  if (!data.signers) return [];
  if (data.signers.length === 0) return ['<h2 id="signatures">Signatures</h2>', '<p>No file in the artifact is signed.</p>'];
  const rows = data.signers.map((s) => [esc(s.signer), `${pill(s.status)}${s.note ? ` ${esc(s.note)}` : ''}`, s.files.length > 0 ? s.files.map(path).join('<br>') : '<span class="muted">none</span>']);
  return ['<h2 id="signatures">Signatures</h2>', table('signers', `${data.signers.length} signer(s)`, [['Signer', 30], ['Status', 20], ['Files', 50]], rows)];
}

function knownUnknownsSection(data: ReportData): string[] {
  if (!data.knownUnknowns || data.knownUnknowns.length === 0) return [];
  const rows = data.knownUnknowns.map((k) => [esc(k.what), k.where ? path(k.where) : '', esc(k.why)]);
  return [
    '<h2 id="known-unknowns">Known unknowns</h2>',
    '<p>What could not be seen inside the artifact: the SBOM says so rather than leaving it out.</p>',
    table('known-unknowns-table', `${data.knownUnknowns.length} known unknown(s)`, [['What', 25], ['Where', 40], ['Why', 35]], rows),
  ];
}

function warningsSection(data: ReportData): string[] {
  if (!data.warnings || data.warnings.length === 0) return [];
  const rows = data.warnings.map((w) => [esc(w.kind), w.where ? path(w.where) : '', esc(w.message)]);
  return ['<h2 id="warnings">Warnings</h2>', table('warnings-table', `${data.warnings.length} warning(s)`, [['Kind', 20], ['Where', 35], ['Message', 45]], rows)];
}

function vexSection(data: ReportData): string[] {
  if (!data.vex) return [];
  const v = data.vex;
  const from = v.source ? ` from ${code(v.source)}` : '';
  if (v.statements.length === 0) return ['<h2 id="vex">Vulnerability statements (VEX)</h2>', `<p>No statements${from}.</p>`];
  const rows = v.statements.map((s) => [code(s.vulnerability), esc(s.component), pill(s.status), s.justification ? esc(s.justification) : '']);
  return ['<h2 id="vex">Vulnerability statements (VEX)</h2>', `<p>${v.statements.length} statement(s)${from}.</p>`, table('vex-table', 'VEX statements', [['Vulnerability', 22], ['Component', 22], ['Status', 20], ['Justification', 36]], rows)];
}

/**
 * One self-contained page: inline CSS, no scripts, no images, no external references, so it can be
 * archived as a CI artifact and opened offline. A summary a reader can stop after (verdicts and one
 * row per component), then the details, each component's evidence folded in a <details>. One h1,
 * headings in order, tables with column headers, a `lang`.
 */
export function renderHtmlReport(data: ReportData): string {
  const v = data.validation;
  const source = data.source === 'artifact' ? 'built from the artifact' : `read from the SBOM “${esc(data.documentName)}”`;
  const body = [
    `<h1>SBOM report: ${esc(data.title)}</h1>`,
    `<p class="meta">${source}; ${creation(data)}</p>`,
    '<h2 id="summary">Summary</h2>',
    facts(data),
    verdicts(data),
    componentsSummary(data),
    ...gateSection(data),
    ...knownUnknownsSection(data),
    ...warningsSection(data),
    ...signersSection(data),
    ...vexSection(data),
    '<h2 id="validation">Validation</h2>',
    `<p>${validationVerdict(data)} — SPDX 2.3 schema, identifiers, relationships and NTIA minimum elements.</p>`,
    findingsTable('Errors', v.errors),
    findingsTable('Warnings', v.warnings),
    '<h2 id="component-details">Component details</h2>',
    data.components.length > 0 ? data.components.map(componentDetails).join('\n') : '<p>None.</p>',
    '<h2 id="containers">Containers</h2>',
    data.tree ? `<ul class="tree">${treeItem(data.tree)}</ul>` : '<p>The SBOM describes no package, so there is no container tree.</p>',
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
