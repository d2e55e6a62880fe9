import type { FormatDescriptor } from '../types.js';
import { isTarHead } from './tar-header.js';
import { TarReader } from './tar-reader.js';

export const tarFormat: FormatDescriptor = {
  format: 'tar',
  title: 'tar archive',
  extensions: ['.tar'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files'],
  membersAreData: true,
  magic: isTarHead,
  reader: TarReader,
};
