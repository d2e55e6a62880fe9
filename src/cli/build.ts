import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, UsageError } from '../errors.js';
import { buildSbom, type BuildOptions, type BuildOutput } from '../build-sbom.js';
import { formatStageTimings, timeStage, timingsEnabled } from '../stage-timings.js';
import { loadKnownBuildTables } from './known-builds.js';
import { createProgress } from './progress.js';
import { toCycloneDxJson } from '../sbom/cyclonedx.js';
import { formatGateTable } from '../sbom/gate.js';
import { toCanonicalJson } from '../sbom/spdx-json.js';
import { LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs, single, supplierFrom, type ParsedArgs } from './args.js';
import { writeAtomically } from './output.js';
import { printComponents } from './summary.js';
import { isArtifactName } from '../unpack/registry.js';

export const BUILD_HELP = `Usage: installer-sbom build <artifact>... [options]

Unpacks each artifact (installer, archive, directory or bare binary), inspects every binary,
detects third-party components with evidence and writes one SPDX 2.3 JSON SBOM per artifact.

Options:
  -o, --output FILE        where to write the SBOM (one artifact only;
                           default <artifact>.spdx.json beside the artifact)
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
                           (every installer and archive format we read), in parallel
  --jobs N                 parallel builds for --batch (default: the number of cores)
  --format FORMAT          spdx-json (default) or cyclonedx-json (CycloneDX 1.6; default
                           output <artifact>.cdx.json)
  --json                   print a machine-readable result instead of the summary
  --quiet                  print nothing but errors
${LIMITS_HELP}

SOURCE_DATE_EPOCH, when set, fixes creationInfo.created: same input, same bytes.
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

export interface BuildResult {
  artifact: string;
  /** Undefined when the gate failed and --write-on-failure was not given. */
  output?: string;
  cpythonVersion?: string;
  components: { name: string; version: string; files: string[] }[];
  valid: boolean;
  validationErrors: string[];
  gate: { passed: boolean; findings: BuildOutput['gate'] } | null;
}

export async function buildCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  if (args.positionals.length === 0) throw new UsageError('build needs at least one artifact');
  const output = single(args, '--output');
  if (output && (args.positionals.length > 1 || args.flags.has('--batch'))) throw new UsageError('-o/--output needs exactly one artifact');
  if (args.flags.has('--write-on-failure') && !args.flags.has('--gate')) throw new UsageError('--write-on-failure only makes sense with --gate');
  if (args.flags.has('--batch')) return batch(args, argv);

  const format = single(args, '--format') ?? 'spdx-json';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const options = await buildOptions(args);
  const results: BuildResult[] = [];
  for (const artifact of args.positionals) {
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
    const target = resolve(output ?? `${artifact.replace(/[\\/]+$/, '')}${extension}`);
    const content = () => (format === 'cyclonedx-json' ? toCycloneDxJson(out.analysis, options.supplier ? { supplier: options.supplier } : {}) : toCanonicalJson(out.doc));
    const write = !gated || gatePassed || args.flags.has('--write-on-failure');
    if (write) await timeStage('write', () => writeAtomically(target, content()));
    const result: BuildResult = {
      artifact,
      ...(write ? { output: target } : {}),
      ...(out.cpythonVersion ? { cpythonVersion: out.cpythonVersion } : {}),
      components: out.analysis.components.map((c) => ({ name: c.identity.name, version: c.version ?? 'NOASSERTION', files: c.carriers.map((x) => x.file) })),
      valid: out.validation.valid,
      validationErrors: out.validation.errors.map((e) => `${e.check}: ${e.element}: ${e.message}`),
      gate: gated || out.manifest ? { passed: gatePassed, findings: out.gate } : null,
    };
    results.push(result);
    if (!args.flags.has('--json') && !args.flags.has('--quiet')) report(out, result, gated);
    else if (args.flags.has('--quiet') && gated && !gatePassed) process.stdout.write(formatGateTable(out.gate));
  }
  if (args.flags.has('--json')) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  if (timingsEnabled()) process.stderr.write(`${formatStageTimings()}\n`);
  const gateFailed = args.flags.has('--gate') && results.some((r) => r.gate && !r.gate.passed);
  return results.every((r) => r.valid) && !gateFailed ? 0 : 1;
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

function report(out: BuildOutput, r: BuildResult, gated: boolean): void {
  const a = out.analysis;
  const files = a.files.filter((f) => f.kind === 'file' && !f.absent).length;
  const what = out.cpythonVersion ? ` (CPython ${out.cpythonVersion})` : '';
  process.stdout.write(`${a.artifactName}${what}: ${a.containers.length} container(s), ${files} file(s), ${a.components.length} component(s)\n`);
  printComponents(a);
  for (const rec of out.reconciliations) process.stdout.write(`  ${rec.status.padEnd(14)} ${rec.declared.pkg.name} ${rec.declared.pkg.versionInfo ?? ''}: ${rec.note}\n`);
  for (const [path, why] of a.inspectWarnings) process.stdout.write(`  note: ${path} not inspected: ${why}\n`);
  if (out.manifest) process.stdout.write(`manifest: ${out.manifest.manifest.product} ${out.manifest.manifest.series} ${out.manifest.manifest.platform} ${out.manifest.artifact.kind} ${out.manifest.artifact.arch}\n`);
  if (gated || out.gate.length > 0) process.stdout.write(formatGateTable(out.gate));
  process.stdout.write(r.output ? `SBOM: ${r.output}\n` : 'SBOM: not written (gate failed; --write-on-failure writes it anyway)\n');
  if (!r.valid) {
    process.stdout.write(`validation failed (${r.validationErrors.length} error(s)):\n`);
    for (const e of r.validationErrors.slice(0, 20)) process.stdout.write(`  ${e}\n`);
    if (r.validationErrors.some((e) => e.includes('supplier'))) process.stdout.write('  hint: pass --supplier "Organization: NAME" for the artifact itself\n');
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
    for (const name of (await readdir(dir)).sort()) if (isArtifactName(name)) artifacts.push(join(dir, name));
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
  const all: unknown[] = [];
  for (const r of results) {
    if (r.code === 0 || r.code === 1) {
      const parsed = JSON.parse(r.stdout) as BuildResult[];
      all.push(...parsed);
      if (!json && !args.flags.has('--quiet')) {
        for (const b of parsed) process.stdout.write(`${b.artifact}: ${b.components.length} component(s)${b.valid ? '' : ', INVALID'}${b.gate && !b.gate.passed ? ', gate FAILED' : ''} → ${b.output ?? 'not written'}\n`);
      }
    } else {
      process.stderr.write(r.stderr);
      all.push({ artifact: r.artifact, exitCode: r.code, error: r.stderr.trim() });
    }
  }
  if (json) process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
  return Math.max(0, ...results.map((r) => r.code));
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
