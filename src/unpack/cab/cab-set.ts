import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { SliceByteSource, writeSourceTo, type ByteSource } from '../../io/byte-source.js';
import { safeEntryPath } from '../paths.js';
import { decodeFileWith7z } from '../sevenzip/decode.js';
import { list7z } from '../sevenzip/seven-zip.js';
import type { UnpackContext, UnpackUnknown } from '../types.js';
import { IFOLD_CONTINUED_FROM_PREV, IFOLD_CONTINUED_PREV_AND_NEXT, readCabDirectory, type CabDirectory, type CabFile } from './cab-directory.js';

/** [MS-CAB] iCabinet is 16 bits, but no set spans more disks than this. */
const MAX_VOLUMES = 256;

export interface CabSetMember {
  file: CabFile;
  path: string;
  /** The cabinet of the set that lists the file where it starts. */
  volume: string;
  open(): Promise<ByteSource>;
}

export interface CabSet {
  /** Names of the cabinets after the first, in order. */
  volumes: string[];
  members: CabSetMember[];
  /** Releases the decoded set. */
  close(): Promise<void>;
}

/**
 * A cabinet set split across volumes (makecab/cabarc `-d`, multi-disk installers): starting
 * from its first cabinet, the following ones are looked up beside it by the names each header
 * gives (szCabinetNext). Files split across volumes are listed once, where they start. The set
 * is decoded by 7-Zip in one run over the first cabinet, the others beside it under their own
 * names; the members are the pieces of that output, in 7-Zip's listing order, each the size the
 * cabinets declare. Undefined when a volume is missing (the caller lists what it can), or when
 * this is not the first cabinet of a set.
 */
export async function openCabSet(first: ByteSource, dir: CabDirectory, ctx: UnpackContext, missing: (u: UnpackUnknown) => void): Promise<CabSet | undefined> {
  const { header } = dir;
  if (header.nextCabinet === undefined || header.prevCabinet !== undefined || !ctx.sibling) return undefined;
  const volumes: { name: string; source: ByteSource; dir: CabDirectory }[] = [];
  let next: string | undefined = header.nextCabinet;
  try {
    while (next !== undefined) {
      if (volumes.length >= MAX_VOLUMES) throw new InputError(`cabinet set of more than ${MAX_VOLUMES} volumes`, ctx.chain);
      if (volumes.some((v) => v.name === next)) throw new InputError(`cabinet set loops back to ${JSON.stringify(next)}`, ctx.chain);
      const source = await ctx.sibling(next);
      if (!source) {
        missing({ kind: 'absent', path: '', format: 'cab', reason: `the next cabinet of the set, ${JSON.stringify(next)}, is not beside it: files continued into it are not assembled`, declared: { cabinet: next, setId: String(header.setId) } });
        for (const v of volumes) await v.source.close();
        return undefined;
      }
      const chain = [...ctx.chain.slice(0, -1), next];
      const vdir = await readCabDirectory(source, chain, ctx.budget);
      if (vdir.header.setId !== header.setId) throw new InputError(`${next} belongs to cabinet set ${vdir.header.setId}, not ${header.setId}`, ctx.chain);
      volumes.push({ name: next, source, dir: vdir });
      next = vdir.header.nextCabinet;
    }
    const members: CabSetMember[] = [];
    const own = ctx.chain[ctx.chain.length - 1] ?? 'cabinet';
    for (const [name, d] of [[own, dir] as const, ...volumes.map((v) => [v.name, v.dir] as const)]) {
      for (const file of d.files) {
        // Continued from an earlier volume: already listed where it starts.
        if (file.iFolder === IFOLD_CONTINUED_FROM_PREV || file.iFolder === IFOLD_CONTINUED_PREV_AND_NEXT) continue;
        const path = safeEntryPath(file.name, ctx.chain);
        members.push({ file, path, volume: name, open: notYet });
      }
    }
    const close = await attachBytes(first, volumes, members, ctx);
    return { volumes: volumes.map((v) => v.name), members, close };
  } finally {
    for (const v of volumes) await v.source.close();
  }
}

async function notYet(): Promise<never> {
  throw new Error('cabinet set member opened before the set was decoded');
}

/** Decodes the set with 7-Zip once, when the first member is opened, and points each member at its piece. */
async function attachBytes(first: ByteSource, volumes: { name: string; source: ByteSource }[], members: CabSetMember[], ctx: UnpackContext): Promise<() => Promise<void>> {
  const work = await mkdtemp(join(await ctx.tempDir(), 'cabset-'));
  const start = join(work, 'first-volume');
  await writeSourceTo(first, start);
  for (const v of volumes) {
    // Names come from cabinet headers: they must be plain names to be written beside the first.
    if (safeEntryPath(v.name, ctx.chain) !== v.name || v.name.includes('/')) throw new InputError(`cabinet set names a next volume ${JSON.stringify(v.name)} that is not a plain file name`, ctx.chain);
    await writeSourceTo(v.source, join(work, v.name));
  }
  const listing = await list7z(start, { type: 'Cab', chain: ctx.chain });
  const expected = listing.entries.reduce((n, e) => n + Number(e.Size ?? 0), 0);
  let decoded: Promise<ByteSource> | undefined;
  const decode = (): Promise<ByteSource> => (decoded ??= decodeFileWith7z(start, ctx, { type: 'Cab', what: 'cabinet set', expectedSize: expected }));
  // 7-Zip decodes in its listing order; each of our members takes the next listed file of its name.
  const offsets = new Map<string, { at: number; size: number }[]>();
  let at = 0;
  for (const e of listing.entries) {
    const size = Number(e.Size ?? 0);
    const path = safeEntryPath(e.Path ?? '', ctx.chain);
    offsets.set(path, [...(offsets.get(path) ?? []), { at, size }]);
    at += size;
  }
  if (listing.entries.length !== members.length) {
    throw new InputError(`7-Zip lists ${listing.entries.length} files in the cabinet set, its headers ${members.length}`, ctx.chain);
  }
  for (const m of members) {
    const piece = offsets.get(m.path)?.shift();
    if (piece === undefined || piece.size !== m.file.size) {
      throw new InputError(`${m.path} (${m.file.size} bytes in the cabinet set's headers) is not in 7-Zip's listing of it with that size`, ctx.chain);
    }
    const at = piece.at;
    m.open = async () => {
      const all = await decode();
      if (all.size !== expected) throw new InputError(`the cabinet set decodes to ${all.size} bytes, ${expected} declared`, ctx.chain);
      return new SliceByteSource(all, at, m.file.size);
    };
  }
  return async () => {
    if (decoded) await (await decoded.catch(() => undefined))?.close();
  };
}
