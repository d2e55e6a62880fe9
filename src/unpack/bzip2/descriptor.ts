import { compressedStreamReader } from '../compressed/decoded-stream.js';
import { decodeWith7z } from '../sevenzip/decode.js';
import type { FormatDescriptor } from '../types.js';

/** "BZh", the block size digit, then the first block's magic (π) or the end-of-stream magic (√π). */
function isBzip2Head(head: Uint8Array): boolean {
  if (head.length < 10 || head[0] !== 0x42 || head[1] !== 0x5a || head[2] !== 0x68 || head[3]! < 0x31 || head[3]! > 0x39) return false;
  const m = Buffer.from(head.subarray(4, 10)).toString('hex');
  return m === '314159265359' || m === '177245385090';
}
const suffixes = { '.tbz2': '.tar', '.tbz': '.tar', '.bz2': '' };

export const bzip2Format: FormatDescriptor = {
  format: 'bzip2',
  title: 'bzip2 stream',
  extensions: Object.keys(suffixes),
  nameClaims: true,
  purpose: 'archive',
  contains: ['tar', 'cpio', 'files'],
  magic: isBzip2Head,
  reader: compressedStreamReader({
    format: 'bzip2',
    suffixes,
    magic: isBzip2Head,
    decode: (source, ctx) => decodeWith7z(source, ctx, { type: 'bzip2', what: 'bzip2 stream' }),
  }),
};
