import type { FormatDescriptor } from '../types.js';
import { isCpioMagic } from './cpio-index.js';
import { CpioReader } from './cpio-reader.js';

export const cpioFormat: FormatDescriptor = {
  format: 'cpio',
  title: 'cpio archive',
  extensions: ['.cpio'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files'],
  membersAreData: true,
  magic: isCpioMagic,
  reader: CpioReader,
};
