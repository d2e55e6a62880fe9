import type { Analysis } from '../pipeline.js';
import type { SpdxDocument, SpdxPackage } from '../sbom/model.js';
import type { GateFinding } from '../sbom/gate.js';
import type { ValidationReport } from '../sbom/validate.js';
import { checksumMap, cpeVendorProduct, normalizePath, viewOf } from '../compare/sbom-view.js';

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

/** Everything a report shows, from an SPDX document (and the analysis, when the artifact was at hand). */
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

const RELATION_WORDS: Record<string, string> = { CONTAINS: 'contains', STATIC_LINK: 'static link', DYNAMIC_LINK: 'dynamic link' };

/** installer-sbom writes evidence as `- file: kind "text" at location` lines after a summary line. */
function evidenceLines(p: SpdxPackage): string[] {
  const comment = typeof p.comment === 'string' ? p.comment : '';
  if (!comment) return [];
  const items = comment.split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
  return items.length > 0 ? items : [comment];
}

function ref(p: SpdxPackage, type: string): string | undefined {
  return (Array.isArray(p.externalRefs) ? p.externalRefs : []).find((r) => r?.referenceType === type)?.referenceLocator;
}

/** `fallbackTitle` (the SBOM's file name) is used when the document names nothing (CPython's Misc/ SBOMs). */
export function reportData(doc: SpdxDocument, validation: ValidationReport, analysis?: Analysis, fallbackTitle?: string, gate?: GateFinding[]): ReportData {
  const view = viewOf(doc);
  const packages = Array.isArray(doc.packages) ? doc.packages : [];
  const files = Array.isArray(doc.files) ? doc.files : [];
  const rels = Array.isArray(doc.relationships) ? doc.relationships : [];
  const byId = new Map<string, SpdxPackage>(packages.map((p) => [p.SPDXID, p]));
  const fileById = new Map(files.map((f) => [f.SPDXID, f]));
  const sizes = new Map((analysis?.files ?? []).map((f) => [f.path, f.size]));
  const formats = new Map((analysis?.containers ?? []).map((c) => [c.key, c.info.format]));

  const rootPkg = view.root ? byId.get(view.root.spdxId) : undefined;
  const contains = new Map<string, string[]>();
  for (const r of rels) if (r?.relationshipType === 'CONTAINS') contains.set(r.spdxElementId, [...(contains.get(r.spdxElementId) ?? []), r.relatedSpdxElement]);

  const seen = new Set<string>();
  const node = (p: SpdxPackage, path: string): ReportContainer => {
    seen.add(p.SPDXID);
    const members = contains.get(p.SPDXID) ?? [];
    const memberFiles = members.map((id) => fileById.get(id)).filter((f) => f !== undefined);
    const known = memberFiles.map((f) => sizes.get(normalizePath(f.fileName)));
    const sha256 = checksumMap(p.checksums)['SHA256'];
    const format = formats.get(path) ?? /^Container format: ([\w-]+)\./.exec(typeof p.comment === 'string' ? p.comment : '')?.[1];
    const version = typeof p.versionInfo === 'string' && p.versionInfo !== 'NOASSERTION' ? p.versionInfo : undefined;
    const children = members
      .map((id) => byId.get(id))
      .filter((c): c is SpdxPackage => !!c && !seen.has(c.SPDXID) && c.primaryPackagePurpose !== 'LIBRARY')
      .map((c) => node(c, normalizePath(String(c.packageFileName ?? c.name))))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    return {
      name: String(p.name),
      path,
      ...(format ? { format } : {}),
      ...(version ? { version } : {}),
      ...(sha256 ? { sha256 } : {}),
      files: memberFiles.length,
      ...(analysis && known.every((n) => n !== undefined) ? { bytes: known.reduce((s, n) => s + n!, 0) } : {}),
      children,
    };
  };
  const tree = rootPkg ? node(rootPkg, '') : undefined;

  const carriersOf = (id: string) =>
    rels
      .filter((r) => r?.relatedSpdxElement === id && RELATION_WORDS[r.relationshipType])
      .map((r) => {
        const from = fileById.get(r.spdxElementId)?.fileName ?? byId.get(r.spdxElementId)?.packageFileName ?? r.spdxElementId;
        return `${normalizePath(String(from))} (${RELATION_WORDS[r.relationshipType]})`;
      })
      .sort();

  const components: ReportComponent[] = view.components
    .map((c) => {
      const cpe = ref(c.package, 'cpe23Type');
      const purl = ref(c.package, 'purl');
      return {
        name: c.name,
        version: c.version ?? 'NOASSERTION',
        ...(typeof c.package.supplier === 'string' ? { supplier: c.package.supplier.replace(/^(Organization|Person): /, '') } : {}),
        ...(cpe && cpeVendorProduct(cpe) ? { cpe } : {}),
        ...(purl ? { purl } : {}),
        carriers: carriersOf(c.spdxId),
        evidence: evidenceLines(c.package),
      };
    })
    .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.version.localeCompare(b.version));

  const binaries = files.filter((f) => Array.isArray(f.fileTypes) && f.fileTypes.includes('BINARY')).length;
  const allSizes = files.map((f) => sizes.get(normalizePath(f.fileName)));
  const rootSha = rootPkg ? checksumMap(rootPkg.checksums)['SHA256'] : undefined;
  return {
    title: view.root?.fileName ?? view.root?.name ?? (typeof doc.name === 'string' ? doc.name : fallbackTitle ?? view.name),
    documentName: typeof doc.name === 'string' ? doc.name : fallbackTitle ?? view.name,
    created: String(doc.creationInfo?.created ?? ''),
    creators: (doc.creationInfo?.creators ?? []).map(String),
    ...(rootPkg
      ? {
          root: {
            name: String(rootPkg.name),
            ...(view.root?.version ? { version: view.root.version } : {}),
            ...(rootSha ? { sha256: rootSha } : {}),
            ...(typeof rootPkg.primaryPackagePurpose === 'string' ? { purpose: rootPkg.primaryPackagePurpose } : {}),
            ...(typeof rootPkg.supplier === 'string' ? { supplier: rootPkg.supplier } : {}),
          },
        }
      : {}),
    ...(tree ? { tree } : {}),
    components,
    files: {
      count: files.length,
      binaries,
      ...(analysis && allSizes.every((n) => n !== undefined) ? { bytes: allSizes.reduce((s, n) => s + n!, 0) } : {}),
    },
    validation,
    ...(gate ? { gate } : {}),
    source: analysis ? 'artifact' : 'sbom',
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) (v /= 1024), i++;
  return `${v.toFixed(1)} ${units[i]}`;
}
