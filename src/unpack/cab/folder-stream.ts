import type { ByteSource } from '../../io/byte-source.js';
import { ReadAheadSource } from '../../io/read-ahead.js';
import { InputError } from '../../errors.js';
import type { Budget } from '../limits.js';
import { cabChecksum } from './cab-checksum.js';
import { COMPRESS_MSZIP, COMPRESS_NONE, compressionName, type CabFolder } from './cab-directory.js';
import { inflateMszipBlock, MAX_BLOCK, slideWindow } from './mszip-block.js';
import { MszipInflater } from './mszip-inflater.js';
import type { BatchReply } from './mszip-worker.js';

const CFDATA_FIXED = 8;
/** Folders of at least this many blocks (2 MiB) are inflated on the worker; below it the thread hop does not pay. */
const WORKER_MIN_BLOCKS = 64;
/** Blocks per worker request: about 1 MiB out, one batch decoding while the previous is consumed. */
const BATCH = 32;

interface CfData {
  index: number;
  /** Offset of the block's data in the cabinet. */
  dataAt: number;
  /** Stored bytes, or for MSZIP the deflate data after "CK". */
  data: Uint8Array;
  cbUncomp: number;
}

/**
 * The uncompressed bytes of one folder, block by block. A folder is a solid stream: a file can
 * only be reached by decoding every block before it, so callers keep one generator per folder
 * and walk it forward. Big MSZIP folders are inflated one batch ahead on a worker thread.
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
  const blocks = cfdataBlocks(src, folder, cbCFData, chain, warn);
  const checked = (blk: CfData, out: Uint8Array): Uint8Array => {
    if (out.length !== blk.cbUncomp) {
      throw new InputError(`MSZIP CFDATA ${blk.index} of folder ${folder.index} inflated to ${out.length} bytes, ${blk.cbUncomp} declared`, chain, blk.dataAt);
    }
    budget.countBytes(out.length, chain);
    return out;
  };
  const inflateError = (blk: CfData, msg: string): InputError =>
    new InputError(`MSZIP CFDATA ${blk.index} of folder ${folder.index}: ${msg}`, chain, blk.dataAt);

  if (method === COMPRESS_NONE) {
    for await (const blk of blocks) {
      budget.countBytes(blk.data.length, chain);
      yield blk.data;
    }
    return;
  }
  if (folder.cCFData < WORKER_MIN_BLOCKS) {
    let window: Uint8Array = new Uint8Array(0);
    for await (const blk of blocks) {
      let out: Uint8Array;
      try {
        out = inflateMszipBlock(blk.data, window);
      } catch (err) {
        throw inflateError(blk, err instanceof Error ? err.message : String(err));
      }
      window = slideWindow(window, checked(blk, out));
      yield out;
    }
    return;
  }

  const inflater = MszipInflater.get();
  const stream = inflater.openStream();
  const nextBatch = async (): Promise<CfData[]> => {
    const batch: CfData[] = [];
    while (batch.length < BATCH) {
      const n = await blocks.next();
      if (n.done) break;
      batch.push(n.value);
    }
    return batch;
  };
  // Output buffers whose blocks have all been consumed (the reader copies what it keeps).
  let done: ArrayBuffer[] = [];
  const send = (batch: CfData[]): Promise<BatchReply> | undefined => {
    if (batch.length === 0) return undefined;
    const p = inflater.inflate(stream, batch.map((b) => b.data), done);
    done = [];
    p.catch(() => undefined);
    return p;
  };
  try {
    let batch = await nextBatch();
    let inflight = send(batch);
    while (inflight) {
      const reply = await inflight;
      const current = batch;
      if (reply.failed) throw inflateError(current[reply.failed.index]!, reply.failed.message);
      batch = await nextBatch();
      inflight = send(batch);
      let at = 0;
      for (let i = 0; i < current.length; i++) {
        const len = reply.lengths![i]!;
        const out = reply.bytes!.subarray(at, at + len);
        at += len;
        yield checked(current[i]!, out);
      }
      done.push(reply.bytes!.buffer as ArrayBuffer);
    }
  } finally {
    inflater.closeStream(stream);
    await blocks.return(undefined);
  }
}

/** CFDATA headers walked and checked in order; the data is not yet inflated. */
async function* cfdataBlocks(
  src: ByteSource,
  folder: CabFolder,
  cbCFData: number,
  chain: readonly string[],
  warn: (msg: string) => void,
): AsyncGenerator<CfData> {
  const method = folder.typeCompress & 0x000f;
  let pos = folder.coffCabStart;
  // Thousands of small CFDATA headers and blocks, read in order.
  const input = new ReadAheadSource(src, 1 << 20);
  for (let b = 0; b < folder.cCFData; b++) {
    const headLen = CFDATA_FIXED + cbCFData;
    if (pos + headLen > src.size) {
      throw new InputError(`truncated: CFDATA ${b} of folder ${folder.index} header`, chain, pos);
    }
    const head = await input.read(pos, headLen);
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
    const data = await input.read(dataAt, cbData);
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
    if (method === COMPRESS_NONE) {
      if (cbData !== cbUncomp) {
        throw new InputError(`stored CFDATA ${b} of folder ${folder.index}: ${cbData} bytes stored but ${cbUncomp} declared`, chain, pos);
      }
      yield { index: b, dataAt, data, cbUncomp };
    } else {
      if (cbData < 2 || data[0] !== 0x43 || data[1] !== 0x4b) {
        throw new InputError(`MSZIP CFDATA ${b} of folder ${folder.index} lacks its "CK" signature`, chain, dataAt);
      }
      yield { index: b, dataAt, data: data.subarray(2), cbUncomp };
    }
  }
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
