/**
 * A stand-in for pipeline-worker that misbehaves on purpose, chosen by the input's file name,
 * so harness.test.ts can show that each kind of finding is caught (the fuzzer can fail).
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { PipelineReply, PipelineRequest } from './pipeline-worker.js';

parentPort!.on('message', (req: PipelineRequest) => {
  const reply = (r: Omit<PipelineReply, 'id'>): void => parentPort!.postMessage({ id: req.id, ...r });
  switch (basename(req.path)) {
    case 'typeerror':
      reply({ outcome: 'bug', name: 'TypeError', message: "Cannot read properties of undefined (reading 'x')\n    at f (x.js:1:1)" });
      break;
    case 'hang':
      for (;;);
    case 'uncaught':
      setImmediate(() => {
        throw new RangeError('thrown from a stream callback');
      });
      break;
    case 'temp':
      mkdirSync(join(tmpdir(), 'installer-sbom-left'));
      reply({ outcome: 'ok' });
      break;
    case 'multiline':
      reply({ outcome: 'input', name: 'InputError', message: 'a.zip: bad\nsecond line' });
      break;
    default:
      reply({ outcome: 'input', name: 'InputError', message: 'a.zip: fine' });
  }
});
