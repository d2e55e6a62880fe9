import { parentPort } from 'node:worker_threads';
import { runByteJob, type ByteJob, type ByteReply } from './byte-jobs.js';
import type { PoolReply } from './worker-pool.js';

/** Worker side of ByteWork's pool: runs each job it is sent and posts the reply back. */
parentPort?.on('message', (m: { id: number; request: ByteJob | ByteJob[] }) => {
  // A batch of small jobs comes as one message and goes back as one.
  const reply = Array.isArray(m.request) ? m.request.map(runByteJob) : runByteJob(m.request);
  // Replies are copied, not transferred: small Buffers share a pooled ArrayBuffer.
  parentPort!.postMessage({ id: m.id, reply } satisfies PoolReply<ByteReply | ByteReply[]>);
});
