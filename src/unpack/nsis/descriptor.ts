import { isPe } from '../../inspect/pe/index.js';
import type { FormatDescriptor } from '../types.js';
import { NsisReader } from './nsis-reader.js';

export const nsisFormat: FormatDescriptor = {
  format: 'nsis',
  title: 'NSIS installer',
  extensions: ['.exe'],
  nameClaims: false,
  purpose: 'installer',
  contains: ['nsis', 'files'],
  magic: isPe,
  // Most PEs are plain programs: only a firstheader after the image makes one an installer.
  probe: (source, ctx) => NsisReader.probe!(source, ctx),
  reader: NsisReader,
};
