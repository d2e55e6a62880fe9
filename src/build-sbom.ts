import { performance } from 'node:perf_hooks';
import { analyzeArtifact, type Analysis, type AnalyzeOptions } from './pipeline.js';
import { composeParts, type ComposeOptions } from './sbom/compose.js';
import { applyCpythonConventions, cpythonVersionOf, PSF, type Reconciliation } from './sbom/cpython.js';
import { evaluateGate, type GateFinding } from './sbom/gate.js';
import { selectManifest, type ManifestArtifact, type PlatformManifest } from './sbom/manifest.js';
import type { SpdxDocument } from './sbom/model.js';
import { pipPackagesOf } from './sbom/pip.js';
import { readSourceSboms } from './sbom/source-sbom.js';
import { validateSpdx, type ValidationReport } from './sbom/validate.js';
import { addStageTime } from './stage-timings.js';

export interface BuildOptions extends AnalyzeOptions, ComposeOptions {
  /** CPython's source SBOMs to extend (externals.spdx.json, sbom.spdx.json, Python-X.Y.Z.tgz.spdx.json). */
  sourceSboms?: string[];
  /** A platform manifest file; without it one is chosen from platform-manifests/ by the artifact name. */
  manifestPath?: string;
}

export interface BuildOutput {
  analysis: Analysis;
  doc: SpdxDocument;
  validation: ValidationReport;
  /** Set when the artifact is CPython's (its name, a source SBOM or a manifest says so). */
  cpythonVersion?: string;
  reconciliations: Reconciliation[];
  manifest?: { manifest: PlatformManifest; artifact: ManifestArtifact };
  /** Release-gate findings; empty when the gate holds or no manifest applies. */
  gate: GateFinding[];
}

/** The whole job for one artifact: unpack, inspect, detect, compose, extend, gate, validate. */
export async function buildSbom(artifactPath: string, options: BuildOptions = {}): Promise<BuildOutput> {
  const analysis = await analyzeArtifact(artifactPath, options);
  const composeStart = performance.now();
  const sources = options.sourceSboms && options.sourceSboms.length > 0 ? await readSourceSboms(options.sourceSboms) : undefined;
  const manifest = await selectManifest(analysis.artifactName, options.manifestPath);
  let cpythonVersion = cpythonVersionOf(analysis, sources);
  if (!cpythonVersion && (sources || manifest?.manifest.product === 'CPython')) {
    cpythonVersion = analysis.components.find((c) => c.identity.id === 'cpython' && c.version)?.version;
  }
  // CPython's release tooling names the PSF as supplier of everything it ships, containers included.
  const composed = composeParts(analysis, cpythonVersion && !options.supplier ? { ...options, supplier: PSF } : options);
  let reconciliations: Reconciliation[] = [];
  if (cpythonVersion) {
    const pip = manifest?.artifact.shipsPip === false ? undefined : pipPackagesOf(analysis);
    reconciliations = applyCpythonConventions(composed, analysis, {
      version: cpythonVersion,
      sources: sources ?? { packages: [] },
      notShipped: new Set(manifest?.artifact.notShipped ?? []),
      ...(pip ? { pipPackages: pip } : {}),
    });
    if (options.namespace) composed.doc.documentNamespace = options.namespace;
    if (options.documentName) composed.doc.name = options.documentName;
  }
  const gate = manifest ? evaluateGate(analysis, manifest.artifact, { ...(cpythonVersion ? { cpythonVersion } : {}), ...(sources ? { sources } : {}), reconciliations }) : [];
  const validation = validateSpdx(composed.doc);
  addStageTime('compose', performance.now() - composeStart);
  return {
    analysis,
    doc: composed.doc,
    validation,
    ...(cpythonVersion ? { cpythonVersion } : {}),
    reconciliations,
    ...(manifest ? { manifest } : {}),
    gate,
  };
}
