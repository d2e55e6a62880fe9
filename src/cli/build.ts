import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { KnownBuild } from '../detect/engine.js';
import { analyzeArtifact, type Analysis } from '../pipeline.js';
import { composeSbom } from '../sbom/compose.js';
import { toCanonicalJson } from '../sbom/spdx-json.js';
import { validateSpdx, type ValidationReport } from '../sbom/validate.js';
import { LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs, single } from './args.js';
import { writeAtomically } from './output.js';
import { printComponents } from './summary.js';

export const BUILD_HELP = `Usage: installer-sbom build <artifact>... [options]

Unpacks each artifact (installer, zip, directory or bare binary), inspects every binary, detects
third-party components with evidence and writes one SPDX 2.3 JSON SBOM per artifact.

Options:
  -o, --output FILE        where to write the SBOM (one artifact only;
                           default <artifact>.spdx.json beside the artifact)
  --supplier "Organization: NAME"
                           supplier of the artifact itself, when the artifact does not state it
  --creator "Organization: NAME"   an extra creator (repeatable)
  --namespace URI          documentNamespace (default: derived from the artifact's SHA-256)
  --known-builds FILE      extra SHA-256 → component/version table (JSON, as data/known-builds.json)
  --source-sbom FILE       CPython source SBOM to extend (not implemented yet)
  --manifest FILE          platform manifest to check against (not implemented yet)
  --json                   print a machine-readable result instead of the summary
  --quiet                  print nothing but errors
${LIMITS_HELP}

SOURCE_DATE_EPOCH, when set, fixes creationInfo.created: same input, same bytes.
Exit codes: 0 written and valid, 1 written but validation failed, 2 usage, 3 bad input, 4 bug.`;

export interface BuildResult {
  artifact: string;
  output: string;
  components: { name: string; version: string; files: string[] }[];
  validation: ValidationReport;
}

export async function buildCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    '--output': { value: true, alias: '-o' },
    '--supplier': { value: true },
    '--creator': { value: true, repeat: true },
    '--namespace': { value: true },
    '--known-builds': { value: true, repeat: true },
    '--source-sbom': { value: true, repeat: true },
    '--manifest': { value: true },
    '--json': {},
    '--quiet': {},
    ...LIMIT_OPTIONS,
  });
  if (args.positionals.length === 0) throw new UsageError('build needs at least one artifact');
  const output = single(args, '--output');
  if (output && args.positionals.length > 1) throw new UsageError('-o/--output needs exactly one artifact');
  if (args.options.has('--source-sbom') || args.options.has('--manifest')) {
    throw new UsageError('--source-sbom and --manifest are not implemented yet (see issue #6)');
  }
  const supplier = single(args, '--supplier');
  if (supplier && !/^(Organization|Person): \S/.test(supplier)) throw new UsageError('--supplier must look like "Organization: NAME" or "Person: NAME"');
  const creators = args.options.get('--creator') ?? [];
  for (const c of creators) if (!/^(Organization|Person|Tool): \S/.test(c)) throw new UsageError(`--creator must look like "Organization: NAME": ${c}`);
  const knownBuilds = await loadKnownBuilds(args.options.get('--known-builds') ?? []);
  const limits = limitsFrom(args);

  const results: BuildResult[] = [];
  for (const artifact of args.positionals) {
    const analysis = await analyzeArtifact(artifact, { limits, knownBuilds });
    const doc = composeSbom(analysis, {
      ...(supplier ? { supplier } : {}),
      creators,
      ...(single(args, '--namespace') ? { namespace: single(args, '--namespace')! } : {}),
    });
    const validation = validateSpdx(doc);
    const target = resolve(output ?? `${artifact.replace(/[\\/]+$/, '')}.spdx.json`);
    await writeAtomically(target, toCanonicalJson(doc));
    results.push({ artifact, output: target, components: summarize(analysis), validation });
    if (!args.flags.has('--json') && !args.flags.has('--quiet')) report(analysis, target, validation);
  }
  if (args.flags.has('--json')) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  return results.every((r) => r.validation.valid) ? 0 : 1;
}

function summarize(a: Analysis): BuildResult['components'] {
  return a.components.map((c) => ({ name: c.identity.name, version: c.version ?? 'NOASSERTION', files: c.carriers.map((x) => x.file) }));
}

function report(a: Analysis, target: string, v: ValidationReport): void {
  const files = a.files.filter((f) => f.kind === 'file' && !f.absent).length;
  process.stdout.write(`${a.artifactName}: ${a.containers.length} container(s), ${files} file(s), ${a.components.length} component(s)\n`);
  printComponents(a);
  for (const [path, why] of a.inspectWarnings) process.stdout.write(`  note: ${path} not inspected: ${why}\n`);
  process.stdout.write(`SBOM: ${target}\n`);
  if (!v.valid) {
    process.stdout.write(`validation failed (${v.errors.length} error(s)):\n`);
    for (const e of v.errors.slice(0, 20)) process.stdout.write(`  ${e.check}: ${e.element}: ${e.message}\n`);
    if (v.errors.some((e) => e.message.includes('supplier'))) process.stdout.write('  hint: pass --supplier "Organization: NAME" for the artifact itself\n');
  }
}

async function loadKnownBuilds(paths: string[]): Promise<KnownBuild[]> {
  const builtIn = new URL('../../../data/known-builds.json', import.meta.url);
  const out: KnownBuild[] = [];
  for (const p of [builtIn, ...paths]) {
    let rows: unknown;
    try {
      rows = JSON.parse(await readFile(p, 'utf8'));
    } catch (err) {
      throw new InputError(`cannot read known-builds table: ${(err as Error).message}`, [String(p)]);
    }
    if (!Array.isArray(rows)) throw new InputError('known-builds table must be a JSON array', [String(p)]);
    for (const r of rows as KnownBuild[]) {
      if (typeof r?.sha256 !== 'string' || typeof r.componentId !== 'string' || typeof r.version !== 'string') {
        throw new InputError('known-builds rows need sha256, componentId, version, source', [String(p)]);
      }
      out.push(r);
    }
  }
  return out;
}
