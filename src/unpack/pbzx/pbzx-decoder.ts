import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { xzDecodedChunks } from './xz.js';

export const PBZX_MAGIC = 'pbzx';
/** Apple writes 16 MiB chunks; anything past 64 MiB is not a pbzx we should trust. */
export const MAX_PBZX_CHUNK = 64 << 20;
const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

export function isPbzx(head: Uint8Array): boolean {
  return head.length >= 4 && String.fromCharCode(...head.subarray(0, 4)) === PBZX_MAGIC;
}

/**
 * Decoded bytes of a pbzx stream: `pbzx`, u64 BE flags, then chunks of {u64 BE decoded length,
 * u64 BE stored length, data} where data is one xz stream, or raw bytes when both lengths are
 * equal. Loops to the end of the source: pbzx.c's `flags & 1<<24` test only holds for 16 MiB
 * chunks (research libraries.md §5). One chunk at most is held in memory.
 */
export async function* pbzxDecodedChunks(src: ByteSource, chain: readonly string[]): AsyncGenerator<Uint8Array> {
  const head = await readExactly(src, 0, 12, 'pbzx header');
  if (!isPbzx(head)) throw new InputError('not a pbzx stream', chain, 0);
  let off = 12;
  while (off < src.size) {
    const ch = await readExactly(src, off, 16, 'pbzx chunk header').catch(rethrowAt(chain, off));
    const view = new DataView(ch.buffer, ch.byteOffset, ch.byteLength);
    const decodedLen = view.getBigUint64(0);
    const storedLen = view.getBigUint64(8);
    if (decodedLen > BigInt(MAX_PBZX_CHUNK) || storedLen > BigInt(MAX_PBZX_CHUNK)) {
      throw new InputError(`pbzx chunk of ${decodedLen}/${storedLen} bytes exceeds ${MAX_PBZX_CHUNK}`, chain, off);
    }
    const decoded = Number(decodedLen);
    const stored = Number(storedLen);
    const dataOff = off + 16;
    const data = await readExactly(src, dataOff, stored, 'pbzx chunk data').catch(rethrowAt(chain, dataOff));
    if (stored === decoded) {
      yield data;
    } else {
      if (!XZ_MAGIC.every((b, i) => data[i] === b)) {
        throw new InputError('pbzx chunk is neither raw nor an xz stream', chain, dataOff);
      }
      let produced = 0;
      try {
        for await (const chunk of xzDecodedChunks(oneChunk(data))) {
          produced += chunk.length;
          if (produced > decoded) throw new InputError(`pbzx chunk decodes to more than its declared ${decoded} bytes`, chain, dataOff);
          yield chunk;
        }
      } catch (err) {
        if (err instanceof InputError) throw err;
        throw new InputError(`pbzx chunk: corrupt xz data (${err instanceof Error ? err.message : String(err)})`, chain, dataOff);
      }
      if (produced !== decoded) {
        throw new InputError(`pbzx chunk decodes to ${produced} bytes, ${decoded} declared`, chain, dataOff);
      }
    }
    off = dataOff + stored;
  }
}

async function* oneChunk(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

function rethrowAt(chain: readonly string[], off: number): (e: unknown) => never {
  return (e) => {
    throw e instanceof InputError ? new InputError(e.message, chain, off) : e;
  };
}
