import { availableParallelism } from 'node:os';
import type { Transferable } from 'node:worker_threads';
import { backingSlice, readExactly, type Backing, type ByteSource } from '../io/byte-source.js';
import type { StringFilter } from '../inspect/string-filter.js';
import type { StringRun } from '../inspect/types.js';
import { addStageTime, type Stage } from '../stage-timings.js';
import { consumerFor, rangesOf, unpackRuns, type ByteJob, type ByteReply, type JobSpec, type Range } from './byte-jobs.js';
import { onReleaseIdleThreads, WorkerPool } from './worker-pool.js';

/** Sources smaller than this are hashed on the calling thread: the hop to a worker costs more. */
const INLINE_BELOW = 16 << 10;
/** Copies of in-memory bytes sent to workers and not yet done with: past this, callers wait. */
const MAX_COPIED_BYTES = 64 << 20;
/** Jobs posted and not yet answered: past this, callers wait. */
const MAX_PENDING_JOBS = 64;
/**
 * Jobs on fewer bytes than this go to the workers in batches of up to BATCH_JOBS jobs or
 * BATCH_BYTES bytes: each message costs the sending thread tens of microseconds, as much as
 * hashing tens of kilobytes, and an installer holds thousands of small files.
 */
const BATCH_BELOW = 1 << 20;
const BATCH_JOBS = 64;
const BATCH_BYTES = 4 << 20;
const READ = 1 << 20;

/** Worker threads for byte work: INSTALLER_SBOM_THREADS, or one per core; 0 keeps all work here. */
export function workerCount(): number {
  const env = process.env.INSTALLER_SBOM_THREADS;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return availableParallelism();
}

export interface RunsFound {
  runs: StringRun[];
  /** How many runs the window holds, when they were counted. */
  count?: number;
}

/**
 * Hashing and string scanning on a pool of worker threads, which read the bytes themselves from
 * the source's backing (a file's extents, or a copy of in-memory bytes). A source without a
 * backing, a small one, or a process without workers does the work on the calling thread, with
 * the same code. Busy time is added to the stage each call names.
 */
export class ByteWork {
  private static shared: ByteWork | undefined;
  private readonly pool: WorkerPool<ByteJob | ByteJob[], ByteReply | ByteReply[]> | undefined;
  private copied = 0;
  private readonly waiting: (() => void)[] = [];
  /** Small jobs not yet posted, and their bytes; posted when full or at the next turn of the event loop. */
  private batch: { job: ByteJob; resolve: (r: ByteReply) => void; reject: (err: unknown) => void }[] = [];
  private batchBytes = 0;

  constructor(threads = workerCount()) {
    this.pool = threads > 0 ? new WorkerPool<ByteJob | ByteJob[], ByteReply | ByteReply[]>(new URL('./byte-worker.js', import.meta.url), threads) : undefined;
  }

  static get(): ByteWork {
    if (!ByteWork.shared) {
      ByteWork.shared = new ByteWork();
      onReleaseIdleThreads(() => ByteWork.shared?.releaseIdle());
    }
    return ByteWork.shared;
  }

  /** Ends the idle workers (see WorkerPool.releaseIdle); later work starts them again. */
  releaseIdle(): void {
    this.pool?.releaseIdle();
  }

  /** Worker threads alive. */
  get workers(): number {
    return this.pool?.workers ?? 0;
  }

  /** Resolves once the work in flight is under its bounds (call before producing more). */
  async capacity(): Promise<void> {
    while (this.pool && (this.copied > MAX_COPIED_BYTES || this.pool.pending > MAX_PENDING_JOBS)) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Digests of the given ranges of `src` (default: all of it), one per algorithm, in one pass. */
  async digest(src: ByteSource, algorithms: readonly string[], stage: Stage, ranges?: Range[]): Promise<Map<string, Buffer>> {
    return (await this.startDigest(src, algorithms, stage, ranges)).result;
  }

  /**
   * Starts `digest`; resolves as soon as `src` may be closed (at once when a worker reads the
   * bytes from the backing), with the digests still to come.
   */
  async startDigest(src: ByteSource, algorithms: readonly string[], stage: Stage, ranges: Range[] = [[0, src.size]]): Promise<{ result: Promise<Map<string, Buffer>> }> {
    const started = await this.start(src, { kind: 'digest', ranges, algorithms: [...algorithms] }, stage);
    const result = started.reply.then((reply) => {
      if (reply.kind !== 'digest') throw new Error('unexpected reply');
      return new Map(Object.entries(reply.digests).map(([a, d]) => [a, Buffer.from(d.buffer, d.byteOffset, d.byteLength)]));
    });
    // Awaited later by the caller; until then a failure must not count as unhandled.
    result.catch(() => undefined);
    return { result };
  }

  /** The digest of each `pageSize` page of `range` (the last may be short), concatenated. */
  async pageDigests(src: ByteSource, range: Range, pageSize: number, algorithm: string, stage: Stage): Promise<Buffer> {
    const reply = await (await this.start(src, { kind: 'pages', range, pageSize, algorithm }, stage)).reply;
    if (reply.kind !== 'pages') throw new Error('unexpected reply');
    return Buffer.from(reply.digests.buffer, reply.digests.byteOffset, reply.digests.byteLength);
  }

  /** String runs of the window `range` of `src` (see scanStrings: `from` is window-relative). */
  async strings(src: ByteSource, range: Range, where: string, from: number, keep: StringFilter | undefined, count: boolean, stage: Stage): Promise<RunsFound> {
    const reply = await (await this.start(src, { kind: 'strings', range, where, from, count, ...(keep ? { keep: keep.spec } : {}) }, stage, keep)).reply;
    if (reply.kind !== 'strings') throw new Error('unexpected reply');
    const runs = Array.isArray(reply.runs) ? reply.runs : unpackRuns(reply.runs, where);
    return { runs, ...(reply.count !== undefined ? { count: reply.count } : {}) };
  }

  /** Does the job here, or posts it to a worker; resolves once `src` is no longer needed. */
  private async start(src: ByteSource, spec: JobSpec, stage: Stage, keep?: StringFilter): Promise<{ reply: Promise<ByteReply> }> {
    const ranges = rangesOf(spec);
    const bytes = ranges.reduce((n, [a, b]) => n + (b - a), 0);
    const backing = this.pool && bytes >= INLINE_BELOW ? src.backing?.() : undefined;
    if (!this.pool || backing === undefined) {
      // Only work done here gets a consumer: a strings consumer's window is the size of its range.
      const consumer = consumerFor(spec, keep);
      const t0 = performance.now();
      for (const [a, b] of consumer.ranges) {
        for (let o = a; o < b; o += READ) consumer.push(await readExactly(src, o, Math.min(READ, b - o), 'bytes to hash'));
      }
      const reply = { ...consumer.finish(), ms: performance.now() - t0 };
      addStageTime(stage, reply.ms);
      return { reply: Promise.resolve(reply) };
    }
    const { part, copied } = partFor(backing, ranges);
    this.copied += copied;
    const job = { ...spec, backing: part } as ByteJob;
    const posted = bytes < BATCH_BELOW ? this.batched(job, bytes) : this.post([job]).then((r) => r[0]!);
    const reply = posted.then(
      (r) => {
        this.copied -= copied;
        this.wake();
        addStageTime(stage, r.ms, 'worker');
        if (r.kind === 'failed') throw new Error(`byte work failed: ${r.message}`);
        return r;
      },
      (err: unknown) => {
        this.copied -= copied;
        this.wake();
        throw err;
      },
    );
    return { reply };
  }

  /** Posts jobs as one message; a batch of them is answered by one. */
  private async post(jobs: ByteJob[]): Promise<ByteReply[]> {
    const { packed, transfer } = packedForSending(jobs);
    if (packed.length === 1) return [(await this.pool!.run(packed[0]!, transfer)) as ByteReply];
    return (await this.pool!.run(packed, transfer)) as ByteReply[];
  }

  private batched(job: ByteJob, bytes: number): Promise<ByteReply> {
    return new Promise<ByteReply>((resolve, reject) => {
      if (this.batch.length === 0) setImmediate(() => this.flush());
      this.batch.push({ job, resolve, reject });
      this.batchBytes += bytes;
      if (this.batch.length >= BATCH_JOBS || this.batchBytes >= BATCH_BYTES) this.flush();
    });
  }

  private flush(): void {
    const items = this.batch;
    if (items.length === 0) return;
    this.batch = [];
    this.batchBytes = 0;
    this.post(items.map((i) => i.job)).then(
      (replies) => items.forEach((item, k) => item.resolve(replies[k]!)),
      (err: unknown) => items.forEach((item) => item.reject(err)),
    );
  }

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}

/** Of an in-memory backing, the part the ranges cover (views, not yet copied); file extents as they are. */
function partFor(backing: Backing, ranges: readonly Range[]): { part: Backing; copied: number } {
  if ('path' in backing) return { part: backing, copied: 0 };
  const lo = Math.min(...ranges.map((r) => r[0]));
  const hi = Math.max(...ranges.map((r) => r[1]));
  return { part: { chunks: (backingSlice(backing, lo, hi - lo) as { chunks: Uint8Array[] }).chunks, at: lo }, copied: hi - lo };
}

/**
 * Jobs as a worker can take them in one message: the in-memory pieces of all of them copied into
 * one buffer, which is transferred. Posting a view would copy its whole underlying buffer, and
 * each buffer transferred adds to the cost of the post.
 */
function packedForSending(jobs: readonly ByteJob[]): { packed: ByteJob[]; transfer: Transferable[] } {
  let total = 0;
  for (const j of jobs) if ('chunks' in j.backing) for (const c of j.backing.chunks) total += c.length;
  if (total === 0) return { packed: [...jobs], transfer: [] };
  const arena = new Uint8Array(total);
  let at = 0;
  const packed = jobs.map((j): ByteJob => {
    if (!('chunks' in j.backing)) return j;
    const chunks = j.backing.chunks.map((c) => {
      arena.set(c, at);
      at += c.length;
      return arena.subarray(at - c.length, at);
    });
    return { ...j, backing: { chunks, ...(j.backing.at !== undefined ? { at: j.backing.at } : {}) } };
  });
  return { packed, transfer: [arena.buffer] };
}
