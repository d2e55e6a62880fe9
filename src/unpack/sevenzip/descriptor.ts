import type { FormatDescriptor } from '../types.js';
import { isSevenZipHead, SevenZipReader } from './seven-zip-reader.js';

export const sevenZipFormat: FormatDescriptor = {
  format: '7z',
  title: '7-Zip archive',
  extensions: ['.7z'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files'],
  membersAreData: true,
  magic: isSevenZipHead,
  reader: SevenZipReader,
};
