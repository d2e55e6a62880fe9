import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { readSpdxJson } from '../compare/read-sbom.js';
import { buildSbom } from '../build-sbom.js';
import type { Analysis } from '../pipeline.js';
import { renderHtmlReport } from '../report/html.js';
import { renderMarkdownReport } from '../report/markdown.js';
import { reportData } from '../report/report-data.js';
import type { GateFinding } from '../sbom/gate.js';
import type { SpdxDocument } from '../sbom/model.js';
import { validateSpdx } from '../sbom/validate.js';
import { checkSourceDateEpoch, LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs, single, supplierFrom } from './args.js';
import { loadKnownBuildTables } from './known-builds.js';
import { STDOUT, writeOutput } from './output.js';
import { createProgress } from './progress.js';

export const REPORT_HELP = `Usage: installer-sbom report <artifact|sbom.spdx.json> [options]

One self-contained HTML page (no scripts, no network, no external assets): the container tree,
the components with versions, identifiers and evidence, validation results, file counts and
sizes. Given an artifact, its SBOM is built in memory first; given an SPDX JSON file, that is
reported on.

Options:
  -o, --output FILE        write the report there (default, or -: standard output); as for build
  --markdown               Markdown instead of HTML (a CI job summary)
  --supplier "Organization: NAME"   as for build, when reporting on an artifact
  --known-builds FILE      as for build
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
    ...LIMIT_OPTIONS,
  });
  if (args.positionals.length !== 1) throw new UsageError('report needs exactly one artifact or SBOM');
  const input = args.positionals[0]!;
  const supplier = supplierFrom(args);

  let doc: SpdxDocument;
  let analysis: Analysis | undefined;
  let gate: GateFinding[] | undefined;
  if (await looksLikeJson(input)) {
    doc = await readSpdxJson(input);
  } else {
    checkSourceDateEpoch();
    const knownBuilds = await loadKnownBuildTables(args.options.get('--known-builds') ?? []);
    const progress = createProgress('report');
    try {
      const built = await buildSbom(input, { limits: limitsFrom(args), knownBuilds, onFile: progress.onFile, ...(supplier ? { supplier } : {}) });
      analysis = built.analysis;
      doc = built.doc;
      gate = built.manifest ? built.gate : undefined;
    } finally {
      progress.done();
    }
  }
  const data = reportData(doc, validateSpdx(doc), analysis, basename(input), gate);
  const text = args.flags.has('--markdown') ? renderMarkdownReport(data) : renderHtmlReport(data);
  await writeOutput(single(args, '--output') ?? STDOUT, text);
  return 0;
}
