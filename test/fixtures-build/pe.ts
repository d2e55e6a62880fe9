/**
 * Builds small MinGW DLLs for the PE reader tests from fixtures/src/pe/ into a temp dir.
 * Tools: x86_64/i686-w64-mingw32-gcc and -windres (Debian mingw-w64), llvm-dlltool and
 * lld-link (Debian llvm, lld) for the delay-load case, which GNU ld does not write.
 */
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { run } from '../helpers/tools.js';

export const peSourceDir = join(repoRoot, 'fixtures', 'src', 'pe');

export const peBuildTools = [
  'x86_64-w64-mingw32-gcc',
  'i686-w64-mingw32-gcc',
  'x86_64-w64-mingw32-windres',
  'i686-w64-mingw32-windres',
  'llvm-dlltool',
  'lld-link',
] as const;

export interface PeFixtures {
  /** x64, stripped, VERSIONINFO with two string tables. */
  x64: string;
  /** x86, not stripped: COFF symbol table and long section names (`/4`), VERSIONINFO. */
  x86Unstripped: string;
  /** x64 linked by lld-link with hello.dll delay-loaded; no CRT, no resources. */
  x64Delay: string;
}

export function buildPeFixtures(dir: string): PeFixtures {
  const src = (name: string): string => join(peSourceDir, name);
  const out = (name: string): string => join(dir, name);

  run('x86_64-w64-mingw32-windres', ['-O', 'coff', '-i', src('version.rc'), '-o', out('version-x64.o')]);
  run('i686-w64-mingw32-windres', ['-O', 'coff', '-i', src('version.rc'), '-o', out('version-x86.o')]);
  run('x86_64-w64-mingw32-gcc', ['-shared', '-s', '-O2', '-o', out('hello-x64.dll'), src('hello.c'), out('version-x64.o')]);
  run('i686-w64-mingw32-gcc', ['-shared', '-g', '-O0', '-o', out('hello-x86.dll'), src('hello.c'), out('version-x86.o')]);

  run('llvm-dlltool', ['-m', 'i386:x86-64', '-d', src('hello.def'), '-l', out('libhello.a')]);
  run('x86_64-w64-mingw32-gcc', ['-c', '-O2', '-o', out('delayed.o'), src('delayed.c')]);
  // libmingwex supplies __delayLoadHelper2; it names the image base the GNU way.
  run('lld-link', [
    '/dll',
    '/noentry',
    '/lldmingw',
    `/out:${out('delayed-x64.dll')}`,
    out('delayed.o'),
    '/libpath:/usr/x86_64-w64-mingw32/lib',
    out('libhello.a'),
    'libmingwex.a',
    'libmsvcrt.a',
    'libkernel32.a',
    '/delayload:hello.dll',
    '/alternatename:__image_base__=__ImageBase',
  ]);
  return { x64: out('hello-x64.dll'), x86Unstripped: out('hello-x86.dll'), x64Delay: out('delayed-x64.dll') };
}
