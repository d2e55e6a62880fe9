import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/fixtures.js';
import { applyMutations, fieldCandidates } from './mutate.js';
import { PipelineRunner, problemOf } from './harness.js';

test('fuzz runner: a TypeError, a hang, an uncaught async error, a multi-line message are findings', { timeout: 60_000 }, async (t) => {
  const dir = await tempDir(t);
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const runner = new PipelineRunner(tmp, 1500, new URL('./misbehaving-worker.js', import.meta.url));
  t.after(() => runner.close());
  const outcome = async (name: string) => {
    writeFileSync(join(dir, name), '');
    return runner.run(join(dir, name));
  };
  assert.equal(problemOf(await outcome('fine')), undefined);
  assert.equal(problemOf(await outcome('typeerror')), 'bug');
  assert.equal(problemOf(await outcome('hang')), 'hang');
  // The runner starts a fresh worker after terminating the hung one.
  assert.equal(problemOf(await outcome('fine')), undefined);
  assert.equal(problemOf(await outcome('uncaught')), 'crash');
  assert.match(problemOf(await outcome('multiline')) ?? '', /several lines/);
  assert.equal((await outcome('temp')).outcome, 'ok');
});

test('mutations: truncation, inflation and redirection change the bytes they name', () => {
  const seed = Buffer.alloc(64);
  seed.writeUInt32LE(40, 8);
  assert.ok(fieldCandidates(seed).some((f) => f.at === 8 && !f.be));
  assert.equal(applyMutations(seed, [{ kind: 'truncate', at: 10 }]).length, 10);
  assert.equal(applyMutations(seed, [{ kind: 'inflate', at: 8, width: 4, be: false, value: 0xffffffff }]).readUInt32LE(8), 0xffffffff);
  assert.equal(applyMutations(seed, [{ kind: 'redirect', at: 8, width: 4, be: true, target: 'past' }]).readUInt32BE(8), 64 + 4096);
  assert.equal(applyMutations(seed, [{ kind: 'redirect', at: 8, width: 4, be: false, target: 'self' }]).readUInt32LE(8), 8);
  assert.equal(seed.readUInt32LE(8), 40, 'the seed itself is never changed');
});
