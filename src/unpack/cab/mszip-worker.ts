import { parentPort } from 'node:worker_threads';
import { inflateMszipBlock, slideWindow } from './mszip-block.js';

/**
 * Worker side of MszipInflater: inflates batches of MSZIP blocks for one folder stream at a
 * time, keeping each stream's 32 KiB window between batches. Outputs go back as one
 * transferred buffer per batch (zlib's Buffers may share pooled memory, so they are copied).
 */
export interface BatchRequest {
  id: number;
  stream: number;
  /**
   * Deflate data of the blocks (each without its "CK" signature) one after the other, in one
   * buffer (transferring one buffer costs far less than transferring 32), and each one's length;
   * empty + done ends the stream.
   */
  data: Uint8Array;
  lengths: number[];
  /**
   * Output buffers of earlier replies the reader is done with, given back for the next outputs:
   * an MSI's whole content passes through them, and fresh ones were garbage the size of it.
   */
  recycle?: ArrayBuffer[];
  done?: boolean;
}

export interface BatchReply {
  id: number;
  bytes?: Uint8Array;
  lengths?: number[];
  /** Index in the batch of the block that failed, and why. */
  failed?: { index: number; message: string };
}

const windows = new Map<number, Uint8Array>();
const spare: ArrayBuffer[] = [];

parentPort?.on('message', (req: BatchRequest) => {
  for (const b of req.recycle ?? []) if (spare.length < 4) spare.push(b);
  if (req.done) {
    windows.delete(req.stream);
    return;
  }
  let window = windows.get(req.stream) ?? new Uint8Array(0);
  const outs: Uint8Array[] = [];
  let from = 0;
  for (let i = 0; i < req.lengths.length; i++) {
    const block = req.data.subarray(from, from + req.lengths[i]!);
    from += req.lengths[i]!;
    let out: Uint8Array;
    try {
      out = inflateMszipBlock(block, window);
    } catch (err) {
      windows.delete(req.stream);
      parentPort!.postMessage({ id: req.id, failed: { index: i, message: err instanceof Error ? err.message : String(err) } } satisfies BatchReply);
      return;
    }
    window = slideWindow(window, out);
    outs.push(out);
  }
  windows.set(req.stream, Uint8Array.from(window));
  const total = outs.reduce((n, o) => n + o.length, 0);
  const i = spare.findIndex((b) => b.byteLength >= total);
  const bytes = i >= 0 ? new Uint8Array(spare.splice(i, 1)[0]!, 0, total) : new Uint8Array(total);
  let at = 0;
  for (const o of outs) {
    bytes.set(o, at);
    at += o.length;
  }
  parentPort!.postMessage({ id: req.id, bytes, lengths: outs.map((o) => o.length) } satisfies BatchReply, [bytes.buffer]);
});
