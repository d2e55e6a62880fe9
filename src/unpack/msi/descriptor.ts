import type { FormatDescriptor } from '../types.js';
import { isCompoundFile, isMsiDatabase, MsiReader } from './msi-reader.js';

export const MSI_EXTENSIONS = ['.msi', '.msm', '.msp', '.mst'];

export const msiFormat: FormatDescriptor = {
  format: 'msi',
  title: 'Windows Installer database',
  extensions: MSI_EXTENSIONS,
  nameClaims: true,
  purpose: 'installer',
  contains: ['cab', 'files'],
  magic: isCompoundFile,
  // Word and Excel documents are compound files too.
  probe: (source, _ctx, name) => isMsiDatabase(source, name),
  reader: MsiReader,
};
