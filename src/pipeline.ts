import { basename } from 'node:path';
import { InputError } from './errors.js';
import { detectInFile, identitiesOf, mergeDetections, type Component, type DetectOptions } from './detect/engine.js';
import { ALL_RULES } from './detect/rules/index.js';
import type { Detection } from './detect/types.js';
import { inspectFile } from './inspect/index.js';
import type { BinaryFacts } from './inspect/types.js';
import type { Limits } from './unpack/limits.js';
import { walkArtifact, type ContainerNode, type FileNode } from './unpack/walk.js';

export interface AnalyzeOptions extends DetectOptions {
  limits?: Partial<Limits>;
  /** Called as files are done (progress display). */
  onFile?: (file: FileNode) => void;
}

/** A file imports a library file that carries a component: the SBOM's DYNAMIC_LINK. */
export interface DynamicLink {
  file: string;
  /** The import as written (`libssl-3.dll`, `@rpath/libssl.3.dylib`). */
  importName: string;
  /** The file in the artifact that satisfies it. */
  target: string;
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
  links: DynamicLink[];
}

/** unpack → inspect → detect for one artifact (a file or a directory). */
export async function analyzeArtifact(artifactPath: string, options: AnalyzeOptions = {}): Promise<Analysis> {
  const rules = options.rules ?? ALL_RULES;
  const facts = new Map<string, BinaryFacts>();
  const inspectWarnings = new Map<string, string>();
  const detections: Detection[] = [];

  const walked = await walkArtifact(
    artifactPath,
    async (file, source) => {
      let f: BinaryFacts | undefined;
      try {
        f = await inspectFile(source, file.path);
      } catch (err) {
        // The artifact itself being unreadable is fatal; one odd file inside an installer is not.
        if (!(err instanceof InputError) || file.container === '' && walkedIsBare(file)) throw err;
        inspectWarnings.set(file.path, err.message);
      }
      if (f) facts.set(file.path, f);
      detections.push(...detectInFile({ path: file.path, size: file.size, sha256: file.digests?.sha256 ?? '', ...(f ? { facts: f } : {}) }, { rules, ...(options.knownBuilds ? { knownBuilds: options.knownBuilds } : {}) }));
      options.onFile?.(file);
    },
    options.limits ? { limits: options.limits } : {},
  );

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
  const links = findDynamicLinks(walked.files, facts, detections);
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
  };
}

function walkedIsBare(file: FileNode): boolean {
  return file.chain.length === 1;
}

/** PE imports and Mach-O load commands resolved to files of the artifact that implement a component. */
function findDynamicLinks(files: FileNode[], facts: Map<string, BinaryFacts>, detections: Detection[]): DynamicLink[] {
  const carriers = new Set(detections.filter((d) => d.relation === 'contains').map((d) => d.file));
  const byName = new Map<string, string[]>();
  for (const f of files) {
    if (!carriers.has(f.path)) continue;
    const key = basename(f.path).toLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), f.path]);
  }
  const links: DynamicLink[] = [];
  for (const [path, f] of facts) {
    const imports = new Set<string>([
      ...(f.pe?.imports ?? []),
      ...(f.pe?.delayImports ?? []),
      ...(f.macho?.slices.flatMap((s) => s.dylibs.map((d) => d.name)) ?? []),
    ]);
    for (const name of imports) {
      const targets = byName.get(basename(name).toLowerCase()) ?? [];
      // Prefer a target in the same directory (DLL search order starts at the importer's folder).
      const dir = path.slice(0, path.lastIndexOf('/') + 1);
      const target = targets.find((t) => t.startsWith(dir) && !t.slice(dir.length).includes('/')) ?? targets[0];
      if (target && target !== path) links.push({ file: path, importName: name, target });
    }
  }
  return links.sort((a, b) => (a.file + a.target < b.file + b.target ? -1 : a.file + a.target > b.file + b.target ? 1 : 0));
}
