import { SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { openCpioContainer } from '../cpio/cpio-container.js';
import { isCpioMagic } from '../cpio/cpio-index.js';
import { safeEntryPath } from '../paths.js';
import { openTarContainer } from '../tar/tar-container.js';
import { isTarHead } from '../tar/tar-header.js';
import type { ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext } from '../types.js';

/**
 * What a decoded single-stream compressor (gzip, xz, bzip2, zstd) holds. A cpio or tar archive is
 * opened in place, its members directly under the compressed file (a pkg Payload's files keep
 * their installed paths, a `.tar.gz` lists its members, not a `.tar` in between); anything else
 * is one member, named `memberName`. `decoded` is released on close.
 */
export async function openDecodedStream(decoded: ByteSource, ctx: UnpackContext, info: ContainerInfo, memberName: string): Promise<OpenedContainer> {
  const release = () => decoded.close();
  info.properties.decodedSize = String(decoded.size);
  const head = await decoded.read(0, 512);
  if (isCpioMagic(head)) {
    info.properties.content = 'cpio';
    return openCpioContainer(decoded, ctx, info, release);
  }
  if (isTarHead(head)) {
    info.properties.content = 'tar';
    return openTarContainer(decoded, ctx, info, release);
  }
  info.properties.content = 'file';
  const entry: Entry = { path: memberName, kind: 'file', size: decoded.size, open: async () => new SliceByteSource(decoded, 0, decoded.size) };
  return {
    info,
    async *entries() {
      yield entry;
    },
    close: release,
  };
}

/**
 * The name of the one file a compressed file holds: the name the stream records (gzip FNAME),
 * else the compressed file's own name with its suffix replaced (`clam.exe.bz2` → `clam.exe`,
 * `x.tgz` → `x.tar`).
 */
export function decodedName(containerName: string, suffixes: Readonly<Record<string, string>>, recorded?: string): string {
  if (recorded !== undefined) {
    // A recorded name is a hint; one that is not a usable path falls back to the file's own name.
    const base = safeName(recorded);
    if (base !== undefined) return base;
  }
  const lower = containerName.toLowerCase();
  for (const [suffix, replacement] of Object.entries(suffixes)) {
    if (lower.endsWith(suffix) && lower.length > suffix.length) return containerName.slice(0, containerName.length - suffix.length) + replacement;
  }
  return `${containerName}.decoded`;
}

function safeName(raw: string): string | undefined {
  try {
    const base = safeEntryPath(raw).split('/').pop();
    return base === '' ? undefined : base;
  } catch {
    return undefined;
  }
}

export interface CompressedStreamFormat {
  format: string;
  /** Name suffixes and what replaces them in the decoded file's name (`.tgz` → `.tar`). */
  suffixes: Readonly<Record<string, string>>;
  magic(head: Uint8Array): boolean;
  /** The decoded bytes, counted against the budget as they appear. */
  decode(source: ByteSource, ctx: UnpackContext): Promise<ByteSource>;
  /** The original name the stream itself records (gzip FNAME, SZDD's last character). */
  recordedName?(source: ByteSource, containerName: string): Promise<string | undefined>;
}

/** The reader of a single-stream compressed format: decode, then openDecodedStream. */
export function compressedStreamReader(f: CompressedStreamFormat): ContainerReader {
  return {
    format: f.format,
    canRead: (head) => f.magic(head),
    async open(source, ctx) {
      const own = ctx.chain[ctx.chain.length - 1] ?? '';
      const name = decodedName(own, f.suffixes, await f.recordedName?.(source, own));
      const decoded = await f.decode(source, ctx);
      return openDecodedStream(decoded, ctx, { format: f.format, properties: {} }, name);
    },
  };
}
