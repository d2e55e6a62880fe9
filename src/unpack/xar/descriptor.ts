import type { FormatDescriptor } from '../types.js';
import { isXar } from './xar-header.js';
import { XarReader } from './xar-reader.js';

export const xarFormat: FormatDescriptor = {
  format: 'xar',
  title: 'xar archive',
  extensions: ['.xar', '.xip'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files'],
  magic: isXar,
  reader: XarReader,
};
