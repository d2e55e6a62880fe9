import type { FormatDescriptor } from '../types.js';
import { BurnReader } from './burn-reader.js';
import { findWixburnInHead } from './wixburn-section.js';

export const burnFormat: FormatDescriptor = {
  format: 'burn',
  title: 'WiX Burn bundle',
  extensions: ['.exe'],
  nameClaims: false,
  purpose: 'installer',
  contains: ['cab', 'msi', 'files'],
  magic: (head) => findWixburnInHead(head) !== undefined,
  reader: BurnReader,
};
