import { performance } from 'node:perf_hooks';
import { InputError } from './errors.js';
import { detectInFile, identitiesOf, linksInFile, mergeDetections, scannerFor, type Component, type DetectOptions, type Link } from './detect/engine.js';
import { ALL_RULES } from './detect/rules/index.js';
import type { Detection } from './detect/types.js';
import { inspectFile } from './inspect/index.js';
import type { TrustRoots } from './inspect/signing/trust.js';
import type { BinaryFacts } from './inspect/types.js';
import type { Limits } from './unpack/limits.js';
import type { UnpackUnknown, UnpackWarning } from './unpack/types.js';
import { walkArtifact, type ContainerNode, type FileNode } from './unpack/walk.js';
import { addStageTime, mainThreadActive, stageTime } from './stage-timings.js';
import { releaseIdleThreads } from './parallel/worker-pool.js';

export interface AnalyzeOptions extends DetectOptions {
  limits?: Partial<Limits>;
  /** Roots to check signers' certificate chains against (`--trust-roots`); unset: chains are recorded, not judged. */
  trustRoots?: TrustRoots;
  /** Called as files are done (progress display). */
  onFile?: (file: FileNode) => void;
  /** Count every string run of each binary, not only those detection keeps (`inspect` shows the count). */
  countStrings?: boolean;
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
  const detectOptions = { rules, ...(options.knownBuilds ? { knownBuilds: options.knownBuilds } : {}) };
  // Only the string runs some rule's needle occurs in are built.
  const inspectOptions = { keepStrings: scannerFor(rules).filter, countStrings: options.countStrings ?? false, ...(options.trustRoots ? { trustRoots: options.trustRoots } : {}) };
  // Detection needs the file's SHA-256 (known builds), so it runs when the digests arrive from the
  // hashing workers; results are kept per file and joined in walk order, whatever the timing.
  const perFile: { detections: Detection[]; links: Link[] }[] = [];
  const detecting: Promise<void>[] = [];
  let inspectMain = 0;

  const walkActive = mainThreadActive();
  const elsewhereBefore = stageTime('detect') + stageTime('hash', 'main');
  const walked = await walkArtifact(
    artifactPath,
    async (file, source, digests) => {
      let f: BinaryFacts | undefined;
      const t0 = mainThreadActive();
      const elsewhere0 = stageTime('detect') + stageTime('hash', 'main');
      try {
        f = await inspectFile(source, file.path, inspectOptions);
      } catch (err) {
        // The artifact itself being unreadable is fatal; one odd file inside an installer is not.
        if (!(err instanceof InputError) || file.container === '' && walkedIsBare(file)) throw err;
        inspectWarnings.set(file.path, err.message);
      }
      // Main-thread time inside the call, less what other stages did meanwhile.
      inspectMain += mainThreadActive() - t0 - (stageTime('detect') + stageTime('hash', 'main') - elsewhere0);
      if (f) facts.set(file.path, f);
      const slot = { detections: [] as Detection[], links: [] as Link[] };
      perFile.push(slot);
      const detected = digests.then((d) => {
        const t1 = performance.now();
        const inspected = { path: file.path, size: file.size, sha256: d.sha256, ...(f ? { facts: f } : {}) };
        slot.detections = detectInFile(inspected, detectOptions);
        slot.links = linksInFile(inspected, detectOptions);
        addStageTime('detect', performance.now() - t1);
      });
      detected.catch(() => undefined);
      detecting.push(detected);
      options.onFile?.(file);
    },
    { ...(options.limits ? { limits: options.limits } : {}), ...(options.trustRoots ? { trustRoots: options.trustRoots } : {}) },
  );
  await Promise.all(detecting);
  // Every byte is read: no thread need hold its heap through compose and write.
  releaseIdleThreads();
  addStageTime('inspect', inspectMain);
  // What else the main thread did during the walk: reading containers, handing bytes to workers.
  addStageTime('unpack', mainThreadActive() - walkActive - inspectMain - (stageTime('detect') + stageTime('hash', 'main') - elsewhereBefore));
  const mergeStart = performance.now();
  const detections = perFile.flatMap((p) => p.detections);
  const links = perFile.flatMap((p) => p.links);

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
  addStageTime('detect', performance.now() - mergeStart);
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
