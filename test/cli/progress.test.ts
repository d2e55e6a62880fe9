import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../src/cli/progress.js';
import type { FileNode } from '../../src/unpack/walk.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { out: string } {
  const s = { isTTY, columns: 60, out: '', write(chunk: string) { s.out += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { out: string };
}

const file = (path: string, size: number): FileNode => ({ path, container: '', chain: [path], kind: 'file', size });

test('progress draws nothing when stderr is not a TTY', () => {
  const s = fakeStream(false);
  const p = createProgress('build', { stream: s });
  p.onFile(file('a.dll', 10));
  p.done();
  assert.equal(s.out, '');
});

test('progress on a TTY: one throttled line with counts and the current file, cleared at the end', () => {
  const s = fakeStream(true);
  let now = 0;
  const p = createProgress('build', { stream: s, intervalMs: 100, now: () => now });
  p.onFile(file('a.dll', 2048));
  now = 50;
  p.onFile(file('b.dll', 2048)); // within the interval: not drawn
  now = 200;
  p.onFile(file(`${'deep/'.repeat(30)}c.dll`, 1024));
  const frames = s.out.split('\r\x1b[2K').filter(Boolean);
  assert.equal(frames.length, 2);
  assert.match(frames[0]!, /^build \[.*\] 1 file\(s\), 2\.0 KiB, 0s a\.dll$/);
  assert.match(frames[1]!, /3 file\(s\), 5\.0 KiB/);
  assert.ok(frames[1]!.length <= 59, 'fits the terminal width');
  assert.match(frames[1]!, /…[a-z/]*\/c\.dll$/);
  p.done();
  assert.ok(s.out.endsWith('\r\x1b[2K'));
});
