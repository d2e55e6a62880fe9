import { sameVersion } from '../bom/read/keys.js';
import type { Bom, ComponentPackage } from '../bom/model.js';
import type { CpythonCheck } from '../bom/cpython.js';
import type { ReconcileOutcome } from '../bom/reconcile.js';
import type { DeclaredPackage, SourceSboms } from '../bom/source-sbom.js';
import type { SignatureFacts } from '../inspect/types.js';
import type { ManifestArtifact, ManifestComponent, PlatformManifest, SigningExpectations } from './manifest.js';

export type GateFindingKind = 'no-manifest' | 'missing-component' | 'missing-file' | 'unexpected-component' | 'version-drift' | 'signature-broken' | 'unsigned' | 'unexpected-signer';

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
 * contradicts the declared one, or a signature that no longer matches the bytes, fails it whatever
 * the manifest; an artifact no platform manifest describes fails it with `no-manifest`; with a
 * manifest, a required component or file missing, an unexpected third-party component, a version
 * other than expected, or a binary unsigned or signed by someone the manifest does not name fails it.
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

  findings.push(...brokenSignatures(bom));
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
  if (m.artifact.signing) findings.push(...signerFindings(bom, m.artifact.signing));
  return done(m, findings);
}

/** A glob over artifact paths: without `/` it matches the file name; `*` stays within a name, `**` crosses directories. */
export function globMatches(glob: string, path: string): boolean {
  const subject = glob.includes('/') ? path : path.slice(path.lastIndexOf('/') + 1);
  const re = glob
    .split('**')
    .map((part) => part.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*'))
    .join('.*');
  return new RegExp(glob.includes('/') ? `(?:^|/)${re}$` : `^${re}$`, 'i').test(subject);
}

function signerName(s: SignatureFacts): string {
  return s.signer ? (s.signer.commonName ?? s.signer.organization ?? s.signer.subject) : s.status === 'ad-hoc' ? 'ad hoc (no signer)' : 'no signer';
}

/** Accepted when the signing certificate's subject (CN or O) contains the expected name. */
function signedBy(s: SignatureFacts, expected: string): boolean {
  const want = expected.toLowerCase();
  return !!s.signer && [s.signer.commonName, s.signer.organization, s.signer.subject].some((x) => x?.toLowerCase().includes(want));
}

/** A signature whose digest no longer matches the bytes, or that cannot be read, fails the gate whatever the manifest. */
function brokenSignatures(bom: Bom): GateFinding[] {
  const out: GateFinding[] = [];
  const targets = [{ path: bom.artifact.fileName ?? bom.artifact.name, signatures: bom.artifact.signatures }, ...bom.containers.map((c) => ({ path: c.path, signatures: c.signatures })), ...bom.files];
  for (const t of targets) {
    for (const s of t.signatures) {
      if (s.status !== 'modified-after-signing' && s.status !== 'unreadable') continue;
      out.push({ kind: 'signature-broken', component: t.path, expected: 'a signature that matches the bytes', found: `${s.kind} ${s.status}${s.problem ? `: ${s.problem}` : ''}`, where: t.path });
    }
  }
  return out;
}

/**
 * Every binary a signing rule names is signed, and only by a signer the rule accepts; every slice
 * of a universal Mach-O counts (an ad-hoc slice has no signer). The artifact's own signature is
 * checked against `artifact` when the manifest names its signers.
 */
function signerFindings(bom: Bom, expect: SigningExpectations): GateFinding[] {
  const out: GateFinding[] = [];
  const check = (path: string, signatures: readonly SignatureFacts[], signers: readonly string[], mayBeUnsigned: boolean) => {
    const unsignedParts = signatures.length === 0 || signatures.some((s) => !s.signer);
    if (unsignedParts && !mayBeUnsigned) {
      out.push({ kind: 'unsigned', component: path, expected: `signed by ${signers.join(' or ')}`, found: signatures.length === 0 ? 'unsigned' : signatures.map(signerName).join(', '), where: path });
      return;
    }
    const others = signatures.filter((s) => s.signer && !signers.some((n) => signedBy(s, n)));
    if (others.length > 0) out.push({ kind: 'unexpected-signer', component: path, expected: `signed by ${signers.join(' or ')}`, found: [...new Set(others.map(signerName))].join(', '), where: path });
  };
  for (const f of bom.files) {
    if (!f.fileKind.executable) continue;
    const rule = expect.rules.find((r) => r.files.some((g) => globMatches(g, f.path)));
    if (!rule) continue;
    check(f.path, f.signatures, rule.signers, (expect.allowUnsigned ?? []).some((g) => globMatches(g, f.path)));
  }
  if (expect.artifact) check(bom.artifact.fileName ?? bom.artifact.name, bom.artifact.signatures, expect.artifact, false);
  return out;
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
