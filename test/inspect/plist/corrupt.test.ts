/** Hostile and broken property lists: readPlist throws InputError, never anything else, never hangs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { readPlist } from '../../../src/inspect/plist/index.js';
import { InputError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/fixtures.js';
import { debianPython, requireTool } from '../../helpers/tools.js';
import { PLIST_SRC, plistlibToBinary } from '../../fixtures-build/plist.js';

function rejects(bytes: Uint8Array, what: string): void {
  assert.throws(() => readPlist(bytes), (err) => err instanceof InputError, what);
}

/** A bplist00 of raw objects (1-byte refs, 2-byte offsets), laid out as CFBinaryPList does. */
function bplist(objects: number[][], top = 0, patch?: (trailer: Buffer) => void): Buffer {
  const parts = [Buffer.from('bplist00')];
  const offsets: number[] = [];
  let at = 8;
  for (const o of objects) {
    offsets.push(at);
    parts.push(Buffer.from(o));
    at += o.length;
  }
  const table = Buffer.alloc(objects.length * 2);
  offsets.forEach((o, i) => table.writeUInt16BE(o, i * 2));
  const trailer = Buffer.alloc(32);
  trailer[6] = 2;
  trailer[7] = 1;
  trailer.writeBigUInt64BE(BigInt(objects.length), 8);
  trailer.writeBigUInt64BE(BigInt(top), 16);
  trailer.writeBigUInt64BE(BigInt(at), 24);
  patch?.(trailer);
  return Buffer.concat([...parts, table, trailer]);
}

const KEY_K = [0x51, 0x6b]; // ASCII string "k"

test('binary plist builder sanity: a well-formed one reads', () => {
  assert.deepEqual(readPlist(bplist([[0xd1, 1, 2], KEY_K, [0x09]])), { k: true });
});

test('binary plist structure attacks', () => {
  rejects(bplist([[0xd1, 1, 0], KEY_K]), 'dict containing itself');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0xa1, 2]]), 'array containing itself');
  // 40 levels of arrays each referring twice to the next: 2^40 values as a tree.
  const dag: number[][] = [[0xd1, 1, 2], KEY_K];
  for (let i = 0; i < 40; i++) dag.push([0xa2, dag.length + 1, dag.length + 1]);
  dag.push([0x09]);
  rejects(bplist(dag), 'DAG expansion');
  const deep: number[][] = [[0xd1, 1, 2], KEY_K];
  for (let i = 0; i < 70; i++) deep.push([0xa1, deep.length + 1]);
  deep.push([0x09]);
  rejects(bplist(deep), 'nesting deeper than 64');
  rejects(bplist([[0xd1, 1, 9], KEY_K]), 'ref past the object count');
  rejects(bplist([[0xd1, 2, 2], KEY_K, [0x09]]), 'non-string dict key');
  rejects(bplist([[0xa1, 1], [0x09]]), 'array root');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x70]]), 'unknown marker');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x5f, 0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]]), 'string length past the object area');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x6f, 0x12, 0x7f, 0xff, 0xff, 0xff]]), 'utf-16 length past the object area');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x13, 0, 0]]), 'integer cut short');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x09]], 0, (t) => (t[6] = 0)), 'offset size 0');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x09]], 0, (t) => (t[7] = 9)), 'ref size 9');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x09]], 0, (t) => t.writeBigUInt64BE(1n << 60n, 8)), 'object count huge');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x09]], 0, (t) => t.writeBigUInt64BE(5n, 16)), 'top object past the count');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x09]], 0, (t) => t.writeBigUInt64BE(2n, 24)), 'offset table inside the header');
  rejects(bplist([[0xd1, 1, 2], KEY_K, [0x33, 0x7f, 0xf0, 0, 0, 0, 0, 0, 0]]), 'infinite date');
  rejects(Buffer.from('bplist00'), 'header only');
});

test('truncated and randomly damaged binary plists', async (t) => {
  if (!requireTool(t, debianPython)) return;
  const dir = await tempDir(t, 'isbom-plist-bad-');
  const bin = join(dir, 'Info.bplist');
  plistlibToBinary(join(PLIST_SRC, 'Info.plist'), bin);
  const good = await readFile(bin);
  for (let cut = 0; cut < good.length; cut += 7) rejects(good.subarray(0, cut), `cut at ${cut}`);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { minLength: 1, maxLength: 6 }), (edits) => {
      const b = Buffer.from(good);
      for (const [at, v] of edits) b[at] = v;
      try {
        readPlist(b);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
      }
    }),
    { numRuns: 2000 },
  );
});

test('XML plist attacks and malformed XML', async () => {
  const x = (body: string, prolog = ''): Uint8Array =>
    new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n${prolog}<plist version="1.0">${body}</plist>`);
  const laughs = '<!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa">' + Array.from({ length: 8 }, (_, i) => `<!ENTITY ${'b'.repeat(i + 1)} "${`&${i === 0 ? 'a' : 'b'.repeat(i)};`.repeat(10)}">`).join('') + ']>';
  try {
    const got = readPlist(x('<dict><key>k</key><string>&bbbbbbbb;</string></dict>', laughs));
    assert.ok(String(got.k).length <= 100_000, 'entity expansion is bounded');
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
  }
  rejects(x('<dict><key>k</key><string>&e;</string></dict>', '<!DOCTYPE plist [<!ENTITY e SYSTEM "file:///etc/passwd">]>'), 'external entity');
  rejects(x('<array><true/></array>'), 'array root');
  rejects(x('<dict><key>k</key></dict>'), 'key without value');
  rejects(x('<dict><string>v</string><string>w</string></dict>'), 'value where a key belongs');
  rejects(x('<dict><key>k</key><integer>12abc</integer></dict>'), 'bad integer');
  rejects(x('<dict><key>k</key><real>one</real></dict>'), 'bad real');
  rejects(x('<dict><key>k</key><date>yesterday</date></dict>'), 'bad date');
  rejects(x('<dict><key>k</key><data>!!</data></dict>'), 'bad base64');
  rejects(x('<dict><key>k</key><blob/></dict>'), 'unknown element');
  rejects(x('<dict><key>k</key><string>a<b/></string></dict>'), 'element inside a string');
  rejects(x('<dict/><dict/>'), 'two roots');
  rejects(x(`<dict><key>k</key>${'<array>'.repeat(100)}${'</array>'.repeat(100)}</dict>`), 'deep nesting');
  rejects(new TextEncoder().encode('<?xml version="1.0"?><html/>'), 'no plist element');
  rejects(new TextEncoder().encode('<?xml version="1.0"?><plist><dict><key>k</'), 'truncated XML');
  const good = await readFile(join(PLIST_SRC, 'Info.plist'));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(good.length - 1), fc.constantFrom(...'<>/&;!"x \n'.split('').map((c) => c.charCodeAt(0)))), { minLength: 1, maxLength: 6 }), (edits) => {
      const b = Buffer.from(good);
      for (const [at, v] of edits) b[at] = v;
      try {
        readPlist(b);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
      }
    }),
    { numRuns: 500 },
  );
});
