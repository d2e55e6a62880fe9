import { InputError } from '../../errors.js';
import { APPLE_ARCHIVE_UNSUPPORTED, isAppleArchive } from '../cpio/apple-archive.js';
import { openCpioContainer } from '../cpio/cpio-container.js';
import { isCpioMagic } from '../cpio/cpio-index.js';
import { DecodingSpill } from '../cpio/decoding-spill.js';
import type { ContainerReader } from '../types.js';
import { isPbzx, pbzxDecodedChunks, pbzxDeclaredSize } from './pbzx-decoder.js';

/**
 * pbzx (Apple's chunked xz), the pkg Payload written by `pkgbuild --compression latest` and
 * Apple's own packages. The decoded stream is a cpio archive; like GzipReader its members appear
 * directly under this entry. Decoding goes to a temp file, a few chunks in memory at a time, and
 * the members are walked as their bytes are decoded: the payload's files are hashed and inspected
 * while its later chunks still decode.
 */
export const PbzxReader: ContainerReader = {
  format: 'pbzx',
  canRead(head) {
    return isPbzx(head);
  },
  async open(source, ctx) {
    const decoded = await DecodingSpill.start(pbzxDecodedChunks(source, ctx.chain), ctx, {
      what: 'pbzx stream',
      storedSize: source.size,
      expectedSize: await pbzxDeclaredSize(source, ctx.chain),
    });
    let head: Uint8Array;
    try {
      head = await decoded.read(0, 6);
    } catch (err) {
      await decoded.close();
      throw err;
    }
    if (!isCpioMagic(head)) {
      await decoded.close();
      if (isAppleArchive(head)) throw new InputError(APPLE_ARCHIVE_UNSUPPORTED, ctx.chain);
      throw new InputError('pbzx stream does not hold a cpio archive', ctx.chain);
    }
    return openCpioContainer(
      decoded,
      ctx,
      { format: 'pbzx', properties: { content: 'cpio', decodedSize: String(decoded.size) } },
      () => decoded.close(),
    );
  },
};
