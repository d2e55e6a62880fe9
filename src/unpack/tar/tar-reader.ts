import type { ContainerReader } from '../types.js';
import { openTarContainer } from './tar-container.js';
import { isTarHead } from './tar-header.js';

/** An uncompressed tar archive; compressed ones are opened by the gzip, xz, bzip2 and zstd readers. */
export const TarReader: ContainerReader = {
  format: 'tar',
  canRead: isTarHead,
  open: (source, ctx) => openTarContainer(source, ctx, { format: 'tar', properties: {} }),
};
