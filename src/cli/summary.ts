import type { Analysis } from '../pipeline.js';

/** The readable table: component, version, strongest evidence, carrier file(s). */
export function printComponents(a: Analysis, out: NodeJS.WritableStream = process.stdout): void {
  if (a.components.length === 0) {
    out.write('  no third-party components detected\n');
    return;
  }
  const rows = a.components.map((c) => {
    const best = c.evidence.find((e) => e.version) ?? c.evidence[0];
    const evidence = best ? `${best.kind} "${truncate(best.text, 60)}" at ${best.location}` : '';
    const files = c.carriers.map((x) => `${x.file}${x.relation === 'static-link' ? ' (static)' : ''}`);
    const archs = c.archs.length > 0 ? ` [${c.archs.join(',')}]` : '';
    return [c.identity.name, (c.version ?? 'NOASSERTION') + archs, files.slice(0, 2).join(', ') + (files.length > 2 ? ` +${files.length - 2}` : ''), evidence];
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
