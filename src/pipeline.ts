import { performance } from 'node:perf_hooks';
import { InputError } from './errors.js';
import { detectInFile, identitiesOf, linksInFile, mergeDetections, type Component, type DetectOptions, type Link } from './detect/engine.js';
import { ALL_RULES } from './detect/rules/index.js';
import type { Detection } from './detect/types.js';
import { inspectFile } from './inspect/index.js';
import type { TrustRoots } from './inspect/signing/trust.js';
import type { BinaryFacts } from './inspect/types.js';
import type { Limits } from './unpack/limits.js';
import type { UnpackUnknown, UnpackWarning } from './unpack/types.js';
import { walkArtifact, type ContainerNode, type FileNode } from './unpack/walk.js';
import { addStageTime } from './stage-timings.js';

export interface AnalyzeOptions extends DetectOptions {
  limits?: Partial<Limits>;
  /** Roots to check signers' certificate chains against (`--trust-roots`); unset: chains are recorded, not judged. */
  trustRoots?: TrustRoots;
  /** Called as files are done (progress display). */
  onFile?: (file: FileNode) => void;
}

/** Everything the compose stage needs, derived from one artifact. */
export interface Analysis {
  artifactName: string;
  root: ContainerNode;
  containers: ContainerNode[];
  files: FileNode[];
  /** Facts per file path (only files that are binaries or version files). */
  facts: Map<string, BinaryFacts>;
  /** Files whose facts could not be read (not fatal inside an installer); path → reason. */
  inspectWarnings: Map<string, string>;
  detections: Detection[];
  components: Component[];
  /** Imports and load commands naming a component's library: the SBOM's DYNAMIC_LINK. */
  links: Link[];
  /** What the unpack stage recognised but could not open, decode or find. */
  unknowns: UnpackUnknown[];
  /** Problems that did not stop unpacking: a container's checksum mismatch, a file named like a format it is not. */
  warnings: UnpackWarning[];
}

/** unpack → inspect → detect for one artifact (a file or a directory). */
export async function analyzeArtifact(artifactPath: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const rules = options.rules ?? ALL_RULES;
  const facts = new Map<string, BinaryFacts>();
  const inspectWarnings = new Map<string, string>();
  const detections: Detection[] = [];
  const links: Link[] = [];
  const detectOptions = { rules, ...(options.knownBuilds ? { knownBuilds: options.knownBuilds } : {}) };
  let inspectMs = 0;
  let detectMs = 0;

  const walkStart = performance.now();
  const walked = await walkArtifact(
    artifactPath,
    async (file, source) => {
      let f: BinaryFacts | undefined;
      const t0 = performance.now();
      try {
        f = await inspectFile(source, file.path, options.trustRoots ? { trustRoots: options.trustRoots } : {});
      } catch (err) {
        // The artifact itself being unreadable is fatal; one odd file inside an installer is not.
        if (!(err instanceof InputError) || file.container === '' && walkedIsBare(file)) throw err;
        inspectWarnings.set(file.path, err.message);
      }
      const t1 = performance.now();
      inspectMs += t1 - t0;
      if (f) facts.set(file.path, f);
      const inspected = { path: file.path, size: file.size, sha256: file.digests?.sha256 ?? '', ...(f ? { facts: f } : {}) };
      detections.push(...detectInFile(inspected, detectOptions));
      links.push(...linksInFile(inspected, detectOptions));
      detectMs += performance.now() - t1;
      options.onFile?.(file);
    },
    { ...(options.limits ? { limits: options.limits } : {}), ...(options.trustRoots ? { trustRoots: options.trustRoots } : {}) },
  );
  const mergeStart = performance.now();
  addStageTime('unpack', mergeStart - walkStart - inspectMs - detectMs);
  addStageTime('inspect', inspectMs);

  for (const c of walked.containers) {
    for (const finding of c.info.findings ?? []) {
      detections.push({
        componentId: finding.componentId,
        ...(finding.version !== undefined ? { version: finding.version } : {}),
        file: c.key === '' ? walked.root.name : c.key,
        relation: 'contains',
        evidence: finding.evidence,
      });
    }
  }

  const components = mergeDetections(detections, identitiesOf(rules));
  addStageTime('detect', detectMs + performance.now() - mergeStart);
  return {
    artifactName: walked.root.name,
    root: walked.root,
    containers: walked.containers,
    files: walked.files,
    facts,
    inspectWarnings,
    detections,
    components,
    links,
    unknowns: walked.unknowns,
    warnings: walked.warnings,
  };
}

function walkedIsBare(file: FileNode): boolean {
  return file.chain.length === 1;
}
