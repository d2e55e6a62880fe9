import { crc32 } from 'node:zlib';
import { InputError } from '../../errors.js';
import { BufferByteSource, SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerReader, Entry, OpenedContainer, UnpackContext, UnpackUnknown } from '../types.js';
import { copyFor7z, decodeFileWith7z } from './decode.js';
import { list7z, type SevenZipListEntry } from './seven-zip.js';

/** "7z", BC AF 27 1C: the 7z signature header. */
const SEVEN_ZIP_MAGIC = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];
/** A symlink's data is its target, a path. */
const MAX_LINK_TARGET = 4096;

export function isSevenZipHead(head: Uint8Array): boolean {
  return head.length >= 6 && SEVEN_ZIP_MAGIC.every((b, i) => head[i] === b);
}

interface Member {
  path: string;
  item: SevenZipListEntry;
  size: number;
  crc?: number;
  symlink: boolean;
}

/** A format 7-Zip lists and decodes: our name for it, 7-Zip's (`-t`), its magic. */
export interface SevenZipFamily {
  format: string;
  /** 7-Zip's archive type (`-t7z`, `-tIso`, `-tFAT`, `-tUEFIf`). */
  type: string;
  /** What it is, for messages ("7z archive", "ISO 9660 image"). */
  what: string;
  canRead(head: Uint8Array): boolean;
}

/**
 * Archives and images 7-Zip reads, through 7z-wasm: the technical listing (`l -slt`) names the
 * members, then one `e -so` run decodes every file member, in archive order, into one temp file
 * that is cut by the listed sizes; each piece must match its listed CRC-32 where the format has
 * one, so a listing and a stream that disagree are caught. Nothing is extracted under a member's
 * own name. Encrypted members cannot be read: they are listed as unknowns.
 */
export function sevenZipFamilyReader(family: SevenZipFamily): ContainerReader {
  const { format, type, what } = family;
  return {
    format,
    canRead: family.canRead,
    async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
      const input = await copyFor7z(source, ctx);
      const listing = await list7z(input, { type, chain: ctx.chain });
      const props = listing.archive;
      const properties: Record<string, string> = {};
      if (props.Method) properties.method = props.Method;
      if (props.Solid) properties.solid = props.Solid === '+' ? 'yes' : 'no';
      if (props.Blocks) properties.blocks = props.Blocks;
      const unknowns: UnpackUnknown[] = [];
      const dirs: Entry[] = [];
      const members: Member[] = [];
      for (const item of listing.entries) {
        const path = safeEntryPath(item.Path ?? '', ctx.chain);
        if (path === '' || item.Anti === '+') continue;
        const attrs = item.Attributes ?? '';
        if (attrs.startsWith('D') || item.Folder === '+') {
          dirs.push({ path, kind: 'directory', size: 0, open: notAFile(path, ctx) });
          continue;
        }
        const size = Number(item.Size ?? '0');
        if (!Number.isSafeInteger(size) || size < 0) throw new InputError(`${what}: member ${JSON.stringify(path)} has size ${item.Size}`, ctx.chain);
        if (item.Encrypted === '+') {
          unknowns.push({ kind: 'unsupported-member', path, format: 'encrypted', reason: `an encrypted member of a ${what}: its bytes cannot be read without the password`, declared: declaredOf(item) });
          continue;
        }
        const crc = item.CRC ? parseInt(item.CRC, 16) : undefined;
        const member: Member = { path, item, size, symlink: / l/.test(attrs) };
        if (crc !== undefined && Number.isFinite(crc)) member.crc = crc;
        if (member.symlink && size > MAX_LINK_TARGET) throw new InputError(`${what}: symlink ${path} has a ${size}-byte target`, ctx.chain);
        ctx.budget.checkEntry(size, undefined, ctx.chain);
        members.push(member);
      }
      if (unknowns.length > 0 && members.length > 0) {
        // 7-Zip decodes all or nothing in one run; a password it does not have fails the run.
        throw new InputError(`a ${what} with both encrypted and plain members is not supported`, ctx.chain);
      }
      const expected = members.reduce((n, m) => n + m.size, 0);
      const decoded = members.length > 0 && expected > 0 ? await decodeFileWith7z(input, ctx, { type, what, expectedSize: expected, storedSize: source.size }) : undefined;
      if ((decoded?.size ?? 0) !== expected) {
        await decoded?.close();
        throw new InputError(`${what} decodes to ${decoded?.size ?? 0} bytes, its listing says ${expected}`, ctx.chain);
      }
      const entries: Entry[] = [...dirs];
      let at = 0;
      for (const m of members) {
        const slice = decoded ? new SliceByteSource(decoded, at, m.size) : undefined;
        at += m.size;
        if (slice && m.crc !== undefined && (await crcOf(slice)) !== m.crc) {
          await decoded?.close();
          throw new InputError(`${what}: member ${JSON.stringify(m.path)} does not match its CRC-32`, ctx.chain);
        }
        if (m.symlink) {
          const target = slice ? Buffer.from(await slice.read(0, m.size)).toString('utf8') : '';
          entries.push({ path: m.path, kind: 'symlink', size: 0, linkTarget: target, declared: declaredOf(m.item), open: notAFile(m.path, ctx) });
          continue;
        }
        const entry: Entry = { path: m.path, kind: 'file', size: m.size, declared: declaredOf(m.item), open: async () => slice ?? new BufferByteSource(new Uint8Array(0)) };
        const packed = Number(m.item['Packed Size']);
        if (m.item['Packed Size'] && Number.isSafeInteger(packed) && packed > 0) entry.storedSize = packed;
        entries.push(entry);
      }
      return {
        info: { format, properties, unknowns, warnings: [] },
        async *entries() {
          yield* entries;
        },
        close: async () => {
          await decoded?.close();
        },
      };
    },
  };
}

export const SevenZipReader = sevenZipFamilyReader({ format: '7z', type: '7z', what: '7z archive', canRead: isSevenZipHead });

async function crcOf(src: ByteSource): Promise<number> {
  let crc = 0;
  for (let off = 0; off < src.size; off += 1 << 20) crc = crc32(await src.read(off, Math.min(1 << 20, src.size - off)), crc);
  return crc;
}

function declaredOf(item: SevenZipListEntry): Record<string, string> {
  const d: Record<string, string> = {};
  if (item.Size) d.size = item.Size;
  if (item.CRC) d.crc32 = item.CRC.toLowerCase();
  if (item.Method) d.method = item.Method;
  if (item.Modified) d.modified = item.Modified;
  return d;
}

function notAFile(path: string, ctx: UnpackContext): () => Promise<ByteSource> {
  return async () => {
    throw new InputError(`${path} is not a regular file`, ctx.chain);
  };
}
