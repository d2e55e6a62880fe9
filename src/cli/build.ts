import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { buildBom, type BuildOptions, type BuildOutput } from '../build.js';
import { formatGateTable } from '../gate/gate.js';
import { isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../serialize/index.js';
import { validateText } from '../validate/index.js';
import { formatStageTimings, timeStage, timingsEnabled } from '../stage-timings.js';
import { loadKnownBuildTables } from './known-builds.js';
import { createProgress } from './progress.js';
import { checkSourceDateEpoch, LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs, single, supplierFrom, type ParsedArgs } from './args.js';
import { isStdout, STDOUT, writeOutput } from './output.js';
import { errorResult, printJsonReport, type BuildResult, type JsonReport } from './json-result.js';
import { exitCodeOf, reportFailure } from './failure.js';
import { buildWarnings, componentRows, printComponents } from './summary.js';
import { isArtifactName } from '../unpack/registry.js';

export const BUILD_HELP = `Usage: installer-sbom build <artifact>... [options]

Unpacks each artifact (installer, archive, directory or bare binary), inspects every binary,
detects third-party components with evidence and writes one SBOM per artifact: SPDX 2.3 JSON
(default), SPDX 3.0.1 JSON-LD or CycloneDX 1.6 JSON, all from one resolved model.

Options:
  -o, --output FILE        where to write the SBOM (one artifact only; default
                           <artifact>.spdx.json beside the artifact; - for standard output,
                           the summary then goes to standard error). A regular file is replaced
                           whole or not at all; a read-only one is refused; a device or FIFO
                           (/dev/stdout) is written into
  --supplier "Organization: NAME"
                           supplier of the artifact itself, when the artifact does not state it
  --creator "Organization: NAME (email)"
                           an extra creator (repeatable); BSI TR-03183-2 asks its email or URL
  --namespace URI          documentNamespace (default: derived from the artifact's SHA-256; for
                           CPython artifacts CPython's <download URL>.spdx.json)
  --known-builds FILE      extra SHA-256 → component/version table (JSON, as data/known-builds.json)
  --source-sbom FILE       CPython source SBOM to extend (repeatable): Python-X.Y.Z.tgz.spdx.json,
                           Misc/sbom.spdx.json, Misc/externals.spdx.json
  --manifest FILE          platform manifest (default: chosen from platform-manifests/ by the
                           artifact's name, for CPython artifacts)
  --gate                   exit 1 when a shipped version contradicts the declaration, no platform
                           manifest describes the artifact, a required component or file is
                           missing, or an unexpected third-party component appears
  --write-on-failure       with --gate: write the SBOM even when the gate fails
  --batch                  each argument is a release directory: build every artifact in it
                           (every installer and archive format we read), in parallel
  --jobs N                 parallel builds for --batch (default: the number of cores)
  --format FORMAT          spdx-json (SPDX 2.3, default, <artifact>.spdx.json), spdx3-json
                           (SPDX 3.0.1 JSON-LD, <artifact>.spdx3.json), cyclonedx-json
                           (CycloneDX 1.6, <artifact>.cdx.json) or cyclonedx-1.7-json
  --strict                 exit 1 when there is any warning (a known unknown, a missing supplier)
  --json                   print one JSON document instead of the summary: a result per
                           artifact, written or failed (schemaVersion 1; see the README)
  --quiet                  print nothing but errors
${LIMITS_HELP}

SOURCE_DATE_EPOCH, when set, fixes the creation time: same input, same bytes. A value that is
not a whole number of seconds is a usage error.
What could not be seen (unopened containers, undecodable members, undated components) and weak
fields (no supplier) are warnings on stderr and in --json: the SBOM states them as known unknowns.
Exit codes: 0 written (and the gate held, with --gate); 1 the gate failed, or --strict and a
warning; 2 usage; 3 bad input; 4 bug.`;

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
  '--strict': {},
  ...LIMIT_OPTIONS,
};

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
  if (!isOutputFormat(format)) throw new UsageError(`--format must be one of ${Object.keys(OUTPUT_FORMATS).join(', ')}`);
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

async function buildOne(artifact: string, args: ParsedArgs, options: BuildOptions, formatName: OutputFormat, output: string | undefined, human: NodeJS.WritableStream): Promise<BuildResult> {
  const progress = createProgress(artifact);
  let out: BuildOutput;
  try {
    out = await buildBom(artifact, { ...options, onFile: progress.onFile });
  } finally {
    progress.done();
  }
  const format = OUTPUT_FORMATS[formatName];
  const gated = args.flags.has('--gate');
  const target = output ?? `${artifact.replace(/[\\/]+$/, '')}${format.extension}`;
  const text = await timeStage('write', async () => format.write(out.bom));
  const validation = validateText(text, basename(target));
  // Our own document failing its schema or integrity checks is a bug, not a finding about the artifact.
  const broken = validation.errors.filter((e) => e.check !== 'ntia');
  if (broken.length > 0) throw new Error(`the ${format.format} document written for ${artifact} is invalid: ${broken[0]!.check} ${broken[0]!.element}: ${broken[0]!.message}`);
  const write = !gated || out.gate.passed || args.flags.has('--write-on-failure');
  const written = write ? await writeOutput(target, text) : undefined;
  const warnings = buildWarnings(out, validation);
  const result: BuildResult = {
    artifact,
    status: written ? 'written' : 'not-written',
    exitCode: (gated && !out.gate.passed) || (args.flags.has('--strict') && warnings.length > 0) ? 1 : 0,
    ...(written ? { output: written } : {}),
    format: formatName,
    ...(out.cpython ? { cpythonVersion: out.cpython.version } : {}),
    components: componentRows(out.bom),
    gate: gated ? out.gate : null,
    warnings,
  };
  if (!args.flags.has('--json') && !args.flags.has('--quiet')) report(out, result, gated, human);
  else if (args.flags.has('--quiet') && gated && !out.gate.passed) human.write(formatGateTable(out.gate));
  if (!args.flags.has('--json')) for (const w of warnings) process.stderr.write(`warning: ${artifact}: ${w.where ? `${w.where}: ` : ''}${w.message}\n`);
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
  const bom = out.bom;
  const what = out.cpython ? ` (CPython ${out.cpython.version})` : '';
  human.write(`${out.analysis.artifactName}${what}: ${bom.containers.length + 1} container(s), ${bom.files.length} file(s), ${bom.components.length} component(s)\n`);
  printComponents(bom, human);
  for (const o of out.outcomes) human.write(`  ${o.status.padEnd(14)} ${o.name} ${o.declared}: ${o.note}\n`);
  if (gated) {
    if (out.gate.manifest) human.write(`manifest: ${out.gate.manifest.product} ${out.gate.manifest.series} ${out.gate.manifest.platform} ${out.gate.manifest.kind} ${out.gate.manifest.arch}\n`);
    human.write(formatGateTable(out.gate));
  }
  human.write(r.output === STDOUT ? 'SBOM: written to standard output\n' : r.output ? `SBOM: ${r.output}\n` : 'SBOM: not written (gate failed; --write-on-failure writes it anyway)\n');
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
    for (const name of (await readdir(dir)).sort()) if (isArtifactName(name)) artifacts.push(join(dir, name));
  }
  const passOn = stripBatchArgs(argv, new Set(args.positionals));
  // The children run the CLI this process runs (the bundle, or the compiled tree).
  const cli = process.argv[1]!;
  // With as many children as cores the cores are busy already; worker threads in each child only
  // add isolates to switch between and memory (measured on 18 installers, 2 cores: 12.9 s and
  // 356 MB peak with the default, 11.8 s and 302 MB without).
  const threads = process.env.INSTALLER_SBOM_THREADS ?? String(jobs >= availableParallelism() ? 0 : Math.floor(availableParallelism() / jobs));
  const env = { ...process.env, INSTALLER_SBOM_THREADS: threads };
  const results: { artifact: string; code: number; stdout: string; stderr: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < artifacts.length) {
      const artifact = artifacts[next++]!;
      results.push(await runChild(cli, ['build', artifact, ...passOn, '--json'], artifact, env));
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
      process.stdout.write(`${b.artifact}: ${b.components.length} component(s)${b.warnings.length > 0 ? `, ${b.warnings.length} warning(s)` : ''}${b.gate && !b.gate.passed ? ', gate FAILED' : ''} → ${b.output ?? 'not written'}\n`);
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

function runChild(cli: string, args: string[], artifact: string, env: NodeJS.ProcessEnv): Promise<{ artifact: string; code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => res({ artifact, code: code ?? 4, stdout, stderr }));
  });
}
