import type { FormatDescriptor } from '../types.js';
import { isXar } from '../xar/xar-header.js';
import { PkgReader } from './pkg-reader.js';

export const pkgFormat: FormatDescriptor = {
  format: 'pkg',
  title: 'macOS installer package',
  extensions: ['.pkg', '.mpkg'],
  nameClaims: true,
  purpose: 'installer',
  contains: ['gzip', 'pbzx', 'cpio', 'files'],
  magic: isXar,
  // A xar without Distribution or PackageInfo is a plain xar archive (next in the registry).
  probe: (source, ctx) => PkgReader.probe!(source, ctx),
  reader: PkgReader,
};
