/**
 * Builds small macOS/iOS dylibs at test time with Debian's clang + ld64.lld (no SDK: a .tbd
 * stand-in for libSystem), and fat files from them: one by llvm-lipo, and 32/64-bit fat files
 * written here for slice sets llvm-lipo 14 refuses (arm64 + arm64e) or cannot write (FAT_MAGIC_64).
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasTool, run } from '../helpers/tools.js';
import { repoRoot } from '../helpers/fixtures.js';

const SRC = join(repoRoot, 'fixtures', 'src', 'macho');

/**
 * An LLVM tool by name: on PATH, with a `-NN` suffix, or in /usr/lib/llvm-NN/bin (Debian puts
 * llvm-lipo and llvm-otool only there).
 */
export function llvmTool(name: string): string | undefined {
  if (hasTool(name)) return name;
  const dirs = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((d) => /^llvm-\d+$/.test(d)) : [];
  dirs.sort((a, b) => Number(b.slice(5)) - Number(a.slice(5)));
  for (const d of dirs) {
    if (hasTool(`${name}-${d.slice(5)}`)) return `${name}-${d.slice(5)}`;
    const p = join('/usr/lib', d, 'bin', name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export interface DemoTarget {
  /** clang --target triple. */
  triple: string;
  /** Short label used in file names. */
  label: string;
  /** Extra linker flags (platform_version with a distinct SDK, so minos ≠ sdk is tested). */
  extra: string[];
}

export const DEMO_TARGETS: DemoTarget[] = [
  { triple: 'arm64-apple-macos11', label: 'arm64', extra: ['-Wl,-platform_version,macos,11.0,13.1'] },
  // Below 10.14 ld64.lld writes LC_VERSION_MIN_MACOSX instead of LC_BUILD_VERSION.
  { triple: 'x86_64-apple-macos10.13', label: 'x86_64', extra: [] },
  { triple: 'arm64-apple-ios14', label: 'arm64-ios', extra: [] },
  { triple: 'x86_64-apple-ios13.1-macabi', label: 'x86_64-maccatalyst', extra: [] },
];

/** Builds libdemo for one target (with its libdep and libre), returns the libdemo path. */
export function buildDemoDylib(dir: string, target: DemoTarget): string {
  const tbd = join(SRC, 'libSystem.tbd');
  const cc = (args: string[]): void => {
    run('clang', [`--target=${target.triple}`, '-fuse-ld=lld', '-shared', '-nostdlib', tbd, ...args]);
  };
  const dep = join(dir, `libdep-${target.label}.dylib`);
  const re = join(dir, `libre-${target.label}.dylib`);
  const demo = join(dir, `libdemo-${target.label}.dylib`);
  cc(['-Wl,-install_name,@rpath/libdep.2.dylib', '-Wl,-current_version,2.5.1', '-Wl,-compatibility_version,2.0.0', '-o', dep, join(SRC, 'dep.c')]);
  cc(['-Wl,-install_name,/opt/demo/lib/libre.dylib', '-o', re, join(SRC, 're.c')]);
  cc([
    ...target.extra,
    '-Wl,-install_name,@rpath/libdemo.1.dylib',
    '-Wl,-current_version,1.2.3',
    '-Wl,-compatibility_version,1.0.0',
    '-Wl,-rpath,@loader_path/../lib',
    '-Wl,-rpath,/opt/demo/lib',
    `-Wl,-weak_library,${dep}`,
    `-Wl,-reexport_library,${re}`,
    '-o',
    demo,
    join(SRC, 'demo.c'),
  ]);
  return demo;
}

/** Writes a fat file of the given thin images, each aligned to 2^14 (the arm64 page size). */
export async function writeFat(out: string, thin: string[], fat64: boolean): Promise<void> {
  const ALIGN_LOG2 = 14;
  const images = await Promise.all(thin.map((p) => readFile(p)));
  const entrySize = fat64 ? 32 : 20;
  const header = Buffer.alloc(8 + images.length * entrySize);
  header.writeUInt32BE(fat64 ? 0xcafebabf : 0xcafebabe, 0);
  header.writeUInt32BE(images.length, 4);
  const parts: Buffer[] = [header];
  let offset = header.length;
  images.forEach((img, i) => {
    const aligned = Math.ceil(offset / (1 << ALIGN_LOG2)) * (1 << ALIGN_LOG2);
    parts.push(Buffer.alloc(aligned - offset), img);
    const e = 8 + i * entrySize;
    // cputype and cpusubtype are copied from the (little-endian) thin header.
    header.writeUInt32BE(img.readUInt32LE(4), e);
    header.writeUInt32BE(img.readUInt32LE(8), e + 4);
    if (fat64) {
      header.writeBigUInt64BE(BigInt(aligned), e + 8);
      header.writeBigUInt64BE(BigInt(img.length), e + 16);
      header.writeUInt32BE(ALIGN_LOG2, e + 24);
    } else {
      header.writeUInt32BE(aligned, e + 8);
      header.writeUInt32BE(img.length, e + 12);
      header.writeUInt32BE(ALIGN_LOG2, e + 16);
    }
    offset = aligned + img.length;
  });
  await writeFile(out, Buffer.concat(parts));
}

/** `llvm-lipo -create` of the given thin files. */
export function lipoCreate(out: string, thin: string[]): void {
  const lipo = llvmTool('llvm-lipo');
  if (lipo === undefined) throw new Error('llvm-lipo not found');
  run(lipo, ['-create', ...thin, '-output', out]);
}

/**
 * A copy of a little-endian thin image with another cpusubtype. ld64.lld 14 writes arm64e
 * targets as plain arm64, so arm64e (subtype 2, with the pointer-auth ABI flag 0x80000000)
 * is made by patching the header; the contents are never executed.
 */
export async function withCpuSubtype(src: string, out: string, cpusubtype: number): Promise<string> {
  const img = await readFile(src);
  img.writeUInt32LE(cpusubtype >>> 0, 8);
  await writeFile(out, img);
  return out;
}

/**
 * A hand-assembled big-endian PowerPC dylib (ppc or ppc64): no toolchain here targets it, and it
 * carries the load commands ld64.lld never writes (upward and lazy dylibs, LC_SOURCE_VERSION,
 * LC_ENCRYPTION_INFO). Its expected decoding comes from llvm-objdump, not from this builder.
 */
export function handMadePpcDylib(bits: 32 | 64): Buffer {
  const align = bits === 64 ? 8 : 4;
  const pad = (n: number): number => Math.ceil(n / align) * align;
  const cmds: Buffer[] = [];
  const cmd = (id: number, body: Buffer): void => {
    const b = Buffer.alloc(pad(8 + body.length));
    b.writeUInt32BE(id, 0);
    b.writeUInt32BE(b.length, 4);
    body.copy(b, 8);
    cmds.push(b);
  };
  const name16 = (s: string): Buffer => {
    const b = Buffer.alloc(16);
    b.write(s, 'latin1');
    return b;
  };
  const dylib = (id: number, name: string, cur: number, compat: number): void => {
    const body = Buffer.alloc(16 + name.length + 1);
    body.writeUInt32BE(24, 0); // name offset, from the command start
    body.writeUInt32BE(2, 4);
    body.writeUInt32BE(cur, 8);
    body.writeUInt32BE(compat, 12);
    body.write(name, 16, 'utf8');
    cmd(id, body);
  };
  const FILE_SIZE = 4096;
  const TEXT_OFF = 2048;
  // Segment with one section.
  {
    const seg = Buffer.alloc(bits === 64 ? 64 + 80 : 48 + 68);
    name16('__TEXT').copy(seg, 0);
    let o = 16;
    const word = (v: number): void => {
      if (bits === 64) seg.writeBigUInt64BE(BigInt(v), o);
      else seg.writeUInt32BE(v, o);
      o += bits / 8;
    };
    word(0x1000); word(0x1000); word(0); word(FILE_SIZE);
    seg.writeUInt32BE(5, o); seg.writeUInt32BE(5, o + 4); seg.writeUInt32BE(1, o + 8); seg.writeUInt32BE(0, o + 12);
    o += 16;
    name16('__text').copy(seg, o); name16('__TEXT').copy(seg, o + 16);
    o += 32;
    word(0x1000 + TEXT_OFF); word(48);
    seg.writeUInt32BE(TEXT_OFF, o); seg.writeUInt32BE(2, o + 4); seg.writeUInt32BE(0x80000400, o + 16);
    cmd(bits === 64 ? 0x19 : 0x1, seg);
  }
  dylib(0xd, '/usr/local/lib/libhand.3.dylib', (3 << 16) | (1 << 8) | 4, 3 << 16);
  dylib(0xc, '/usr/lib/libSystem.B.dylib', (88 << 16) | (3 << 8) | 11, 1 << 16);
  dylib(0x80000023, '/usr/lib/libupward.dylib', 1 << 16, 1 << 16);
  dylib(0x20, '/usr/lib/liblazy.dylib', (2 << 16) | 7, 2 << 16);
  dylib(0x80000018, '/usr/lib/libweak.dylib', 5 << 16, 5 << 16);
  {
    const r = Buffer.alloc(4 + '@executable_path/../Frameworks'.length + 1);
    r.writeUInt32BE(12, 0);
    r.write('@executable_path/../Frameworks', 4);
    cmd(0x8000001c, r);
  }
  cmd(0x1b, Buffer.from('00112233445566778899aabbccddeeff', 'hex'));
  {
    const v = Buffer.alloc(8);
    v.writeUInt32BE((10 << 16) | (4 << 8) | 11, 0);
    v.writeUInt32BE((10 << 16) | (5 << 8), 4);
    cmd(0x24, v);
  }
  {
    const s = Buffer.alloc(8);
    s.writeBigUInt64BE((123n << 40n) | (4n << 30n) | (5n << 20n) | (6n << 10n) | 7n, 0);
    cmd(0x2a, s);
  }
  {
    const e = Buffer.alloc(bits === 64 ? 16 : 12);
    e.writeUInt32BE(TEXT_OFF, 0);
    e.writeUInt32BE(256, 4);
    e.writeUInt32BE(1, 8);
    cmd(bits === 64 ? 0x2c : 0x21, e);
  }
  const body = Buffer.concat(cmds);
  const header = Buffer.alloc(bits === 64 ? 32 : 28);
  header.writeUInt32BE(bits === 64 ? 0xfeedfacf : 0xfeedface, 0);
  header.writeUInt32BE(bits === 64 ? 0x01000012 : 18, 4);
  header.writeUInt32BE(0, 8);
  header.writeUInt32BE(6, 12);
  header.writeUInt32BE(cmds.length, 16);
  header.writeUInt32BE(body.length, 20);
  const file = Buffer.alloc(FILE_SIZE);
  Buffer.concat([header, body]).copy(file);
  file.write('hand-made text section', TEXT_OFF, 'latin1');
  return file;
}
