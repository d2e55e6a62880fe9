import type { FormatDescriptor } from '../types.js';
import { ZipReader } from './zip-reader.js';

export const zipFormat: FormatDescriptor = {
  format: 'zip',
  title: 'ZIP archive',
  extensions: ['.zip', '.whl', '.nupkg', '.jar', '.egg', '.vsix'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files'],
  membersAreData: true,
  magic: (head, name) => ZipReader.canRead(head, name),
  reader: ZipReader,
};
