import { Readable } from 'node:stream';
import xzDecompress from 'xz-decompress';

/**
 * Streams the decoded bytes of an xz stream (pbzx chunks, xar `application/x-xz`). xz-decompress
 * is xz-embedded in WASM: LZMA2 with CRC32/CRC64, which is what Apple and libarchive write
 * (research libraries.md §5); a SHA-256 check type fails as corrupt input.
 */
export function xzDecodedChunks(compressed: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const web = Readable.toWeb(Readable.from(compressed)) as unknown as ReadableStream<Uint8Array>;
  const decoded = new xzDecompress.XzReadableStream(web);
  return decoded as unknown as AsyncIterable<Uint8Array>;
}
