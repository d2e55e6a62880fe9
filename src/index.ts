/** installer-sbom as a library: the same stages the CLI runs, with their types. */
export { analyzeArtifact, type Analysis, type AnalyzeOptions } from './pipeline.js';
export { buildSbom, type BuildOptions, type BuildOutput } from './build-sbom.js';
export { composeSbom, type ComposeOptions } from './sbom/compose.js';
export { toCanonicalJson } from './sbom/spdx-json.js';
export { validateSpdx, type ValidationReport, type ValidationFinding } from './sbom/validate.js';
export type { SpdxDocument, SpdxPackage, SpdxFile, SpdxRelationship } from './sbom/model.js';
export { walkArtifact, type ContainerNode, type FileNode, type WalkResult } from './unpack/walk.js';
export { READERS, pickReader } from './unpack/registry.js';
export type { ContainerReader, Entry, ContainerInfo, OpenedContainer, UnpackContext } from './unpack/types.js';
export { DEFAULT_LIMITS, type Limits } from './unpack/limits.js';
export { inspectFile, loadTrustRoots, parseTrustRoots, type InspectOptions, type TrustRoots } from './inspect/index.js';
export type * from './inspect/types.js';
export { detectInFile, linksInFile, mergeDetections, parseKnownBuilds, type Component, type KnownBuild, type Link } from './detect/engine.js';
export { ALL_RULES } from './detect/rules/index.js';
export type { DetectionRule } from './detect/rule.js';
export type { ComponentIdentity, Detection, Evidence } from './detect/types.js';
export { InputError, LimitError, UsageError, CheckFailed } from './errors.js';
