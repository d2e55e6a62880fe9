/**
 * The lengths a pattern anchored at both ends can match, against the regular expression engine
 * itself: the range's ends are matched by examples, and no random text, nor an example grown or
 * cut by a character, that the pattern matches lies outside it. Patterns that can match part of
 * a text, or use syntax the reader does not know, have no range.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wholeMatchLengths } from '../../src/inspect/pattern-length.js';
import { seededRandom } from '../helpers/random.js';

/** [source, flags, range, its shortest match, its longest match (when bounded)] */
const CASES: [string, string, [number, number], string, string?][] = [
  ['^(?<version>[2-9]\\.\\d{1,2}\\.\\d{1,2})$', '', [5, 7], '2.0.1', '9.10.11'],
  ['^(?<version>3\\.\\d{1,2}\\.\\d{1,3}(?:(?:a|b|rc)\\d{1,2})?)\\+?$', '', [5, 13], '3.1.2', '3.12.100rc10+'],
  ['^a-$|^(?:b|cc)-$', 'm', [2, 3], 'a-', 'cc-'],
  ['^\\d{2,}x?$', '', [2, Infinity], '12'],
  ['^(?=\\d)\\d\\b.?$', '', [1, 2], '1', '1.'],
  ['^[\\]a-]{1,3}$', 'i', [1, 3], ']', 'A-]'],
  ['^a{2}{$', '', [3, 3], 'aa{', 'aa{'],
  ['^(?<key>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [0-9a-f]{56,64}(?:alt\\d)?)$', '', [76, 88], `2024-01-01 10:00:00 ${'a'.repeat(56)}`, `2024-01-01 10:00:00 ${'a'.repeat(64)}alt2`],
];

test('a pattern anchored at both ends has the lengths the engine matches', () => {
  const rnd = seededRandom(3);
  const alphabet = '0123456789..-+abcrtx{]A ';
  for (const [source, flags, expected, shortest, longest] of CASES) {
    const range = wholeMatchLengths(source, flags);
    assert.deepEqual(range && [range.min, range.max], expected, source);
    const re = new RegExp(source, flags);
    // The ends are reached: the engine matches texts of exactly those lengths.
    assert.ok(re.test(shortest) && shortest.length === range!.min, `${source}: ${shortest}`);
    if (longest !== undefined) assert.ok(re.test(longest) && longest.length === range!.max, `${source}: ${longest}`);
    // And nothing outside: random texts, and the examples grown or cut by one character.
    const texts = [shortest.slice(1), `${shortest}0`, ...(longest ? [`${longest}0`, `0${longest}`, longest.slice(0, -1)] : [])];
    for (let k = 0; k < 20000; k++) {
      let t = '';
      for (let len = Math.floor(rnd() * 16); t.length < len; ) t += alphabet[Math.floor(rnd() * alphabet.length)];
      texts.push(t);
    }
    for (const t of texts) if (re.test(t)) assert.ok(t.length >= range!.min && t.length <= range!.max, `${source} matches ${JSON.stringify(t)}`);
  }
});

test('patterns that can match part of a text, or unknown syntax, have no range', () => {
  for (const [source, flags] of [
    ['^3\\.\\d+', ''],
    ['\\d\\.\\d$', ''],
    ['^a$|b', ''],
    ['^(?:^|x)a$', ''],
    ['^(a)\\1$', ''],
    ['^\\u{41}$', ''],
    ['^.$', 'u'],
    ['^(?i:a)$', ''],
    ['^a)$', ''],
    ['^[ab$', ''],
    ['', ''],
  ] as const) {
    assert.equal(wholeMatchLengths(source, flags), undefined, source);
  }
});
