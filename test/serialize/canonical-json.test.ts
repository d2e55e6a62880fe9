import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson } from '../../src/serialize/canonical-json.js';
import { writeSpdx23 } from '../../src/serialize/spdx2.js';
import { writeSpdx3 } from '../../src/serialize/spdx3.js';
import { writeCycloneDx } from '../../src/serialize/cyclonedx.js';
import { addComponent, addFile, emptyBom } from '../helpers/bom.js';

test('canonical JSON: keys sorted at every level, lists sorted by their text, undefined dropped, two-space indent, final newline', () => {
  const text = canonicalJson({ b: [3, 1, 2], a: { d: undefined, c: [{ z: 1, y: 'x' }, { y: 'a' }] } });
  // Written by hand: "a" before "b"; [1,2,3]; {"y":"a"} sorts before {"y":"x","z":1} as text.
  const expected = ['{', '  "a": {', '    "c": [', '      {', '        "y": "a"', '      },', '      {', '        "y": "x",', '        "z": 1', '      }', '    ]', '  },', '  "b": [', '    1,', '    2,', '    3', '  ]', '}', ''].join('\n');
  assert.equal(text, expected);
});

test('canonical JSON: list order is by serialised form, so the same members in any order give the same bytes', () => {
  assert.equal(canonicalJson(['b', 'a', 'c']), canonicalJson(['c', 'b', 'a']));
  assert.equal(canonicalJson(['b', 'a', 'c']), '[\n  "a",\n  "b",\n  "c"\n]\n');
  // Nested objects are normalised before they are compared, so key order inside a member does not matter either.
  assert.equal(canonicalJson([{ b: 1, a: 2 }]), canonicalJson([{ a: 2, b: 1 }]));
  assert.equal(canonicalJson([{ b: 1, a: 2 }]), '[\n  {\n    "a": 2,\n    "b": 1\n  }\n]\n');
  assert.equal(canonicalJson(null), 'null\n');
  assert.equal(canonicalJson('x'), '"x"\n');
});

/** The same model with its lists in reverse order: a writer that does not sort writes other bytes. */
function twoOrders() {
  const a = emptyBom();
  addFile(a, 'a.dll');
  addFile(a, 'b.dll');
  addComponent(a, 'zlib', 'zlib', '1.3.1');
  addComponent(a, 'expat', 'expat', '2.6.3');
  const b = structuredClone(a);
  b.files.reverse();
  b.components.reverse();
  b.relationships.reverse();
  return [a, b] as const;
}

test('every writer: the same model gives byte-identical output, whatever order its lists are in', () => {
  const [a, b] = twoOrders();
  for (const write of [writeSpdx23, writeSpdx3, (x: typeof a) => writeCycloneDx(x, '1.6')]) {
    assert.equal(write(a), write(structuredClone(a)));
    assert.equal(write(a), write(b));
  }
});

test('SPDX 2.3 output is canonical: the files list is in sorted order in the text', () => {
  const [a] = twoOrders();
  const text = writeSpdx23(a);
  assert.ok(text.indexOf('"./a.dll"') < text.indexOf('"./b.dll"'));
  assert.ok(text.endsWith('}\n'));
  // Top-level keys sorted: SPDXID < creationInfo < dataLicense < … < spdxVersion (code-unit order).
  const keys = [...text.matchAll(/^ {2}"([^"]+)":/gm)].map((m) => m[1]);
  assert.deepEqual(keys, [...keys].sort());
});
