import { Readable } from 'node:stream';
import xzDecompress from 'xz-decompress';
import { InputError } from '../../errors.js';

/**
 * Streams the decoded bytes of an xz stream (pbzx chunks, xar `application/x-xz`, `.tar.xz`).
 * xz-decompress is xz-embedded in WASM: LZMA2 with CRC32/CRC64, which is what Apple and libarchive
 * write; a SHA-256 check type fails as corrupt input.
 */
export async function* xzDecodedChunks(compressed: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const web = Readable.toWeb(Readable.from(compressed)) as unknown as ReadableStream<Uint8Array>;
  const decoded = new xzDecompress.XzReadableStream(web) as unknown as AsyncIterable<Uint8Array>;
  try {
    yield* decoded;
  } catch (err) {
    // xz-embedded reports bad data as a plain Error with its xz_ret code (7 = XZ_DATA_ERROR).
    if (err instanceof InputError) throw err;
    throw new InputError(xzFailure(err instanceof Error ? err.message : String(err)));
  }
}

/**
 * What xz-embedded's failure means (its xz_ret code, xz.h): a valid stream can use what it does
 * not decode (XZ Utils' own good-1-x86-lzma2.xz has a BCJ filter), which is not corrupt data.
 */
export function xzFailure(message: string): string {
  const code = /error code (\d+)/.exec(message)?.[1];
  if (code === '2' || code === '6') return `xz options this reader does not decode: a filter other than LZMA2, or its integrity check (${message})`;
  if (code === '5') return `not an xz stream (${message})`;
  return `corrupt xz data (${message})`;
}
