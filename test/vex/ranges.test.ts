import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateEntry } from '../../src/vex/ranges.js';
import { parseGitTags } from '../../src/vex/git-tags.js';
import type { AdvisoryRange, AffectedEntry, RangeEvent } from '../../src/vex/osv.js';

function entry(ranges: AdvisoryRange[], extra: Partial<AffectedEntry> = {}): AffectedEntry {
  return { purls: [], cpes: [], names: ['x'], repos: [], ranges, versions: [], ...extra };
}
const semver = (...events: RangeEvent[]) => entry([{ type: 'SEMVER', events }]);
const status = (e: AffectedEntry, v: string) => evaluateEntry(e, v).status;

// The examples of the OSV schema ("Examples" section), with the answers its evaluation pseudo-code gives.
test('OSV example "unfixed vulnerability": introduced 0 affects every version', () => {
  const e = semver({ introduced: '0' });
  for (const v of ['0.0.1', '1.0.0', '99.0.0']) assert.equal(status(e, v), 'affected', v);
});

test('OSV example "fixed vulnerability": everything before 1.0.2', () => {
  const e = semver({ introduced: '0' }, { fixed: '1.0.2' });
  assert.equal(status(e, '1.0.1'), 'affected');
  assert.equal(status(e, '1.0.2'), 'fixed');
  assert.equal(status(e, '2.0.0'), 'fixed');
  const affected = evaluateEntry(e, '1.0.0');
  assert.ok(affected.status === 'affected' && affected.remedy === 'update to 1.0.2 or later', JSON.stringify(affected));
});

test('OSV example "multiple ranges": [1.0.0, 1.0.2) and [3.0.0, 3.2.5)', () => {
  const e = semver({ introduced: '1.0.0' }, { fixed: '1.0.2' }, { introduced: '3.0.0' }, { fixed: '3.2.5' });
  assert.equal(status(e, '0.9.0'), 'not_affected', 'before every range');
  assert.equal(status(e, '1.0.0'), 'affected');
  assert.equal(status(e, '1.0.1'), 'affected');
  assert.equal(status(e, '1.0.2'), 'fixed');
  assert.equal(status(e, '1.0.9'), 'fixed', 'later on the 1.0 line, after its fix');
  assert.equal(status(e, '2.0.0'), 'not_affected', 'between the ranges, on a line the fix was not released on');
  assert.equal(status(e, '3.2.4'), 'affected');
  assert.equal(status(e, '3.2.5'), 'fixed');
  assert.equal(status(e, '4.0.0'), 'fixed', 'after the last fix, no range opens again');
});

test('OSV example "last_affected vs fixed": 2.1.214 is the last affected version', () => {
  const e = entry([{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '2.1.214' }] }]);
  assert.equal(status(e, '2.1.214'), 'affected');
  assert.equal(status(e, '2.1.215'), 'not_affected', 'above last_affected: unaffected, but no fix is claimed');
  const fixed = semver({ introduced: '0' }, { fixed: '2.1.214' });
  assert.equal(status(fixed, '2.1.214'), 'fixed');
});

test('limit events bound the range (BeforeLimits)', () => {
  const e = semver({ introduced: '1.0.0' }, { limit: '2.0.0' });
  assert.equal(status(e, '1.5.0'), 'affected');
  assert.equal(status(e, '2.0.0'), 'not_affected');
  assert.equal(status(semver({ introduced: '1.0.0' }, { limit: '*' }), '9.0.0'), 'affected', '"*" is infinity');
});

test('explicit versions lists: affected when listed (IncludedInVersions), in the upstream order', () => {
  const e = entry([], { versions: ['8.6.11'] });
  assert.equal(status(e, '8.6.11'), 'affected');
  assert.equal(status(e, '8.6.11.0'), 'affected', 'the four-part tag names the same release');
  assert.equal(status(e, '8.6.14'), 'not_affected');
  assert.equal(status(entry([]), '1.0'), 'unknown', 'an entry naming no versions at all proves nothing');
});

test('OpenSSL branches: fixes on one line say nothing about another', () => {
  // CVE-2025-9230 as the OpenSSL advisory states it: 3.1 (end of life) is not named.
  const e = entry([{ type: 'ECOSYSTEM', events: [{ introduced: '1.1.1' }, { fixed: '1.1.1zd' }, { introduced: '3.0.0' }, { fixed: '3.0.18' }, { introduced: '3.2.0' }, { fixed: '3.2.6' }] }]);
  assert.equal(status(e, '1.1.1w'), 'affected');
  assert.equal(status(e, '1.1.1zd'), 'fixed');
  assert.equal(status(e, '3.0.15'), 'affected');
  assert.equal(status(e, '3.0.20'), 'fixed', 'same release line as the fix 3.0.18');
  assert.equal(status(e, '3.1.5'), 'not_affected', '3.1 branched before 3.0.18: not "fixed"');
  assert.equal(status(e, '3.3.0'), 'fixed');
});

test('ECOSYSTEM ranges of ecosystems with their own version order are not evaluated', () => {
  const e = entry([{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.15-1~deb12u1' }] }], { ecosystem: 'Debian:12' });
  assert.equal(status(e, '3.0.11-1~deb12u2'), 'unknown');
  const pypi = entry([{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '24.0' }] }], { ecosystem: 'PyPI' });
  assert.equal(status(pypi, '23.2.1'), 'affected');
  assert.equal(status(pypi, '24.2'), 'fixed');
});

const A = 'a'.repeat(40);
const FIX_MAIN = '1'.repeat(40);
const FIX_BACKPORT = '2'.repeat(40);
const TAG = 'f'.repeat(40);

function gitEntry(events: RangeEvent[], versions: string[] = []): AffectedEntry {
  return entry([{ type: 'GIT', repo: 'https://github.com/python/cpython', events }], { versions, repos: ['github.com/python/cpython'] });
}

function tags(contains: string[], lacks: string[]) {
  return [parseGitTags({ repo: 'https://github.com/python/cpython.git', tags: { 'v3.13.0': { commit: TAG, contains, lacks } } }, 'tags.json')];
}

test('GIT ranges: affected when the tag contains an introduced commit and no fixed commit', () => {
  const e = gitEntry([{ introduced: '0' }, { fixed: FIX_MAIN }, { fixed: FIX_BACKPORT }]);
  assert.equal(evaluateEntry(e, '3.13.0', tags([], [FIX_MAIN, FIX_BACKPORT])).status, 'affected');
  assert.equal(evaluateEntry(e, '3.13.0', tags([FIX_BACKPORT], [FIX_MAIN])).status, 'fixed', 'a backported fix counts');
  const partial = evaluateEntry(e, '3.13.0', tags([], [FIX_MAIN]));
  assert.equal(partial.status, 'unknown', 'a fix commit the map does not record is not guessed');
  assert.match(partial.detail, /does not record whether tag v3\.13\.0 .* contains 222222222222/);
  const introduced = gitEntry([{ introduced: A }, { fixed: FIX_MAIN }]);
  assert.equal(evaluateEntry(introduced, '3.13.0', tags([], [A, FIX_MAIN])).status, 'not_affected', 'the bug came later');
  assert.equal(evaluateEntry(introduced, '3.13.0', tags([A], [FIX_MAIN])).status, 'affected');
  assert.equal(evaluateEntry(introduced, '3.13.0', tags([A, FIX_MAIN], [])).status, 'fixed');
});

test('GIT ranges: without a tag map, or without the tag, the advisory is not evaluable', () => {
  const e = gitEntry([{ introduced: '0' }, { fixed: FIX_MAIN }]);
  assert.match(evaluateEntry(e, '3.13.0').detail, /needs a tag map/);
  assert.equal(evaluateEntry(e, '3.12.0', tags([], [FIX_MAIN])).status, 'unknown');
  // A versions list copied from tags is no substitute for the range when the range cannot be evaluated.
  assert.equal(evaluateEntry(gitEntry([{ introduced: '0' }, { fixed: FIX_MAIN }], ['v3.12.0']), '3.13.0').status, 'unknown');
  assert.equal(evaluateEntry(gitEntry([{ introduced: '0' }, { fixed: FIX_MAIN }], ['3.13.0']), '3.13.0').status, 'affected');
  assert.equal(evaluateEntry(gitEntry([{ introduced: '0' }, { limit: FIX_MAIN }]), '3.13.0', tags([FIX_MAIN], [])).status, 'unknown', 'limit needs descendants');
});

test('a tag map that contradicts itself is malformed input naming the file', () => {
  assert.throws(() => tags([A], [A]), (err: Error) => err.name === 'InputError' && /tags\.json/.test((err as unknown as { describe(): string }).describe()));
  assert.throws(() => parseGitTags({ repo: 'x', tags: { v1: { commit: 'abc', contains: [], lacks: [] } } }, 'bad.json'), /not a git tag map/);
});
