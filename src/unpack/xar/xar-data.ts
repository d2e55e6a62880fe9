import { createHash, type Hash } from 'node:crypto';
import { InputError } from '../../errors.js';
import { chunksOf, SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { spillDecoded } from '../cpio/spill.js';
import { inflatedChunks } from '../gzip/inflate.js';
import { xzDecodedChunks } from '../pbzx/xz.js';
import type { UnpackContext } from '../types.js';
import { isVerifiableHash, type XarArchive, type XarChecksum, type XarFile } from './xar-archive.js';

/**
 * The extracted bytes of one xar member, with its archived and extracted checksums verified
 * (a mismatch is corrupt input naming the file). Stored members are served as slices of the
 * archive; compressed ones are decoded into memory or a temp file (see spillDecoded).
 * bzip2 and lzma have no small JS decoder here; they are reported as unsupported.
 */
export async function openXarData(archive: XarArchive, file: XarFile, ctx: UnpackContext): Promise<ByteSource> {
  const data = file.data;
  const chain = ctx.chain;
  if (data === undefined) return new SliceByteSource(archive.source, 0, 0);
  ctx.budget.checkEntry(data.size, data.length, chain);
  const stored = new SliceByteSource(archive.source, data.offset, data.length);
  const archivedHash = hasher(data.archived);
  const extractedHash = hasher(data.extracted);

  let out: ByteSource;
  switch (data.encoding) {
    case 'application/octet-stream': {
      if (data.size !== data.length) {
        throw new InputError(`xar member ${file.path} is stored with length ${data.length} but size ${data.size}`, chain, data.offset);
      }
      for await (const c of chunksOf(stored)) {
        archivedHash?.update(c);
        extractedHash?.update(c);
      }
      out = stored;
      break;
    }
    case 'application/x-gzip':
    case 'application/zlib':
    case 'application/x-xz': {
      const compressed = tapped(chunksOf(stored), archivedHash);
      const decoded =
        data.encoding === 'application/x-xz' ? xzDecodedChunks(compressed) : inflatedChunks(compressed, 'zlib');
      out = await spillDecoded(decoded, ctx, {
        what: `xar member ${file.path}`,
        storedSize: data.length,
        expectedSize: data.size,
        ...(extractedHash ? { onChunk: (c: Uint8Array) => extractedHash.update(c) } : {}),
      });
      break;
    }
    default:
      throw new InputError(`xar member ${file.path} uses encoding ${data.encoding}, which is not supported`, chain, data.offset);
  }
  try {
    check(archivedHash, data.archived, 'archived', file.path, chain);
    check(extractedHash, data.extracted, 'extracted', file.path, chain);
  } catch (err) {
    if (out !== stored) await out.close();
    throw err;
  }
  return out;
}

function hasher(sum: XarChecksum | undefined): Hash | undefined {
  return sum !== undefined && isVerifiableHash(sum.style) ? createHash(sum.style) : undefined;
}

function check(h: Hash | undefined, sum: XarChecksum | undefined, which: string, path: string, chain: readonly string[]): void {
  if (h === undefined || sum === undefined) return;
  const got = h.digest('hex');
  if (got !== sum.hex) {
    throw new InputError(`xar member ${path}: ${which} ${sum.style} checksum mismatch (TOC ${sum.hex}, data ${got})`, chain);
  }
}

async function* tapped(chunks: AsyncIterable<Uint8Array>, h: Hash | undefined): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) {
    h?.update(c);
    yield c;
  }
}
