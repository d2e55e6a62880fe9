/**
 * Runs the whole unpack → inspect → detect pipeline on one file per message, in a worker thread
 * so that the fuzz runner can stop a hung or runaway input (terminate) without losing the test
 * process, and can see uncaught errors thrown from stream callbacks (the worker's 'error').
 */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../../src/errors.js';
import { analyzeArtifact } from '../../src/pipeline.js';
import type { Limits } from '../../src/unpack/limits.js';

export interface PipelineRequest {
  id: number;
  path: string;
  limits?: Partial<Limits>;
}

export interface PipelineReply {
  id: number;
  outcome: 'ok' | 'input' | 'bug';
  /** Error class name ('InputError', 'LimitError', 'TypeError' …). */
  name?: string;
  /** For InputErrors the one line the CLI prints; otherwise the message and stack. */
  message?: string;
  files?: number;
}

parentPort!.on('message', (req: PipelineRequest) => {
  void (async () => {
    let reply: PipelineReply;
    try {
      const a = await analyzeArtifact(req.path, req.limits ? { limits: req.limits } : {});
      reply = { id: req.id, outcome: 'ok', files: a.files.length };
    } catch (err) {
      if (err instanceof InputError) reply = { id: req.id, outcome: 'input', name: err.name, message: err.describe() };
      else {
        const e = err instanceof Error ? err : new Error(String(err));
        reply = { id: req.id, outcome: 'bug', name: e.name, message: `${e.message}\n${e.stack ?? ''}` };
      }
    }
    parentPort!.postMessage(reply);
  })();
});
