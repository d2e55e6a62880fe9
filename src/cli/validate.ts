import { basename } from 'node:path';
import { UsageError } from '../errors.js';
import { readBomFile } from '../bom/read/index.js';
import { validateDocument, type Profile } from '../validate/index.js';
import { parseArgs, single } from './args.js';

export const VALIDATE_HELP = `Usage: installer-sbom validate <sbom> [--profile ntia|bsi] [--json]

Checks an SBOM in any of the formats installer-sbom writes and reads (SPDX 2.3 JSON, SPDX 3.0.1
JSON-LD, CycloneDX 1.6/1.7 JSON): the format's official schema; what a schema cannot express
(ids well-formed and unique, every relationship and reference resolving, SPDX 2.3 §7.8
filesAnalyzed); and a profile of minimum elements:
  ntia  (default) NTIA 2021: supplier, name, version, unique identifiers, every component reached
        from the described package by a dependency relationship, author, timestamp
  bsi   BSI TR-03183-2 v2.1: CycloneDX >= 1.6 or SPDX >= 3.0.1, the creator's email or URL,
        timestamp, per component name, version, file name, SHA-512 of the deployable file,
        executable/archive/structured properties, and the completeness of dependencies stated
Each failing element is named. Exit 0 when valid, 1 when not, 2 usage, 3 unreadable.`;

export async function validateCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, '--profile': { value: true } });
  if (args.positionals.length !== 1) throw new UsageError('validate needs exactly one SBOM file');
  const profile = single(args, '--profile') ?? 'ntia';
  if (profile !== 'ntia' && profile !== 'bsi') throw new UsageError('--profile must be ntia or bsi');
  const path = args.positionals[0]!;
  const read = await readBomFile(path);
  const report = validateDocument(read.json, read.view, profile as Profile);
  if (args.flags.has('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const e of report.errors) process.stdout.write(`error: ${e.check}: ${e.element}: ${e.message}\n`);
    for (const w of report.warnings) process.stdout.write(`warning: ${w.check}: ${w.element}: ${w.message}\n`);
    process.stdout.write(`${basename(path)} (${report.format}, profile ${report.profile}): ${report.valid ? 'valid' : 'INVALID'} (${report.errors.length} error(s), ${report.warnings.length} warning(s))\n`);
  }
  return report.valid ? 0 : 1;
}
