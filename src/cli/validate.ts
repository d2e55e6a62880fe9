import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { validateSpdx } from '../sbom/validate.js';
import { parseArgs } from './args.js';

export const VALIDATE_HELP = `Usage: installer-sbom validate <sbom.spdx.json> [--json]

Checks an SPDX 2.3 JSON document: the SPDX 2.3 schema; SPDXID syntax and uniqueness; every
relationship resolving; created, namespace and data licence; the NTIA minimum elements (supplier,
name, version, creators, created, DESCRIBES) and, as sbomqs requires, the described package
DEPENDS_ON every component. Exit 0 when valid, 1 when not.`;

export async function validateCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { '--json': {} });
  if (args.positionals.length !== 1) throw new UsageError('validate needs exactly one SBOM file');
  const path = args.positionals[0]!;
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InputError(`not readable as JSON: ${(err as Error).message.split('\n')[0]}`, [basename(path)]);
  }
  const report = validateSpdx(doc);
  if (args.flags.has('--json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const e of report.errors) process.stdout.write(`error: ${e.check}: ${e.element}: ${e.message}\n`);
    for (const w of report.warnings) process.stdout.write(`warning: ${w.check}: ${w.element}: ${w.message}\n`);
    process.stdout.write(`${basename(path)}: ${report.valid ? 'valid' : 'INVALID'} (${report.errors.length} error(s), ${report.warnings.length} warning(s))\n`);
  }
  return report.valid ? 0 : 1;
}
