import { InputError, LimitError } from '../../errors.js';
import { LIMIT_FLAGS } from '../limits.js';
import { readExactly, SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { ReadAheadSource } from '../../io/read-ahead.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerInfo, Entry, OpenedContainer, UnpackContext } from '../types.js';
import { cpioFormatOf, readCpioMembers, type CpioMember } from './cpio-index.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** Symlink targets are paths; anything longer is not one. */
const MAX_LINK_TARGET = 4096;

/** How a cpio archive's bytes arrive: all at once, or still being decoded (see DecodingSpill). */
export interface CpioSource extends ByteSource {
  /** Resolves once bytes [0, end) can be read; absent when they all can now. */
  ready?(end: number): Promise<void>;
  /** Resolves once every byte is there; rejects with the decoder's error. */
  finished?(): Promise<void>;
}

/**
 * Opens the cpio archive held by `cpio` (raw, or decoded from gzip/pbzx by the caller). Members
 * are listed as their headers are read, so a payload still being decoded is walked while the
 * rest decodes; a member is handed out once its bytes are all there. `release` runs on close
 * (the decoded temp file of gzip/pbzx payloads), and also when opening fails.
 */
export async function openCpioContainer(
  cpio: CpioSource,
  ctx: UnpackContext,
  info: ContainerInfo,
  release: () => Promise<void> = async () => undefined,
): Promise<OpenedContainer> {
  try {
    const format = cpioFormatOf(await cpio.read(0, 6));
    if (format === undefined) throw new InputError('not a cpio archive (no odc, newc, crc or binary header)', ctx.chain, 0);
    info.properties.cpioFormat = format;
  } catch (err) {
    await release();
    throw err;
  }
  const warn = (msg: string): void => {
    (info.warnings ??= []).push(msg);
  };
  return {
    info,
    async *entries() {
      yield* cpioEntries(cpio, ctx, warn);
      // The trailer may come before the last decoded byte: a failure past it still fails the payload.
      await cpio.finished?.();
    },
    close: release,
    async member(path) {
      for await (const e of cpioEntries(cpio, ctx, () => undefined)) if (e.path === path && e.kind === 'file') return e.open();
      return undefined;
    },
  };
}

/**
 * The members of a cpio archive in header order. Hard links: the member that carries the bytes is
 * the file and the others link to it; newc writes the bytes with the LAST link of a group (earlier
 * ones have size 0), odc with every link. So a link of size 0 whose group has no file yet waits
 * for it, and is listed right after it.
 */
async function* cpioEntries(cpio: CpioSource, ctx: UnpackContext, warn: (msg: string) => void): AsyncGenerator<Entry> {
  const groups = new Map<string, { file?: string; waiting: { path: string; m: CpioMember }[] }>();
  let waiting = 0;
  // Thousands of small headers and names, read in order.
  for await (const m of readCpioMembers(new ReadAheadSource(cpio, 64 << 10), ctx.budget, ctx.chain)) {
    const path = safeEntryPath(m.name, ctx.chain);
    // `.` (the payload root itself) names no member of its own.
    if (path === '') continue;
    if ((m.mode & S_IFMT) !== S_IFREG || m.nlink < 2) {
      const e = await entryOf(cpio, m, path, ctx, warn);
      if (e) yield e;
      continue;
    }
    const key = `${m.dev}/${m.ino}`;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { waiting: [] }));
    if (group.file !== undefined) {
      yield hardLink(m, path, group.file, ctx);
    } else if (m.size === 0) {
      // The walker counts entries as they are yielded; this guards those held back first.
      if (++waiting > ctx.budget.limits.maxEntries) {
        throw new LimitError('maxEntries', LIMIT_FLAGS.maxEntries, `more than ${ctx.budget.limits.maxEntries} cpio members`, ctx.chain);
      }
      group.waiting.push({ path, m });
    } else {
      group.file = path;
      yield fileEntry(cpio, m, path);
      for (const w of group.waiting.splice(0)) yield hardLink(w.m, w.path, path, ctx);
    }
  }
  // Groups whose links all have size 0: the first is the (empty) file, the others link to it.
  for (const group of groups.values()) {
    const [first, ...rest] = group.waiting;
    if (first === undefined) continue;
    yield fileEntry(cpio, first.m, first.path);
    for (const w of rest) yield hardLink(w.m, w.path, first.path, ctx);
  }
}

function declaredOf(m: CpioMember): Record<string, string> {
  return { mode: (m.mode & 0o7777).toString(8).padStart(4, '0'), uid: String(m.uid), gid: String(m.gid), mtime: String(m.mtime) };
}

function fileEntry(cpio: CpioSource, m: CpioMember, path: string): Entry {
  const { dataOffset, size } = m;
  return {
    path,
    kind: 'file',
    size,
    declared: declaredOf(m),
    open: async () => {
      await cpio.ready?.(dataOffset + size);
      return new SliceByteSource(cpio, dataOffset, size);
    },
  };
}

function hardLink(m: CpioMember, path: string, target: string, ctx: UnpackContext): Entry {
  return { path, kind: 'hardlink', size: 0, linkTarget: target, declared: declaredOf(m), open: notAFile(path, ctx) };
}

/** A member that is not part of a hard-link group; undefined for a special file (warned about). */
async function entryOf(cpio: CpioSource, m: CpioMember, path: string, ctx: UnpackContext, warn: (msg: string) => void): Promise<Entry | undefined> {
  const type = m.mode & S_IFMT;
  if (type === S_IFDIR) return { path, kind: 'directory', size: 0, declared: declaredOf(m), open: notAFile(path, ctx) };
  if (type === S_IFLNK) {
    if (m.size > MAX_LINK_TARGET) throw new InputError(`symlink ${path} has a ${m.size}-byte target`, ctx.chain, m.headerOffset);
    const target = Buffer.from(await readExactly(cpio, m.dataOffset, m.size, 'symlink target')).toString('utf8');
    // Recorded exactly as written, never resolved: targets routinely leave the payload root
    // (Command_Line_Tools links into /Library/Frameworks).
    return { path, kind: 'symlink', size: 0, linkTarget: target, declared: declaredOf(m), open: notAFile(path, ctx) };
  }
  if (type === S_IFREG) return fileEntry(cpio, m, path);
  warn(`skipped special file ${path} (mode ${m.mode.toString(8)})`);
  return undefined;
}

function notAFile(path: string, ctx: UnpackContext): () => Promise<ByteSource> {
  return async () => {
    throw new InputError(`${path} is not a regular file`, ctx.chain);
  };
}
