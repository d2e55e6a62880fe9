/** readPlist against CPython's plistlib, on a hand-written Info.plist and random nested plists. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPlist, readPlist } from '../../../src/inspect/plist/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { debianPython, requireTool } from '../../helpers/tools.js';
import { PLIST_SRC, plistlibRandom, plistlibRead, plistlibToBinary } from '../../fixtures-build/plist.js';

/** Key order as well as values: plist dicts are ordered in the file. */
function orderOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(orderOf);
  if (v !== null && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, orderOf(x)]);
  return typeof v === 'bigint' ? `${v}n` : v;
}

function sameAsOracle(got: unknown, expected: unknown, label: string): void {
  assert.deepEqual(got, expected, label);
  assert.deepEqual(orderOf(got), orderOf(expected), `${label}: key order`);
}

test('Info.plist, XML and binary, reads as plistlib reads it', async (t) => {
  if (!requireTool(t, debianPython)) return;
  const dir = await tempDir(t, 'isbom-plist-');
  const xml = join(PLIST_SRC, 'Info.plist');
  const bin = join(dir, 'Info.bplist');
  plistlibToBinary(xml, bin);
  const expected = plistlibRead(xml);
  for (const file of [xml, bin]) {
    const bytes = await readFile(file);
    assert.equal(isPlist(bytes.subarray(0, 64)), true, file);
    const got = readPlist(bytes);
    sameAsOracle(got, expected, file);
    // Text stays text: no number parsing of version strings, no trimming.
    assert.equal(got.CFBundleShortVersionString, '1.10');
    assert.equal(got.Padded, '  two spaces  ');
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  }
  assert.deepEqual(plistlibRead(bin), expected);
});

test('random nested plists (unicode, dates, data, big integers) match plistlib in both formats', async (t) => {
  if (!requireTool(t, debianPython)) return;
  const dir = await tempDir(t, 'isbom-plist-rand-');
  for (const seed of [1, 2, 3]) {
    const sub = join(dir, String(seed));
    await import('node:fs/promises').then((fs) => fs.mkdir(sub));
    plistlibRandom(seed, sub);
    for (let n = 0; n < 10; n++) {
      for (const ext of ['xml', 'bin']) {
        const file = join(sub, `${n}.${ext}`);
        const bytes = await readFile(file);
        assert.equal(isPlist(bytes.subarray(0, 64)), true, file);
        sameAsOracle(readPlist(bytes), plistlibRead(file), `seed ${seed} ${n}.${ext}`);
      }
    }
  }
});

test('isPlist says no to other XML and to non-XML', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  assert.equal(isPlist(enc('<?xml version="1.0"?><installer-gui-script/>')), false);
  assert.equal(isPlist(enc('\ufeff  <?xml version="1.0"?>\n<plist version="1.0"><dict/></plist>')), true);
  assert.equal(isPlist(enc('<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "x">')), true);
  assert.equal(isPlist(enc('hello <plist>')), false);
  assert.equal(isPlist(enc('bplist0')), false);
  assert.equal(isPlist(enc('bplist00')), true);
});
