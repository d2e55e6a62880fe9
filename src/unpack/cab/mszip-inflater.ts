import { Worker } from 'node:worker_threads';
import { onReleaseIdleThreads, WORKER_OPTIONS } from '../../parallel/worker-pool.js';
import type { BatchReply, BatchRequest } from './mszip-worker.js';

/**
 * MSZIP inflation on a second thread, so that both cores of a CI runner work. A folder is one solid stream,
 * so its blocks cannot be inflated in parallel with each other; what runs in parallel is the
 * inflating of the next batch with the hashing, inspecting and detecting of the previous one on
 * the main thread. One worker per process, started on first use and unref'd when idle so it
 * never keeps the process alive.
 */
export class MszipInflater {
  private static shared: MszipInflater | undefined;
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: BatchReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private nextStream = 1;

  private constructor() {
    this.worker = new Worker(new URL('./mszip-worker.js', import.meta.url), WORKER_OPTIONS);
    this.worker.on('message', (r: BatchReply) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      if (this.pending.size === 0) this.worker.unref();
      p?.resolve(r);
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', () => this.failAll(new Error('MSZIP worker exited')));
    // After the listeners: attaching a 'message' listener refs the worker's port again, and a
    // folder that fails before its first batch would then keep the process alive for ever.
    this.worker.unref();
  }

  static get(): MszipInflater {
    if (!MszipInflater.shared) {
      MszipInflater.shared = new MszipInflater();
      onReleaseIdleThreads(MszipInflater.releaseIdle);
    }
    return MszipInflater.shared;
  }

  /** Ends the worker when it has nothing to do; the next folder starts another. */
  static releaseIdle(): void {
    const shared = MszipInflater.shared;
    if (!shared || shared.pending.size > 0) return;
    MszipInflater.shared = undefined;
    void shared.worker.terminate();
  }

  /** A new stream id: each folder read keeps its own window in the worker. */
  openStream(): number {
    return this.nextStream++;
  }

  /**
   * Inflates `blocks` (deflate data after "CK") in order, continuing the stream's window.
   * `recycle`: buffers of earlier replies no longer used, transferred back for reuse.
   */
  inflate(stream: number, blocks: readonly Uint8Array[], recycle: ArrayBuffer[] = []): Promise<BatchReply> {
    const id = this.nextId++;
    // One copy of every block's bytes, transferred (structured clone would copy a view's whole buffer).
    const data = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of blocks) {
      data.set(b, at);
      at += b.length;
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, stream, data, lengths: blocks.map((b) => b.length), recycle } satisfies BatchRequest, [data.buffer, ...recycle]);
    });
  }

  closeStream(stream: number): void {
    this.worker.postMessage({ id: 0, stream, data: new Uint8Array(0), lengths: [], done: true } satisfies BatchRequest);
  }

  private failAll(err: Error): void {
    // A released worker exits after another may have taken its place.
    if (MszipInflater.shared === this) MszipInflater.shared = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
