import { InputError, LimitError } from '../../errors.js';
import { LIMIT_FLAGS } from '../limits.js';
import { readExactly, SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { ReadAheadSource } from '../../io/read-ahead.js';
import { indexedContainer } from '../indexed-container.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerInfo, Entry, OpenedContainer, UnpackContext } from '../types.js';
import { cpioFormatOf, readCpioMembers, type CpioMember } from './cpio-index.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** Symlink targets are paths; anything longer is not one. */
const MAX_LINK_TARGET = 4096;

/**
 * Opens the cpio archive held by `cpio` (raw, or decoded from gzip/pbzx by the caller). Headers
 * are indexed up front so hard links can point at the member that carries the data: newc writes
 * the data with the LAST link of a group (earlier ones have size 0), odc with every link.
 * `release` runs on close (the decoded temp file of gzip/pbzx payloads).
 */
export async function openCpioContainer(
  cpio: ByteSource,
  ctx: UnpackContext,
  info: ContainerInfo,
  release: () => Promise<void> = async () => undefined,
): Promise<OpenedContainer> {
  return indexedContainer(
    info,
    async () => {
      const format = cpioFormatOf(await cpio.read(0, 6));
      if (format === undefined) throw new InputError('not a cpio archive (no odc, newc, crc or binary header)', ctx.chain, 0);
      info.properties.cpioFormat = format;
      return indexEntries(cpio, ctx, info);
    },
    release,
  );
}

async function indexEntries(cpio: ByteSource, ctx: UnpackContext, info: ContainerInfo): Promise<Entry[]> {
  const members: { m: CpioMember; path: string }[] = [];
  // Thousands of small headers and names, read in order.
  for await (const m of readCpioMembers(new ReadAheadSource(cpio, 64 << 10), ctx.budget, ctx.chain)) {
    const path = safeEntryPath(m.name, ctx.chain);
    // `.` (the payload root itself) names no member of its own.
    if (path === '') continue;
    // The walker counts entries as they are yielded; this guards the index held in memory first.
    if (members.length >= ctx.budget.limits.maxEntries) {
      throw new LimitError('maxEntries', LIMIT_FLAGS.maxEntries, `more than ${ctx.budget.limits.maxEntries} cpio members`, ctx.chain);
    }
    members.push({ m, path });
  }

  // Hard-link groups: the member that carries bytes is the file, the others link to it.
  const primaryOf = new Map<string, { path: string; size: number }>();
  for (const { m, path } of members) {
    if ((m.mode & S_IFMT) !== S_IFREG || m.nlink < 2) continue;
    const key = `${m.dev}/${m.ino}`;
    const seen = primaryOf.get(key);
    if (seen === undefined || (seen.size === 0 && m.size > 0)) primaryOf.set(key, { path, size: m.size });
  }
  const primary = new Map([...primaryOf].map(([k, v]) => [k, v.path]));

  const out: Entry[] = [];
  for (const { m, path } of members) {
    const declared: Record<string, string> = {
      mode: (m.mode & 0o7777).toString(8).padStart(4, '0'),
      uid: String(m.uid),
      gid: String(m.gid),
      mtime: String(m.mtime),
    };
    const type = m.mode & S_IFMT;
    if (type === S_IFDIR) {
      out.push({ path, kind: 'directory', size: 0, declared, open: notAFile(path, ctx) });
    } else if (type === S_IFLNK) {
      if (m.size > MAX_LINK_TARGET) throw new InputError(`symlink ${path} has a ${m.size}-byte target`, ctx.chain, m.headerOffset);
      const target = Buffer.from(await readExactly(cpio, m.dataOffset, m.size, 'symlink target')).toString('utf8');
      // Recorded exactly as written, never resolved: targets routinely leave the payload root
      // (Command_Line_Tools links into /Library/Frameworks).
      out.push({ path, kind: 'symlink', size: 0, linkTarget: target, declared, open: notAFile(path, ctx) });
    } else if (type === S_IFREG) {
      const first = m.nlink > 1 ? primary.get(`${m.dev}/${m.ino}`) : undefined;
      if (first !== undefined && first !== path) {
        out.push({ path, kind: 'hardlink', size: 0, linkTarget: first, declared, open: notAFile(path, ctx) });
        continue;
      }
      const { dataOffset, size } = m;
      out.push({
        path,
        kind: 'file',
        size,
        declared,
        open: async () => new SliceByteSource(cpio, dataOffset, size),
      });
    } else {
      (info.warnings ??= []).push(`skipped special file ${path} (mode ${m.mode.toString(8)})`);
    }
  }
  return out;
}

function notAFile(path: string, ctx: UnpackContext): () => Promise<ByteSource> {
  return async () => {
    throw new InputError(`${path} is not a regular file`, ctx.chain);
  };
}
