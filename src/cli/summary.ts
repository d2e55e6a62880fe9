import type { BuildOutput } from '../build.js';
import type { Bom, ComponentPackage } from '../bom/model.js';
import type { ValidationReport } from '../validate/index.js';
import type { JsonWarning } from './json-result.js';

/** Files and containers that carry a component, with how (the model's relationships read backwards). */
export function carrierPaths(bom: Bom, c: ComponentPackage): { path: string; relation: string }[] {
  const paths = new Map<string, string>([[bom.artifact.ref, bom.artifact.name], ...bom.files.map((f) => [f.ref, f.path] as const), ...bom.containers.map((x) => [x.ref, x.path] as const)]);
  const out: { path: string; relation: string }[] = [];
  for (const r of bom.relationships) {
    if (r.type === 'depends-on') continue;
    if (r.to === c.ref && paths.has(r.from)) out.push({ path: paths.get(r.from)!, relation: r.type });
    else if (r.from === c.ref && r.type === 'contains' && paths.has(r.to)) out.push({ path: paths.get(r.to)!, relation: 'contains' });
  }
  return out;
}

/** One row per component copy, as `--json` and the summary show them. */
export function componentRows(bom: Bom): { name: string; version: string; files: string[]; status?: string }[] {
  return bom.components.map((c) => ({
    name: c.name,
    version: c.version ?? 'NOASSERTION',
    files: [...new Set(carrierPaths(bom, c).filter((x) => x.relation !== 'dynamic-link').map((x) => x.path))],
    ...(c.declaration ? { status: c.declaration.status } : {}),
  }));
}

/** Known unknowns and the profile's findings on the written document, one warning each. */
export function buildWarnings(out: BuildOutput, validation: ValidationReport): JsonWarning[] {
  const warnings: JsonWarning[] = out.bom.knownUnknowns.map((u) => ({ kind: u.kind, message: `known unknown: ${u.reason}`, where: u.subject }));
  for (const w of out.analysis.warnings) warnings.push({ kind: 'unpack', message: w.message, where: w.path || out.analysis.artifactName });
  for (const f of [...validation.errors, ...validation.warnings]) warnings.push({ kind: f.check, message: f.message, where: f.element });
  if (!out.bom.artifact.supplier) warnings.push({ kind: 'hint', message: 'pass --supplier "Organization: NAME" for an artifact that does not name its supplier' });
  return warnings;
}

/** The readable table: component, version, strongest evidence, carrier file(s). */
export function printComponents(bom: Bom, out: NodeJS.WritableStream = process.stdout): void {
  if (bom.components.length === 0) {
    out.write('  no third-party components detected\n');
    return;
  }
  const rows = bom.components.map((c) => {
    const best = c.evidence.find((e) => e.version) ?? c.evidence[0];
    const evidence = best ? `${best.kind} "${truncate(best.text, 60)}" at ${best.location}` : '';
    const files = carrierPaths(bom, c).filter((x) => x.relation !== 'dynamic-link').map((x) => `${x.path}${x.relation === 'static-link' ? ' (static)' : ''}`);
    const archs = c.archs.length > 0 ? ` [${c.archs.join(',')}]` : '';
    return [c.name, (c.version ?? 'NOASSERTION') + archs, files.slice(0, 2).join(', ') + (files.length > 2 ? ` +${files.length - 2}` : ''), evidence];
  });
  const head = ['component', 'version', 'file', 'evidence'];
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => `  ${r.map((c, i) => (i < r.length - 1 ? truncate(c, widths[i]!).padEnd(widths[i]!) : c)).join('  ')}\n`;
  out.write(line(head));
  for (const r of rows) out.write(line(r));
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}
