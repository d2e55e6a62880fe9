import { signableWholes, type BomView, type ViewContainer, type ViewFile, type ViewSignature } from '../bom/view.js';
import type { GateFinding } from '../gate/gate.js';
import type { ValidationReport } from '../validate/index.js';

export interface ReportContainer {
  name: string;
  /** Path inside the artifact ('' for the artifact itself). */
  path: string;
  format?: string;
  version?: string;
  sha256?: string;
  /** Files directly inside it. */
  files: number;
  /** Their total size, when known (an analysis was at hand; SPDX files carry no size). */
  bytes?: number;
  children: ReportContainer[];
}

/**
 * How a component stands against what was declared: `corroborated` (declared and shown),
 * `contradicted` (shown at another version), `added` (shown, not declared), `not-shipped`,
 * `not-verifiable` (no version mark in the bytes), `detected` (no declaration to compare with).
 * Other values are shown as they are.
 */
export type ComponentStatus = 'corroborated' | 'contradicted' | 'added' | 'not-shipped' | 'not-verifiable' | 'detected' | (string & {});

export interface ReportComponent {
  name: string;
  version: string;
  status?: ComponentStatus;
  /** Why it has that status (`declared 8.6.13, the binaries show 8.6.14`). */
  statusNote?: string;
  supplier?: string;
  cpe?: string;
  purl?: string;
  /** Files that carry it, with how (`contains`, `static link`, `dynamic link`). */
  carriers: string[];
  /** One line per piece of evidence. */
  evidence: string[];
}

/** One signer and the files it signs (Authenticode, Mach-O code signature, pkg signature). */
export interface ReportSigner {
  signer: string;
  /** `valid`, `expected`, `unexpected`, `missing`, `unsigned`, `unverified` … as the checks found. */
  status: string;
  files: string[];
  note?: string;
}

/** What could not be seen (a container left unopened, a member in an unsupported method …). */
export interface ReportKnownUnknown {
  what: string;
  where?: string;
  why: string;
}

export interface ReportWarning {
  kind: string;
  message: string;
  where?: string;
}

/** A VEX document's statements about this artifact's components. */
export interface ReportVex {
  /** Where the statements came from (a file name, a document id). */
  source?: string;
  statements: { vulnerability: string; component: string; status: string; justification?: string }[];
}

/** Everything a report shows. */
export interface ReportData {
  title: string;
  documentName: string;
  created: string;
  creators: string[];
  root?: { name: string; version?: string; sha256?: string; purpose?: string; supplier?: string };
  tree?: ReportContainer;
  components: ReportComponent[];
  files: { count: number; binaries: number; bytes?: number };
  validation: ValidationReport;
  /** Release-gate findings against the platform manifest; undefined when no manifest applied. */
  gate?: GateFinding[];
  signers?: ReportSigner[];
  knownUnknowns?: ReportKnownUnknown[];
  warnings?: ReportWarning[];
  vex?: ReportVex;
  /** Whether it was built from the artifact just now, or read from an SBOM. */
  source: 'artifact' | 'sbom';
}

const RELATION_WORDS: Record<string, string> = { contains: 'contains', 'static-link': 'static link', 'dynamic-link': 'dynamic link' };

/** What a report may know beyond the document when it built the SBOM from the artifact just now. */
export interface ReportExtras {
  /** File sizes by path (SBOM formats do not all carry them). */
  sizes?: Map<string, number>;
  gate?: GateFinding[];
  /** The build's warnings (known unknowns and profile findings), when the artifact was built just now. */
  warnings?: ReportWarning[];
  /** A VEX document's statements, when one was given (`report --vex FILE`). */
  vex?: ReportVex;
  /** Used when the document names nothing (CPython's Misc/ SBOMs). */
  fallbackTitle?: string;
  fromArtifact?: boolean;
}

/** Everything a report shows, from the neutral view of an SBOM in any format. */
export function reportData(view: BomView, validation: ValidationReport, extras: ReportExtras = {}): ReportData {
  const sizes = extras.sizes ?? new Map<string, number>();
  const sizeOf = (f: ViewFile) => f.size ?? sizes.get(f.path);
  const childrenOf = new Map<string, ViewContainer[]>();
  const filesOf = new Map<string, ViewFile[]>();
  for (const c of view.containers) childrenOf.set(c.parent ?? '', [...(childrenOf.get(c.parent ?? '') ?? []), c]);
  for (const f of view.files) filesOf.set(f.container ?? '', [...(filesOf.get(f.container ?? '') ?? []), f]);
  const node = (name: string, path: string, c?: ViewContainer): ReportContainer => {
    const members = filesOf.get(path) ?? [];
    const known = members.map(sizeOf);
    const children = (childrenOf.get(path) ?? []).map((x) => node(x.name, x.path, x)).sort((a, b) => (a.path < b.path ? -1 : 1));
    return {
      name,
      path,
      ...(c?.format ? { format: c.format } : {}),
      ...(c?.version ? { version: c.version } : {}),
      ...(c?.checksums['SHA256'] ? { sha256: c.checksums['SHA256'] } : {}),
      files: members.length,
      ...(known.every((n) => n !== undefined) ? { bytes: known.reduce((t, n) => t + n!, 0) } : {}),
      children,
    };
  };
  const tree = view.root ? node(view.root.name, '') : undefined;
  const components: ReportComponent[] = view.components
    .map((c) => ({
      name: c.name,
      version: c.version ?? 'NOASSERTION',
      ...(c.supplier ? { supplier: c.supplier.replace(/^(Organization|Person): /, '') } : {}),
      ...(c.cpes[0] ? { cpe: c.cpes[0] } : {}),
      ...(c.purl ? { purl: c.purl } : {}),
      carriers: c.carriers.map((x) => `${x.path} (${RELATION_WORDS[x.relation]})`).sort(),
      evidence: c.evidence,
      ...(c.reconciliation ? { status: c.reconciliation.status, statusNote: c.reconciliation.note } : {}),
    }))
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.version.localeCompare(b.version));
  const allSizes = view.files.map(sizeOf);
  const r = view.root;
  return {
    title: r?.fileName ?? r?.name ?? extras.fallbackTitle ?? view.name,
    documentName: view.name !== '(unnamed)' ? view.name : (extras.fallbackTitle ?? view.name),
    created: view.created ?? '',
    creators: view.creators,
    ...(r
      ? {
          root: {
            name: r.name,
            ...(r.version ? { version: r.version } : {}),
            ...(r.checksums['SHA256'] ? { sha256: r.checksums['SHA256'] } : {}),
            ...(r.purpose ? { purpose: r.purpose.toUpperCase() } : {}),
            ...(r.supplier ? { supplier: r.supplier } : {}),
          },
        }
      : {}),
    ...(tree ? { tree } : {}),
    components,
    files: {
      count: view.files.length,
      binaries: view.files.filter((f) => f.properties?.executable).length,
      ...(allSizes.every((n) => n !== undefined) ? { bytes: allSizes.reduce((t, n) => t + n!, 0) } : {}),
    },
    validation,
    ...(extras.gate ? { gate: extras.gate } : {}),
    signers: signersOf(view),
    knownUnknowns: view.knownUnknowns.map(knownUnknownOf),
    ...(extras.warnings ? { warnings: extras.warnings } : {}),
    ...(extras.vex ? { vex: extras.vex } : {}),
    source: extras.fromArtifact ? 'artifact' : 'sbom',
  };
}

/** `known unknown (kind): subject: reason`, as the writers state it, split for a table. */
function knownUnknownOf(text: string): ReportKnownUnknown {
  const m = /^known unknown \(([^)]+)\): (.*?): (.*)$/s.exec(text);
  return m ? { what: m[1]!, where: m[2]!, why: m[3]! } : { what: 'known unknown', why: text };
}

/**
 * One row per signer (and status), with what it signs: files, and the containers and artifact that
 * carry a signature of their own (a signed MSI or pkg); unsigned binaries are a row of their own.
 */
function signersOf(view: BomView): ReportSigner[] {
  const rows = new Map<string, ReportSigner>();
  const add = (path: string, s: ViewSignature | undefined) => {
    const key = s ? `${s.signer ?? 'no signer'}\u0000${s.status}` : '\u0000unsigned';
    const row = rows.get(key) ?? { signer: s ? (s.signer ?? 'no signer') : '(unsigned)', status: s ? s.status : 'unsigned', files: [] };
    row.files.push(path);
    rows.set(key, row);
  };
  for (const w of signableWholes(view)) if (w.signature) add(w.path, w.signature);
  for (const f of view.files) if (f.signature || f.properties?.executable) add(f.path, f.signature);
  return [...rows.values()].sort((a, b) => (a.signer < b.signer ? -1 : a.signer > b.signer ? 1 : a.status < b.status ? -1 : 1));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${v.toFixed(1)} ${units[i]}`;
}
