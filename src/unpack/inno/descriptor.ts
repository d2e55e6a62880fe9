import type { FormatDescriptor } from '../types.js';
import { InnoSetupReader } from './inno-reader.js';

/** An Inno Setup installer: a PE whose resources hold the setup loader's offset table. */
export const innoSetupFormat: FormatDescriptor = {
  format: 'inno-setup',
  title: 'Inno Setup installer',
  extensions: ['.exe'],
  nameClaims: false,
  purpose: 'installer',
  contains: ['files'],
  magic: (head, name) => InnoSetupReader.canRead(head, name),
  probe: (source, ctx) => InnoSetupReader.probe!(source, ctx),
  reader: InnoSetupReader,
};
