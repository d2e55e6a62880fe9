import type { ContainerReader } from '../types.js';
import { openCpioContainer } from './cpio-container.js';
import { isCpioMagic } from './cpio-index.js';

/**
 * Uncompressed cpio (odc, newc, crc, and the old binary format in either byte order). Members are served as slices of the source itself.
 * gzip- and pbzx-wrapped cpio (pkg Payload and Scripts) are opened by GzipReader and PbzxReader,
 * which decode to a temp file and hand it to the same cpio code.
 */
export const CpioReader: ContainerReader = {
  format: 'cpio',
  canRead(head) {
    return isCpioMagic(head);
  },
  async open(source, ctx) {
    return openCpioContainer(source, ctx, { format: 'cpio', properties: {} });
  },
};
