/**
 * Builds macOS flat-package fixtures with Debian tools:
 * payloads with GNU `cpio -o` (odc, newc) plus gzip or our pbzx framing, packages with
 * `bsdtar --format xar`. Debian has no xar/mkbom, so Bom files are placeholders.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, linkSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { npmFixture, repoRoot } from '../helpers/fixtures.js';

export const pkgSources = join(repoRoot, 'fixtures', 'src', 'pkg');

/** Registry Mach-O files placed under CPython-like names. */
export const machoFixtures = {
  dylib: join(npmFixture('@img/sharp-libvips-darwin-x64@1.3.4'), 'lib', 'libvips-cpp.8.18.7.dylib'),
  universal: join(npmFixture('fsevents@2.3.3'), 'fsevents.node'),
};

/** `cpio -o` over a directory tree, names sorted, as pkgbuild's `./`-relative listing. */
export function cpioOf(dir: string, format: 'odc' | 'newc'): Buffer {
  return execFileSync('sh', ['-c', `find . | LC_ALL=C sort | cpio -o --quiet -H ${format}`], {
    cwd: dir,
    maxBuffer: 1 << 30,
  });
}

/** Extracts a cpio archive with GNU cpio (the test oracle), never outside `dest`. */
export function cpioExtract(cpio: Buffer, dest: string): void {
  mkdirSync(dest, { recursive: true });
  execFileSync('cpio', ['-i', '-d', '--quiet', '--no-absolute-filenames', '--preserve-modification-time'], {
    cwd: dest,
    input: cpio,
    maxBuffer: 1 << 30,
  });
}

/**
 * pbzx framing: `pbzx`, u64 BE chunk size, then {u64 decoded, u64 stored, xz stream or raw}.
 * `rawChunks` lists chunk indexes written stored (decoded == stored length), as Apple does for
 * incompressible chunks.
 */
export function pbzxOf(data: Buffer, chunkSize: number, rawChunks: number[] = []): Buffer {
  const parts: Buffer[] = [Buffer.from('pbzx'), u64(chunkSize)];
  for (let i = 0, off = 0; off < data.length; i += 1, off += chunkSize) {
    const chunk = data.subarray(off, Math.min(data.length, off + chunkSize));
    const stored = rawChunks.includes(i) ? chunk : execFileSync('xz', ['-c', '--check=crc64', '-6'], { input: chunk, maxBuffer: 1 << 30 });
    parts.push(u64(chunk.length), u64(stored.length), stored);
  }
  return Buffer.concat(parts);
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** `bsdtar --format xar` over the named top-level members of `stage`. */
export function xarOf(stage: string, members: string[], out: string, options: string[] = []): string {
  const opts = options.length > 0 ? ['--options', options.join(',')] : [];
  execFileSync('bsdtar', ['-cf', out, '--format', 'xar', ...opts, '-C', stage, ...members]);
  return out;
}

function put(path: string, bytes: Buffer | string, mode?: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  if (mode !== undefined) chmodSync(path, mode);
}

/**
 * The framework payload tree (root = install-location /Library/Frameworks/Python.framework):
 * OpenSSL-named dylib, a universal extension module, the 3.13+ private Tcl.framework layout,
 * the framework's Versions/Current symlinks and a hard link.
 */
export function buildFrameworkTree(root: string): void {
  const v = join(root, 'Versions', '3.13');
  mkdirSync(join(v, 'lib', 'python3.13', 'lib-dynload'), { recursive: true });
  copyFileSync(machoFixtures.dylib, join(v, 'lib', 'libssl.3.dylib'));
  copyFileSync(machoFixtures.universal, join(v, 'lib', 'python3.13', 'lib-dynload', '_ssl.cpython-313-darwin.so'));
  symlinkSync('libssl.3.dylib', join(v, 'lib', 'libssl.dylib'));
  put(join(v, 'lib', 'python3.13', 'os.py'), '# stand-in for the stdlib\n');
  linkSync(join(v, 'lib', 'python3.13', 'os.py'), join(v, 'lib', 'python3.13', 'os-hardlink.py'));
  const tcl = join(v, 'Frameworks', 'Tcl.framework');
  put(join(tcl, 'Versions', '8.6', 'Resources', 'Info.plist'), readFileSync(join(pkgSources, 'Tcl-Info.plist')));
  symlinkSync('8.6', join(tcl, 'Versions', 'Current'));
  symlinkSync('Versions/Current/Resources', join(tcl, 'Resources'));
  mkdirSync(join(v, 'etc', 'openssl'), { recursive: true });
  symlinkSync('3.13', join(root, 'Versions', 'Current'));
  symlinkSync('Versions/Current/lib', join(root, 'lib'));
}

export function buildApplicationsTree(root: string): void {
  put(join(root, 'Python 3.13', 'ReadMe.rtf'), readFileSync(join(pkgSources, 'ReadMe.rtf')));
  put(join(root, 'Python 3.13', 'IDLE.app', 'Contents', 'Info.plist'), readFileSync(join(pkgSources, 'Tcl-Info.plist')));
}

export interface CpythonPkg {
  path: string;
  /** The uncompressed cpio of each component's payload, for the `cpio -i` oracle. */
  payloadCpio: Record<string, Buffer>;
  stage: string;
}

/**
 * A CPython-shaped product archive: Distribution, Resources,
 * Python_Framework.pkg and Python_Applications.pkg (PackageInfo, Bom, Payload, Scripts) and
 * Python_Shell_Profile_Updater.pkg (scripts only, `--nopayload`).
 */
export function buildCpythonPkg(
  dir: string,
  opts: { payload: 'gzip' | 'pbzx'; cpioFormat?: 'odc' | 'newc'; xar?: string[]; name?: string } = { payload: 'gzip' },
): CpythonPkg {
  const name = opts.name ?? `python-3.13.1-macos11-${opts.payload}`;
  const work = join(dir, `${name}.work`);
  const stage = join(work, 'stage');
  const fwTree = join(work, 'framework');
  const appTree = join(work, 'applications');
  const scriptsTree = join(work, 'scripts');
  buildFrameworkTree(fwTree);
  buildApplicationsTree(appTree);
  put(join(scriptsTree, 'postinstall'), readFileSync(join(pkgSources, 'postinstall')), 0o755);

  const fmt = opts.cpioFormat ?? 'odc';
  const payloadCpio = { 'Python_Framework.pkg': cpioOf(fwTree, fmt), 'Python_Applications.pkg': cpioOf(appTree, fmt) };
  const wrap = (cpio: Buffer): Buffer => (opts.payload === 'gzip' ? gzipSync(cpio) : pbzxOf(cpio, 64 * 1024, [1]));
  const scripts = gzipSync(cpioOf(scriptsTree, 'odc'));
  const bom = Buffer.concat([Buffer.from('BOMStore'), Buffer.alloc(24)]);

  put(join(stage, 'Distribution'), readFileSync(join(pkgSources, 'Distribution')));
  put(join(stage, 'Resources', 'en.lproj', 'ReadMe.rtf'), readFileSync(join(pkgSources, 'ReadMe.rtf')));
  const fw = join(stage, 'Python_Framework.pkg');
  put(join(fw, 'PackageInfo'), readFileSync(join(pkgSources, 'Framework.PackageInfo')));
  put(join(fw, 'Bom'), bom);
  put(join(fw, 'Payload'), wrap(payloadCpio['Python_Framework.pkg']));
  put(join(fw, 'Scripts'), scripts);
  const apps = join(stage, 'Python_Applications.pkg');
  put(join(apps, 'PackageInfo'), readFileSync(join(pkgSources, 'Applications.PackageInfo')));
  put(join(apps, 'Bom'), bom);
  put(join(apps, 'Payload'), wrap(payloadCpio['Python_Applications.pkg']));
  const prof = join(stage, 'Python_Shell_Profile_Updater.pkg');
  put(join(prof, 'PackageInfo'), readFileSync(join(pkgSources, 'ProfileUpdater.PackageInfo')));
  put(join(prof, 'Scripts'), scripts);

  const path = xarOf(
    stage,
    ['Distribution', 'Resources', 'Python_Framework.pkg', 'Python_Applications.pkg', 'Python_Shell_Profile_Updater.pkg'],
    join(dir, `${name}.pkg`),
    opts.xar ?? [],
  );
  return { path, payloadCpio, stage };
}
