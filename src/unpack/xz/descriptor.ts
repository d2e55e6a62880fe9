import { chunksOf } from '../../io/byte-source.js';
import { compressedStreamReader } from '../compressed/decoded-stream.js';
import { spillDecoded } from '../cpio/spill.js';
import { xzDecodedChunks } from '../pbzx/xz.js';
import type { FormatDescriptor } from '../types.js';

const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const isXzHead = (head: Uint8Array): boolean => head.length >= 6 && XZ_MAGIC.every((b, i) => head[i] === b);
const suffixes = { '.txz': '.tar', '.xz': '' };

export const xzFormat: FormatDescriptor = {
  format: 'xz',
  title: 'xz stream',
  extensions: Object.keys(suffixes),
  nameClaims: true,
  purpose: 'archive',
  contains: ['tar', 'cpio', 'files'],
  magic: isXzHead,
  reader: compressedStreamReader({
    format: 'xz',
    suffixes,
    magic: isXzHead,
    decode: (source, ctx) => spillDecoded(xzDecodedChunks(chunksOf(source)), ctx, { what: 'xz stream', storedSize: source.size }),
  }),
};
