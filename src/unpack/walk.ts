import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { asInputError, InputError } from '../errors.js';
import { FileByteSource, type ByteSource } from '../io/byte-source.js';
import { ByteWork } from '../parallel/byte-work.js';
import { fileInDirectory, openDirectory } from './directory/directory-container.js';
import { Budget, DEFAULT_LIMITS, LIMIT_FLAGS, type Limits } from './limits.js';
import { joinEntryPath } from './paths.js';
import { describeFormat, FORMATS, formatsClaimedByName, recogniseFormat, type Recognised } from './registry.js';
import type { TrustRoots } from '../inspect/signing/trust.js';
import { HEAD_BYTES, type ContainerHints, type ContainerInfo, type Entry, type OpenedContainer, type UnopenedFinding, type UnpackContext, type UnpackUnknown, type UnpackWarning } from './types.js';
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
  unopened?: UnopenedFinding;
  /** Problems with this file that did not stop reading (a name that claims another format). */
  warnings?: string[];
}

export interface WalkOptions {
  limits?: Partial<Limits>;
  /** Roots for container signatures' chains (a .pkg's TOC signature). */
  trustRoots?: TrustRoots;
}

/**
 * Called for every regular file that is not itself a container, in walk order; `source` is open
 * until it returns. `digests` settles later (hashing runs on worker threads meanwhile); the file's
 * `digests` field is set by the time walkArtifact returns.
 */
export type FileVisitor = (file: FileNode, source: ByteSource, digests: Promise<Digests>) => Promise<void>;

export interface WalkResult {
  containers: ContainerNode[];
  files: FileNode[];
  /** The artifact's own digests (undefined for a directory). */
  root: ContainerNode;
  /**
   * Everything recognised but not seen, over the whole tree: every container's `info.unknowns`
   * (their paths made artifact paths, as FileNode.path; a container's own unknown has the
   * container's key, '' for the artifact), then every unopened container file
   * (kind 'unopened-container'), in walk order.
   */
  unknowns: UnpackUnknown[];
  /**
   * Every problem that did not stop reading: each container's `info.warnings` (path = its key,
   * '' for the artifact) and each file's `warnings`, in walk order.
   */
  warnings: UnpackWarning[];
}

const DIGESTS = ['sha1', 'sha256', 'sha512'] as const;

/** Hashes a source with SHA-1, SHA-256 and SHA-512 in one pass. */
export async function digestSource(src: ByteSource, work = ByteWork.get()): Promise<Digests> {
  return digestsOf(await work.digest(src, DIGESTS, 'hash'));
}

function digestsOf(m: Map<string, Buffer>): Digests {
  return { sha1: m.get('sha1')!.toString('hex'), sha256: m.get('sha256')!.toString('hex'), sha512: m.get('sha512')!.toString('hex') };
}

/**
 * Unpacks an artifact recursively, to a bounded depth, and reports every container and file.
 * Nothing is written outside a private temporary directory, which is removed before returning.
 *
 * Bytes whose magic names a format we read must read as that format: a failure is an
 * InputError, never a fall back to a plain file. A format we recognise but do not open is a
 * file marked `unopened` and a known unknown; a file whose name claims a format its bytes are
 * not gets a warning.
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
  const work = ByteWork.get();
  // Hashing runs on workers while the walk goes on; every result lands here and is awaited at the end.
  const hashing: Promise<Digests>[] = [];
  /** Starts hashing `src`; resolves once `src` may be closed, with the digests to come. */
  const startHashing = async (src: ByteSource): Promise<{ digests: Promise<Digests> }> => {
    const { result } = await work.startDigest(src, DIGESTS, 'hash');
    const digests = result.then(digestsOf);
    digests.catch(() => undefined);
    hashing.push(digests);
    return { digests };
  };
  const settle = <T extends { digests?: Digests }>(node: T, digests: Promise<Digests>): T => {
    void digests.then((d) => (node.digests = d), () => undefined);
    return node;
  };
  const ctxFor = (chain: string[], sibling?: (n: string) => Promise<ByteSource | undefined>): UnpackContext => ({
    chain,
    budget,
    tempDir,
    ...(trustRoots ? { trustRoots } : {}),
    ...(sibling ? { sibling } : {}),
  });

  async function walkContainer(opened: OpenedContainer, node: ContainerNode): Promise<void> {
    try {
      for await (const entry of opened.entries()) {
        budget.countEntry(node.chain);
        await handleEntry(entry, node, opened);
      }
    } finally {
      await opened.close();
    }
  }

  /**
   * Opens `src` as `found`'s container, walks it, and for a self-extractor also lists the
   * executable itself as a file. `file` is the node the bytes would have as a plain file.
   */
  async function openContainer(found: Recognised, src: ByteSource, ctx: UnpackContext, file: FileNode, node: Omit<ContainerNode, 'info'>, digests: Promise<Digests>, parent?: ContainerNode): Promise<void> {
    if (found.format.alsoAFile) {
      files.push(file);
      await visit(file, src, digests);
    }
    let opened: OpenedContainer;
    try {
      opened = await openWith(() => found.format.reader!.open(src, ctx), ctx.chain);
    } catch (err) {
      // The artifact itself (no parent) must open as what it is.
      if (found.format.alsoAFile || parent === undefined || !undecodedMemberIsAFile(err, parent)) throw err;
      // Still a file of the archive, listed and hashed; what it holds is a known unknown.
      file.unopened = { format: found.format.format, reason: `recognised as ${found.format.title}, but it could not be opened: ${(err as InputError).message}; what it holds is not in this SBOM` };
      files.push(file);
      await visit(file, src, digests);
      return;
    }
    const child = settle<ContainerNode>({ ...node, info: opened.info }, digests);
    containers.push(child);
    await walkContainer(opened, child);
  }

  /** A file that is no container we open: listed, hashed and inspected, with what we know of it. */
  async function plainFile(file: FileNode, head: Uint8Array, found: Recognised | undefined, src: ByteSource, digests: Promise<Digests>): Promise<void> {
    if (found?.unopened) file.unopened = found.unopened;
    else warnAboutName(file, head);
    files.push(file);
    await visit(file, src, digests);
  }

  async function handleEntry(entry: Entry, node: ContainerNode, holder: OpenedContainer): Promise<void> {
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
      // Bytes sent to workers and not yet hashed are bounded: wait before decompressing more.
      await work.capacity();
      src = await entry.open();
    } catch (err) {
      throw asInputError(err, chain, 'cannot read entry');
    }
    try {
      const { digests } = await startHashing(src);
      const head = await src.read(0, HEAD_BYTES);
      const dir = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
      const sibling = holder.member ? (n: string) => siblingIn(holder, dir, n) : undefined;
      const ctx = ctxFor(chain, sibling);
      const found = await recogniseFormat(head, entry.path, src, ctx);
      const file = settle<FileNode>({ ...base, size: src.size }, digests);
      if (found?.format.reader) {
        if (node.depth + 1 > limits.maxDepth) {
          throw new LimitError('maxDepth', LIMIT_FLAGS.maxDepth, `containers nested deeper than ${limits.maxDepth}`, chain);
        }
        await openContainer(found, src, ctx, file, {
          key: path,
          name: basename(entry.path),
          parent: node.key,
          chain,
          depth: node.depth + 1,
          // Hints place members relative to the outer container (a pkg's install-location).
          membersRoot: entry.containerHints?.membersRoot !== undefined ? joinEntryPath(node.membersRoot, entry.containerHints.membersRoot) : path,
          size: src.size,
          ...(entry.containerHints ? { hints: entry.containerHints } : {}),
        }, digests, node);
        return;
      }
      await plainFile(file, head, found, src, digests);
    } catch (err) {
      throw asInputError(err, chain, 'cannot read entry');
    } finally {
      await src.close();
    }
  }

  const result = async (root: ContainerNode): Promise<WalkResult> => {
    await Promise.all(hashing);
    // The nodes' digests are set by then: `settle` attached its reactions before these awaits.
    return { containers, files, root, unknowns: unknownsOf(containers, files), warnings: warningsOf(containers, files) };
  };

  try {
    const st = await stat(artifactPath).catch(() => {
      throw new InputError('no such file or directory', [name]);
    });
    if (st.isDirectory()) {
      const root: ContainerNode = { key: '', name, chain: [name], depth: 0, info: { format: 'directory', properties: {} }, membersRoot: '', size: 0 };
      containers.push(root);
      await walkContainer(openDirectory(artifactPath, ctxFor([name])), root);
      return await result(root);
    }
    const src = await FileByteSource.open(artifactPath);
    budget.artifactSize = src.size;
    try {
      const { digests } = await startHashing(src);
      const head = await src.read(0, HEAD_BYTES);
      const ctx = ctxFor([name], (n) => fileBeside(artifactPath, n));
      const found = await recogniseFormat(head, name, src, ctx);
      const file = settle<FileNode>({ path: name, container: '', chain: [name], kind: 'file', size: src.size }, digests);
      const rootNode = { key: '', name, chain: [name], depth: 0, membersRoot: '', size: src.size };
      if (found?.format.reader) {
        await openContainer(found, src, ctx, file, rootNode, digests);
        // openContainer pushed the root first among the containers.
        return await result(containers.find((c) => c.key === '')!);
      }
      // A bare file: an artifact of one file.
      const root = settle<ContainerNode>({ ...rootNode, info: { format: 'file', properties: {} } }, digests);
      containers.push(root);
      await plainFile(file, head, found, src, digests);
      return await result(root);
    } catch (err) {
      throw asInputError(err, [name], 'cannot read');
    } finally {
      await src.close();
    }
  } finally {
    // Workers may still be reading temp files: let them finish before the files go.
    await Promise.allSettled(hashing);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

/**
 * A member that names a format but does not open is a file with a known unknown when its parent
 * holds ordinary files (FormatDescriptor.membersAreData; a directory; a compressed stream whose
 * content is such an archive, as a .tar.gz). Installer structure (an MSI's cabinet, a Burn
 * container, a pkg's Payload) stays fatal, as do limits (a bomb is hostile wherever it is).
 */
function undecodedMemberIsAFile(err: unknown, parent: ContainerNode): boolean {
  if (!(err instanceof InputError) || err instanceof LimitError) return false;
  const holds = [parent.info.format, parent.info.properties['content']];
  return holds.some((f) => f === 'directory' || (f !== undefined && describeFormat(f)?.membersAreData === true));
}

async function openWith(open: () => Promise<OpenedContainer>, chain: readonly string[]): Promise<OpenedContainer> {
  try {
    return await open();
  } catch (err) {
    throw asInputError(err, chain, 'cannot open container');
  }
}

/**
 * A name that claims a format (`.msi`) on bytes that are none we know earns a warning; bytes that
 * are a volume of a set another member lists (an InstallShield `data2.cab`) are known.
 */
function warnAboutName(file: FileNode, head: Uint8Array): void {
  const claimed = formatsClaimedByName(file.path);
  if (claimed.length === 0 || FORMATS.some((f) => f.partOfSet?.(head))) return;
  const titles = claimed.map((f) => f.title).join(' or ');
  (file.warnings ??= []).push(`named like a ${titles}, but its bytes are not one: read as a plain file`);
}

/** A plain name only: a sibling is looked up beside the container, never elsewhere. */
function plainName(n: string): boolean {
  return n !== '' && n !== '.' && n !== '..' && !/[\/\\\u0000-\u001f]/.test(n);
}

async function siblingIn(holder: OpenedContainer, dir: string, n: string): Promise<ByteSource | undefined> {
  if (!plainName(n)) return undefined;
  return holder.member!(joinEntryPath(dir, n));
}

/** A file beside the artifact, by plain name. */
async function fileBeside(artifactPath: string, n: string): Promise<ByteSource | undefined> {
  return plainName(n) ? fileInDirectory(dirname(artifactPath), n) : undefined;
}

/** Container unknowns (rebased to artifact paths), then unopened files, in walk order. */
function unknownsOf(containers: readonly ContainerNode[], files: readonly FileNode[]): UnpackUnknown[] {
  const out: UnpackUnknown[] = [];
  for (const c of containers) {
    for (const u of c.info.unknowns ?? []) {
      const rebased = { ...u, path: u.path === '' ? c.key : joinEntryPath(c.membersRoot, u.path) };
      out.push(rebased);
    }
  }
  for (const f of files) {
    if (f.unopened) out.push({ kind: 'unopened-container', path: f.path, format: f.unopened.format, reason: f.unopened.reason, declared: { size: String(f.size) } });
  }
  return out;
}

function warningsOf(containers: readonly ContainerNode[], files: readonly FileNode[]): UnpackWarning[] {
  return [
    ...containers.flatMap((c) => (c.info.warnings ?? []).map((message) => ({ path: c.key, message }))),
    ...files.flatMap((f) => (f.warnings ?? []).map((message) => ({ path: f.path, message }))),
  ];
}
