import { compressedStreamReader } from '../compressed/decoded-stream.js';
import { decodeWith7z } from '../sevenzip/decode.js';
import type { FormatDescriptor } from '../types.js';

/** Microsoft compress.exe (SZDD): "SZDD" 88 F0 27 33, method 'A' (LZSS), the name's last character, u32 size. */
const SZDD_MAGIC = [0x53, 0x5a, 0x44, 0x44, 0x88, 0xf0, 0x27, 0x33];
const isSzddHead = (head: Uint8Array): boolean => head.length >= 14 && SZDD_MAGIC.every((b, i) => head[i] === b);

export const szddFormat: FormatDescriptor = {
  format: 'szdd',
  title: 'MS-DOS compress.exe file (SZDD)',
  // Named like the file they hold with the last character replaced by "_" (SETUP.EX_).
  extensions: [],
  nameClaims: false,
  purpose: 'archive',
  contains: ['files'],
  magic: isSzddHead,
  reader: compressedStreamReader({
    format: 'szdd',
    suffixes: {},
    magic: isSzddHead,
    decode: (source, ctx) => decodeWith7z(source, ctx, { type: 'MsLZ', what: 'SZDD stream' }),
    // compress.exe -r replaces the last character of the name with "_" and keeps it at byte 9
    // (0 when it was not asked to); other names lose their last extension, as 7-Zip names them.
    async recordedName(source, own) {
      const last = (await source.read(9, 1))[0] ?? 0;
      if (own.endsWith('_')) return last >= 0x21 && last <= 0x7e ? own.slice(0, -1) + String.fromCharCode(last) : own;
      const dot = own.lastIndexOf('.');
      return dot > 0 ? own.slice(0, dot) : own;
    },
  }),
};
