import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { asInputError, InputError } from '../errors.js';
import { chunksOf, FileByteSource, type ByteSource } from '../io/byte-source.js';
import { openDirectory } from './directory/directory-container.js';
import { Budget, DEFAULT_LIMITS, LIMIT_FLAGS, type Limits } from './limits.js';
import { joinEntryPath } from './paths.js';
import { pickReader } from './registry.js';
import type { TrustRoots } from '../inspect/signing/trust.js';
import { HEAD_BYTES, type ContainerHints, type ContainerInfo, type Entry, type OpenedContainer, type UnpackContext, type UnpackUnknown } from './types.js';
import { LimitError } from '../errors.js';

/** BSI TR-03183-2 v2.1 asks SHA-512 of every deployable file; SPDX 2.3 requires SHA-1. */
export interface Digests {
  sha1: string;
  sha256: string;
  sha512: string;
}

/** A container in the artifact's tree: the artifact itself, an MSI, a cab, a pkg Payload … */
export interface ContainerNode {
  /** Unique key: the container's path inside the artifact ('' for the artifact). */
  key: string;
  /** File name of the container (`core.msi`, `Payload`). */
  name: string;
  /** Key of the container holding it (undefined for the artifact). */
  parent?: string;
  /** Origin chain, artifact first. */
  chain: string[];
  depth: number;
  info: ContainerInfo;
  hints?: ContainerHints;
  /** Where its members are placed inside the artifact. */
  membersRoot: string;
  size: number;
  digests?: Digests;
}

/** A regular file, link or declared-but-absent entry, with its place in the tree. */
export interface FileNode {
  /** Path inside the artifact, container chain made explicit, no leading `./`. */
  path: string;
  /** Key of the container it came out of. */
  container: string;
  chain: string[];
  kind: 'file' | 'symlink' | 'hardlink';
  size: number;
  digests?: Digests;
  linkTarget?: string;
  declared?: Record<string, string>;
  absent?: boolean;
  /**
   * Set when the file is a container we recognise (by its magic) but do not open: it is listed and
   * hashed like any file, and its members are a known unknown.
   */
  unopened?: { format: string; reason: string };
}

export interface WalkOptions {
  limits?: Partial<Limits>;
  /** Roots for container signatures' chains (a .pkg's TOC signature). */
  trustRoots?: TrustRoots;
}

/** Called for every regular file that is not itself a container; `source` is open until it returns. */
export type FileVisitor = (file: FileNode, source: ByteSource) => Promise<void>;

export interface WalkResult {
  containers: ContainerNode[];
  files: FileNode[];
  /** The artifact's own digests (undefined for a directory). */
  root: ContainerNode;
  /**
   * Everything recognised but not seen, over the whole tree: every container's `info.unknowns`
   * and every unopened container file, in walk order.
   */
  unknowns: UnpackUnknown[];
}

/** Hashes a source with SHA-1, SHA-256 and SHA-512 in one pass of 1 MiB reads. */
export async function digestSource(src: ByteSource): Promise<Digests> {
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  const sha512 = createHash('sha512');
  for await (const chunk of chunksOf(src)) {
    sha1.update(chunk);
    sha256.update(chunk);
    sha512.update(chunk);
  }
  return { sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), sha512: sha512.digest('hex') };
}

/**
 * Unpacks an artifact recursively, to a bounded depth, and reports every container and file.
 * Nothing is written outside a private temporary directory, which is removed before returning.
 */
export async function walkArtifact(artifactPath: string, visit: FileVisitor, options: WalkOptions = {}): Promise<WalkResult> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const budget = new Budget(limits);
  const name = basename(artifactPath);
  const containers: ContainerNode[] = [];
  const files: FileNode[] = [];
  let temp: string | undefined;
  const tempDir = async () => (temp ??= await mkdtemp(join(tmpdir(), 'installer-sbom-')));
  const cleanup = () => (temp ? rm(temp, { recursive: true, force: true }) : Promise.resolve());
  const onSignal = () => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const trustRoots = options.trustRoots;
  const ctxFor = (chain: string[]): UnpackContext => ({ chain, budget, tempDir, ...(trustRoots ? { trustRoots } : {}) });

  async function walkContainer(opened: OpenedContainer, node: ContainerNode): Promise<void> {
    try {
      for await (const entry of opened.entries()) {
        budget.countEntry(node.chain);
        await handleEntry(entry, node);
      }
    } finally {
      await opened.close();
    }
  }

  async function handleEntry(entry: Entry, node: ContainerNode): Promise<void> {
    if (entry.kind === 'directory') return;
    const path = joinEntryPath(node.membersRoot, entry.path);
    const chain = [...node.chain, entry.path];
    const base: FileNode = { path, container: node.key, chain, kind: entry.kind, size: entry.size };
    if (entry.declared) base.declared = entry.declared;
    if (entry.kind !== 'file') {
      files.push({ ...base, ...(entry.linkTarget !== undefined ? { linkTarget: entry.linkTarget } : {}) });
      return;
    }
    if (entry.absent) {
      files.push({ ...base, absent: true });
      return;
    }
    let src: ByteSource;
    try {
      src = await entry.open();
    } catch (err) {
      throw asInputError(err, chain, 'cannot read entry');
    }
    try {
      const digests = await digestSource(src);
      const head = await src.read(0, HEAD_BYTES);
      const ctx = ctxFor(chain);
      const reader = await pickReader(head, entry.path, src, ctx);
      if (reader) {
        if (node.depth + 1 > limits.maxDepth) {
          throw new LimitError('maxDepth', LIMIT_FLAGS.maxDepth, `containers nested deeper than ${limits.maxDepth}`, chain);
        }
        const opened = await openWith(() => reader.open(src, ctx), chain);
        const child: ContainerNode = {
          key: path,
          name: basename(entry.path),
          parent: node.key,
          chain,
          depth: node.depth + 1,
          info: opened.info,
          // Hints place members relative to the outer container (a pkg's install-location).
          membersRoot: entry.containerHints?.membersRoot !== undefined ? joinEntryPath(node.membersRoot, entry.containerHints.membersRoot) : path,
          size: src.size,
          digests,
          ...(entry.containerHints ? { hints: entry.containerHints } : {}),
        };
        containers.push(child);
        await walkContainer(opened, child);
        return;
      }
      const file: FileNode = { ...base, size: src.size, digests };
      files.push(file);
      await visit(file, src);
    } catch (err) {
      throw asInputError(err, chain, 'cannot read entry');
    } finally {
      await src.close();
    }
  }

  try {
    const st = await stat(artifactPath).catch(() => {
      throw new InputError('no such file or directory', [name]);
    });
    if (st.isDirectory()) {
      const root: ContainerNode = { key: '', name, chain: [name], depth: 0, info: { format: 'directory', properties: {} }, membersRoot: '', size: 0 };
      containers.push(root);
      await walkContainer(openDirectory(artifactPath, ctxFor([name])), root);
      return { containers, files, root, unknowns: unknownsOf(containers) };
    }
    const src = await FileByteSource.open(artifactPath);
    budget.artifactSize = src.size;
    try {
      const digests = await digestSource(src);
      const head = await src.read(0, HEAD_BYTES);
      const ctx = ctxFor([name]);
      const reader = await pickReader(head, name, src, ctx);
      if (reader) {
        const opened = await openWith(() => reader.open(src, ctx), [name]);
        const root: ContainerNode = { key: '', name, chain: [name], depth: 0, info: opened.info, membersRoot: '', size: src.size, digests };
        containers.push(root);
        await walkContainer(opened, root);
        return { containers, files, root, unknowns: unknownsOf(containers) };
      }
      // A bare binary: an artifact of one file.
      const root: ContainerNode = { key: '', name, chain: [name], depth: 0, info: { format: 'file', properties: {} }, membersRoot: '', size: src.size, digests };
      containers.push(root);
      const file: FileNode = { path: name, container: '', chain: [name], kind: 'file', size: src.size, digests };
      files.push(file);
      await visit(file, src);
      return { containers, files, root, unknowns: unknownsOf(containers) };
    } catch (err) {
      throw asInputError(err, [name], 'cannot read');
    } finally {
      await src.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

async function openWith(open: () => Promise<OpenedContainer>, chain: string[]): Promise<OpenedContainer> {
  try {
    return await open();
  } catch (err) {
    throw asInputError(err, chain, 'cannot open container');
  }
}

/** Container-level unknowns, parents before children (walk order). */
function unknownsOf(containers: readonly ContainerNode[]): UnpackUnknown[] {
  return containers.flatMap((c) => c.info.unknowns ?? []);
}
