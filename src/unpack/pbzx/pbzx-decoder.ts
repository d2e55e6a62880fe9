import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { XzChunkPool, type XzChunkOutcome } from './xz-chunk-pool.js';
import { xzFailure } from './xz.js';

export const PBZX_MAGIC = 'pbzx';
/** Apple writes 16 MiB chunks; anything past 64 MiB is not a pbzx we should trust. */
export const MAX_PBZX_CHUNK = 64 << 20;
/**
 * Stored + declared decoded bytes of the chunks read ahead of the one being consumed. Three
 * 16 MiB chunks fit (both cores busy while the caller writes the first); one chunk is always
 * allowed, so a 64 MiB chunk decodes alone.
 */
const MAX_IN_FLIGHT_BYTES = 96 << 20;
const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

export function isPbzx(head: Uint8Array): boolean {
  return head.length >= 4 && String.fromCharCode(...head.subarray(0, 4)) === PBZX_MAGIC;
}

interface ChunkHeader {
  dataOff: number;
  decoded: number;
  stored: number;
}

/** A chunk read ahead: its bytes once decoded, or the error to raise when its turn comes. */
interface Slot {
  header: ChunkHeader;
  result: Promise<{ bytes: Uint8Array } | { error: unknown }>;
  /** Its bytes are a decoder's output buffer, given back once consumed. */
  decoded?: boolean;
  cancel: () => void;
  /** Failed before decoding (unreadable or non-xz data). */
  fatal?: boolean;
}

/**
 * Decoded bytes of a pbzx stream: `pbzx`, u64 BE flags, then chunks of {u64 BE decoded length,
 * u64 BE stored length, data} where data is one xz stream, or raw bytes when both lengths are
 * equal. Loops to the end of the source: pbzx.c's `flags & 1<<24` test only holds for 16 MiB
 * chunks (with 4 MiB chunks it reads nothing).
 *
 * Each chunk is an independent xz stream, so the chunks after the one being consumed decode on
 * XzChunkPool's workers meanwhile, bounded by MAX_IN_FLIGHT_BYTES. Chunks are yielded whole and
 * strictly in order, and every error (a bad header, corrupt xz, a wrong length) surfaces only when
 * its chunk's turn comes, after the bytes of earlier chunks: the caller counts bytes against its
 * budget exactly as if decoding were sequential. A chunk yielded is valid until the next is asked
 * for: its buffer then goes back to the decoders.
 */
export async function* pbzxDecodedChunks(src: ByteSource, chain: readonly string[]): AsyncGenerator<Uint8Array> {
  const head = await readExactly(src, 0, 12, 'pbzx header');
  if (!isPbzx(head)) throw new InputError('not a pbzx stream', chain, 0);
  const pool = XzChunkPool.get();
  const window: Slot[] = [];
  let inFlight = 0;
  let off = 12;
  let next: ChunkHeader | undefined;
  let ended = false;
  const cost = (h: ChunkHeader): number => h.decoded + h.stored;
  try {
    for (;;) {
      while (!ended && window.length < pool.size) {
        if (next === undefined) {
          if (off >= src.size) {
            ended = true;
            break;
          }
          try {
            next = await readChunkHeader(src, off, chain);
          } catch (error) {
            window.push(failedSlot({ dataOff: off, decoded: 0, stored: 0 }, error));
            ended = true;
            break;
          }
        }
        if (window.length > 0 && inFlight + cost(next) > MAX_IN_FLIGHT_BYTES) break;
        const slot = await startChunk(src, next, chain, pool);
        window.push(slot);
        inFlight += cost(next);
        off = next.dataOff + next.stored;
        next = undefined;
        // Past unreadable or non-xz data the framing cannot be trusted: read no further.
        if (slot.fatal) ended = true;
      }
      const slot = window.shift();
      if (slot === undefined) return;
      inFlight -= cost(slot.header);
      const r = await slot.result;
      if ('error' in r) {
        // Bytes decoded before the error go to the caller first, as a sequential decoder's would.
        if (r.error instanceof ChunkError) {
          if (r.error.partial.length > 0) yield r.error.partial;
          throw r.error.reason;
        }
        throw r.error;
      }
      yield r.bytes;
      if (slot.decoded) pool.recycle(r.bytes.buffer as ArrayBuffer);
    }
  } finally {
    for (const s of window) s.cancel();
    pool.releaseIdle();
  }
}

/**
 * The decoded size a pbzx stream declares: the sum of its chunks' decoded lengths, read from
 * their headers alone (a few reads of 16 bytes). Decoding checks every chunk against it.
 */
export async function pbzxDeclaredSize(src: ByteSource, chain: readonly string[]): Promise<number> {
  const head = await readExactly(src, 0, 12, 'pbzx header');
  if (!isPbzx(head)) throw new InputError('not a pbzx stream', chain, 0);
  let total = 0;
  for (let off = 12; off < src.size; ) {
    const h = await readChunkHeader(src, off, chain);
    if (h.dataOff + h.stored > src.size) throw new InputError(`truncated: pbzx chunk data needs bytes ${h.dataOff}..${h.dataOff + h.stored} of ${src.size}`, chain, h.dataOff);
    total += h.decoded;
    off = h.dataOff + h.stored;
  }
  return total;
}

async function readChunkHeader(src: ByteSource, off: number, chain: readonly string[]): Promise<ChunkHeader> {
  const ch = await readExactly(src, off, 16, 'pbzx chunk header').catch(rethrowAt(chain, off));
  const view = new DataView(ch.buffer, ch.byteOffset, ch.byteLength);
  const decodedLen = view.getBigUint64(0);
  const storedLen = view.getBigUint64(8);
  if (decodedLen > BigInt(MAX_PBZX_CHUNK) || storedLen > BigInt(MAX_PBZX_CHUNK)) {
    throw new InputError(`pbzx chunk of ${decodedLen}/${storedLen} bytes exceeds ${MAX_PBZX_CHUNK}`, chain, off);
  }
  return { dataOff: off + 16, decoded: Number(decodedLen), stored: Number(storedLen) };
}

/** Raw chunks are their own result; xz chunks go to the pool. */
async function startChunk(src: ByteSource, h: ChunkHeader, chain: readonly string[], pool: XzChunkPool): Promise<Slot> {
  let data: Uint8Array;
  try {
    data = await readExactly(src, h.dataOff, h.stored, 'pbzx chunk data').catch(rethrowAt(chain, h.dataOff));
  } catch (error) {
    return failedSlot(h, error);
  }
  if (h.stored === h.decoded) return { header: h, result: Promise.resolve({ bytes: data }), cancel: () => undefined };
  if (!XZ_MAGIC.every((b, i) => data[i] === b)) {
    return failedSlot(h, new InputError('pbzx chunk is neither raw nor an xz stream', chain, h.dataOff));
  }
  const job = pool.decode(data, h.decoded);
  return { header: h, result: job.outcome.then((o) => checked(o, h, chain)), cancel: job.cancel, decoded: true };
}

function checked(o: XzChunkOutcome, h: ChunkHeader, chain: readonly string[]): { bytes: Uint8Array } | { error: unknown } {
  if ('failure' in o) return { error: new InputError(`pbzx chunk: ${o.failure}`, chain, h.dataOff) };
  const partial = o.bytes?.subarray(0, o.produced ?? 0) ?? new Uint8Array(0);
  if (o.overflow) {
    return { error: new ChunkError(partial, new InputError(`pbzx chunk decodes to more than its declared ${h.decoded} bytes`, chain, h.dataOff)) };
  }
  if (o.error !== undefined) {
    return { error: new ChunkError(partial, new InputError(`pbzx chunk: ${xzFailure(o.error)}`, chain, h.dataOff)) };
  }
  if (partial.length !== h.decoded) {
    return { error: new ChunkError(partial, new InputError(`pbzx chunk decodes to ${partial.length} bytes, ${h.decoded} declared`, chain, h.dataOff)) };
  }
  return { bytes: partial };
}

/** A chunk that failed part-way: what it decoded before failing, then why. */
class ChunkError {
  constructor(
    readonly partial: Uint8Array,
    readonly reason: InputError,
  ) {}
}

function failedSlot(h: ChunkHeader, error: unknown): Slot {
  return { header: h, result: Promise.resolve({ error }), cancel: () => undefined, fatal: true };
}

function rethrowAt(chain: readonly string[], off: number): (e: unknown) => never {
  return (e) => {
    throw e instanceof InputError ? new InputError(e.message, chain, off) : e;
  };
}
