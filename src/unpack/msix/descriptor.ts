import type { FormatDescriptor } from '../types.js';
import { MsixReader } from './msix-reader.js';

/** MSIX/APPX packages and bundles: zips with an AppxManifest.xml (or a bundle manifest) and a block map. */
export const msixFormat: FormatDescriptor = {
  format: 'msix',
  title: 'MSIX/APPX package',
  extensions: ['.msix', '.appx', '.msixbundle', '.appxbundle'],
  nameClaims: true,
  purpose: 'installer',
  contains: ['msix', 'files'],
  magic: (head, name) => MsixReader.canRead(head, name),
  probe: (source, ctx) => MsixReader.probe!(source, ctx),
  reader: MsixReader,
};
