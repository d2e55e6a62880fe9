import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { formatBytes, type ReportContainer, type ReportData } from './report-data.js';

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const tick = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** Files listed in a summary row before the rest is counted (the details list them all). */
const WHERE_SHOWN = 3;

function tree(n: ReportContainer, depth: number, out: string[]): void {
  const facts = [n.format, n.version ? `version ${n.version}` : undefined, `${n.files} file(s)${n.bytes !== undefined ? `, ${formatBytes(n.bytes)}` : ''}`].filter(Boolean);
  out.push(`${'  '.repeat(depth)}- **${n.name}**${n.path ? ` ${tick(n.path)}` : ''} — ${facts.join(' · ')}`);
  for (const c of n.children) tree(c, depth + 1, out);
}

function rows(out: string[], head: string[], body: string[][]): void {
  out.push(`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`);
  for (const r of body) out.push(`| ${r.map(cell).join(' | ')} |`);
  out.push('');
}

/**
 * The report as GitHub-flavoured Markdown (a job summary, a PR comment): the summary and one row
 * per component first, then the details, each component's evidence folded in a <details>.
 */
export function renderMarkdownReport(data: ReportData): string {
  const v = data.validation;
  const out: string[] = [`# SBOM report: ${data.title}`, ''];
  out.push(`${data.created ? `Created ${data.created}` : 'No creation time stated'}${data.creators.length > 0 ? ` by ${data.creators.join(', ')}` : ', no creators stated'}.`, '');
  out.push('## Summary', '');
  if (data.root?.version) out.push(`- Version: ${data.root.version}`);
  if (data.root?.sha256) out.push(`- SHA-256: ${tick(data.root.sha256)}`);
  out.push(`- Files: ${data.files.count} (${data.files.binaries} binaries)${data.files.bytes !== undefined ? `, ${formatBytes(data.files.bytes)}` : ''}`);
  out.push(`- Components: ${data.components.length}`);
  out.push(`- Validation: ${v.valid ? 'valid' : `**invalid** (${v.errors.length} error(s))`}${v.warnings.length ? `, ${v.warnings.length} warning(s)` : ''}`);
  if (data.gate) out.push(`- Release gate: ${data.gate.length === 0 ? 'holds' : `**fails** (${data.gate.length} finding(s))`}`);
  if (data.knownUnknowns) out.push(`- Known unknowns: ${data.knownUnknowns.length}`);
  if (data.warnings) out.push(`- Warnings: ${data.warnings.length}`);
  if (data.signers) out.push(`- Signers: ${data.signers.length}`);
  if (data.vex) out.push(`- VEX statements: ${data.vex.statements.length}`);
  out.push('');

  if (data.components.length === 0) out.push('No third-party components.', '');
  else {
    rows(
      out,
      ['Component', 'Version', 'Status', 'Where'],
      data.components.map((c) => {
        const more = c.carriers.length - WHERE_SHOWN;
        const where = c.carriers.slice(0, WHERE_SHOWN).map(tick).join('<br>') + (more > 0 ? `<br>… and ${more} more` : '');
        return [c.name, c.version, c.status ?? '', where];
      }),
    );
  }

  if (data.gate && data.gate.length > 0) {
    out.push('## Release gate', '');
    for (const g of data.gate) out.push(`- ${g.kind}: ${g.component}${g.expected ? ` (expected ${g.expected})` : ''}${g.found ? ` found ${g.found}` : ''}${g.where ? ` at ${tick(g.where)}` : ''}`);
    out.push('');
  }
  if (data.knownUnknowns && data.knownUnknowns.length > 0) {
    out.push('## Known unknowns', '');
    rows(out, ['What', 'Where', 'Why'], data.knownUnknowns.map((k) => [k.what, k.where ? tick(k.where) : '', k.why]));
  }
  if (data.warnings && data.warnings.length > 0) {
    out.push('## Warnings', '');
    rows(out, ['Kind', 'Where', 'Message'], data.warnings.map((w) => [w.kind, w.where ? tick(w.where) : '', w.message]));
  }
  if (data.signers && data.signers.length > 0) {
    out.push('## Signatures', '');
    rows(out, ['Signer', 'Status', 'Files'], data.signers.map((s) => [s.signer, `${s.status}${s.note ? ` (${s.note})` : ''}`, s.files.map(tick).join('<br>')]));
  }
  if (data.vex && data.vex.statements.length > 0) {
    out.push('## Vulnerability statements (VEX)', '');
    rows(out, ['Vulnerability', 'Component', 'Status', 'Justification'], data.vex.statements.map((s) => [s.vulnerability, s.component, s.status, s.justification ?? '']));
  }

  out.push('## Validation', '');
  if (v.errors.length + v.warnings.length === 0) out.push('No errors or warnings.');
  for (const e of v.errors) out.push(`- error: ${e.check}: ${tick(e.element)}: ${e.message}`);
  for (const w of v.warnings) out.push(`- warning: ${w.check}: ${tick(w.element)}: ${w.message}`);
  out.push('');

  if (data.components.length > 0) {
    out.push('## Component details', '');
    for (const c of data.components) {
      out.push(`<details><summary>${escapeHtml(`${c.name} ${c.version}`)}${c.status ? ` (${escapeHtml(c.status)})` : ''}</summary>`, '');
      if (c.statusNote) out.push(`- Status: ${c.statusNote}`);
      if (c.supplier) out.push(`- Supplier: ${c.supplier}`);
      if (c.cpe) out.push(`- CPE: ${tick(c.cpe)}`);
      if (c.purl) out.push(`- purl: ${tick(c.purl)}`);
      out.push(`- Found in: ${c.carriers.length > 0 ? c.carriers.map(tick).join(', ') : 'not stated'}`);
      out.push(`- Evidence:${c.evidence.length > 0 ? '' : ' none recorded'}`);
      for (const e of c.evidence) out.push(`  - ${escapeHtml(e)}`);
      out.push('', '</details>', '');
    }
  }

  out.push('## Containers', '');
  if (data.tree) tree(data.tree, 0, out);
  else out.push('The SBOM describes no package.');
  out.push('', `_Generated by ${TOOL_NAME} ${TOOL_VERSION}._`, '');
  return out.join('\n');
}

/** A <summary> is HTML inside the Markdown: a name with `<` must not open a tag. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}
