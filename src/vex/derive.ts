import type { BomView } from '../bom/view.js';
import { cpeVendorProduct, nameKey, purlName } from '../bom/read/keys.js';
import { createdTimestamp } from '../bom/document-info.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { GitTagMap } from './git-tags.js';
import type { VexComponent, VexDocument, VexProduct, VexStatement, VexVulnerability } from './model.js';
import type { Advisory, AffectedEntry } from './osv.js';
import { evaluateEntry, worst, type Verdict } from './ranges.js';
import type { HumanStatement } from './statements-file.js';
import { compareVersions } from './version-order.js';

export interface DeriveOptions {
  /** Ancestry facts for GIT ranges (`--git-tags`); without them GIT ranges are not evaluable. */
  gitTags?: readonly GitTagMap[];
  /** The security team's statements; they override derived ones. */
  statements?: readonly HumanStatement[];
  /** Document author (default: the tool). */
  author?: string;
  /** ISO timestamp; default from SOURCE_DATE_EPOCH, else now. */
  timestamp?: string;
}

export interface DerivedVex {
  document: VexDocument;
  /** Advisories that could not be evaluated, statements that did not apply: one sentence each. */
  warnings: string[];
}

/** What a statement can be about: the artifact, a shipped component, or a declared-but-absent package. */
interface Subject {
  kind: 'product' | 'component' | 'absent';
  label: string;
  version?: string;
  /** What a source SBOM declares, when no file shows the version. */
  declaredVersion?: string;
  keys: Set<string>;
  carriers: string[];
  evidence: string[];
  note?: string;
  /** Undefined for the product. */
  component?: VexComponent;
}

/**
 * Repositories whose GIT ranges are about a component that SBOMs name otherwise (CPython's SBOMs
 * give `cpe:…:python:python` and `pkg:generic/cpython`, the PSF database only the repository).
 */
const KNOWN_REPOS: Record<string, string[]> = {
  'github.com/python/cpython': ['cpe:python:python', 'purl:generic/cpython', 'name:cpython'],
};

function keysOf(name: string, purl: string | undefined, cpes: readonly string[]): Set<string> {
  const keys = new Set([`name:${nameKey(name)}`]);
  const p = purl ? purlName(purl) : undefined;
  if (p) keys.add(`purl:${p}`).add(`name:${nameKey(p.slice(p.lastIndexOf('/') + 1))}`);
  for (const c of cpes) {
    const vp = cpeVendorProduct(c);
    if (vp) keys.add(`cpe:${vp}`).add(`name:${nameKey(vp.split(':')[1]!)}`);
  }
  return keys;
}

function repoKeys(repo: string): string[] {
  const gh = /^github\.com\/([^/]+\/[^/]+)$/.exec(repo);
  return [...(KNOWN_REPOS[repo] ?? []), ...(gh ? [`purl:github/${gh[1]}`] : [])];
}

function matches(entry: AffectedEntry, keys: Set<string>): boolean {
  return (
    entry.purls.some((p) => keys.has(`purl:${p}`)) ||
    entry.cpes.some((c) => keys.has(`cpe:${c}`)) ||
    entry.names.some((n) => keys.has(`name:${n}`)) ||
    entry.repos.some((r) => repoKeys(r).some((k) => keys.has(k)))
  );
}

function productOf(view: BomView): VexProduct {
  const root = view.root;
  if (!root) return { name: view.name, cpes: [], ref: 'document' };
  const sha256 = root.checksums['SHA256'];
  return {
    name: root.name,
    ...(root.version ? { version: root.version } : {}),
    ...(root.fileName ? { fileName: root.fileName } : {}),
    ...(root.purl ? { purl: root.purl } : {}),
    cpes: [...root.cpes].sort(),
    ...(sha256 ? { sha256 } : {}),
    ref: root.id,
    ...(root.purpose ? { purpose: root.purpose } : {}),
  };
}

function subjectsOf(view: BomView, product: VexProduct): Subject[] {
  const label = (name: string, version?: string) => (version ? `${name} ${version}` : name);
  const out: Subject[] = [];
  if (view.root) {
    out.push({ kind: 'product', label: label(product.name, product.version), ...(product.version ? { version: product.version } : {}), keys: keysOf(product.name, product.purl, product.cpes), carriers: [], evidence: [] });
  }
  for (const c of view.components) {
    const component: VexComponent = { name: c.name, ...(c.version ? { version: c.version } : {}), ...(c.purl ? { purl: c.purl } : {}), cpes: [...c.cpes].sort(), ref: c.id, shipped: true };
    out.push({
      kind: 'component',
      label: label(c.name, c.version),
      ...(c.version ? { version: c.version } : {}),
      ...(!c.version && c.declaredVersion ? { declaredVersion: c.declaredVersion } : {}),
      keys: keysOf(c.name, c.purl, c.cpes),
      // Files that hold a copy; a binary that only imports the library is not one of them.
      carriers: [...new Set(c.carriers.filter((x) => x.relation !== 'dynamic-link').map((x) => (x.relation === 'contains' ? x.path : `${x.path} (${x.relation})`)))].sort(),
      evidence: c.evidence,
      ...(c.reconciliation ? { note: `${c.reconciliation.status}: ${c.reconciliation.note}` } : {}),
      component,
    });
  }
  for (const d of view.declaredAbsent) {
    const ref = `declared:${d.name}@${d.version ?? 'NOASSERTION'}`;
    const component: VexComponent = { name: d.name, ...(d.version ? { version: d.version } : {}), ...(d.purl ? { purl: d.purl } : {}), cpes: [...d.cpes].sort(), ref, shipped: false };
    out.push({ kind: 'absent', label: label(d.name, d.version), ...(d.version ? { version: d.version } : {}), keys: keysOf(d.name, d.purl, d.cpes), carriers: [], evidence: [], note: d.note, component });
  }
  return out;
}

const sentence = (s: string) => (/[.!?)]$/.test(s) ? s : `${s}.`);

function carriedBy(s: Subject): string {
  if (s.kind === 'product') return '';
  const files = s.carriers.length > 0 ? `Carried by ${s.carriers.join(', ')}.` : 'No file of the artifact is recorded as carrying it.';
  const evidence = s.evidence.length > 0 ? ` Evidence: ${s.evidence.join('; ')}.` : '';
  const note = s.note ? ` Source SBOM: ${sentence(s.note)}` : '';
  return ` ${files}${evidence}${note}`;
}

function source(a: Advisory): string {
  return `OSV record ${a.id} (modified ${a.modified})`;
}

/** The statement the evidence supports for one advisory and one subject. */
function deriveOne(a: Advisory, s: Subject, verdict: Verdict | undefined, vulnerability: VexVulnerability, ifDeclared?: Verdict): VexStatement {
  const base = { vulnerability, ...(s.component ? { component: s.component } : {}), origin: 'evidence' as const };
  if (s.kind === 'absent') {
    return { ...base, status: 'not_affected', justification: 'component_not_present', impactStatement: `${s.label} is declared by the source SBOM but not shipped in this artifact (${s.note}).` };
  }
  if (!verdict) {
    const declared = ifDeclared ? ` The source SBOM declares ${s.declaredVersion}, for which the advisory says: ${ifDeclared.detail}.` : '';
    return { ...base, status: 'under_investigation', statusNotes: `No version of ${s.label} is evidenced in this artifact, so ${source(a)} cannot be evaluated against what it ships.${declared}${carriedBy(s)}` };
  }
  const finding = `${s.label}: ${verdict.detail}, per ${source(a)}.`;
  switch (verdict.status) {
    case 'affected':
      return { ...base, status: 'affected', actionStatement: sentence(`${s.label}: ${verdict.remedy}${s.carriers.length > 0 ? `; files that carry it: ${s.carriers.join(', ')}` : ''}`), statusNotes: `${finding}${carriedBy(s)}` };
    case 'fixed':
      return { ...base, status: 'fixed', statusNotes: `${finding}${carriedBy(s)}` };
    case 'not_affected':
      return { ...base, status: 'not_affected', impactStatement: finding, ...(s.kind === 'product' ? {} : { statusNotes: carriedBy(s).trim() }) };
    case 'unknown':
      return { ...base, status: 'under_investigation', statusNotes: `${source(a)} could not be evaluated for ${s.label}: ${verdict.detail}.${carriedBy(s)}` };
  }
}

const STATUS_RANK: Record<VexStatement['status'], number> = { affected: 3, under_investigation: 2, fixed: 1, not_affected: 0 };

function statementKey(vulnerability: string, s: { component?: VexComponent }): string {
  return `${vulnerability}\u0000${s.component?.ref ?? ''}`;
}

/** Human statements replace derived ones; those about what the artifact does not ship only warn. */
function applyStatements(
  statements: Map<string, VexStatement>,
  human: readonly HumanStatement[],
  subjects: Subject[],
  product: VexProduct,
  vulnerabilityOf: (name: string) => VexVulnerability,
  warn: (m: string) => void,
): void {
  for (const h of human) {
    if (h.artifact && ![product.fileName, product.name, product.sha256].some((x) => x && x.toLowerCase() === h.artifact!.toLowerCase())) continue;
    const what = h.component ? [h.component.name, h.component.purl, h.component.cpe].filter(Boolean).join(' / ') : 'the product';
    const wanted = h.component ? keysOf(h.component.name ?? '', h.component.purl, h.component.cpe ? [h.component.cpe] : []) : undefined;
    if (wanted && !h.component!.name) wanted.delete('name:');
    const named = subjects.filter((s) => (wanted ? s.kind !== 'product' && [...wanted].some((k) => s.keys.has(k)) : s.kind === 'product'));
    const shipped = named.filter((s) => s.kind !== 'absent');
    if (shipped.length === 0) {
      warn(`${h.origin} (${h.vulnerability}): ${what} is not shipped in this artifact${named.length > 0 ? ' (declared by the source SBOM only)' : ''}; statement not applied`);
      continue;
    }
    const targets = h.version ? shipped.filter((s) => s.version && compareVersions(s.version, h.version!) === 0) : shipped;
    if (targets.length === 0) {
      warn(`${h.origin} (${h.vulnerability}): this artifact ships ${shipped.map((s) => s.label).join(', ')}, not version ${h.version}; statement not applied`);
      continue;
    }
    const vulnerability = vulnerabilityOf(h.vulnerability);
    for (const s of targets) {
      const key = statementKey(vulnerability.name, s);
      const derived = statements.get(key);
      const replaced = derived ? ` It replaces the statement derived from the evidence (${derived.status}).` : '';
      statements.set(key, {
        vulnerability,
        ...(s.component ? { component: s.component } : {}),
        status: h.status,
        ...(h.justification ? { justification: h.justification } : {}),
        ...(h.impact_statement ? { impactStatement: h.impact_statement } : {}),
        ...(h.action_statement ? { actionStatement: h.action_statement } : {}),
        statusNotes: `${h.status_notes ? sentence(h.status_notes) + ' ' : ''}Stated in ${h.origin}.${replaced}`,
        origin: 'statements-file',
      });
    }
  }
}

/**
 * The VEX statements the evidence supports: every advisory against every part of the artifact it
 * names (by purl, CPE, name or repository), then the security team's statements on top.
 */
export function deriveVex(view: BomView, advisories: readonly Advisory[], options: DeriveOptions = {}): DerivedVex {
  const warnings: string[] = [];
  const product = productOf(view);
  const subjects = subjectsOf(view, product);

  // Records from several databases may name one CVE: one vulnerability, every id as an alias.
  const vulnerabilities = new Map<string, VexVulnerability>();
  for (const a of advisories) {
    const v = vulnerabilities.get(a.name) ?? { name: a.name, aliases: [], ...(a.summary ? { summary: a.summary } : {}) };
    v.aliases = [...new Set([...v.aliases, a.id, ...a.aliases])].filter((x) => x !== a.name).sort();
    vulnerabilities.set(a.name, v);
  }
  const vulnerabilityOf = (id: string): VexVulnerability => {
    const up = id.toUpperCase();
    return [...vulnerabilities.values()].find((v) => v.name.toUpperCase() === up || v.aliases.some((x) => x.toUpperCase() === up)) ?? { name: id, aliases: [] };
  };

  const statements = new Map<string, VexStatement>();
  for (const a of advisories) {
    const vulnerability = vulnerabilities.get(a.name)!;
    for (const s of subjects) {
      const entries = a.affected.filter((e) => matches(e, s.keys));
      if (entries.length === 0) continue;
      const evaluate = (version: string) => worst(entries.map((e) => evaluateEntry(e, version, options.gitTags)));
      const verdict = s.version ? evaluate(s.version) : undefined;
      if (verdict?.status === 'unknown') warnings.push(`${a.id}: not evaluable for ${s.label}: ${verdict.detail}`);
      const statement = deriveOne(a, s, verdict, vulnerability, s.declaredVersion ? evaluate(s.declaredVersion) : undefined);
      const key = statementKey(a.name, statement);
      const seen = statements.get(key);
      if (!seen || STATUS_RANK[statement.status] > STATUS_RANK[seen.status]) statements.set(key, statement);
    }
  }
  applyStatements(statements, options.statements ?? [], subjects, product, vulnerabilityOf, (m) => warnings.push(m));

  const sorted = [...statements.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  return {
    document: {
      product,
      statements: sorted,
      timestamp: options.timestamp ?? createdTimestamp(),
      author: options.author ?? `${TOOL_NAME}-${TOOL_VERSION}`,
      tooling: `${TOOL_NAME}-${TOOL_VERSION}`,
    },
    warnings,
  };
}
