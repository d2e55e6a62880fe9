import { constants, gunzipSync } from 'node:zlib';
import { chunksOf, type ByteSource } from '../../io/byte-source.js';
import { spillDecoded } from '../cpio/spill.js';
import { compressedStreamReader } from '../compressed/decoded-stream.js';
import { inflatedChunks } from './inflate.js';

/** RFC 1952: ID1 ID2, then CM 8 (deflate), the only method defined. */
export function isGzipHead(head: Uint8Array): boolean {
  return head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 8;
}

export const GZIP_SUFFIXES = { '.tgz': '.tar', '.gz': '' } as const;

/**
 * A gzip stream: the classic pkg Payload and Scripts (`cpio -o -H odc | gzip`), a `.tar.gz`, or
 * one compressed file. The decoded bytes go to a temp file (payloads run to hundreds of MB).
 */
export const GzipReader = compressedStreamReader({
  format: 'gzip',
  suffixes: GZIP_SUFFIXES,
  magic: isGzipHead,
  decode: (source, ctx) => spillDecoded(inflatedChunks(chunksOf(source), 'gzip'), ctx, { what: 'gzip stream', storedSize: source.size }),
  recordedName,
});

const FEXTRA = 4;
const FNAME = 8;

/** The original file name the header records (FNAME, ISO 8859-1), if any. */
async function recordedName(source: ByteSource): Promise<string | undefined> {
  const h = await source.read(0, 64 * 1024);
  if (h.length < 10 || !(h[3]! & FNAME)) return undefined;
  const p = 10 + (h[3]! & FEXTRA ? 2 + (h[10]! | (h[11]! << 8)) : 0);
  const end = h.indexOf(0, p);
  if (p >= h.length || end < 0) return undefined;
  return Buffer.from(h.subarray(p, end)).toString('latin1');
}

/**
 * The first inflated bytes of a (possibly cut-off) gzip stream; empty when it is not gzip.
 * Deflate expands at most ~1032:1, so 16 MiB of output covers an 8 KiB head.
 */
export function inflatedHead(head: Uint8Array): Uint8Array {
  try {
    return gunzipSync(head.subarray(0, 8 * 1024), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 16 << 20 });
  } catch {
    return new Uint8Array(0);
  }
}
