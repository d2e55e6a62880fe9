import { parentPort } from 'node:worker_threads';
import { runByteJob, type ByteJob, type ByteReply } from './byte-jobs.js';
import type { PoolReply } from './worker-pool.js';

/** Worker side of ByteWork's pool: runs each job it is sent and posts the reply back. */
parentPort?.on('message', (m: { id: number; request: ByteJob }) => {
  // Replies are copied, not transferred: small Buffers share a pooled ArrayBuffer.
  parentPort!.postMessage({ id: m.id, reply: runByteJob(m.request) } satisfies PoolReply<ByteReply>);
});
