/**
 * A bare version constant glued to the data before it: @photostructure/sqlite 2.6.0's prebuilds
 * keep SQLite's `sqlite3_version[]` right after a table of 128 `@` bytes (Windows) or after `.?`
 * (macOS), and their source id is one no table of ours names. Every Windows and macOS prebuild is
 * dated, as one component, at the version the package's own sqlite3.h defines; the evidence points
 * at the version's bytes. file offsets are checked against the bytes themselves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bareVersion } from '../../src/detect/matchers.js';
import type { SpdxDocument } from '../../src/serialize/spdx2-types.js';
import { runCli } from '../helpers/cli.js';
import { npmFixture, requireFixture, tempDir } from '../helpers/fixtures.js';

test('a bare version after symbols is the version; after a letter, a digit, a space or a dot it is not', () => {
  const re = bareVersion('3\\.\\d{1,2}\\.\\d{1,2}');
  for (const text of ['3.53.4', `${'@'.repeat(128)}3.53.4`, '.?3.53.4', '"*3.1.2']) assert.equal(re.exec(text)?.groups?.['version'], /3\.\d+\.\d+$/.exec(text)![0], text);
  for (const text of ['v3.53.4', '13.53.4', 'SQLite 3.53.4', 'x.3.53.4', '?.3.53.4', '3.53.4a', `${'@'.repeat(300)}3.53.4`]) assert.equal(re.exec(text), null, text);
});

test('@photostructure/sqlite 2.6.0: every Windows and macOS prebuild is SQLite at its sqlite3.h version', async (t) => {
  const root = requireFixture(t, join(npmFixture('@photostructure/sqlite@2.6.0'), 'prebuilds'));
  if (!root) return;
  // Oracle: the amalgamation header the package ships and builds from.
  const header = readFileSync(join(root, '..', 'src', 'upstream', 'sqlite3.h'), 'utf8');
  const version = /^#define SQLITE_VERSION\s+"([^"]+)"/m.exec(header)![1]!;
  const out = join(await tempDir(t), 'prebuilds.spdx.json');
  const res = runCli(['build', root, '-o', out, '--supplier', 'Organization: Test']);
  assert.equal(res.status, 0, res.stderr);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as SpdxDocument;
  const sqlite = doc.packages!.filter((p) => p.name === 'SQLite');
  assert.deepEqual(sqlite.map((p) => p.versionInfo), [version], 'one SQLite, dated');
  const carriers = doc.relationships!.filter((r) => r.relatedSpdxElement === sqlite[0]!.SPDXID || r.spdxElementId === sqlite[0]!.SPDXID).map((r) => `${r.spdxElementId} ${r.relatedSpdxElement}`).join('\n');
  for (const platform of ['win32-x64', 'win32-arm64', 'darwin-arm64', 'darwin-x64']) assert.match(carriers, new RegExp(platform), platform);
  // The evidence's offsets hold the version, and the byte before it is no letter or digit.
  const evidence = [...(sqlite[0]!.comment ?? '').matchAll(/^- ([^:]+): string "([\d.]+)" at 0x([0-9a-f]+) \(/gm)];
  assert.ok(evidence.some((e) => e[1]!.startsWith('win32-')), sqlite[0]!.comment);
  for (const [, file, text, hex] of evidence) {
    const bytes: Buffer = readFileSync(join(root, file!));
    const at = parseInt(hex!, 16);
    assert.equal(bytes.toString('latin1', at, at + text!.length), version, file);
    assert.doesNotMatch(String.fromCharCode(bytes[at - 1]!), /[A-Za-z0-9]/, file);
  }
});
