import { compressedStreamReader } from '../compressed/decoded-stream.js';
import { decodeWith7z } from '../sevenzip/decode.js';
import type { FormatDescriptor } from '../types.js';

/** RFC 8878 frame magic 0xFD2FB528, little-endian. */
const isZstdHead = (head: Uint8Array): boolean => head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd;
const suffixes = { '.tzst': '.tar', '.zst': '' };

export const zstdFormat: FormatDescriptor = {
  format: 'zstd',
  title: 'Zstandard stream',
  extensions: Object.keys(suffixes),
  nameClaims: true,
  purpose: 'archive',
  contains: ['tar', 'cpio', 'files'],
  magic: isZstdHead,
  reader: compressedStreamReader({
    format: 'zstd',
    suffixes,
    magic: isZstdHead,
    decode: (source, ctx) => decodeWith7z(source, ctx, { type: 'zstd', what: 'zstd stream' }),
  }),
};
