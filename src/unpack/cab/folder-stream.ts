import { inflateRawSync, constants as zc } from 'node:zlib';
import type { ByteSource } from '../../io/byte-source.js';
import { InputError } from '../../errors.js';
import type { Budget } from '../limits.js';
import { cabChecksum } from './cab-checksum.js';
import { COMPRESS_MSZIP, COMPRESS_NONE, compressionName, type CabFolder } from './cab-directory.js';

/** MSZIP and stored blocks never hold more than 32 KiB of uncompressed data ([MS-MCI] 2). */
const MAX_BLOCK = 0x8000;
const CFDATA_FIXED = 8;

/**
 * The uncompressed bytes of one folder, block by block. A folder is a solid stream: a file can
 * only be reached by decoding every block before it, so callers keep one generator per folder
 * and walk it forward.
 */
export async function* folderBlocks(
  src: ByteSource,
  folder: CabFolder,
  cbCFData: number,
  chain: readonly string[],
  budget: Budget,
  warn: (msg: string) => void,
): AsyncGenerator<Uint8Array> {
  const method = folder.typeCompress & 0x000f;
  if (method !== COMPRESS_NONE && method !== COMPRESS_MSZIP) {
    throw new InputError(`folder ${folder.index}: ${compressionName(folder.typeCompress)} is not decoded here`, chain);
  }
  let pos = folder.coffCabStart;
  // MSZIP carries the deflate window across blocks: each block is a raw deflate stream that may
  // refer back up to 32 KiB into the previous block's output.
  let window: Uint8Array = new Uint8Array(0);
  for (let b = 0; b < folder.cCFData; b++) {
    const headLen = CFDATA_FIXED + cbCFData;
    if (pos + headLen > src.size) {
      throw new InputError(`truncated: CFDATA ${b} of folder ${folder.index} header`, chain, pos);
    }
    const head = await src.read(pos, headLen);
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const csum = dv.getUint32(0, true);
    const cbData = dv.getUint16(4, true);
    const cbUncomp = dv.getUint16(6, true);
    const dataAt = pos + headLen;
    if (dataAt + cbData > src.size) {
      throw new InputError(`truncated: CFDATA ${b} of folder ${folder.index} needs ${cbData} bytes`, chain, pos + 4);
    }
    if (cbUncomp > MAX_BLOCK) {
      throw new InputError(`CFDATA ${b} of folder ${folder.index} claims ${cbUncomp} uncompressed bytes (max ${MAX_BLOCK})`, chain, pos + 6);
    }
    const data = await src.read(dataAt, cbData);
    // Checksums are optional (0 = not computed). With per-block reserved bytes it is unclear
    // whether writers include them, so only plain blocks are verified.
    if (csum !== 0 && cbCFData === 0) {
      const sum = cabChecksum(head.subarray(4, 8), cabChecksum(data, 0));
      if (sum !== csum) {
        throw new InputError(`CFDATA ${b} of folder ${folder.index}: checksum mismatch (stored ${hex(csum)}, computed ${hex(sum)})`, chain, pos);
      }
    }
    pos = dataAt + cbData;
    if (cbUncomp === 0) {
      // A zero-length block ends a folder that continues in the next cabinet of a set.
      warn(`folder ${folder.index} continues in the next cabinet; its data here is incomplete`);
      return;
    }
    let out: Uint8Array;
    if (method === COMPRESS_NONE) {
      if (cbData !== cbUncomp) {
        throw new InputError(`stored CFDATA ${b} of folder ${folder.index}: ${cbData} bytes stored but ${cbUncomp} declared`, chain, pos);
      }
      out = data;
    } else {
      if (cbData < 2 || data[0] !== 0x43 || data[1] !== 0x4b) {
        throw new InputError(`MSZIP CFDATA ${b} of folder ${folder.index} lacks its "CK" signature`, chain, dataAt);
      }
      try {
        out = inflateRawSync(data.subarray(2), {
          ...(window.length > 0 ? { dictionary: window } : {}),
          maxOutputLength: MAX_BLOCK,
          // Not every writer ends each block's deflate stream with a final block.
          finishFlush: zc.Z_SYNC_FLUSH,
        });
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        throw new InputError(`MSZIP CFDATA ${b} of folder ${folder.index}: ${msg}`, chain, dataAt);
      }
      if (out.length !== cbUncomp) {
        throw new InputError(`MSZIP CFDATA ${b} of folder ${folder.index} inflated to ${out.length} bytes, ${cbUncomp} declared`, chain, dataAt);
      }
      window = slideWindow(window, out);
    }
    budget.countBytes(out.length, chain);
    yield out;
  }
}

function slideWindow(window: Uint8Array, out: Uint8Array): Uint8Array {
  if (out.length >= MAX_BLOCK) return out.slice(out.length - MAX_BLOCK);
  const keep = Math.min(window.length, MAX_BLOCK - out.length);
  const next = new Uint8Array(keep + out.length);
  next.set(window.subarray(window.length - keep), 0);
  next.set(out, keep);
  return next;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/**
 * A forward-only reader over one folder's uncompressed stream. Reading files in ascending
 * offset order decodes each block once; asking for an earlier offset restarts the folder.
 */
export class FolderCursor {
  private gen: AsyncGenerator<Uint8Array> | undefined;
  /** Uncompressed offset of `pending[0]`. */
  private pos = 0;
  private pending: Uint8Array = new Uint8Array(0);
  private lock: Promise<unknown> = Promise.resolve();

  constructor(private readonly open: () => AsyncGenerator<Uint8Array>) {}

  /**
   * Hands the bytes [offset, offset+length) of the folder to `sink`, in order. Calls are
   * serialised so two entries opened at once cannot interleave on one stream.
   */
  read(offset: number, length: number, sink: (chunk: Uint8Array) => Promise<void> | void, chain: readonly string[]): Promise<void> {
    const job = this.lock.then(() => this.readNow(offset, length, sink, chain));
    this.lock = job.catch(() => undefined);
    return job;
  }

  private async readNow(offset: number, length: number, sink: (chunk: Uint8Array) => Promise<void> | void, chain: readonly string[]): Promise<void> {
    if (!this.gen || offset < this.pos) {
      await this.gen?.return(undefined);
      this.gen = this.open();
      this.pos = 0;
      this.pending = new Uint8Array(0);
    }
    let want = offset;
    let left = length;
    while (left > 0) {
      if (this.pending.length === 0 || want >= this.pos + this.pending.length) {
        this.pos += this.pending.length;
        const next = await this.gen.next();
        if (next.done) {
          this.pending = new Uint8Array(0);
          throw new InputError(`a file extends past the end of its folder (byte ${want} of the folder's stream is missing)`, chain);
        }
        this.pending = next.value;
        continue;
      }
      const start = want - this.pos;
      const n = Math.min(left, this.pending.length - start);
      await sink(this.pending.subarray(start, start + n));
      want += n;
      left -= n;
    }
  }

  async close(): Promise<void> {
    await this.gen?.return(undefined);
    this.gen = undefined;
  }
}
