import { closeSync, openSync, readSync } from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import type { Backing } from '../io/byte-source.js';
import { filterFor, type StringFilter, type StringFilterSpec } from '../inspect/string-filter.js';
import { scanStrings } from '../inspect/strings.js';
import type { StringRun } from '../inspect/types.js';

/** [from, to) in the source's own offsets. */
export type Range = readonly [number, number];

/**
 * Work on the bytes of one source that a worker can do from its backing alone: digests of byte
 * ranges, digests of each page of a range (Mach-O code signatures), the string runs of a window.
 */
export type ByteJob =
  | { kind: 'digest'; backing: Backing; ranges: Range[]; algorithms: string[] }
  | { kind: 'pages'; backing: Backing; range: Range; pageSize: number; algorithm: string }
  | { kind: 'strings'; backing: Backing; range: Range; where: string; from: number; keep?: StringFilterSpec; count: boolean };

export type ByteReply =
  | { kind: 'digest'; digests: Record<string, Uint8Array>; ms: number }
  | { kind: 'pages'; digests: Uint8Array; ms: number }
  | { kind: 'strings'; runs: StringRun[] | PackedRuns; count?: number; ms: number }
  | { kind: 'failed'; message: string; ms: number };

/**
 * String runs of one window as a few flat values: a structured clone of a hundred thousand run
 * objects costs the receiving thread more than finding them did. All runs share the job's `where`.
 */
export interface PackedRuns {
  /** Every run's text, one after the other. */
  text: string;
  /** Where each run's text ends in `text`. */
  ends: Uint32Array;
  offsets: Float64Array;
  /** 1 for UTF-16LE. */
  wide: Uint8Array;
}

export function packRuns(runs: readonly StringRun[]): PackedRuns {
  const ends = new Uint32Array(runs.length);
  const offsets = new Float64Array(runs.length);
  const wide = new Uint8Array(runs.length);
  let at = 0;
  runs.forEach((r, i) => {
    at += r.text.length;
    ends[i] = at;
    offsets[i] = r.offset;
    wide[i] = r.encoding === 'utf16le' ? 1 : 0;
  });
  return { text: runs.map((r) => r.text).join(''), ends, offsets, wide };
}

export function unpackRuns(p: PackedRuns, where: string): StringRun[] {
  const out: StringRun[] = new Array(p.ends.length);
  let start = 0;
  for (let i = 0; i < p.ends.length; i++) {
    const end = p.ends[i]!;
    out[i] = { offset: p.offsets[i]!, text: p.text.slice(start, end), encoding: p.wide[i] === 1 ? 'utf16le' : 'ascii', where };
    start = end;
  }
  return out;
}

const READ = 1 << 20;

/**
 * Buffers a worker reuses from job to job (jobs run one at a time, synchronously). Fresh ones for
 * every job were garbage the workers' collector got to late, since they allocate little else:
 * on an MSI holding node.exe twice the two workers added 300 MB to the peak RSS.
 */
const scratch: { read?: Buffer; window?: Uint8Array } = {};

function scratchOf(key: 'read' | 'window', size: number): Uint8Array {
  const have = scratch[key];
  if (have && have.length >= size) return have;
  const fresh = Buffer.allocUnsafe(Math.max(size, have ? have.length * 2 : 0));
  scratch[key] = fresh;
  return fresh;
}

/** Calls `sink` with the bytes of [from, to) of the backing, in order, in reads of at most 1 MiB. */
export function eachChunk(backing: Backing, range: Range, sink: (chunk: Uint8Array) => void): void {
  const [from, to] = range;
  if ('chunks' in backing) {
    let pos = backing.at ?? 0;
    for (const c of backing.chunks) {
      const a = Math.max(from, pos);
      const b = Math.min(to, pos + c.length);
      for (let o = a; o < b; o += READ) sink(c.subarray(o - pos, Math.min(b, o + READ) - pos));
      pos += c.length;
      if (pos >= to) break;
    }
    return;
  }
  const fd = openSync(backing.path, 'r');
  try {
    const buf = scratchOf('read', READ);
    let pos = 0;
    for (const e of backing.extents) {
      const a = Math.max(from, pos);
      const b = Math.min(to, pos + e.len);
      for (let o = a; o < b; ) {
        const want = Math.min(buf.length, b - o);
        const got = readSync(fd, buf, 0, want, e.at + (o - pos));
        if (got <= 0) throw new Error(`short read of ${backing.path} at ${e.at + (o - pos)}`);
        sink(buf.subarray(0, got));
        o += got;
      }
      pos += e.len;
      if (pos >= to) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** What a job needs to see of its source: its ranges, then chunk by chunk in order. */
export interface ByteConsumer {
  readonly ranges: readonly Range[];
  push(chunk: Uint8Array): void;
  /** The reply once every byte of the ranges was pushed (`ms` filled in by the caller). */
  finish(): ByteReply;
}

/** A job without its backing (what the caller asks for). */
export type JobSpec = ByteJob extends infer J ? (J extends { backing: Backing } ? Omit<J, 'backing'> : never) : never;

/** The ranges of its source a job reads, in order. */
export function rangesOf(job: JobSpec): readonly Range[] {
  return job.kind === 'digest' ? job.ranges : [job.range];
}

/**
 * The consumer that does `job`; `keep` is a strings job's filter, already built on this thread.
 * `reuse`: the job runs alone and synchronously (on a worker), so its window may be scratch memory.
 */
export function consumerFor(job: JobSpec, keep?: StringFilter, reuse = false): ByteConsumer {
  switch (job.kind) {
    case 'digest': {
      const hashes: [string, Hash][] = job.algorithms.map((a) => [a, createHash(a)]);
      return {
        ranges: rangesOf(job),
        push: (c) => hashes.forEach(([, h]) => h.update(c)),
        finish: () => ({ kind: 'digest', digests: Object.fromEntries(hashes.map(([a, h]) => [a, h.digest()])), ms: 0 }),
      };
    }
    case 'pages': {
      const digests: Buffer[] = [];
      let hash = createHash(job.algorithm);
      let filled = 0;
      return {
        ranges: rangesOf(job),
        push(chunk) {
          let p = 0;
          while (p < chunk.length) {
            const take = Math.min(job.pageSize - filled, chunk.length - p);
            hash.update(chunk.subarray(p, p + take));
            filled += take;
            p += take;
            if (filled === job.pageSize) {
              digests.push(hash.digest());
              hash = createHash(job.algorithm);
              filled = 0;
            }
          }
        },
        finish() {
          if (filled > 0) digests.push(hash.digest());
          return { kind: 'pages', digests: Buffer.concat(digests), ms: 0 };
        },
      };
    }
    case 'strings': {
      const size = job.range[1] - job.range[0];
      const window = reuse ? scratchOf('window', size).subarray(0, size) : new Uint8Array(size);
      let at = 0;
      return {
        ranges: rangesOf(job),
        push(chunk) {
          window.set(chunk, at);
          at += chunk.length;
        },
        finish() {
          const runs: StringRun[] = [];
          const filter = keep ?? (job.keep ? filterFor(job.keep) : undefined);
          const count = scanStrings(window.subarray(0, at), job.range[0], job.where, runs, { from: job.from, count: job.count, ...(filter ? { keep: filter } : {}) });
          return { kind: 'strings', runs, ...(count !== undefined ? { count } : {}), ms: 0 };
        },
      };
    }
  }
}

/** Runs one job on this thread from its backing (what a pool worker does with each message). */
export function runByteJob(job: ByteJob): ByteReply {
  const t0 = performance.now();
  try {
    const consumer = consumerFor(job, undefined, true);
    for (const r of consumer.ranges) eachChunk(job.backing, r, (c) => consumer.push(c));
    const reply = consumer.finish();
    if (reply.kind === 'strings' && Array.isArray(reply.runs)) reply.runs = packRuns(reply.runs);
    return { ...reply, ms: performance.now() - t0 };
  } catch (err) {
    return { kind: 'failed', message: err instanceof Error ? err.message : String(err), ms: performance.now() - t0 };
  }
}
