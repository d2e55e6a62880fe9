import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { buildBom } from '../build.js';
import { readBomFile, viewOfBom, type ReadBom } from '../bom/read/index.js';
import { renderHtmlReport } from '../report/html.js';
import { renderMarkdownReport } from '../report/markdown.js';
import { reportData, type ReportExtras } from '../report/report-data.js';
import { toSpdx23 } from '../serialize/spdx2.js';
import { readVexFile } from '../vex/read.js';
import { validateDocument } from '../validate/index.js';
import { checkSourceDateEpoch, LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs, single, supplierFrom } from './args.js';
import { loadKnownBuildTables } from './known-builds.js';
import { STDOUT, writeOutput } from './output.js';
import { createProgress } from './progress.js';

export const REPORT_HELP = `Usage: installer-sbom report <artifact|sbom> [options]

One self-contained HTML page (no scripts, no network, no external assets): the container tree,
the components with versions, identifiers and evidence, validation results, file counts and
sizes. Given an artifact, its SBOM is built in memory first; given an SBOM (SPDX 2.3, SPDX 3.0.1
or CycloneDX), that is reported on.

Options:
  -o, --output FILE        write the report there (default, or -: standard output); as for build
  --markdown               Markdown instead of HTML (a CI job summary)
  --supplier "Organization: NAME"   as for build, when reporting on an artifact
  --known-builds FILE      as for build
  --vex FILE               show this OpenVEX or CycloneDX VEX document's statements
${LIMITS_HELP}

Exit codes: 0 written, 2 usage, 3 unreadable input, 4 bug. Validation errors are shown in the
report and do not fail the command.`;

/**
 * A JSON document rather than an artifact: its first non-blank byte is `{` (no installer, archive or
 * binary format starts so). Whether it is SPDX is for readSpdxJson to say: `spdxVersion` may come
 * last (CPython's source SBOMs sort keys, and `files` precede it).
 */
async function looksLikeJson(path: string): Promise<boolean> {
  const st = await stat(path).catch(() => undefined);
  if (!st?.isFile()) return false;
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(64), 0, 64, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('{');
  } finally {
    await fh.close();
  }
}

export async function reportCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    '--output': { value: true, alias: '-o' },
    '--markdown': {},
    '--supplier': { value: true },
    '--known-builds': { value: true, repeat: true },
    '--vex': { value: true },
    ...LIMIT_OPTIONS,
  });
  if (args.positionals.length !== 1) throw new UsageError('report needs exactly one artifact or SBOM');
  const input = args.positionals[0]!;
  const supplier = supplierFrom(args);

  let read: ReadBom;
  const extras: ReportExtras = { fallbackTitle: basename(input) };
  if (await looksLikeJson(input)) {
    read = await readBomFile(input);
  } else {
    checkSourceDateEpoch();
    const knownBuilds = await loadKnownBuildTables(args.options.get('--known-builds') ?? []);
    const progress = createProgress('report');
    try {
      const built = await buildBom(input, { limits: limitsFrom(args), knownBuilds, onFile: progress.onFile, ...(supplier ? { supplier } : {}) });
      // The report reads the same document a build writes, so it counts what build and verify count.
      const view = viewOfBom(built.bom);
      read = { format: view.format, json: toSpdx23(built.bom) as unknown as Record<string, unknown>, view };
      extras.sizes = new Map(built.bom.files.map((f) => [f.path, f.size]));
      extras.fromArtifact = true;
      if (built.gate.manifest) extras.gate = built.gate.findings;
      extras.warnings = built.bom.knownUnknowns.map((u) => ({ kind: u.kind, message: u.reason, where: u.subject }));
    } finally {
      progress.done();
    }
  }
  const vexPath = single(args, '--vex');
  if (vexPath) {
    const vex = await readVexFile(vexPath);
    if (!vex) throw new UsageError(`--vex ${vexPath} is not an OpenVEX or CycloneDX VEX document`);
    extras.vex = { source: basename(vexPath), statements: vex.rows.map((r) => ({ vulnerability: r.vulnerability, component: r.component ?? r.product, status: r.status, ...(r.justification ? { justification: r.justification } : {}) })) };
  }
  const data = reportData(read.view, validateDocument(read.json, read.view), extras);
  const text = args.flags.has('--markdown') ? renderMarkdownReport(data) : renderHtmlReport(data);
  await writeOutput(single(args, '--output') ?? STDOUT, text);
  return 0;
}
