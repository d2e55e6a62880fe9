/**
 * Builds NSIS installers with Debian's makensis from fixtures/src/nsis/installer.nsi, one per
 * compressor (zlib, bzip2, solid LZMA), around the real zlib1.dll from libz-mingw-w64.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { run } from '../helpers/tools.js';
import { pseudoRandomBytes, zlibDll } from './msi-cab.js';

export const nsisSourceDir = join(repoRoot, 'fixtures', 'src', 'nsis');
export const nsisBuildTools = ['makensis', '7zz'] as const;
export { zlibDll };

export const NSIS_COMPRESSORS = { zlib: 'zlib', bzip2: 'bzip2', 'lzma-solid': '/SOLID lzma' } as const;
export type NsisVariant = keyof typeof NSIS_COMPRESSORS;

export interface NsisFixtures {
  installers: Record<NsisVariant, string>;
  payload: string;
}

export function buildNsisFixtures(dir: string): NsisFixtures {
  const payload = join(dir, 'nsis-payload');
  mkdirSync(payload, { recursive: true });
  writeFileSync(join(payload, 'readme.txt'), 'Demo App\r\nRead me first.\r\n');
  writeFileSync(join(payload, '__init__.py'), '"""JSON (fixture)."""\n__version__ = "2.0.9"\n');
  writeFileSync(join(payload, 'big.dat'), pseudoRandomBytes(150_000, 11));
  writeFileSync(join(payload, 'helper.ini'), '[helper]\nmode=1\n');
  copyFileSync(zlibDll, join(payload, 'zlib1.dll'));
  const installers = {} as Record<NsisVariant, string>;
  for (const [variant, compressor] of Object.entries(NSIS_COMPRESSORS) as [NsisVariant, string][]) {
    const out = join(dir, `demo-${variant}.exe`);
    run('makensis', ['-V1', `-DOUTFILE=${out}`, `-DCOMPRESSOR=${compressor}`, `-DPAYLOAD=${payload}`, join(nsisSourceDir, 'installer.nsi')]);
    installers[variant] = out;
  }
  return { installers, payload };
}
