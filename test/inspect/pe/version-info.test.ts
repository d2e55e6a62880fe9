/** VS_VERSIONINFO edge cases that real files do not show: hostile keys, bad lengths. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../src/errors.js';
import { parseVersionInfo } from '../../../src/inspect/pe/index.js';

/** One node, laid out as the format says: header, UTF-16Z key, pad to 4, value, pad, children. */
function node(key: string, value: Uint8Array | string | undefined, children: Uint8Array[] = []): Uint8Array {
  const parts: number[] = [0, 0, 0, 0, 0, 0];
  for (const ch of key + '\0') parts.push(ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8);
  while (parts.length % 4) parts.push(0);
  let valueLength = 0;
  if (typeof value === 'string') {
    for (const ch of value + '\0') parts.push(ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8);
    valueLength = value.length + 1;
    parts[4] = 1;
  } else if (value) {
    parts.push(...value);
    valueLength = value.length;
  }
  for (const c of children) {
    while (parts.length % 4) parts.push(0);
    parts.push(...c);
  }
  parts[0] = parts.length & 0xff;
  parts[1] = parts.length >> 8;
  parts[2] = valueLength & 0xff;
  parts[3] = valueLength >> 8;
  return Uint8Array.from(parts);
}

test('a __proto__ key is plain data, not a prototype', () => {
  const b = node('VS_VERSION_INFO', undefined, [
    node('StringFileInfo', undefined, [node('__proto__', undefined, [node('__proto__', 'x'), node('ProductName', 'p')])]),
  ]);
  const info = parseVersionInfo(b);
  assert.equal(Object.getPrototypeOf(info.strings), Object.prototype);
  assert.ok(Object.prototype.hasOwnProperty.call(info.strings, '__proto__'));
  const table = Object.getOwnPropertyDescriptor(info.strings, '__proto__')!.value as Record<string, string>;
  assert.equal(Object.getOwnPropertyDescriptor(table, '__proto__')!.value, 'x');
  assert.equal(table.ProductName, 'p');
  assert.equal(({} as Record<string, unknown>).ProductName, undefined);
});

test('zero padding and lengths past the parent end stop the walk without error', () => {
  const good = node('VS_VERSION_INFO', undefined, [node('StringFileInfo', undefined, [node('040904b0', undefined, [node('A', 'a')])])]);
  const padded = new Uint8Array(good.length + 32);
  padded.set(good);
  padded[0] = padded.length & 0xff;
  padded[1] = padded.length >> 8;
  assert.deepEqual(parseVersionInfo(padded).strings, { '040904b0': { A: 'a' } });

  const longChild = good.slice();
  // StringFileInfo claims more bytes than the root holds: clamped to the root.
  longChild[40] = 0xff;
  longChild[41] = 0xff;
  assert.doesNotThrow(() => parseVersionInfo(longChild));
});

test('not a VS_VERSIONINFO, or too short', () => {
  assert.throws(() => parseVersionInfo(node('SOMETHING_ELSE', undefined)), InputError);
  assert.throws(() => parseVersionInfo(new Uint8Array(3)), InputError);
});
