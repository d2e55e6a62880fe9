/**
 * Small, real fixtures of every format, the starting points of the mutation fuzzer
 * (test/fuzz/). Small on purpose: each mutant runs the whole pipeline, and the mutations should
 * land in headers, directories and tables rather than in kilobytes of payload. Built with the
 * same Debian tools as the readers' own fixtures (python zipfile, gcab, wixl, GNU cpio, xz,
 * bsdtar, clang/lld, mingw-w64, plistlib), plus the Burn and NSIS builders.
 */
import { linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../helpers/fixtures.js';
import { debianPython, run } from '../helpers/tools.js';
import { pseudoRandomBytes } from './msi-cab.js';
import { cpioOf, pbzxOf, xarOf } from './pkg-fixtures.js';
import { makeTestCa, makeTestTsa, signPe, signXar } from './signing.js';

export const fuzzSourceDir = join(repoRoot, 'fixtures', 'src', 'fuzz');
const INFO_PLIST = join(repoRoot, 'fixtures', 'src', 'plist', 'Info.plist');
const PKG_SRC = join(repoRoot, 'fixtures', 'src', 'pkg');

export interface NamedBytes {
  name: string;
  bytes: Buffer;
}

function put(path: string, bytes: Buffer | string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
}

/**
 * A zip written by python zipfile: deflated and stored members, a directory, a Unix symlink, an
 * Info.plist (so the plist inspector runs inside) and a zip inside the zip.
 */
export function zipSeed(dir: string): NamedBytes {
  const out = join(dir, 'seed.zip');
  const script = `
import sys, zipfile
inner = sys.argv[1] + '.inner'
with zipfile.ZipFile(inner, 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('inner/init.tcl', '# init.tcl\\npackage require -exact Tcl 8.6.13\\n')
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr(zipfile.ZipInfo('docs/'), '')
    z.writestr('docs/readme.txt', 'Read me.\\n' * 20, compress_type=zipfile.ZIP_DEFLATED)
    z.writestr('data/stored.bin', bytes(range(200)), compress_type=zipfile.ZIP_STORED)
    z.write(sys.argv[2], 'App/Contents/Info.plist', compress_type=zipfile.ZIP_DEFLATED)
    link = zipfile.ZipInfo('docs/latest')
    link.create_system = 3
    link.external_attr = 0o120777 << 16
    z.writestr(link, 'readme.txt')
    z.write(inner, 'nested.zip', compress_type=zipfile.ZIP_STORED)
`;
  run(debianPython, ['-c', script, out, INFO_PLIST]);
  return { name: 'seed.zip', bytes: readFileSync(out) };
}

function smallPayload(src: string): string[] {
  put(join(src, 'hello.txt'), 'hello, cabinet\n');
  put(join(src, 'sub', 'data.bin'), pseudoRandomBytes(6000, 5));
  copyFileSync(INFO_PLIST, join(src, 'Info.plist'));
  return ['hello.txt', 'sub/data.bin', 'Info.plist'];
}

/** Cabinets by gcab: MSZIP (-z) and stored. */
export function cabSeeds(dir: string): NamedBytes[] {
  const src = join(dir, 'cab-src');
  const members = smallPayload(src);
  const mszip = join(dir, 'seed-mszip.cab');
  const stored = join(dir, 'seed-stored.cab');
  run('gcab', ['-c', '-z', mszip, ...members], { cwd: src });
  run('gcab', ['-c', stored, ...members], { cwd: src });
  return [
    { name: 'seed-mszip.cab', bytes: readFileSync(mszip) },
    { name: 'seed-stored.cab', bytes: readFileSync(stored) },
  ];
}

/** fixtures/src/fuzz/tiny.wxs by wixl: three small files in an embedded MSZIP cabinet. */
export function msiSeed(dir: string): NamedBytes {
  const src = join(dir, 'msi-src');
  mkdirSync(src, { recursive: true });
  copyFileSync(join(fuzzSourceDir, 'tiny.wxs'), join(src, 'tiny.wxs'));
  writeFileSync(join(src, 'readme.txt'), 'Read me.\r\n');
  writeFileSync(join(src, 'os.py'), '"""OS routines."""\nimport sys\n');
  writeFileSync(join(src, 'init.tcl'), '# init.tcl --\npackage require -exact Tcl 8.6.13\n');
  const out = join(dir, 'seed.msi');
  run('wixl', ['-o', out, join(src, 'tiny.wxs')]);
  return { name: 'seed.msi', bytes: readFileSync(out) };
}

/** A payload tree with a plist, a text file, a symlink and a hard link, as pkgbuild would pack it. */
function payloadTree(root: string): void {
  put(join(root, 'Resources', 'Info.plist'), readFileSync(INFO_PLIST));
  put(join(root, 'lib', 'init.tcl'), '# init.tcl\npackage require -exact Tcl 8.6.13\n');
  symlinkSync('lib/init.tcl', join(root, 'current'));
  linkSync(join(root, 'lib', 'init.tcl'), join(root, 'lib', 'init-link.tcl'));
}

/** GNU cpio archives (odc and newc) of the payload tree. */
export function cpioSeeds(dir: string): NamedBytes[] {
  const tree = join(dir, 'cpio-tree');
  payloadTree(tree);
  return [
    { name: 'seed-odc.cpio', bytes: cpioOf(tree, 'odc') },
    { name: 'seed-newc.cpio', bytes: cpioOf(tree, 'newc') },
  ];
}

export function gzipSeed(dir: string): NamedBytes {
  const tree = join(dir, 'gzip-tree');
  payloadTree(tree);
  return { name: 'Payload', bytes: gzipSync(cpioOf(tree, 'odc')) };
}

/** pbzx with 1 KiB chunks, the second one stored raw (as Apple writes incompressible chunks). */
export function pbzxSeed(dir: string): NamedBytes {
  const tree = join(dir, 'pbzx-tree');
  payloadTree(tree);
  return { name: 'Payload', bytes: pbzxOf(cpioOf(tree, 'odc'), 1024, [1]) };
}

/** A plain xar (bsdtar), gzip-compressed heap and uncompressed heap. */
export function xarSeeds(dir: string): NamedBytes[] {
  const stage = join(dir, 'xar-stage');
  put(join(stage, 'a.txt'), 'xar member\n');
  put(join(stage, 'sub', 'Info.plist'), readFileSync(INFO_PLIST));
  const z = xarOf(stage, ['a.txt', 'sub'], join(dir, 'seed-gzip.xar'));
  const none = xarOf(stage, ['a.txt', 'sub'], join(dir, 'seed-none.xar'), ['xar:compression=none']);
  return [
    { name: 'seed-gzip.xar', bytes: readFileSync(z) },
    { name: 'seed-none.xar', bytes: readFileSync(none) },
  ];
}

/**
 * Flat packages: a product archive (Distribution + one component with a gzip cpio Payload) and
 * a component package with a pbzx Payload, both with an uncompressed xar heap so mutations reach
 * the payload formats too.
 */
export function pkgSeeds(dir: string): NamedBytes[] {
  const out: NamedBytes[] = [];
  const tree = join(dir, 'pkg-tree');
  payloadTree(tree);
  const cpio = cpioOf(tree, 'odc');

  const product = join(dir, 'pkg-product');
  put(join(product, 'Distribution'), readFileSync(join(PKG_SRC, 'Distribution')));
  put(join(product, 'Python_Framework.pkg', 'PackageInfo'), readFileSync(join(PKG_SRC, 'Framework.PackageInfo')));
  put(join(product, 'Python_Framework.pkg', 'Payload'), gzipSync(cpio));
  out.push({ name: 'seed-product.pkg', bytes: readFileSync(xarOf(product, ['Distribution', 'Python_Framework.pkg'], join(dir, 'seed-product.pkg'), ['xar:compression=none'])) });

  const component = join(dir, 'pkg-component');
  put(join(component, 'PackageInfo'), readFileSync(join(PKG_SRC, 'Framework.PackageInfo')));
  put(join(component, 'Payload'), pbzxOf(cpio, 2048));
  out.push({ name: 'seed-component.pkg', bytes: readFileSync(xarOf(component, ['PackageInfo', 'Payload'], join(dir, 'seed-component.pkg'), ['xar:compression=none'])) });
  return out;
}

/** MinGW DLLs (x64 stripped, x86 with symbols) with VERSIONINFO, from fixtures/src/pe/. */
export function peSeeds(dir: string): NamedBytes[] {
  const pe = join(repoRoot, 'fixtures', 'src', 'pe');
  const out = (n: string): string => join(dir, n);
  run('x86_64-w64-mingw32-windres', ['-O', 'coff', '-i', join(pe, 'version.rc'), '-o', out('v64.o')]);
  run('i686-w64-mingw32-windres', ['-O', 'coff', '-i', join(pe, 'version.rc'), '-o', out('v86.o')]);
  run('x86_64-w64-mingw32-gcc', ['-shared', '-s', '-O2', '-o', out('hello-x64.dll'), join(pe, 'hello.c'), out('v64.o')]);
  run('i686-w64-mingw32-gcc', ['-shared', '-s', '-O0', '-o', out('hello-x86.dll'), join(pe, 'hello.c'), out('v86.o')]);
  return ['hello-x64.dll', 'hello-x86.dll'].map((name) => ({ name, bytes: readFileSync(out(name)) }));
}

/** A thin arm64 dylib by clang + ld64.lld and a 32-bit fat file of arm64 + x86_64. */
export function machoSeeds(dir: string): NamedBytes[] {
  const src = join(repoRoot, 'fixtures', 'src', 'macho');
  const build = (triple: string, out: string): Buffer => {
    run('clang', [`--target=${triple}`, '-fuse-ld=lld', '-shared', '-nostdlib', join(src, 'libSystem.tbd'), '-Wl,-install_name,@rpath/libdep.2.dylib', '-Wl,-current_version,2.5.1', '-o', out, join(src, 'dep.c')]);
    return readFileSync(out);
  };
  const arm = build('arm64-apple-macos11', join(dir, 'libdep-arm64.dylib'));
  const x86 = build('x86_64-apple-macos10.13', join(dir, 'libdep-x86_64.dylib'));
  return [
    { name: 'libdep.dylib', bytes: arm },
    { name: 'libdep-universal.dylib', bytes: fat32([arm, x86], 12) },
  ];
}

/** A FAT_MAGIC file of thin little-endian images, each aligned to 2^alignLog2. */
function fat32(images: Buffer[], alignLog2: number): Buffer {
  const header = Buffer.alloc(8 + images.length * 20);
  header.writeUInt32BE(0xcafebabe, 0);
  header.writeUInt32BE(images.length, 4);
  const parts: Buffer[] = [header];
  let offset = header.length;
  images.forEach((img, i) => {
    const aligned = Math.ceil(offset / 2 ** alignLog2) * 2 ** alignLog2;
    parts.push(Buffer.alloc(aligned - offset), img);
    const e = 8 + i * 20;
    header.writeUInt32BE(img.readUInt32LE(4), e);
    header.writeUInt32BE(img.readUInt32LE(8), e + 4);
    header.writeUInt32BE(aligned, e + 8);
    header.writeUInt32BE(img.length, e + 12);
    header.writeUInt32BE(alignLog2, e + 16);
    offset = aligned + img.length;
  });
  return Buffer.concat(parts);
}

/** fixtures/src/plist/Info.plist as XML and as a binary plist written by plistlib. */
export function plistSeeds(dir: string): NamedBytes[] {
  const bin = join(dir, 'Info-binary.plist');
  run(debianPython, ['-c', 'import plistlib,sys; d=plistlib.load(open(sys.argv[1],"rb")); plistlib.dump(d, open(sys.argv[2],"wb"), fmt=plistlib.FMT_BINARY)', INFO_PLIST, bin]);
  return [
    { name: 'Info.plist', bytes: readFileSync(INFO_PLIST) },
    { name: 'Info.plist', bytes: readFileSync(bin) },
  ];
}

/** A zip whose only member is `inner` stored, written by python zipfile (for nested bombs). */
export function zipAround(inner: Buffer, memberName: string, dir: string, outName: string): Buffer {
  const innerPath = join(dir, `${outName}.member`);
  writeFileSync(innerPath, inner);
  const out = join(dir, outName);
  run(debianPython, ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1],"w"); z.write(sys.argv[2], sys.argv[3]); z.close()', out, innerPath, memberName]);
  return readFileSync(out);
}

/**
 * Signed seeds for the signature readers: a MinGW DLL with a dual Authenticode signature (SHA-1,
 * then SHA-256 nested, RFC 3161 timestamped) by osslsigncode, an arm64 dylib with ld64.lld's
 * ad-hoc code signature, and a xar with RSA and CMS TOC signatures.
 */
export async function signingSeeds(dir: string): Promise<NamedBytes[]> {
  const [dll] = peSeeds(dir);
  const ca = makeTestCa(join(dir, 'ca'));
  const dllPath = join(dir, 'signed.dll');
  writeFileSync(dllPath, dll!.bytes);
  await signPe(dllPath, { ca, commonName: 'Python Software Foundation', programName: 'LibFFI for Python (libffi-3.4.4)', programUrl: 'https://www.python.org/', digest: 'sha1' });
  await signPe(dllPath, { ca, commonName: 'Python Software Foundation', nest: true, timestamp: makeTestTsa(ca) });
  const [dylib] = machoSeeds(dir);
  const stage = join(dir, 'xar-signing-stage');
  put(join(stage, 'Distribution'), '<installer-gui-script minSpecVersion="1"/>\n');
  const xar = xarOf(stage, ['Distribution'], join(dir, 'unsigned.xar'));
  signXar(xar, join(dir, 'signed.xar'), { ca, commonName: 'Developer ID Installer: Test' });
  return [
    { name: 'signed.dll', bytes: readFileSync(dllPath) },
    { name: 'libdep.dylib', bytes: dylib!.bytes },
    { name: 'signed.xar', bytes: readFileSync(join(dir, 'signed.xar')) },
  ];
}

/**
 * The tar family: GNU and pax tars of the payload tree (a symlink, a hard link, a name past 100
 * bytes so long-name records are mutated too), and the pax tar compressed by xz (decoded in
 * process), bzip2 and zstd (decoded by 7z-wasm).
 */
export function tarSeeds(dir: string): NamedBytes[] {
  const tree = join(dir, 'tar-tree');
  payloadTree(tree);
  put(join(tree, 'site-packages', 'a-package-name-long-enough-to-need-a-long-name-record', 'module_with_a_long_name.py'), 'x = 1\n'.repeat(20));
  const out: NamedBytes[] = [];
  for (const fmt of ['gnu', 'pax']) {
    const tar = join(dir, `seed-${fmt}.tar`);
    run('tar', ['--format', fmt, '-cf', tar, '-C', tree, '.']);
    out.push({ name: `seed-${fmt}.tar`, bytes: readFileSync(tar) });
  }
  for (const [ext, flag] of [['tar.xz', '-J'], ['tar.bz2', '-j'], ['tar.zst', '--zstd']] as const) {
    const archive = join(dir, `seed.${ext}`);
    run('tar', ['--format', 'pax', flag, '-cf', archive, '-C', tree, '.']);
    out.push({ name: `seed.${ext}`, bytes: readFileSync(archive) });
  }
  return out;
}

/** 7z archives of the payload tree (7zz): solid LZMA2 with a symlink, and a non-solid one. */
export function sevenZipSeeds(dir: string): NamedBytes[] {
  const tree = join(dir, '7z-tree');
  payloadTree(tree);
  return [['-ms=on'], ['-ms=off', '-m0=BZip2']].map((args, i) => {
    const archive = join(dir, `seed-${i}.7z`);
    run('7zz', ['a', '-snl', ...args, archive, '.'], { cwd: tree });
    return { name: `seed-${i}.7z`, bytes: readFileSync(archive) };
  });
}

/** Zips whose members need 7-Zip: Deflate64 (what Windows Explorer writes) and LZMA. */
export function zipMethodSeeds(dir: string): NamedBytes[] {
  const tree = join(dir, 'zip-methods-tree');
  payloadTree(tree);
  return ['Deflate64', 'LZMA'].map((m) => {
    const zip = join(dir, `seed-${m}.zip`);
    run('7zz', ['a', '-tzip', `-mm=${m}`, zip, 'lib', 'Resources'], { cwd: tree });
    return { name: `seed-${m}.zip`, bytes: readFileSync(zip) };
  });
}

/** A self-extractor: the MinGW PE seed with a gcab cabinet appended as its overlay. */
export function sfxSeed(dir: string): NamedBytes {
  const stub = peSeeds(dir)[0]!.bytes;
  const tree = join(dir, 'sfx-tree');
  payloadTree(tree);
  const cab = join(dir, 'sfx.cab');
  run('gcab', ['-c', '-z', cab, 'lib/init.tcl', 'Resources/Info.plist'], { cwd: tree });
  return { name: 'setup.exe', bytes: Buffer.concat([stub, readFileSync(cab)]) };
}
