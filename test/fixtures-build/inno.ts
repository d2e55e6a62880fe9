/** Inno Setup-shaped installers from fixtures/src/inno/make_inno_shaped.py (mingw-w64 loader + offset table resource). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { npmFixture, repoRoot } from '../helpers/fixtures.js';
import { debianPython, run } from '../helpers/tools.js';

export const innoBuildTools = ['x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres'];
export const innoSetupProgram = join(npmFixture('innosetup@6.4.1'), 'bin', 'Setup.e32');

/** The setup data identifier the real Inno Setup 6.4.1 Setup program checks setup-0 against. */
export function realSetupId(): string {
  const text = readFileSync(innoSetupProgram).toString('latin1');
  const m = /Inno Setup Setup Data \(\d+\.\d+\.\d+(?:\.\d+)?\)/.exec(text);
  if (!m) throw new Error(`no setup data identifier in ${innoSetupProgram}`);
  return m[0];
}

export function buildInnoShaped(work: string, out: string, setupId: string, opts: { revision?: 1 | 2; truncate?: number } = {}): string {
  const args = [join(repoRoot, 'fixtures', 'src', 'inno', 'make_inno_shaped.py'), work, out, setupId, '--revision', String(opts.revision ?? 1)];
  if (opts.truncate !== undefined) args.push('--truncate', String(opts.truncate));
  run(debianPython, args);
  return out;
}
