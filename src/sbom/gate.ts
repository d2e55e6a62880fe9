import type { Component } from '../detect/engine.js';
import type { Analysis } from '../pipeline.js';
import { sameVersion, type Reconciliation } from './cpython.js';
import type { ManifestArtifact } from './manifest.js';
import type { SourceSboms } from './source-sbom.js';

export type GateFindingKind = 'missing-component' | 'missing-file' | 'unexpected-component' | 'version-drift';

export interface GateFinding {
  kind: GateFindingKind;
  component: string;
  expected?: string;
  found?: string;
  where?: string;
}

function carriers(cs: Component[]): string {
  return [...new Set(cs.flatMap((c) => c.carriers.map((x) => x.file)))].slice(0, 3).join(', ');
}

/**
 * The release gate: what the platform manifest requires against what the binaries show, and what
 * the source SBOM declares against what ships. Every finding names the component and where.
 */
export function evaluateGate(
  analysis: Analysis,
  artifact: ManifestArtifact,
  opts: { cpythonVersion?: string; sources?: SourceSboms; reconciliations?: Reconciliation[] },
): GateFinding[] {
  const findings: GateFinding[] = [];
  const byId = new Map<string, Component[]>();
  for (const c of analysis.components) byId.set(c.identity.id, [...(byId.get(c.identity.id) ?? []), c]);
  const paths = analysis.files.filter((f) => f.kind === 'file' && !f.absent).map((f) => f.path);
  const present = (suffix: string) => paths.some((p) => p === suffix || p.endsWith(`/${suffix}`));

  for (const m of artifact.components) {
    const found = byId.get(m.component) ?? [];
    if (m.required && found.length === 0) findings.push({ kind: 'missing-component', component: m.component, expected: 'present', found: 'not detected' });
    for (const f of m.files) if (!present(f)) findings.push({ kind: 'missing-file', component: m.component, expected: f, found: 'absent' });
    const expected = expectedVersion(m.expectedVersion, opts);
    if (expected && found.length > 0) {
      const versions = found.map((c) => c.version).filter((v): v is string => !!v);
      const wrong = versions.filter((v) => !sameVersion(v, expected));
      if (wrong.length > 0 && !versions.some((v) => sameVersion(v, expected))) {
        findings.push({ kind: 'version-drift', component: m.component, expected, found: [...new Set(wrong)].join(', '), where: carriers(found) });
      }
    }
  }
  const listed = new Set(artifact.components.map((m) => m.component));
  for (const [id, cs] of byId) {
    if (!listed.has(id)) findings.push({ kind: 'unexpected-component', component: id, found: cs.map((c) => c.version ?? 'NOASSERTION').join(', '), where: carriers(cs) });
  }
  for (const r of opts.reconciliations ?? []) {
    if (r.status !== 'contradicted') continue;
    const id = r.shipped?.[0]?.identity.id ?? r.declared.pkg.name;
    if (findings.some((f) => f.kind === 'version-drift' && f.component === id)) continue;
    findings.push({ kind: 'version-drift', component: id, expected: `${r.declared.pkg.versionInfo} (${r.declared.document})`, found: (r.shipped ?? []).map((c) => c.version).join(', '), where: carriers(r.shipped ?? []) });
  }
  return findings.sort((a, b) => (a.kind + a.component < b.kind + b.component ? -1 : a.kind + a.component > b.kind + b.component ? 1 : 0));
}

function expectedVersion(e: ManifestArtifact['components'][number]['expectedVersion'], opts: { cpythonVersion?: string; sources?: SourceSboms }): string | undefined {
  if (!e) return undefined;
  if ('literal' in e) return e.literal;
  if (e.from === 'artifact') return opts.cpythonVersion;
  // Several declarations of one name (the in-tree and the external mpdecimal): the externals one ships.
  const declared = opts.sources?.packages.filter((p) => p.pkg.name === e.name) ?? [];
  const pick = declared.find((d) => d.origin === 'externals') ?? declared[0];
  return pick?.pkg.versionInfo;
}

/** A short table for the terminal. */
export function formatGateTable(findings: GateFinding[]): string {
  if (findings.length === 0) return 'gate: passed\n';
  const rows = findings.map((f) => [f.kind, f.component, f.expected ?? '', f.found ?? '', f.where ?? '']);
  const head = ['finding', 'component', 'expected', 'found', 'where'];
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => `  ${r.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i]!)).join('  ').trimEnd()}\n`;
  return `gate: FAILED (${findings.length} finding(s))\n${line(head)}${rows.map(line).join('')}`;
}
