/** `inspect` shows signatures: a signer line per binary, the facts in --json, chains with --trust-roots. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildPeFixtures, peBuildTools } from '../../fixtures-build/pe.js';
import { makeTestCa, signingTools, signPe } from '../../fixtures-build/signing.js';
import { runCli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool } from '../../helpers/tools.js';

test('inspect prints the signer, --json carries the signature facts, --trust-roots judges the chain', async (t) => {
  if (![...peBuildTools, ...signingTools].every((tool) => requireTool(t, tool))) return;
  const dir = await tempDir(t);
  const ca = makeTestCa(join(dir, 'ca'));
  const dll = await signPe(buildPeFixtures(dir).x64, { ca, commonName: 'Python Software Foundation', programName: 'LibFFI for Python (libffi-3.4.4)', out: join(dir, 'libffi-8.dll') });

  const human = runCli(['inspect', dll]);
  assert.equal(human.status, 0, human.stderr);
  assert.match(human.stdout, /authenticode signature: "Python Software Foundation", valid digest, sha256, program "LibFFI for Python \(libffi-3\.4\.4\)"/);

  const json = runCli(['inspect', '--json', '--trust-roots', ca.cert, dll]);
  assert.equal(json.status, 0, json.stderr);
  const file = (JSON.parse(json.stdout) as { files: { facts?: { pe?: { signatures?: { programName: string; chain: string; status: string }[] } } }[] }).files[0]!;
  assert.deepEqual(
    file.facts!.pe!.signatures!.map((s) => [s.programName, s.status, s.chain]),
    [['LibFFI for Python (libffi-3.4.4)', 'valid-digest', 'trusted']],
  );

  writeFileSync(join(dir, 'empty.pem'), 'no certificates here\n');
  const bad = runCli(['inspect', '--trust-roots', join(dir, 'empty.pem'), dll]);
  assert.equal(bad.status, 3);
  assert.match(bad.stderr, /no PEM certificate found/);
});
