import type { FormatDescriptor } from '../types.js';
import { CabReader } from './cab-reader.js';
import { isCabHead } from './cab-directory.js';

export const cabFormat: FormatDescriptor = {
  format: 'cab',
  title: 'Microsoft cabinet',
  extensions: ['.cab'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files'],
  magic: isCabHead,
  reader: CabReader,
};
