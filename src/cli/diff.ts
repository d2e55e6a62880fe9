import { UsageError } from '../errors.js';
import { readSpdxJson } from '../compare/read-sbom.js';
import { diffSboms, diffToMarkdown, diffToText } from '../compare/diff.js';
import { parseArgs } from './args.js';

export const DIFF_HELP = `Usage: installer-sbom diff <old.spdx.json> <new.spdx.json> [--json|--markdown]

What changed between two SBOMs (two releases of an installer): components added, removed and
changed (with versions), containers added, removed and changed, files added, removed and changed
(by hash). --markdown prints release notes ("Updated **OpenSSL** 3.0.13 → 3.0.15").

Exit codes: 0 (differences are not failures), 2 usage, 3 unreadable SBOM.`;

export async function diffCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, '--markdown': {} });
  if (args.positionals.length !== 2) throw new UsageError('diff needs two SBOM files: old and new');
  if (args.flags.has('--json') && args.flags.has('--markdown')) throw new UsageError('choose one of --json and --markdown');
  const [oldDoc, newDoc] = await Promise.all(args.positionals.map((p) => readSpdxJson(p)));
  const d = diffSboms(oldDoc!, newDoc!);
  if (args.flags.has('--json')) process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
  else if (args.flags.has('--markdown')) process.stdout.write(diffToMarkdown(d));
  else process.stdout.write(diffToText(d));
  return 0;
}
