import { parentPort } from 'node:worker_threads';
import xzDecompress from 'xz-decompress';

/**
 * Worker side of XzChunkPool: decodes one whole pbzx xz chunk per request into a buffer of the
 * chunk's declared decoded size (≤ MAX_PBZX_CHUNK, checked by the caller), so a chunk that
 * decodes to more than it declares stops there instead of growing memory.
 */
export interface XzChunkRequest {
  id: number;
  /** One complete xz stream, transferred. */
  data: Uint8Array;
  /** Declared decoded length: the output buffer's size. */
  declared: number;
  /** Output buffers of earlier replies the caller is done with, given back for the next outputs. */
  spare?: ArrayBuffer[];
}

export interface XzChunkReply {
  id: number;
  /** Decoded bytes; `produced` of them are valid (fewer than declared when the chunk is short). */
  bytes?: Uint8Array;
  produced?: number;
  /** The stream went on past `declared` bytes; `bytes` holds what fitted before the piece that overflowed. */
  overflow?: boolean;
  /** xz-embedded's error (corrupt data); `bytes` holds what was decoded before it. */
  error?: string;
}

/**
 * Buffers given back, reused as outputs: a fresh 16 MiB buffer per chunk is garbage until the
 * next collection, and while a payload's files are walked several of them added to the peak.
 */
const spares: ArrayBuffer[] = [];

async function decode(req: XzChunkRequest): Promise<XzChunkReply> {
  for (const b of req.spare ?? []) if (spares.length < 2) spares.push(b);
  const i = spares.findIndex((b) => b.byteLength >= req.declared);
  const out = i >= 0 ? new Uint8Array(spares.splice(i, 1)[0]!, 0, req.declared) : new Uint8Array(req.declared);
  let produced = 0;
  const input = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(req.data);
      c.close();
    },
  });
  const decoded = new xzDecompress.XzReadableStream(input) as unknown as AsyncIterable<Uint8Array>;
  try {
    // Breaking out cancels the stream, which frees xz-decompress's one-context-per-thread lock.
    for await (const piece of decoded) {
      if (produced + piece.length > out.length) return { id: req.id, bytes: out, produced, overflow: true };
      out.set(piece, produced);
      produced += piece.length;
    }
  } catch (err) {
    return { id: req.id, bytes: out, produced, error: err instanceof Error ? err.message : String(err) };
  }
  return { id: req.id, bytes: out, produced };
}

parentPort?.on('message', (req: XzChunkRequest) => {
  void decode(req).then((reply) => parentPort!.postMessage(reply, reply.bytes ? [reply.bytes.buffer as ArrayBuffer] : []));
});
