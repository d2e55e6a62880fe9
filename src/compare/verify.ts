import { identitiesOf } from '../detect/engine.js';
import type { ComponentIdentity } from '../detect/types.js';
import { buildSbom, type BuildOptions } from '../build-sbom.js';
import type { Analysis } from '../pipeline.js';
import type { SpdxDocument } from '../sbom/model.js';
import {
  componentKeys,
  nameKey,
  sameVersion,
  sharesKey,
  viewOf,
  type Checksums,
  type SbomView,
  type ViewComponent,
} from './sbom-view.js';

export type VerifyFindingKind =
  /** The SBOM lists a file the artifact does not have. */
  | 'file-missing'
  /** The artifact has a file the SBOM does not list. */
  | 'file-extra'
  | 'file-hash-differs'
  | 'container-missing'
  | 'container-extra'
  | 'container-hash-differs'
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

/** The algorithms compared, strongest first; one common algorithm decides. */
const ALGORITHMS = ['SHA256', 'SHA1'] as const;

function compareChecksums(stated: Checksums, found: Checksums): { algorithm: string; stated: string; found: string } | 'equal' | 'uncomparable' {
  for (const alg of ALGORITHMS) {
    if (stated[alg] && found[alg]) return stated[alg] === found[alg] ? 'equal' : { algorithm: alg, stated: stated[alg]!, found: found[alg]! };
  }
  return 'uncomparable';
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

const RECONCILED = /^(not-verifiable|not-shipped|not-found|contradicted): /;

function reconciliationNote(c: ViewComponent): string | undefined {
  const notes = Array.isArray(c.package.annotations) ? c.package.annotations : [];
  return notes.find((a) => typeof a?.comment === 'string' && /^Tool: installer-sbom-/.test(String(a.annotator)) && RECONCILED.test(a.comment))?.comment;
}

const label = (c: ViewComponent) => `${c.name} ${c.version ?? '(no version)'}`;

/**
 * Compares what an SBOM states with what was derived from the artifact (an installer-sbom
 * document composed from the same artifact). Every statement is either confirmed, contradicted
 * (a finding) or listed as unchecked; an SBOM that states little (CPython's metadata-only Windows
 * SBOMs have no files) passes only on what it does state, and the rest is said to be unchecked.
 */
export function verifySbom(derivedDoc: SpdxDocument, statedDoc: SpdxDocument, options: VerifyOptions = {}): VerifyResult {
  const derived = viewOf(derivedDoc);
  const stated = viewOf(statedDoc);
  const known = options.knownComponent ?? knownToRules;
  const findings: VerifyFinding[] = [];
  const unchecked: string[] = [];
  const checked = { files: 0, containers: 0, components: 0, rootChecksum: false };

  verifyRoot(derived, stated, findings, unchecked, checked);
  verifyFiles(derived, stated, findings, unchecked, checked);
  verifyContainers(derived, stated, findings, unchecked, checked);
  verifyComponents(derived, stated, known, findings, unchecked, checked);

  findings.sort((a, b) => (a.kind + a.subject < b.kind + b.subject ? -1 : a.kind + a.subject > b.kind + b.subject ? 1 : 0));
  return { ok: findings.length === 0, findings, unchecked, checked };
}

function verifyRoot(derived: SbomView, stated: SbomView, findings: VerifyFinding[], unchecked: string[], checked: VerifyResult['checked']): void {
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
    unchecked.push(`artifact checksum: the described package ${stated.root.spdxId} has no SHA-256 or SHA-1 checksum`);
    return;
  }
  checked.rootChecksum = true;
  if (cmp !== 'equal') {
    findings.push({
      kind: 'root-hash-differs',
      subject: derived.root!.name,
      stated: cmp.stated,
      found: cmp.found,
      message: `artifact ${derived.root!.name}: ${cmp.algorithm} differs (SBOM ${stated.root.spdxId} states ${cmp.stated}, artifact is ${cmp.found})`,
    });
  }
}

function verifyFiles(derived: SbomView, stated: SbomView, findings: VerifyFinding[], unchecked: string[], checked: VerifyResult['checked']): void {
  if (stated.files.size === 0 && !stated.ownTool) {
    unchecked.push(`files: the SBOM lists no files; the artifact's ${derived.files.size} file(s) and their hashes were not checked`);
    return;
  }
  for (const [path, s] of stated.files) {
    const d = derived.files.get(path);
    if (!d) {
      findings.push({ kind: 'file-missing', subject: path, message: `missing file: ./${path} is in the SBOM but not in the artifact` });
      continue;
    }
    const cmp = compareChecksums(s.checksums, d.checksums);
    if (cmp === 'uncomparable') {
      unchecked.push(`file ./${path}: the SBOM gives no SHA-256 or SHA-1`);
      continue;
    }
    checked.files++;
    if (cmp !== 'equal') {
      findings.push({
        kind: 'file-hash-differs',
        subject: path,
        stated: cmp.stated,
        found: cmp.found,
        message: `changed file: ./${path} ${cmp.algorithm} differs (SBOM ${cmp.stated}, artifact ${cmp.found})`,
      });
    }
  }
  for (const path of derived.files.keys()) {
    if (!stated.files.has(path)) findings.push({ kind: 'file-extra', subject: path, message: `extra file: ./${path} is in the artifact but not in the SBOM` });
  }
}

function verifyContainers(derived: SbomView, stated: SbomView, findings: VerifyFinding[], unchecked: string[], checked: VerifyResult['checked']): void {
  if (stated.containers.size === 0 && !stated.ownTool) {
    if (derived.containers.size > 0) unchecked.push(`containers: the SBOM lists no container packages; the artifact's ${derived.containers.size} container(s) were not checked`);
    return;
  }
  for (const [path, s] of stated.containers) {
    const d = derived.containers.get(path);
    if (!d) {
      findings.push({ kind: 'container-missing', subject: path, message: `missing container: ${path} (${s.spdxId}) is in the SBOM but not in the artifact` });
      continue;
    }
    const cmp = compareChecksums(s.checksums, d.checksums);
    if (cmp === 'uncomparable') {
      unchecked.push(`container ${path}: the SBOM gives no SHA-256 or SHA-1`);
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
  for (const path of derived.containers.keys()) {
    if (!stated.containers.has(path)) findings.push({ kind: 'container-extra', subject: path, message: `extra container: ${path} is in the artifact but not in the SBOM` });
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
  derived: SbomView,
  stated: SbomView,
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
        message: `version differs: ${s.name} is ${s.version} in the SBOM but ${f.version} in the artifact (${s.spdxId})`,
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
  /** The SBOM `build` derives from the artifact now (same conventions, e.g. CPython's). */
  derived: SpdxDocument;
}

/**
 * Re-derives the artifact's SBOM exactly as `build` does (unpack → inspect → detect → compose,
 * CPython conventions when the artifact is CPython's) and verifies `stated` against it. Source
 * SBOMs are not passed on: what they declare is not evidence of what the artifact contains.
 */
export async function verifyArtifact(artifactPath: string, stated: SpdxDocument, options: BuildOptions & { verify?: VerifyOptions } = {}): Promise<VerifyArtifactResult> {
  const { verify, ...build } = options;
  const out = await buildSbom(artifactPath, build);
  return { result: verifySbom(out.doc, stated, verify ?? {}), analysis: out.analysis, derived: out.doc };
}
