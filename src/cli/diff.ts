import { UsageError } from '../errors.js';
import { readBomFile } from '../bom/read/index.js';
import { diffSboms, diffToMarkdown, diffToText } from '../compare/diff.js';
import { parseArgs } from './args.js';
import { readVexFile } from '../vex/read.js';
import { diffVex, formatVexDiff } from '../vex/vex-diff.js';

export const DIFF_HELP = `Usage: installer-sbom diff <old-sbom> <new-sbom> [--json|--markdown]

What changed between two SBOMs (two releases of an installer), in any of SPDX 2.3, SPDX 3.0.1 and
CycloneDX, the two sides in different formats if need be: components added, removed and
changed (with versions), containers added, removed and changed, files added, removed and changed
(by hash). --markdown prints release notes ("Updated **OpenSSL** 3.0.13 → 3.0.15").

Given two VEX documents (OpenVEX or CycloneDX VEX, e.g. from installer-sbom vex for two releases),
lists the status changes per vulnerability and component (affected → fixed), and what was added
or removed.

Exit codes: 0 (differences are not failures), 2 usage, 3 unreadable SBOM.`;

export async function diffCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, '--markdown': {} });
  if (args.positionals.length !== 2) throw new UsageError('diff needs two SBOM files: old and new');
  if (args.flags.has('--json') && args.flags.has('--markdown')) throw new UsageError('choose one of --json and --markdown');
  const vex = await Promise.all(args.positionals.map((p) => readVexFile(p)));
  if (vex[0] && vex[1]) {
    const d = diffVex(vex[0], vex[1]);
    process.stdout.write(args.flags.has('--json') ? `${JSON.stringify(d, null, 2)}\n` : formatVexDiff(d, args.flags.has('--markdown') ? 'markdown' : 'text'));
    return 0;
  }
  if (vex[0] || vex[1]) throw new UsageError('diff compares two SBOMs or two VEX documents, not one of each');
  const [oldDoc, newDoc] = await Promise.all(args.positionals.map((p) => readBomFile(p)));
  const d = diffSboms(oldDoc!.view, newDoc!.view);
  if (args.flags.has('--json')) process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
  else if (args.flags.has('--markdown')) process.stdout.write(diffToMarkdown(d));
  else process.stdout.write(diffToText(d));
  return 0;
}
