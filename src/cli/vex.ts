import { basename, resolve } from 'node:path';
import type { BomView } from '../bom/view.js';
import { UsageError } from '../errors.js';
import { deriveVex } from '../vex/derive.js';
import { loadGitTags } from '../vex/git-tags.js';
import { loadBomView } from '../vex/input.js';
import { toCycloneDxVex } from '../vex/cyclonedx-vex.js';
import { toOpenVex } from '../vex/openvex.js';
import { loadAdvisories } from '../vex/osv.js';
import { loadStatements } from '../vex/statements-file.js';
import { formatVexSummary, summarizeVex } from '../vex/summary.js';
import { LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs, single, supplierFrom } from './args.js';
import { loadKnownBuildTables } from './known-builds.js';
import { writeOutput } from './output.js';
import { createProgress } from './progress.js';

export const VEX_HELP = `Usage: installer-sbom vex <artifact|sbom.spdx.json> --advisories PATH... [options]

States, from the evidence, which advisories apply to what the artifact ships: one VEX document
per artifact (OpenVEX 0.2.0 or CycloneDX 1.6), separate from the SBOM. Given an artifact, its SBOM
is built in memory first (same options as build); given an SPDX JSON file, that is read.

For each advisory and each part of the artifact it names (by purl, CPE, name or repository):
  not_affected + component_not_present  declared by the source SBOM, not shipped here
  affected                              the shipped version is in an affected range (every
                                        file that carries it is listed, with the fix to take)
  fixed                                 the shipped version is at or after a recorded fix
  not_affected                          the shipped version is outside every affected range
                                        (impact statement: the version evidence)
  under_investigation                   no version evidenced, or the advisory not evaluable
                                        (a GIT range without --git-tags; a warning says why)

Options:
  --advisories PATH        OSV records: a file, or a directory searched recursively for *.json
                           (repeatable; at least one). Each must validate against the OSV schema.
  --statements FILE        the security team's statements (JSON, below); they replace derived ones
  --git-tags FILE          tag → commit ancestry for one repository's GIT ranges (JSON, below;
                           repeatable, one file per repository)
  --format FORMAT          openvex (default) or cyclonedx
  -o, --output FILE        where to write (default beside the input: <input>.openvex.json, or
                           <input>.cdx-vex.json for cyclonedx; a trailing .spdx.json is dropped
                           first); "-" writes to standard output
  --author NAME            the document's author (default: the tool)
  --source-sbom FILE       CPython source SBOM, as for build (repeatable)
  --manifest FILE          platform manifest, as for build
  --known-builds FILE      as for build
  --supplier "Organization: NAME"   as for build
${LIMITS_HELP}

Statements file (JSON):
  {"statements": [{"vulnerability": "CVE-2024-9143",
                   "component": {"name": "OpenSSL", "purl": "pkg:generic/openssl", "cpe": "cpe:2.3:a:openssl:openssl"},
                   "version": "3.0.15", "artifact": "python-3.13.0-amd64.exe",
                   "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
                   "impact_statement": "...", "action_statement": "...", "status_notes": "..."}]}
  vulnerability and status are required; component (any one of name, purl, cpe; omitted: the
  product itself), version (the shipped version it is about) and artifact (file name or SHA-256)
  narrow it. not_affected needs a justification (OpenVEX's five) or an impact_statement; affected
  needs an action_statement. A statement about something this artifact does not ship, or about
  another version, is not applied and is reported as a warning.

Git tag map (JSON), for OSV GIT ranges (how the PSF database states CPython's advisories):
  {"repo": "https://github.com/python/cpython",
   "tags": {"v3.13.0": {"commit": "<sha of the tag>", "contains": ["<sha>", ...], "lacks": ["<sha>", ...]}}}
  For each release tag: which commits named by the advisories' GIT events are ancestors of the tag
  (contains) and which were checked and are not (lacks). A release is affected when it contains an
  introduced commit and no fixed commit; a commit in neither list makes the advisory not evaluable
  for that release rather than guessed. The component version v is looked up as tag "v<v>", then
  "<v>". scripts/vex-git-tags.mjs writes this file from a clone (git merge-base --is-ancestor).

SOURCE_DATE_EPOCH, when set, fixes the timestamp; the document id is derived from the content.
Exit codes: 0 written (or nothing to state), 2 usage, 3 unreadable or malformed input (artifact,
SBOM, advisory, statements or tag map, named), 4 bug. Nothing is written on failure.`;

const FORMATS = { openvex: '.openvex.json', cyclonedx: '.cdx-vex.json' } as const;

export async function vexCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, {
    '--advisories': { value: true, repeat: true },
    '--statements': { value: true },
    '--git-tags': { value: true, repeat: true },
    '--format': { value: true },
    '--output': { value: true, alias: '-o' },
    '--author': { value: true },
    '--source-sbom': { value: true, repeat: true },
    '--manifest': { value: true },
    '--known-builds': { value: true, repeat: true },
    '--supplier': { value: true },
    ...LIMIT_OPTIONS,
  });
  if (args.positionals.length !== 1) throw new UsageError('vex needs exactly one artifact or SBOM');
  const advisoryPaths = args.options.get('--advisories') ?? [];
  if (advisoryPaths.length === 0) throw new UsageError('vex needs --advisories PATH (OSV records)');
  const format = single(args, '--format') ?? 'openvex';
  if (!(format in FORMATS)) throw new UsageError(`--format must be one of ${Object.keys(FORMATS).join(', ')}`);
  const input = args.positionals[0]!;
  const supplier = supplierFrom(args);
  const manifest = single(args, '--manifest');
  const statementsPath = single(args, '--statements');
  const author = single(args, '--author');

  const warnings: string[] = [];
  // Inputs that are quick to check go first: a malformed advisory must not wait for a long build.
  const advisories = await loadAdvisories(advisoryPaths, (m) => warnings.push(m));
  const statements = statementsPath ? await loadStatements(statementsPath) : [];
  const gitTags = await Promise.all((args.options.get('--git-tags') ?? []).map((p) => loadGitTags(p)));
  const knownBuilds = await loadKnownBuildTables(args.options.get('--known-builds') ?? []);

  const progress = createProgress('vex');
  let view: BomView;
  try {
    view = await loadBomView(input, {
      limits: limitsFrom(args),
      knownBuilds,
      sourceSboms: args.options.get('--source-sbom') ?? [],
      onFile: progress.onFile,
      ...(supplier ? { supplier } : {}),
      ...(manifest ? { manifestPath: manifest } : {}),
    });
  } finally {
    progress.done();
  }
  const derived = deriveVex(view, advisories, { gitTags, statements, ...(author ? { author } : {}) });
  warnings.push(...derived.warnings);
  const report = (line: string) => process.stderr.write(`${line}\n`);
  for (const w of warnings) report(`warning: ${w}`);
  if (derived.document.statements.length === 0) {
    report(`${basename(input)}: none of the ${advisories.length} advisories names anything this artifact ships or declares; no VEX written`);
    return 0;
  }
  const text = format === 'cyclonedx' ? toCycloneDxVex(derived.document) : toOpenVex(derived.document);
  const output = single(args, '--output');
  const summary = formatVexSummary(summarizeVex(JSON.parse(text)));
  const target = output ?? `${input.replace(/[\\/]+$/, '').replace(/\.(?:spdx3?|cdx)\.json$/i, '')}${FORMATS[format as keyof typeof FORMATS]}`;
  const written = await writeOutput(target, text);
  // With `-o -` the document owns standard output; the summary goes to standard error.
  (written === '-' ? process.stderr : process.stdout).write(written === '-' ? summary : `${summary}VEX: ${written}\n`);
  return 0;
}
