/**
 * Builds the small binaries of the detection tests from fixtures/src/detect/ into a temp dir:
 * MinGW DLLs (x86_64-w64-mingw32-gcc/-windres), a universal dylib (clang + ld64.lld, the libSystem
 * stand-in of fixtures/src/macho/) and an NSIS installer (makensis). Each fixture comes with the
 * versions its sources were built with: those are the test's ground truth.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { npmFixture, repoRoot } from '../helpers/fixtures.js';
import { run } from '../helpers/tools.js';
import { writeFat } from './macho.js';

const SRC = join(repoRoot, 'fixtures', 'src', 'detect');
const LIBSYSTEM_TBD = join(repoRoot, 'fixtures', 'src', 'macho', 'libSystem.tbd');

// clang -fuse-ld=lld finds ld64.lld (Debian names it ld64.lld-14) through the lld driver.
export const detectBuildTools = ['x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres', 'x86_64-w64-mingw32-objcopy', 'clang', 'lld', 'makensis'] as const;

export interface BuiltFixture {
  /** File name as the detector sees it (its basename matters to rules). */
  name: string;
  path: string;
  /** component id → versions its sources carry; `null` = identity only (NOASSERTION). */
  expected: Record<string, (string | null)[]>;
  /** Components that must not be reported from this file. */
  absent: string[];
  /** Expected supplier per component, where the file names a packager. */
  suppliers?: Record<string, string>;
  /** Expected Mach-O architectures per component version. */
  archs?: Record<string, string[]>;
}

export const BUILT = {
  python: '3.13.1',
  expat: '2.6.3',
  bzip2: '1.0.8, 13-Jul-2019',
  tcl: '8.6.15',
  zlibA: '1.2.13',
  zlibB: '1.3.1',
  sliceX64: '1.2.12',
  sliceArm64: '1.3.1',
} as const;

function q(s: string): string {
  return `"${s}"`;
}

function mingwDll(dir: string, name: string, sources: string[], defines: Record<string, string>, rc?: { file: string; defines: Record<string, string> }): string {
  const out = join(dir, name);
  const objs: string[] = [];
  if (rc) {
    const obj = join(dir, `${name}.res.o`);
    // windres hands its preprocessor command line to a shell, which would eat bare quotes.
    const d = Object.entries(rc.defines).flatMap(([k, v]) => ['-D', `${k}=\\"${v}\\"`]);
    run('x86_64-w64-mingw32-windres', ['-O', 'coff', ...d, '-i', join(SRC, rc.file), '-o', obj]);
    objs.push(obj);
  }
  const d = Object.entries(defines).map(([k, v]) => `-D${k}=${q(v)}`);
  run('x86_64-w64-mingw32-gcc', ['-shared', '-s', '-O2', ...d, '-o', out, ...sources.map((s) => join(SRC, s)), ...objs]);
  return out;
}

function pyd(name: string): { file: string; defines: Record<string, string> } {
  return { file: 'python_nt.rc', defines: { PY_VERSION: BUILT.python, ORIGINAL_FILENAME: name } };
}

export async function buildDetectFixtures(dir: string): Promise<BuiltFixture[]> {
  const out: BuiltFixture[] = [];

  out.push({
    name: '_ssl.pyd',
    path: mingwDll(dir, '_ssl.pyd', ['decoy.c'], {}, pyd('_ssl.pyd')),
    expected: { cpython: [BUILT.python] },
    absent: ['openssl', 'zlib'],
  });
  out.push({
    name: 'decoy.dll',
    path: mingwDll(dir, 'decoy.dll', ['decoy.c'], {}),
    expected: {},
    absent: ['openssl', 'zlib', 'cpython'],
  });
  out.push({
    name: 'pyexpat.pyd',
    path: mingwDll(dir, 'pyexpat.pyd', ['expat_copy.c'], { EXPAT_VERSION: BUILT.expat }, pyd('pyexpat.pyd')),
    expected: { cpython: [BUILT.python], expat: [BUILT.expat] },
    absent: ['openssl'],
  });
  out.push({
    name: '_bz2.pyd',
    path: mingwDll(dir, '_bz2.pyd', ['bzip2_copy.c'], { BZ_VERSION: BUILT.bzip2 }, pyd('_bz2.pyd')),
    expected: { cpython: [BUILT.python], bzip2: [BUILT.bzip2.split(',')[0]!] },
    absent: [],
  });
  out.push({
    name: 'tcl86t.dll',
    path: mingwDll(dir, 'tcl86t.dll', ['tcl_stub.c'], { TCL_PATCH_LEVEL: BUILT.tcl }, { file: 'tcl.rc', defines: { TCL_PATCH_LEVEL: BUILT.tcl } }),
    expected: { tcl: [BUILT.tcl] },
    absent: ['tk', 'cpython'],
    suppliers: { tcl: 'Organization: Tcl Core Team' },
  });
  out.push({
    name: 'twozlib.dll',
    path: mingwDll(dir, 'twozlib.dll', ['two_zlib.c'], { ZLIB_A: BUILT.zlibA, ZLIB_B: BUILT.zlibB }),
    expected: { zlib: [BUILT.zlibA, BUILT.zlibB] },
    absent: ['zlib-ng'],
  });

  const slices: string[] = [];
  for (const [triple, version] of [
    ['x86_64-apple-macos10.13', BUILT.sliceX64],
    ['arm64-apple-macos11', BUILT.sliceArm64],
  ] as const) {
    const p = join(dir, `libuni-${triple}.dylib`);
    run('clang', [`--target=${triple}`, '-fuse-ld=lld', '-shared', '-nostdlib', '-O2', LIBSYSTEM_TBD, `-DZLIB_SLICE=${q(version)}`, '-Wl,-install_name,@rpath/libuni.dylib', '-o', p, join(SRC, 'universal.c')]);
    slices.push(p);
  }
  const fat = join(dir, 'libuni.dylib');
  await writeFat(fat, slices, false);
  out.push({
    name: 'libuni.dylib',
    path: fat,
    expected: { zlib: [BUILT.sliceX64, BUILT.sliceArm64] },
    absent: [],
    archs: { [`zlib@${BUILT.sliceX64}`]: ['x86_64'], [`zlib@${BUILT.sliceArm64}`]: ['arm64'] },
  });

  // SQLite's own amalgamation (better-sqlite3 10.0.0 ships SQLite 3.45.3, CPython 3.13's) built as
  // CPython builds sqlite3.dll: a VERSIONINFO under ProductName "SQLite3".
  const amalgamation = join(npmFixture('better-sqlite3@10.0.0'), 'deps', 'sqlite3');
  const sqliteVersion = /^#define SQLITE_VERSION\s+"([^"]+)"/m.exec(readFileSync(join(amalgamation, 'sqlite3.h'), 'utf8'))?.[1] ?? 'unknown';
  const sqliteDll = join(dir, 'sqlite3.dll');
  run('x86_64-w64-mingw32-windres', ['-O', 'coff', '-D', `SQLITE_VERSION4=\\"${sqliteVersion}.0\\"`, '-i', join(SRC, 'sqlite3.rc'), '-o', `${sqliteDll}.res.o`]);
  run('x86_64-w64-mingw32-gcc', ['-shared', '-s', '-O1', '-DSQLITE_API=__declspec(dllexport)', '-o', sqliteDll, join(amalgamation, 'sqlite3.c'), `${sqliteDll}.res.o`]);
  out.push({ name: 'sqlite3.dll', path: sqliteDll, expected: { sqlite: [sqliteVersion] }, absent: ['zlib', 'openssl', 'cpython'] });

  // cargo-auditable's format: zlib-compressed JSON in a `.dep-v0` section (objcopy adds it, as the
  // linker would). No registry ships a binary built with cargo-auditable for Windows or macOS.
  const deps = { packages: [
    { name: 'hello', version: '0.1.0', source: 'local', dependencies: [1, 2], root: true },
    { name: 'serde', version: '1.0.219', source: 'crates.io' },
    { name: 'cc', version: '1.2.16', source: 'crates.io', kind: 'build' },
  ] };
  writeFileSync(join(dir, 'dep-v0.z'), deflateSync(Buffer.from(JSON.stringify(deps))));
  const auditable = join(dir, 'hello.exe');
  run('x86_64-w64-mingw32-gcc', ['-s', '-O2', '-o', `${auditable}.plain`, join(SRC, 'hello.c')]);
  run('x86_64-w64-mingw32-objcopy', ['--add-section', `.dep-v0=${join(dir, 'dep-v0.z')}`, '--set-section-flags', '.dep-v0=contents,readonly,data', `${auditable}.plain`, auditable]);
  out.push({ name: 'hello.exe', path: auditable, expected: { 'cargo/hello': ['0.1.0'], 'cargo/serde': ['1.0.219'] }, absent: ['cargo/cc'] });

  const nsisExe = join(dir, 'setup.exe');
  run('makensis', ['-V1', `-DOUTFILE=${nsisExe}`, join(SRC, 'installer.nsi')]);
  // makensis prints its own version (`v3.08-3+deb12u1` on Debian): the oracle for the stub's.
  const nsisVersion = /^v?(\d+\.\d+(?:\.\d+)?)/.exec(run('makensis', ['-VERSION']).trim())?.[1] ?? 'unknown';
  out.push({ name: 'setup.exe', path: nsisExe, expected: { nsis: [nsisVersion] }, absent: ['openssl', 'zlib', 'wix-burn'] });
  return out;
}
