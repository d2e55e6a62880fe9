import { identitiesOf } from '../detect/engine.js';
import type { ComponentIdentity } from '../detect/types.js';
import { buildBom, type BuildOptions } from '../build.js';
import type { Bom } from '../bom/model.js';
import { componentKeys, nameKey, sameVersion, sharesKey } from '../bom/read/keys.js';
import { viewOfBom } from '../bom/read/index.js';
import { counterpart, signableWholes, signatureSummary, type BomView, type Checksums, type ViewComponent, type ViewFile, type ViewSignature } from '../bom/view.js';
import type { Analysis } from '../pipeline.js';

export type VerifyFindingKind =
  /** The SBOM lists a file the artifact does not have. */
  | 'file-missing'
  /** The artifact has a file the SBOM does not list. */
  | 'file-extra'
  | 'file-hash-differs'
  /** The file's signer or signature status is not what the SBOM states, or its digest no longer matches its signature. */
  | 'file-signature-differs'
  | 'container-missing'
  | 'container-extra'
  | 'container-hash-differs'
  /** The artifact's or a container's own signature (a signed MSI) is not what the SBOM states, or no longer matches its bytes. */
  | 'container-signature-differs'
  /** The SBOM states a component (at a version) that the artifact shows no evidence of. */
  | 'component-missing'
  /** The artifact carries a component the SBOM does not state. */
  | 'component-extra'
  | 'component-version-differs'
  | 'root-hash-differs';

export interface VerifyFinding {
  kind: VerifyFindingKind;
  /** The file path, container path or component name concerned. */
  subject: string;
  /** What the SBOM states (a hash, a version), when it states one. */
  stated?: string;
  /** What the artifact shows. */
  found?: string;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  findings: VerifyFinding[];
  /** What the SBOM does not state, or states in a way that cannot be checked against the artifact. */
  unchecked: string[];
  checked: { files: number; containers: number; components: number; rootChecksum: boolean };
}

export interface VerifyOptions {
  /** Whether installer-sbom has a rule for a component (by its keys); default: the built-in rules. */
  knownComponent?: (keys: string[]) => boolean;
}

/** The algorithms compared, strongest first. */
const ALGORITHMS = ['SHA512', 'SHA256', 'SHA1'] as const;

/**
 * Every digest the SBOM states is checked, not only the strongest: a document whose SHA-256 was
 * edited while its SHA-512 was left alone does not describe these bytes.
 */
function compareChecksums(stated: Checksums, found: Checksums): { algorithm: string; stated: string; found: string } | 'equal' | 'uncomparable' {
  const common = ALGORITHMS.filter((alg) => stated[alg] && found[alg]);
  if (common.length === 0) return 'uncomparable';
  const differs = common.find((alg) => stated[alg] !== found[alg]);
  return differs ? { algorithm: differs, stated: stated[differs]!, found: found[differs]! } : 'equal';
}

let builtInKeys: Set<string> | undefined;

function knownToRules(keys: string[]): boolean {
  builtInKeys ??= new Set(
    [...identitiesOf().values()].flatMap((i: ComponentIdentity) =>
      componentKeys(i.name, i.cpe ? `${i.cpe.vendor}:${i.cpe.product}` : undefined, `${i.purl.type}/${i.purl.name}`).concat(`name:${nameKey(i.id)}`),
    ),
  );
  return keys.some((k) => builtInKeys!.has(k));
}

/** A version the SBOM takes from a declaration rather than the bytes, which the artifact cannot confirm. */
function reconciliationNote(c: ViewComponent): string | undefined {
  return c.reconciliation?.status === 'not-verifiable' ? `${c.reconciliation.status}: ${c.reconciliation.note}` : undefined;
}

const label = (c: ViewComponent) => `${c.name} ${c.version ?? '(no version)'}`;

/**
 * Compares what an SBOM states with what was derived from the artifact (an installer-sbom
 * document composed from the same artifact). Every statement is either confirmed, contradicted
 * (a finding) or listed as unchecked; an SBOM that states little (CPython's metadata-only Windows
 * SBOMs have no files) passes only on what it does state, and the rest is said to be unchecked.
 */
export function verifySbom(derived: BomView, stated: BomView, options: VerifyOptions = {}): VerifyResult {
  const known = options.knownComponent ?? knownToRules;
  const findings: VerifyFinding[] = [];
  const unchecked: string[] = [];
  const checked = { files: 0, containers: 0, components: 0, rootChecksum: false };

  verifyRoot(derived, stated, findings, unchecked, checked);
  verifyFiles(derived, stated, findings, unchecked, checked);
  verifyContainers(derived, stated, findings, unchecked, checked);
  verifyOwnSignatures(derived, stated, findings);
  verifyComponents(derived, stated, known, findings, unchecked, checked);

  findings.sort((a, b) => (a.kind + a.subject < b.kind + b.subject ? -1 : a.kind + a.subject > b.kind + b.subject ? 1 : 0));
  return { ok: findings.length === 0, findings, unchecked, checked };
}

function verifyRoot(derived: BomView, stated: BomView, findings: VerifyFinding[], unchecked: string[], checked: VerifyResult['checked']): void {
  if (!stated.root) {
    unchecked.push("artifact checksum: the SBOM describes no package (no DESCRIBES relationship), so the artifact's own SHA-256 was not checked");
    return;
  }
  const found = derived.root?.checksums ?? {};
  if (Object.keys(found).length === 0) {
    unchecked.push(`artifact checksum: the artifact is a directory and has no checksum of its own`);
    return;
  }
  const cmp = compareChecksums(stated.root.checksums, found);
  if (cmp === 'uncomparable') {
    unchecked.push(`artifact checksum: the described package ${stated.root.id} has no SHA-512, SHA-256 or SHA-1 checksum`);
    return;
  }
  checked.rootChecksum = true;
  if (cmp !== 'equal') {
    findings.push({
      kind: 'root-hash-differs',
      subject: derived.root!.name,
      stated: cmp.stated,
      found: cmp.found,
      message: `artifact ${derived.root!.name}: ${cmp.algorithm} differs (SBOM ${stated.root.id} states ${cmp.stated}, artifact is ${cmp.found})`,
    });
  }
}

function byPath<T extends { path: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(i.path, [...(out.get(i.path) ?? []), i]);
  return out;
}

/**
 * Files are a multiset of (path, digests): an MSI may install one name twice (two
 * `Windows/system32/ATL80.dll` in two components), and each entry must be matched by its own
 * bytes, never hidden behind its twin.
 */
function verifyFiles(derived: BomView, stated: BomView, findings: VerifyFinding[], unchecked: string[], checked: VerifyResult['checked']): void {
  if (stated.files.length === 0 && !stated.ownTool) {
    unchecked.push(`files: the SBOM lists no files; the artifact's ${derived.files.length} file(s) and their hashes were not checked`);
    return;
  }
  const found = byPath(derived.files);
  const statedByPath = byPath(stated.files);
  for (const path of new Set([...statedByPath.keys(), ...found.keys()])) {
    const left: ViewFile[] = [...(found.get(path) ?? [])];
    const unmatched: ViewFile[] = [];
    // Equal bytes pair first, so a changed twin is reported as changed, not as its sibling.
    for (const s of statedByPath.get(path) ?? []) {
      const i = left.findIndex((d) => compareChecksums(s.checksums, d.checksums) === 'equal');
      if (i < 0) unmatched.push(s);
      else {
        const d = left.splice(i, 1)[0]!;
        checked.files++;
        const sig = signatureDifference(s.signature, d.signature);
        if (sig) findings.push({ kind: 'file-signature-differs', subject: path, ...sig, message: `signature differs: ./${path} ${sig.message}` });
      }
    }
    for (const s of unmatched) {
      const d = left.shift();
      if (!d) {
        findings.push({ kind: 'file-missing', subject: path, message: `missing file: ./${path} is in the SBOM but not in the artifact` });
        continue;
      }
      const cmp = compareChecksums(s.checksums, d.checksums);
      if (cmp === 'uncomparable') {
        unchecked.push(`file ./${path}: the SBOM gives no SHA-512, SHA-256 or SHA-1`);
        continue;
      }
      checked.files++;
      if (cmp !== 'equal') findings.push({ kind: 'file-hash-differs', subject: path, stated: cmp.stated, found: cmp.found, message: `changed file: ./${path} ${cmp.algorithm} differs (SBOM ${cmp.stated}, artifact ${cmp.found})` });
    }
    for (const _extra of left) findings.push({ kind: 'file-extra', subject: path, message: `extra file: ./${path} is in the artifact but not in the SBOM` });
  }
}

/**
 * Same bytes, other signature facts: a signer or status the SBOM states that the file (or
 * container) does not show, or a signature whose digest no longer matches the bytes.
 */
function signatureDifference(stated: ViewSignature | undefined, found: ViewSignature | undefined): { stated?: string; found?: string; message: string } | undefined {
  if (found?.status === 'modified-after-signing') return { found: signatureSummary(found), message: 'its signature no longer matches its bytes (modified after signing)' };
  if (!stated) return undefined;
  const [a, b] = [signatureSummary(stated), signatureSummary(found)];
  return a === b ? undefined : { stated: a, found: b, message: `is signed by ${b} but the SBOM states ${a}` };
}

/** The artifact's and the containers' own signatures (a signed MSI), the artifact's whatever its name. */
function verifyOwnSignatures(derived: BomView, stated: BomView, findings: VerifyFinding[]): void {
  const found = signableWholes(derived);
  for (const s of signableWholes(stated)) {
    const d = counterpart(s, found);
    if (!d) continue;
    const sig = signatureDifference(s.signature, d.signature);
    if (sig) findings.push({ kind: 'container-signature-differs', subject: d.path, ...sig, message: `signature differs: ${d.path} ${sig.message}` });
  }
}

function verifyContainers(derived: BomView, stated: BomView, findings: VerifyFinding[], unchecked: string[], checked: VerifyResult['checked']): void {
  if (stated.containers.length === 0 && !stated.ownTool) {
    if (derived.containers.length > 0) unchecked.push(`containers: the SBOM lists no container packages; the artifact's ${derived.containers.length} container(s) were not checked`);
    return;
  }
  const found = new Map(derived.containers.map((c) => [c.path, c]));
  const statedPaths = new Set(stated.containers.map((c) => c.path));
  for (const s of stated.containers) {
    const path = s.path;
    const d = found.get(path);
    if (!d) {
      findings.push({ kind: 'container-missing', subject: path, message: `missing container: ${path} (${s.id}) is in the SBOM but not in the artifact` });
      continue;
    }
    const cmp = compareChecksums(s.checksums, d.checksums);
    if (cmp === 'uncomparable') {
      unchecked.push(`container ${path}: the SBOM gives no SHA-512, SHA-256 or SHA-1`);
      continue;
    }
    checked.containers++;
    if (cmp !== 'equal') {
      findings.push({
        kind: 'container-hash-differs',
        subject: path,
        stated: cmp.stated,
        found: cmp.found,
        message: `changed container: ${path} ${cmp.algorithm} differs (SBOM ${cmp.stated}, artifact ${cmp.found})`,
      });
    }
  }
  for (const path of found.keys()) {
    if (!statedPaths.has(path)) findings.push({ kind: 'container-extra', subject: path, message: `extra container: ${path} is in the artifact but not in the SBOM` });
  }
}

/**
 * Pairs stated and found components: by name before CPE/purl (Tcl and Tk share one CPE), and an
 * equal version before a different one, so two versions of one library pair up correctly.
 */
function pairComponents(stated: ViewComponent[], found: ViewComponent[]): { pairs: [ViewComponent, ViewComponent][]; restStated: ViewComponent[]; restFound: ViewComponent[] } {
  const restStated = [...stated];
  const restFound = [...found];
  const pairs: [ViewComponent, ViewComponent][] = [];
  const byName = (a: ViewComponent, b: ViewComponent) => a.keys[0] === b.keys[0];
  for (const match of [byName, sharesKey]) {
    for (const versionMustAgree of [true, false]) {
      for (const s of [...restStated]) {
        const f = restFound.find((x) => match(s, x) && (!versionMustAgree || sameVersion(s.version, x.version)));
        if (!f) continue;
        pairs.push([s, f]);
        restStated.splice(restStated.indexOf(s), 1);
        restFound.splice(restFound.indexOf(f), 1);
      }
    }
  }
  return { pairs, restStated, restFound };
}

function verifyComponents(
  derived: BomView,
  stated: BomView,
  known: (keys: string[]) => boolean,
  findings: VerifyFinding[],
  unchecked: string[],
  checked: VerifyResult['checked'],
): void {
  // Packages a source SBOM declared and installer-sbom's build already marked as not evidenced by
  // the binaries (src/sbom/cpython.ts reconciliation): the SBOM says so itself, so they are not drift.
  const declaredOnly = stated.components.filter((c) => reconciliationNote(c) !== undefined);
  for (const c of declaredOnly) unchecked.push(`component ${label(c)}: declared by a source SBOM; the SBOM records "${reconciliationNote(c)}"`);
  const { pairs, restStated, restFound } = pairComponents(
    stated.components.filter((c) => !declaredOnly.includes(c)),
    derived.components,
  );
  for (const [s, f] of pairs) {
    if (sameVersion(s.version, f.version)) {
      checked.components++;
    } else if (s.version === undefined) {
      unchecked.push(`component ${s.name}: the SBOM states no version (the artifact shows ${f.version})`);
    } else if (f.version === undefined) {
      unchecked.push(`component ${s.name} ${s.version}: the artifact shows ${f.name} but no version could be evidenced`);
    } else {
      checked.components++;
      findings.push({
        kind: 'component-version-differs',
        subject: s.name,
        stated: s.version,
        found: f.version,
        message: `version differs: ${s.name} is ${s.version} in the SBOM but ${f.version} in the artifact (${s.id})`,
      });
    }
  }
  for (const s of restStated) {
    const other = derived.components.find((f) => sharesKey(s, f));
    if (other) {
      findings.push({
        kind: 'component-missing',
        subject: s.name,
        ...(s.version ? { stated: s.version } : {}),
        message: `component missing: ${label(s)} is in the SBOM but the artifact shows only ${label(other)}`,
      });
    } else if (known(s.keys)) {
      findings.push({
        kind: 'component-missing',
        subject: s.name,
        ...(s.version ? { stated: s.version } : {}),
        message: `component missing: ${label(s)} is in the SBOM but the artifact shows no evidence of it`,
      });
    } else {
      unchecked.push(`component ${label(s)}: installer-sbom has no detection rule for it, so its presence was not checked`);
    }
  }
  for (const f of restFound) {
    // CPython's SBOMs describe CPython itself as the root package, not as a component.
    if (stated.root && sharesKey(stated.root, f)) {
      if (stated.root.version && f.version && !sameVersion(stated.root.version, f.version)) {
        findings.push({
          kind: 'component-version-differs',
          subject: f.name,
          stated: stated.root.version,
          found: f.version,
          message: `version differs: the SBOM describes ${stated.root.name} ${stated.root.version} but the artifact shows ${f.name} ${f.version}`,
        });
      } else checked.components++;
      continue;
    }
    findings.push({
      kind: 'component-extra',
      subject: f.name,
      ...(f.version ? { found: f.version } : {}),
      message: `extra component: ${label(f)} is in the artifact but not in the SBOM`,
    });
  }
}

export interface VerifyArtifactResult {
  result: VerifyResult;
  analysis: Analysis;
  /** The model `build` derives from the artifact now (same conventions, e.g. CPython's). */
  derived: Bom;
}

/**
 * Re-derives the artifact's model exactly as `build` does (unpack → inspect → detect → resolve,
 * CPython conventions when the artifact is CPython's) and verifies `stated` against it, whatever
 * format `stated` came in. Source SBOMs are not passed on: what they declare is not evidence of
 * what the artifact contains.
 */
export async function verifyArtifact(artifactPath: string, stated: BomView, options: BuildOptions & { verify?: VerifyOptions } = {}): Promise<VerifyArtifactResult> {
  const { verify, ...build } = options;
  const out = await buildBom(artifactPath, build);
  const derived = viewOfBom(out.bom);
  return { result: verifySbom(derived, stated, verify ?? {}), analysis: out.analysis, derived: out.bom };
}
