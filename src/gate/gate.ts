import { sameVersion } from '../bom/read/keys.js';
import type { Bom, ComponentPackage } from '../bom/model.js';
import type { CpythonCheck } from '../bom/cpython.js';
import type { ReconcileOutcome } from '../bom/reconcile.js';
import type { DeclaredPackage, SourceSboms } from '../bom/source-sbom.js';
import type { ManifestArtifact, ManifestComponent, PlatformManifest } from './manifest.js';

export type GateFindingKind = 'no-manifest' | 'missing-component' | 'missing-file' | 'unexpected-component' | 'version-drift';

export interface GateFinding {
  kind: GateFindingKind;
  component: string;
  expected?: string;
  found?: string;
  where?: string;
}

export interface GateResult {
  /** The manifest entry the artifact was checked against, when one applied. */
  manifest?: { file?: string; product: string; series: string; platform: string; kind: string; arch: string };
  findings: GateFinding[];
  passed: boolean;
}

export interface GateInput {
  manifest?: { manifest: PlatformManifest; artifact: ManifestArtifact };
  /** Lines naming every manifest the tool knows, for the `no-manifest` finding. */
  knownManifests: string[];
  outcomes: readonly ReconcileOutcome[];
  cpython?: CpythonCheck;
  sources?: SourceSboms;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function carriers(bom: Bom, cs: ComponentPackage[]): string {
  const refs = new Set(cs.map((c) => c.ref));
  const paths = new Map<string, string>([...bom.files.map((f) => [f.ref, f.path] as const), ...bom.containers.map((c) => [c.ref, c.path] as const)]);
  const found = bom.relationships
    .filter((r) => r.type !== 'depends-on' && (refs.has(r.to) || (refs.has(r.from) && r.type === 'contains')))
    .map((r) => paths.get(refs.has(r.to) ? r.from : r.to))
    .filter((p): p is string => !!p);
  return [...new Set(found)].slice(0, 3).join(', ');
}

/**
 * The release gate. It never passes what it did not check: a version the binaries show that
 * contradicts the declared one fails it whatever the manifest; an artifact no platform manifest
 * describes fails it with `no-manifest`; with a manifest, a required component or file missing, an
 * unexpected third-party component, or a version other than expected fails it.
 */
export function evaluateGate(bom: Bom, input: GateInput): GateResult {
  const findings: GateFinding[] = [];
  const byId = new Map<string, ComponentPackage[]>();
  for (const c of bom.components) byId.set(c.componentId, [...(byId.get(c.componentId) ?? []), c]);

  for (const o of input.outcomes) {
    if (o.status !== 'contradicted') continue;
    findings.push({ kind: 'version-drift', component: o.name, expected: `${o.declared} (${o.document})`, found: [...new Set(o.shipped)].join(', '), where: o.where.slice(0, 3).join(', ') });
  }
  if (input.cpython && input.cpython.shown.length > 0 && !input.cpython.agrees) {
    findings.push({ kind: 'version-drift', component: 'cpython', expected: `${input.cpython.version} (artifact name)`, found: [...new Set(input.cpython.shown)].join(', '), where: input.cpython.where.slice(0, 3).join(', ') });
  }

  const m = input.manifest;
  if (!m) {
    findings.push({ kind: 'no-manifest', component: bom.artifact.name, expected: 'a platform manifest for this artifact (--manifest FILE)', found: `none matches; known: ${input.knownManifests.join('; ')}` });
    return done(undefined, findings);
  }
  const paths = bom.files.map((f) => f.path);
  const present = (suffix: string) => paths.some((p) => p === suffix || p.endsWith(`/${suffix}`));
  const drifted = new Set(findings.map((f) => f.component));
  for (const mc of m.artifact.components) {
    const found = byId.get(mc.component) ?? [];
    const isPresent = mc.component === 'cpython' ? !!input.cpython?.found : found.length > 0;
    if (mc.required && !isPresent) findings.push({ kind: 'missing-component', component: mc.component, expected: 'present', found: 'not detected' });
    for (const f of mc.files) if (!present(f)) findings.push({ kind: 'missing-file', component: mc.component, expected: f, found: 'absent' });
    if (mc.component === 'cpython') continue;
    const expected = expectedVersion(mc, input.sources);
    const versions = found.map((c) => c.version).filter((v): v is string => v !== undefined);
    if (expected && versions.length > 0 && !versions.some((v) => sameVersion(v, expected)) && !drifted.has(mc.component) && !declaredNames(mc, input.sources).some((n) => drifted.has(n))) {
      findings.push({ kind: 'version-drift', component: mc.component, expected, found: [...new Set(versions)].join(', '), where: carriers(bom, found) });
    }
  }
  const listed = new Set(m.artifact.components.map((c) => c.component));
  for (const [id, cs] of byId) {
    // Python projects come from the pip wheel the manifest allows; declared-only packages are the source SBOM's own.
    if (listed.has(id) || id.startsWith('pypi/') || id.startsWith('declared:')) continue;
    findings.push({ kind: 'unexpected-component', component: id, found: cs.map((c) => c.version ?? 'NOASSERTION').join(', '), where: carriers(bom, cs) });
  }
  return done(m, findings);
}

function done(m: GateInput['manifest'], findings: GateFinding[]): GateResult {
  findings.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.component, b.component) || cmp(a.expected ?? '', b.expected ?? ''));
  return {
    ...(m ? { manifest: { product: m.manifest.product, series: m.manifest.series, platform: m.manifest.platform, kind: m.artifact.kind, arch: m.artifact.arch } } : {}),
    findings,
    passed: findings.length === 0,
  };
}

function declaredNames(mc: ManifestComponent, sources: SourceSboms | undefined): string[] {
  const e = mc.expectedVersion;
  return e && 'from' in e && e.from === 'source-sbom' ? (sources?.packages ?? []).filter((p) => p.pkg.name === e.name).map((p) => p.pkg.name) : [];
}

function expectedVersion(mc: ManifestComponent, sources: SourceSboms | undefined): string | undefined {
  const e = mc.expectedVersion;
  if (!e) return undefined;
  if ('literal' in e) return e.literal;
  if (e.from === 'artifact') return undefined;
  // Several declarations of one name (the in-tree and the external mpdecimal): the externals one ships.
  const declared: DeclaredPackage[] = sources?.packages.filter((p) => p.pkg.name === e.name) ?? [];
  const pick = declared.find((d) => d.origin === 'externals') ?? declared[0];
  return pick?.pkg.versionInfo;
}

/** Cells longer than their column end in an ellipsis, never silently cut. */
function cell(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

/** A short table for the terminal. */
export function formatGateTable(result: GateResult): string {
  if (result.passed) return 'gate: passed\n';
  const rows = result.findings.map((f) => [f.kind, f.component, f.expected ?? '', f.found ?? '', f.where ?? '']);
  const head = ['finding', 'component', 'expected', 'found', 'where'];
  const widths = head.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => `  ${r.map((c, i) => (i === r.length - 1 ? c : cell(c, widths[i]!))).join('  ').trimEnd()}\n`;
  return `gate: FAILED (${result.findings.length} finding(s))\n${line(head)}${rows.map(line).join('')}`;
}
