import { pipeline, Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';

/**
 * Streams the inflated bytes of compressed chunks (`chunksOf(source)`). `gzip` is RFC 1952 (pkg Payload, Scripts); `zlib` is
 * RFC 1950, which xar calls `application/x-gzip`.
 */
export function inflatedChunks(compressed: AsyncIterable<Uint8Array>, format: 'gzip' | 'zlib'): AsyncIterable<Uint8Array> {
  const decoder = format === 'gzip' ? createGunzip() : createInflate();
  // The pipeline callback only exists so errors are not thrown globally; they reach the reader
  // through the decoder's async iterator.
  return pipeline(Readable.from(compressed), decoder, () => undefined);
}
