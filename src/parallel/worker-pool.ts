import { Worker, type Transferable, type WorkerOptions } from 'node:worker_threads';

/**
 * Options for every worker thread the tool starts. The workers allocate little on their own heap
 * (their bytes are outside it), so the young generation V8 would let grow to 16 MB or more only
 * adds to the peak RSS: 2 MB took 10-15 MB off it on node.exe and on an MSI, at no cost in time.
 */
export const WORKER_OPTIONS: WorkerOptions = { resourceLimits: { maxYoungGenerationSizeMb: 2 } };

/** How each of the process's thread pools ends its idle workers; pools add theirs when created. */
const idleReleasers = new Set<() => void>();

export function onReleaseIdleThreads(release: () => void): void {
  idleReleasers.add(release);
}

/**
 * Ends every pool's idle workers (they start again on demand). Called when an artifact has been
 * read, so the threads' heaps are not carried through compose and write, a large artifact's peak.
 */
export function releaseIdleThreads(): void {
  for (const release of idleReleasers) release();
}

interface Job<Req, Rep> {
  id: number;
  request: Req;
  transfer: Transferable[];
  resolve: (reply: Rep) => void;
  reject: (err: Error) => void;
}

interface Lane<Req, Rep> {
  worker: Worker;
  /** Jobs posted to this worker and not yet answered, in posting order. */
  jobs: Job<Req, Rep>[];
}

/** What a pool's worker script posts back: the job's id and its result. */
export interface PoolReply<Rep> {
  id: number;
  reply: Rep;
}

/**
 * Threads that run one kind of job, started as work arrives, up to `size`. Each worker has at most
 * `depth` jobs posted at a time (a second one waiting in its queue hides the message round trip);
 * the rest wait here in order. A worker is ref'd only while it has jobs, so an idle pool never
 * keeps the process alive; a worker that fails fails its jobs and is replaced on demand.
 */
export class WorkerPool<Req, Rep> {
  private readonly lanes: Lane<Req, Rep>[] = [];
  private readonly queue: Job<Req, Rep>[] = [];
  private nextId = 1;

  constructor(
    private readonly script: URL,
    readonly size: number,
    private readonly depth = 2,
  ) {}

  /** Runs `request` on a worker (`transfer` moves buffers instead of copying them). */
  run(request: Req, transfer: Transferable[] = []): Promise<Rep> {
    return new Promise<Rep>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, transfer, resolve, reject });
      this.pump();
    });
  }

  /** Ends the workers with no job (they start again on demand): an idle thread still holds its heap. */
  releaseIdle(): void {
    if (this.queue.length > 0) return;
    for (const lane of this.lanes.filter((l) => l.jobs.length === 0)) {
      this.lanes.splice(this.lanes.indexOf(lane), 1);
      void lane.worker.terminate();
    }
  }

  /** Workers alive. */
  get workers(): number {
    return this.lanes.length;
  }

  /** Jobs posted or waiting. */
  get pending(): number {
    return this.queue.length + this.lanes.reduce((n, l) => n + l.jobs.length, 0);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let lane = this.lanes.find((l) => l.jobs.length === 0);
      if (lane === undefined && this.lanes.length < this.size) lane = this.startLane();
      lane ??= this.lanes.find((l) => l.jobs.length < this.depth);
      if (lane === undefined) return;
      const job = this.queue.shift()!;
      if (lane.jobs.length === 0) lane.worker.ref();
      lane.jobs.push(job);
      lane.worker.postMessage({ id: job.id, request: job.request }, job.transfer);
    }
  }

  private startLane(): Lane<Req, Rep> {
    const lane: Lane<Req, Rep> = { worker: new Worker(this.script, WORKER_OPTIONS), jobs: [] };
    lane.worker.on('message', (m: PoolReply<Rep>) => {
      const i = lane.jobs.findIndex((j) => j.id === m.id);
      if (i < 0) return;
      const [job] = lane.jobs.splice(i, 1);
      if (lane.jobs.length === 0) lane.worker.unref();
      job!.resolve(m.reply);
      this.pump();
    });
    const fail = (why: string): void => {
      const i = this.lanes.indexOf(lane);
      if (i < 0) return;
      this.lanes.splice(i, 1);
      for (const job of lane.jobs.splice(0)) job.reject(new Error(why));
      void lane.worker.terminate();
      this.pump();
    };
    lane.worker.on('error', (err) => fail(`worker failed: ${err.message}`));
    lane.worker.on('exit', (code) => fail(`worker exited (${code})`));
    // After the listeners: attaching a 'message' listener refs the worker's port again.
    lane.worker.unref();
    this.lanes.push(lane);
    return lane;
  }
}
