import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { run } from '../helpers/tools.js';

const SRC = join(repoRoot, 'fixtures', 'src', 'compare');
export const MINGW_GCC = 'x86_64-w64-mingw32-gcc';

/**
 * A small "release" directory built around one OpenSSL-like libcrypto DLL: the DLL carries
 * `OpenSSL <version> <date>` and the OPENSSLDIR anchor, an app.exe imports it, plus a text file.
 * The version is what we compile in: the oracle for diff and verify is the -D we pass.
 */
export function buildOpenSslRelease(dir: string, version: string, date: string): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const dll = join(dir, 'bin', 'libcrypto-3-x64.dll');
  const flags = ['-O2', '-s', '-Wl,--no-insert-timestamp'];
  run(MINGW_GCC, ['-shared', ...flags, `-DOPENSSL_VERSION_TEXT="OpenSSL ${version} ${date}"`, '-o', dll, join(SRC, 'fake-libcrypto.c')]);
  run(MINGW_GCC, [...flags, '-o', join(dir, 'bin', 'app.exe'), join(SRC, 'app.c'), dll]);
  writeFileSync(join(dir, 'README.txt'), `Demo release with OpenSSL ${version}\n`);
  return dir;
}

/** Zips a directory with bsdtar (libarchive), members relative to it. */
export function zipDirectory(dir: string, zipPath: string): string {
  run('bsdtar', ['--format', 'zip', '-cf', zipPath, '-C', dir, '.']);
  return zipPath;
}

/** Copies one release directory's files into another (a payload copy to tamper with). */
export function copyRelease(from: string, to: string, paths: string[]): void {
  for (const p of paths) {
    mkdirSync(join(to, p, '..'), { recursive: true });
    copyFileSync(join(from, p), join(to, p));
  }
}
