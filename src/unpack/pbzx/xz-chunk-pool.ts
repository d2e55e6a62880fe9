import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { XzChunkReply, XzChunkRequest } from './xz-chunk-worker.js';
import { WORKER_OPTIONS } from '../../parallel/worker-pool.js';

/** What a job ends in: the worker's reply, or why there was none (the worker died). */
export type XzChunkOutcome = XzChunkReply | { id: number; failure: string };

interface Job {
  request: XzChunkRequest;
  resolve: (o: XzChunkOutcome) => void;
  cancelled: boolean;
}

interface Lane {
  worker: Worker;
  job: Job | undefined;
}

/**
 * pbzx chunks are independent xz streams, and xz-decompress decodes one stream at a time per
 * thread (its WASM context is guarded by a module-wide lock), so chunks decode in parallel only
 * on separate threads. One pool per process, one worker per core up
 * to four, started as work arrives, each unref'd while idle so the pool never keeps the process
 * alive. A worker takes one chunk at a time; the rest wait here, bounded by the caller's window.
 */
export class XzChunkPool {
  private static shared: XzChunkPool | undefined;
  readonly size = Math.max(1, Math.min(4, availableParallelism()));
  private readonly lanes: Lane[] = [];
  private readonly queue: Job[] = [];
  /** Output buffers the caller is done with, sent back with the next job. */
  private spares: ArrayBuffer[] = [];
  private nextId = 1;

  static get(): XzChunkPool {
    XzChunkPool.shared ??= new XzChunkPool();
    return XzChunkPool.shared;
  }

  /**
   * Decodes one xz stream of `declared` decoded bytes. `data` is copied (it may be a view into a
   * larger buffer the caller still owns) and the copy transferred. Never rejects.
   */
  decode(data: Uint8Array, declared: number): { outcome: Promise<XzChunkOutcome>; cancel: () => void } {
    const id = this.nextId++;
    const copy = new Uint8Array(data);
    let job!: Job;
    const outcome = new Promise<XzChunkOutcome>((resolve) => {
      job = { request: { id, data: copy, declared }, resolve, cancelled: false };
    });
    this.queue.push(job);
    this.pump();
    return {
      outcome,
      cancel: () => {
        job.cancelled = true;
      },
    };
  }

  /** Gives a reply's output buffer back for reuse (its bytes are no longer read). */
  recycle(buffer: ArrayBuffer): void {
    if (this.spares.length < 2) this.spares.push(buffer);
  }

  /** Workers alive. */
  get workers(): number {
    return this.lanes.length;
  }

  /**
   * Ends the workers with nothing to do. A worker's WebAssembly memory only ever grows (to a
   * chunk's size and the decoder's dictionary) and is never given back while it lives; once a
   * payload is decoded, keeping idle decoders alive would carry their memory through the rest of
   * the walk.
   */
  releaseIdle(): void {
    if (this.queue.length > 0) return;
    for (const lane of this.lanes.filter((l) => l.job === undefined)) {
      this.lanes.splice(this.lanes.indexOf(lane), 1);
      void lane.worker.terminate();
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const job = this.queue[0]!;
      if (job.cancelled) {
        this.queue.shift();
        job.resolve({ id: job.request.id, failure: 'cancelled' });
        continue;
      }
      let lane = this.lanes.find((l) => l.job === undefined);
      if (lane === undefined && this.lanes.length < this.size) lane = this.startLane();
      if (lane === undefined) return;
      this.queue.shift();
      lane.job = job;
      lane.worker.ref();
      const spare = this.spares.splice(0);
      lane.worker.postMessage({ ...job.request, spare }, [job.request.data.buffer as ArrayBuffer, ...spare]);
    }
  }

  private startLane(): Lane {
    const lane: Lane = { worker: new Worker(new URL('./xz-chunk-worker.js', import.meta.url), WORKER_OPTIONS), job: undefined };
    lane.worker.on('message', (reply: XzChunkReply) => {
      const job = lane.job;
      lane.job = undefined;
      lane.worker.unref();
      if (job !== undefined && job.request.id === reply.id) job.resolve(reply);
      this.pump();
    });
    const fail = (why: string): void => {
      const i = this.lanes.indexOf(lane);
      if (i < 0) return;
      this.lanes.splice(i, 1);
      const job = lane.job;
      lane.job = undefined;
      job?.resolve({ id: job.request.id, failure: why });
      void lane.worker.terminate();
      this.pump();
    };
    lane.worker.on('error', (err) => fail(`xz worker failed: ${err.message}`));
    lane.worker.on('exit', (code) => fail(`xz worker exited (${code})`));
    // After the listeners: attaching a 'message' listener refs the worker's port again.
    lane.worker.unref();
    this.lanes.push(lane);
    return lane;
  }
}
