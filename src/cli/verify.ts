import { basename } from 'node:path';
import { CheckFailed, UsageError } from '../errors.js';
import { readBomFile } from '../bom/read/index.js';
import { verifyArtifact, type VerifyResult } from '../compare/verify.js';
import { LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs } from './args.js';
import { loadKnownBuildTables } from './known-builds.js';
import { createProgress } from './progress.js';

export const VERIFY_HELP = `Usage: installer-sbom verify <artifact> <sbom> [options]

Re-derives everything from the artifact (unpack, inspect, detect) and compares it with what the
SBOM (SPDX 2.3, SPDX 3.0.1 or CycloneDX) states: every file as a multiset of (path, digest)
(SHA-512, SHA-256 or SHA-1), every container package, every component and its version (matched
by name, CPE product or purl name), and the artifact's own checksum.
SBOMs from other tools are accepted, including CPython's metadata-only Windows SBOMs (no files):
what they do state is checked, and what could not be checked is listed.

Options:
  --json                   print the result as JSON
  --known-builds FILE      extra SHA-256 → component/version table (as build)
${LIMITS_HELP}

Exit codes: 0 the SBOM matches the artifact, 1 it does not (each difference is listed),
2 usage, 3 unreadable artifact or SBOM, 4 bug.`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, '--known-builds': { value: true, repeat: true }, ...LIMIT_OPTIONS });
  if (args.positionals.length !== 2) throw new UsageError('verify needs an artifact and an SBOM');
  const [artifact, sbomPath] = args.positionals as [string, string];
  const stated = (await readBomFile(sbomPath)).view;
  const knownBuilds = await loadKnownBuildTables(args.options.get('--known-builds') ?? []);
  const progress = createProgress('verify');
  let result: VerifyResult;
  try {
    ({ result } = await verifyArtifact(artifact, stated, { limits: limitsFrom(args), knownBuilds, onFile: progress.onFile }));
  } finally {
    progress.done();
  }
  if (args.flags.has('--json')) {
    process.stdout.write(`${JSON.stringify({ artifact, sbom: sbomPath, ...result }, null, 2)}\n`);
    return result.ok ? 0 : 1;
  }
  const c = result.checked;
  const what = [`${c.files} file(s)`, `${c.containers} container(s)`, `${c.components} component(s)`, c.rootChecksum ? 'the artifact checksum' : undefined].filter(Boolean);
  process.stdout.write(`checked: ${what.join(', ')}\n`);
  for (const f of result.findings) process.stdout.write(`  ${f.message}\n`);
  if (result.unchecked.length > 0) {
    process.stdout.write('not checked:\n');
    for (const u of result.unchecked) process.stdout.write(`  ${u}\n`);
  }
  if (!result.ok) throw new CheckFailed(`${basename(sbomPath)} does not match ${basename(artifact)}: ${result.findings.length} difference(s)`);
  process.stdout.write(`${basename(sbomPath)} matches ${basename(artifact)}${result.unchecked.length > 0 ? ` (${result.unchecked.length} statement(s) not checkable)` : ''}\n`);
  return 0;
}
