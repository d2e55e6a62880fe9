import { InputError, LimitError } from '../../errors.js';
import { readExactly, SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { indexedContainer } from '../indexed-container.js';
import { LIMIT_FLAGS } from '../limits.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerInfo, Entry, OpenedContainer, UnpackContext, UnpackUnknown } from '../types.js';
import { BLOCK, isZeroBlock, parsePaxRecords, parseTarHeader, type TarHeader } from './tar-header.js';

/** GNU long names and pax headers hold one path; nothing longer is a path. */
const MAX_LONG_NAME = 64 * 1024;

/** Data offsets after a header: the member's bytes, padded to whole blocks. */
const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/**
 * Opens the tar archive in `tar` (a file of the artifact, or the decoded temp file of a .tar.gz /
 * .tar.xz …), reading headers only, block by block; members are slices of `tar`. POSIX ustar
 * (prefix + name), GNU (`L`/`K` long names, base-256 sizes) and pax (`x` headers: path,
 * linkpath, size) are understood. Links are recorded as written, never followed. Sparse and
 * multi-volume members cannot be read from their bytes alone: they are listed as unknowns.
 * `release` runs on close (the decoded temp file).
 */
export async function openTarContainer(
  tar: ByteSource,
  ctx: UnpackContext,
  info: ContainerInfo,
  release: () => Promise<void> = async () => undefined,
): Promise<OpenedContainer> {
  return indexedContainer(info, () => indexTar(tar, ctx, info), release);
}

async function indexTar(tar: ByteSource, ctx: UnpackContext, info: ContainerInfo): Promise<Entry[]> {
  const chain = ctx.chain;
  const out: Entry[] = [];
  const unknowns: UnpackUnknown[] = (info.unknowns ??= []);
  const warnings: string[] = (info.warnings ??= []);
  let off = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  let global = new Map<string, string>();
  const flavours = new Set<string>();
  for (;;) {
    if (off + BLOCK > tar.size) {
      // A tar that simply stops after its last member (no end-of-archive blocks) is read as
      // GNU tar and bsdtar read it; a header cut in half is not.
      if (off === tar.size) {
        warnings.push('the archive has no end-of-archive blocks');
        break;
      }
      throw new InputError(`truncated tar archive: a header at ${off} needs ${BLOCK} bytes, ${tar.size - off} remain`, chain, off);
    }
    const block = await readExactly(tar, off, BLOCK, 'tar header');
    if (isZeroBlock(block)) break;
    const h = parseTarHeader(block, off, chain);
    flavours.add(h.flavour);
    const paxSize = pax.get('size');
    const size = paxSize !== undefined ? paxNumber(paxSize, 'size', chain, off) : h.size;
    const dataOffset = off + BLOCK;
    if (dataOffset + size > tar.size) {
      throw new InputError(`truncated tar archive: ${JSON.stringify(h.name)} needs ${size} bytes at ${dataOffset} of ${tar.size}`, chain, off);
    }
    const next = dataOffset + padded(size);
    const meta = async (what: string): Promise<Uint8Array> => {
      if (size > MAX_LONG_NAME && what !== 'pax header') throw new InputError(`tar ${what} of ${size} bytes`, chain, off);
      ctx.budget.checkMetadata(size, `tar ${what}`, chain);
      return readExactly(tar, dataOffset, size, `tar ${what}`);
    };
    switch (h.typeflag) {
      case 'L':
        longName = cString(await meta('long name'));
        off = next;
        continue;
      case 'K':
        longLink = cString(await meta('long link name'));
        off = next;
        continue;
      case 'x':
        pax = parsePaxRecords(await meta('pax header'), chain, dataOffset);
        off = next;
        continue;
      case 'g':
        global = new Map([...global, ...parsePaxRecords(await meta('pax header'), chain, dataOffset)]);
        off = next;
        continue;
      case 'V':
        // A GNU volume label names the archive, not a member.
        off = next;
        continue;
    }
    const rawName = pax.get('path') ?? longName ?? h.name;
    const rawLink = pax.get('linkpath') ?? longLink ?? h.linkname;
    const sparse = h.typeflag === 'S' || [...pax.keys()].some((k) => k.startsWith('GNU.sparse.'));
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    off = next;

    const path = safeEntryPath(rawName, chain);
    if (path === '') continue;
    if (out.length >= ctx.budget.limits.maxEntries) {
      throw new LimitError('maxEntries', LIMIT_FLAGS.maxEntries, `more than ${ctx.budget.limits.maxEntries} tar members`, chain);
    }
    const declared: Record<string, string> = {
      mode: (h.mode & 0o7777).toString(8).padStart(4, '0'),
      uid: String(h.uid),
      gid: String(h.gid),
      mtime: String(h.mtime),
    };
    if (h.uname !== '') declared.uname = h.uname;
    if (h.gname !== '') declared.gname = h.gname;
    const notAFile = async (): Promise<ByteSource> => {
      throw new InputError(`${path} is not a regular file`, chain);
    };
    if (sparse || h.typeflag === 'M') {
      const what = sparse ? 'a GNU sparse file' : 'continued from another volume of a multi-volume archive';
      unknowns.push({ kind: 'unsupported-member', path, format: sparse ? 'tar-sparse' : 'tar-multivolume', reason: `${what}: its bytes are not stored in order in this archive`, declared: { ...declared, size: String(size) } });
      continue;
    }
    switch (h.typeflag) {
      case '0':
      case '\0':
      case '7':
        out.push({ path, kind: 'file', size, declared, open: async () => new SliceByteSource(tar, dataOffset, size) });
        break;
      case '5':
      case 'D':
        out.push({ path, kind: 'directory', size: 0, declared, open: notAFile });
        break;
      case '2':
        out.push({ path, kind: 'symlink', size: 0, linkTarget: rawLink, declared, open: notAFile });
        break;
      case '1':
        // Hard links name another member of the archive; the target is made safe like any name.
        out.push({ path, kind: 'hardlink', size: 0, linkTarget: safeEntryPath(rawLink, chain), declared, open: notAFile });
        break;
      case '3':
      case '4':
      case '6':
        warnings.push(`skipped special file ${path} (tar type ${h.typeflag})`);
        break;
      default:
        unknowns.push({ kind: 'unsupported-member', path, format: `tar-type-${h.typeflag}`, reason: `tar member type ${JSON.stringify(h.typeflag)} is not one we know how to read`, declared: { ...declared, size: String(size) } });
    }
  }
  info.properties.tarFormat = flavours.has('ustar') ? 'ustar' : flavours.has('gnu') ? 'gnu' : 'v7';
  return out;
}

function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder('utf-8').decode(end < 0 ? b : b.subarray(0, end));
}

function paxNumber(v: string, what: string, chain: readonly string[], at: number): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw new InputError(`pax ${what} ${JSON.stringify(v)} is not a number`, chain, at);
  return Number(v);
}
