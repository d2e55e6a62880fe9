import { performance } from 'node:perf_hooks';
import { applyCpythonConventions, cpythonVersionOf, type CpythonCheck } from './bom/cpython.js';
import type { Bom } from './bom/model.js';
import { addPackageMetadata } from './bom/package-metadata.js';
import { reconcileDeclared, type ReconcileOutcome } from './bom/reconcile.js';
import { resolveBom, type ResolveOptions } from './bom/resolve.js';
import { readSourceSboms, type SourceSboms } from './bom/source-sbom.js';
import { evaluateGate, type GateResult } from './gate/gate.js';
import { knownManifests, selectManifest } from './gate/manifest.js';
import { analyzeArtifact, type Analysis, type AnalyzeOptions } from './pipeline.js';
import { addStageTime } from './stage-timings.js';

export interface BuildOptions extends AnalyzeOptions, ResolveOptions {
  /** CPython's source SBOMs to extend (externals.spdx.json, sbom.spdx.json, Python-X.Y.Z.tgz.spdx.json). */
  sourceSboms?: string[];
  /** A platform manifest file; without it one is chosen from platform-manifests/ by the artifact name. */
  manifestPath?: string;
}

export interface BuildOutput {
  analysis: Analysis;
  /** The resolved bill of materials every writer, report and check reads. */
  bom: Bom;
  /** Set when the artifact is CPython's (its name or a source-release SBOM says so). */
  cpython?: CpythonCheck;
  /** What became of every package the source SBOMs declare. */
  outcomes: ReconcileOutcome[];
  /** The release gate, evaluated always; the CLI fails the build on it only with --gate. */
  gate: GateResult;
}

/**
 * The whole job for one artifact, stage by stage: unpack → inspect → detect (analyzeArtifact),
 * then resolve the model and apply its steps in order: Python packages the artifact states,
 * reconciliation with the declared source SBOMs, CPython's conventions, and what is still
 * undated. The gate reads the finished model. Writers run after this, on `bom` alone.
 */
export async function buildBom(artifactPath: string, options: BuildOptions = {}): Promise<BuildOutput> {
  const analysis = await analyzeArtifact(artifactPath, options);
  const start = performance.now();
  const sources: SourceSboms | undefined = options.sourceSboms && options.sourceSboms.length > 0 ? await readSourceSboms(options.sourceSboms) : undefined;
  const manifest = await selectManifest(analysis.artifactName, options.manifestPath);

  const bom = resolveBom(analysis, options);
  addPackageMetadata(bom, analysis);
  const version = cpythonVersionOf(analysis.artifactName, sources) ?? (manifest?.manifest.product === 'CPython' ? bom.components.find((c) => c.componentId === 'cpython' && c.version)?.version : undefined);
  let outcomes: ReconcileOutcome[] = [];
  if (sources) {
    const notShipped = new Set(manifest?.artifact.notShipped ?? []);
    if (manifest?.artifact.shipsPip === false) for (const id of pipFamily(sources)) notShipped.add(id);
    outcomes = reconcileDeclared(bom, sources, { notShipped });
  }
  // After reconciliation, so the packages only a declaration shows are CPython's to supply too.
  const cpython = version ? applyCpythonConventions(bom, analysis, version, options) : undefined;
  noteUndated(bom);
  const gate = evaluateGate(bom, { ...(manifest ? { manifest } : {}), knownManifests: manifest ? [] : await knownManifests(), outcomes, ...(cpython ? { cpython } : {}), ...(sources ? { sources } : {}) });
  addStageTime('compose', performance.now() - start);
  return { analysis, bom, ...(cpython ? { cpython } : {}), outcomes, gate };
}

/** pip and what it depends on in a source SBOM, as detection ids (`pypi/pip`, `pypi/certifi` …). */
function pipFamily(sources: SourceSboms): string[] {
  const pip = sources.packages.find((p) => p.pkg.name === 'pip');
  if (!pip) return [];
  const family = sources.packages.filter((p) => p === pip || pip.dependsOn.includes(p.pkg.SPDXID));
  return family.map((p) => `pypi/${p.pkg.name.toLowerCase().replace(/[-_.]+/g, '-')}`);
}

/** Components that no evidence (nor a declaration) dates are known unknowns of the document. */
function noteUndated(bom: Bom): void {
  for (const c of bom.components) {
    if (c.version === undefined) bom.knownUnknowns.push({ kind: 'no-version', subject: c.name, reason: 'no evidence in the bytes shows its version', scope: c.ref });
  }
}
