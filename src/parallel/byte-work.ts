import { availableParallelism } from 'node:os';
import type { Transferable } from 'node:worker_threads';
import { backingSlice, readExactly, type Backing, type ByteSource } from '../io/byte-source.js';
import type { StringFilter } from '../inspect/string-filter.js';
import type { StringRun } from '../inspect/types.js';
import { addStageTime, type Stage } from '../stage-timings.js';
import { consumerFor, unpackRuns, type ByteJob, type ByteReply, type JobSpec, type Range } from './byte-jobs.js';
import { WorkerPool } from './worker-pool.js';

/** Sources smaller than this are hashed on the calling thread: the hop to a worker costs more. */
const INLINE_BELOW = 16 << 10;
/** Copies of in-memory bytes sent to workers and not yet done with: past this, callers wait. */
const MAX_COPIED_BYTES = 64 << 20;
/** Jobs posted and not yet answered: past this, callers wait. */
const MAX_PENDING_JOBS = 64;
const READ = 1 << 20;

/** Worker threads for byte work: INSTALLER_SBOM_THREADS, or one per core; 0 keeps all work here. */
export function workerCount(): number {
  const env = process.env.INSTALLER_SBOM_THREADS;
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  return availableParallelism();
}

export interface RunsFound {
  runs: StringRun[];
  count: number;
}

/**
 * Hashing and string scanning on a pool of worker threads, which read the bytes themselves from
 * the source's backing (a file's extents, or a copy of in-memory bytes). A source without a
 * backing, a small one, or a process without workers does the work on the calling thread, with
 * the same code. Busy time is added to the stage each call names.
 */
export class ByteWork {
  private static shared: ByteWork | undefined;
  private readonly pool: WorkerPool<ByteJob, ByteReply> | undefined;
  private copied = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(threads = workerCount()) {
    this.pool = threads > 0 ? new WorkerPool<ByteJob, ByteReply>(new URL('./byte-worker.js', import.meta.url), threads) : undefined;
  }

  static get(): ByteWork {
    ByteWork.shared ??= new ByteWork();
    return ByteWork.shared;
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
  async strings(src: ByteSource, range: Range, where: string, from: number, keep: StringFilter | undefined, stage: Stage): Promise<RunsFound> {
    const reply = await (await this.start(src, { kind: 'strings', range, where, from, ...(keep ? { keep: keep.spec } : {}) }, stage, keep)).reply;
    if (reply.kind !== 'strings') throw new Error('unexpected reply');
    return { runs: Array.isArray(reply.runs) ? reply.runs : unpackRuns(reply.runs, where), count: reply.count };
  }

  /** Does the job here, or posts it to a worker; resolves once `src` is no longer needed. */
  private async start(src: ByteSource, spec: JobSpec, stage: Stage, keep?: StringFilter): Promise<{ reply: Promise<ByteReply> }> {
    const consumer = consumerFor(spec, keep);
    const bytes = consumer.ranges.reduce((n, [a, b]) => n + (b - a), 0);
    const backing = this.pool && bytes >= INLINE_BELOW ? src.backing?.() : undefined;
    if (!this.pool || backing === undefined) {
      const t0 = performance.now();
      for (const [a, b] of consumer.ranges) {
        for (let o = a; o < b; o += READ) consumer.push(await readExactly(src, o, Math.min(READ, b - o), 'bytes to hash'));
      }
      const reply = { ...consumer.finish(), ms: performance.now() - t0 };
      addStageTime(stage, reply.ms);
      return { reply: Promise.resolve(reply) };
    }
    const { sent, transfer, copied } = forSending(backing, consumer.ranges);
    this.copied += copied;
    const reply = this.pool.run({ ...spec, backing: sent } as ByteJob, transfer).then(
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

  private wake(): void {
    for (const w of this.waiting.splice(0)) w();
  }
}

/**
 * A backing a worker can use: file extents as they are; of in-memory pieces only the part the
 * ranges cover, copied out (posting a view would copy its whole underlying buffer) and transferred.
 */
function forSending(backing: Backing, ranges: readonly Range[]): { sent: Backing; transfer: Transferable[]; copied: number } {
  if ('path' in backing) return { sent: backing, transfer: [], copied: 0 };
  const lo = Math.min(...ranges.map((r) => r[0]));
  const hi = Math.max(...ranges.map((r) => r[1]));
  const part = backingSlice(backing, lo, hi - lo) as { chunks: Uint8Array[] };
  // A copy of exactly the view (Buffer.prototype.slice would share the memory instead).
  const chunks = part.chunks.map((c) => new Uint8Array(c));
  return { sent: { chunks, at: lo }, transfer: chunks.map((c) => c.buffer as ArrayBuffer), copied: hi - lo };
}
