import { constants, gunzipSync } from 'node:zlib';
import { InputError } from '../../errors.js';
import { chunksOf } from '../../io/byte-source.js';
import { openCpioContainer } from '../cpio/cpio-container.js';
import { isCpioMagic } from '../cpio/cpio-index.js';
import { spillDecoded } from '../cpio/spill.js';
import type { ContainerReader } from '../types.js';
import { inflatedChunks } from './inflate.js';

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * A gzip stream whose content is a cpio archive: the classic pkg Payload and Scripts
 * (`cpio -o -H odc | gzip`). The members appear directly under the gzip entry (or under the
 * pkg's membersRoot), with no intermediate "decompressed" entry, so installed paths stay
 * `<install-location>/<cpio path>`. Other gzip content (a lone .gz file) is not claimed: the
 * probe inflates only the head and checks for a cpio header.
 * The decoded cpio goes to a temp file (payloads run to hundreds of MB) and members are
 * positional slices of it.
 */
export const GzipReader: ContainerReader = {
  format: 'gzip',
  canRead(head) {
    return head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  },
  async probe(source) {
    return isCpioMagic(inflatedHead(await source.read(0, 8 * 1024)));
  },
  async open(source, ctx) {
    const decoded = await spillDecoded(inflatedChunks(chunksOf(source), 'gzip'), ctx, {
      what: 'gzip stream',
      storedSize: source.size,
    });
    if (!isCpioMagic(await decoded.read(0, 6))) {
      await decoded.close();
      throw new InputError('gzip stream does not hold a cpio archive', ctx.chain);
    }
    return openCpioContainer(
      decoded,
      ctx,
      { format: 'gzip', properties: { content: 'cpio', decodedSize: String(decoded.size) } },
      () => decoded.close(),
    );
  },
};

/**
 * The first inflated bytes of a (possibly cut-off) gzip stream; empty when it is not gzip.
 * Deflate expands at most ~1032:1, so 16 MiB of output covers an 8 KiB head.
 */
export function inflatedHead(head: Uint8Array): Uint8Array {
  try {
    return gunzipSync(head.subarray(0, 8 * 1024), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 16 << 20 });
  } catch {
    return new Uint8Array(0);
  }
}
