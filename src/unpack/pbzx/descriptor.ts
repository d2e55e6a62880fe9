import type { FormatDescriptor } from '../types.js';
import { isPbzx } from './pbzx-decoder.js';
import { PbzxReader } from './pbzx-reader.js';

export const pbzxFormat: FormatDescriptor = {
  format: 'pbzx',
  title: 'Apple pbzx stream',
  extensions: [],
  nameClaims: false,
  purpose: 'archive',
  contains: ['cpio'],
  membersAreData: true,
  magic: isPbzx,
  reader: PbzxReader,
};
