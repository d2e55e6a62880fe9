import type { FormatDescriptor } from '../types.js';
import { GZIP_SUFFIXES, GzipReader, isGzipHead } from './gzip-reader.js';

export const gzipFormat: FormatDescriptor = {
  format: 'gzip',
  title: 'gzip stream',
  extensions: Object.keys(GZIP_SUFFIXES),
  nameClaims: true,
  purpose: 'archive',
  contains: ['cpio', 'tar', 'files'],
  magic: isGzipHead,
  reader: GzipReader,
};
