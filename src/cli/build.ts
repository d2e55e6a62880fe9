import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, UsageError } from '../errors.js';
import { buildSbom, type BuildOptions, type BuildOutput } from '../build-sbom.js';
import { formatStageTimings, timeStage, timingsEnabled } from '../stage-timings.js';
import { loadKnownBuildTables } from './known-builds.js';
import { createProgress } from './progress.js';
import { toCycloneDxJson } from '../sbom/cyclonedx.js';
import { formatGateTable } from '../sbom/gate.js';
import { toCanonicalJson } from '../sbom/spdx-json.js';
import { checkSourceDateEpoch, LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs, single, supplierFrom, type ParsedArgs } from './args.js';
import { isStdout, STDOUT, writeOutput } from './output.js';
import { errorResult, printJsonReport, type BuildResult, type JsonReport } from './json-result.js';
import { exitCodeOf, reportFailure } from './failure.js';
import { printComponents } from './summary.js';

export const BUILD_HELP = `Usage: installer-sbom build <artifact>... [options]

Unpacks each artifact (installer, archive, directory or bare binary), inspects every binary,
detects third-party components with evidence and writes one SPDX 2.3 JSON SBOM per artifact.

Options:
  -o, --output FILE        where to write the SBOM (one artifact only; default
                           <artifact>.spdx.json beside the artifact; - for standard output,
                           the summary then goes to standard error). A regular file is replaced
                           whole or not at all; a read-only one is refused; a device or FIFO
                           (/dev/stdout) is written into
  --supplier "Organization: NAME"
                           supplier of the artifact itself, when the artifact does not state it
  --creator "Organization: NAME"   an extra creator (repeatable)
  --namespace URI          documentNamespace (default: derived from the artifact's SHA-256; for
                           CPython artifacts CPython's <download URL>.spdx.json)
  --known-builds FILE      extra SHA-256 → component/version table (JSON, as data/known-builds.json)
  --source-sbom FILE       CPython source SBOM to extend (repeatable): Python-X.Y.Z.tgz.spdx.json,
                           Misc/sbom.spdx.json, Misc/externals.spdx.json
  --manifest FILE          platform manifest (default: chosen from platform-manifests/ by the
                           artifact's name, for CPython artifacts)
  --gate                   exit 1 when a required component is missing, an unexpected third-party
                           binary appears or a shipped version contradicts the declaration
  --write-on-failure       with --gate: write the SBOM even when the gate fails
  --batch                  each argument is a release directory: build every artifact in it
                           (.exe .msi .zip .pkg .nupkg), in parallel
  --jobs N                 parallel builds for --batch (default: the number of cores)
  --format FORMAT          spdx-json (default) or cyclonedx-json (CycloneDX 1.6; default
                           output <artifact>.cdx.json)
  --json                   print one JSON document instead of the summary: a result per
                           artifact, written or failed (schemaVersion 1; see the README)
  --quiet                  print nothing but errors
${LIMITS_HELP}

SOURCE_DATE_EPOCH, when set, fixes creationInfo.created: same input, same bytes. A value that
is not a whole number of seconds is a usage error.
Exit codes: 0 written, valid and gate held; 1 validation or gate failed; 2 usage; 3 bad input; 4 bug.`;

const OPTIONS = {
  '--output': { value: true, alias: '-o' },
  '--supplier': { value: true },
  '--creator': { value: true, repeat: true },
  '--namespace': { value: true },
  '--known-builds': { value: true, repeat: true },
  '--source-sbom': { value: true, repeat: true },
  '--manifest': { value: true },
  '--gate': {},
  '--write-on-failure': {},
  '--batch': {},
  '--jobs': { value: true },
  '--format': { value: true },
  '--json': {},
  '--quiet': {},
  ...LIMIT_OPTIONS,
};

const FORMATS = ['spdx-json', 'cyclonedx-json'] as const;

const RELEASE_ARTIFACT = /\.(?:exe|msi|zip|pkg|nupkg)$/i;

export async function buildCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length === 0) throw new UsageError('build needs at least one artifact');
  checkSourceDateEpoch();
  const output = single(args, '--output');
  if (output && (args.positionals.length > 1 || args.flags.has('--batch'))) throw new UsageError('-o/--output needs exactly one artifact');
  if (isStdout(output) && args.flags.has('--json')) throw new UsageError('-o - and --json both want standard output; choose one');
  if (args.flags.has('--write-on-failure') && !args.flags.has('--gate')) throw new UsageError('--write-on-failure only makes sense with --gate');
  if (args.flags.has('--batch')) return batch(args, argv);

  const format = single(args, '--format') ?? 'spdx-json';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const options = await buildOptions(args);
  // With `-o -` the document owns standard output; what people read goes to standard error.
  const human = isStdout(output) ? process.stderr : process.stdout;
  const results: BuildResult[] = [];
  let bug: unknown;
  for (const artifact of args.positionals) {
    try {
      results.push(await buildOne(artifact, args, options, format, output, human));
    } catch (err) {
      // One artifact failing does not hide the others' results; a bug still ends in main's report.
      results.push(errorResult(artifact, err));
      if (exitCodeOf(err) === 4) bug ??= err;
      else reportFailure(err, false);
    }
  }
  if (args.flags.has('--json')) printJsonReport('build', results);
  if (timingsEnabled()) process.stderr.write(`${formatStageTimings()}\n`);
  if (bug) throw bug;
  return Math.max(0, ...results.map((r) => r.exitCode));
}

async function buildOne(artifact: string, args: ParsedArgs, options: BuildOptions, format: string, output: string | undefined, human: NodeJS.WritableStream): Promise<BuildResult> {
  const progress = createProgress(artifact);
  let out: BuildOutput;
  try {
    out = await buildSbom(artifact, { ...options, onFile: progress.onFile });
  } finally {
    progress.done();
  }
  const gated = args.flags.has('--gate');
  const gatePassed = out.gate.length === 0;
  const extension = format === 'cyclonedx-json' ? '.cdx.json' : '.spdx.json';
  const target = output ?? `${artifact.replace(/[\\/]+$/, '')}${extension}`;
  const content = () => (format === 'cyclonedx-json' ? toCycloneDxJson(out.analysis, options.supplier ? { supplier: options.supplier } : {}) : toCanonicalJson(out.doc));
  const write = !gated || gatePassed || args.flags.has('--write-on-failure');
  const written = write ? await timeStage('write', () => writeOutput(target, content())) : undefined;
  const result: BuildResult = {
    artifact,
    status: written ? 'written' : 'not-written',
    exitCode: out.validation.valid && (!gated || gatePassed) ? 0 : 1,
    ...(written ? { output: written } : {}),
    format,
    ...(out.cpythonVersion ? { cpythonVersion: out.cpythonVersion } : {}),
    components: out.analysis.components.map((c) => ({ name: c.identity.name, version: c.version ?? 'NOASSERTION', files: c.carriers.map((x) => x.file) })),
    valid: out.validation.valid,
    validationErrors: out.validation.errors.map((e) => `${e.check}: ${e.element}: ${e.message}`),
    gate: gated || out.manifest ? { passed: gatePassed, findings: out.gate } : null,
    warnings: [...out.analysis.inspectWarnings].map(([where, why]) => ({ kind: 'not-inspected', message: `not inspected: ${why}`, where })),
  };
  if (!args.flags.has('--json') && !args.flags.has('--quiet')) report(out, result, gated, human);
  else if (args.flags.has('--quiet') && gated && !gatePassed) human.write(formatGateTable(out.gate));
  return result;
}

async function buildOptions(args: ParsedArgs): Promise<BuildOptions> {
  const supplier = supplierFrom(args);
  const creators = args.options.get('--creator') ?? [];
  for (const c of creators) if (!/^(Organization|Person|Tool): \S/.test(c)) throw new UsageError(`--creator must look like "Organization: NAME": ${c}`);
  const namespace = single(args, '--namespace');
  const manifest = single(args, '--manifest');
  return {
    limits: limitsFrom(args),
    knownBuilds: await loadKnownBuildTables(args.options.get('--known-builds') ?? []),
    creators,
    ...(supplier ? { supplier } : {}),
    ...(namespace ? { namespace } : {}),
    ...(manifest ? { manifestPath: manifest } : {}),
    sourceSboms: args.options.get('--source-sbom') ?? [],
  };
}

function report(out: BuildOutput, r: BuildResult, gated: boolean, human: NodeJS.WritableStream): void {
  const a = out.analysis;
  const files = a.files.filter((f) => f.kind === 'file' && !f.absent).length;
  const what = out.cpythonVersion ? ` (CPython ${out.cpythonVersion})` : '';
  human.write(`${a.artifactName}${what}: ${a.containers.length} container(s), ${files} file(s), ${a.components.length} component(s)\n`);
  printComponents(a, human);
  for (const rec of out.reconciliations) human.write(`  ${rec.status.padEnd(14)} ${rec.declared.pkg.name} ${rec.declared.pkg.versionInfo ?? ''}: ${rec.note}\n`);
  for (const [path, why] of a.inspectWarnings) human.write(`  note: ${path} not inspected: ${why}\n`);
  if (out.manifest) human.write(`manifest: ${out.manifest.manifest.product} ${out.manifest.manifest.series} ${out.manifest.manifest.platform} ${out.manifest.artifact.kind} ${out.manifest.artifact.arch}\n`);
  if (gated || out.gate.length > 0) human.write(formatGateTable(out.gate));
  human.write(r.output === STDOUT ? 'SBOM: written to standard output\n' : r.output ? `SBOM: ${r.output}\n` : 'SBOM: not written (gate failed; --write-on-failure writes it anyway)\n');
  if (!r.valid) {
    human.write(`validation failed (${r.validationErrors.length} error(s)):\n`);
    for (const e of r.validationErrors.slice(0, 20)) human.write(`  ${e}\n`);
    if (r.validationErrors.some((e) => e.includes('supplier'))) human.write('  hint: pass --supplier "Organization: NAME" for the artifact itself\n');
  }
}

/** One child process per artifact, N at a time: artifacts are independent and CPU-bound. */
async function batch(args: ParsedArgs, argv: string[]): Promise<number> {
  const jobsRaw = single(args, '--jobs');
  const jobs = jobsRaw ? Number(jobsRaw) : availableParallelism();
  if (!Number.isSafeInteger(jobs) || jobs < 1) throw new UsageError('--jobs needs a positive integer');
  const artifacts: string[] = [];
  for (const dir of args.positionals) {
    const st = await stat(dir).catch(() => undefined);
    if (!st?.isDirectory()) throw new InputError('--batch needs release directories', [dir]);
    for (const name of (await readdir(dir)).sort()) if (RELEASE_ARTIFACT.test(name)) artifacts.push(join(dir, name));
  }
  const passOn = stripBatchArgs(argv, new Set(args.positionals));
  const cli = fileURLToPath(new URL('../../bin/installer-sbom.js', import.meta.url));
  const results: { artifact: string; code: number; stdout: string; stderr: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < artifacts.length) {
      const artifact = artifacts[next++]!;
      results.push(await runChild(cli, ['build', artifact, ...passOn, '--json'], artifact));
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, artifacts.length) }, worker));
  results.sort((a, b) => (a.artifact < b.artifact ? -1 : 1));
  const json = args.flags.has('--json');
  const all: BuildResult[] = [];
  for (const r of results) {
    process.stderr.write(r.stderr);
    const parsed = childResults(r);
    all.push(...parsed);
    if (json || args.flags.has('--quiet')) continue;
    for (const b of parsed) {
      if (b.status === 'error') continue;
      process.stdout.write(`${b.artifact}: ${b.components.length} component(s)${b.valid ? '' : ', INVALID'}${b.gate && !b.gate.passed ? ', gate FAILED' : ''} → ${b.output ?? 'not written'}\n`);
    }
  }
  if (json) printJsonReport('build', all);
  return Math.max(0, ...all.map((r) => r.exitCode));
}

/** A child's own --json results; a child that died before printing them is an internal error. */
function childResults(r: { artifact: string; code: number; stdout: string; stderr: string }): BuildResult[] {
  try {
    return (JSON.parse(r.stdout) as JsonReport<BuildResult>).results;
  } catch {
    const last = r.stderr.trim().split('\n').pop()?.replace(/^installer-sbom: /, '') ?? '';
    return [errorResult(r.artifact, new Error(last || `the build process exited with code ${r.code} and printed nothing`), r.code === 0 ? 4 : r.code)];
  }
}

function stripBatchArgs(argv: string[], dirs: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--batch' || a === '--json' || a === '--quiet' || dirs.has(a)) continue;
    if (a === '--jobs') {
      i++;
      continue;
    }
    if (a.startsWith('--jobs=')) continue;
    out.push(a);
  }
  return out;
}

function runChild(cli: string, args: string[], artifact: string): Promise<{ artifact: string; code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => res({ artifact, code: code ?? 4, stdout, stderr }));
  });
}
