/**
 * Builds MSI and CAB fixtures into a temp dir: MSIs with `wixl` (Debian wixl/msitools) from the
 * WiX v3 sources in fixtures/src/msi/, cabinets with `gcab` (MSZIP with -z, stored without).
 * Payloads are generated here, deterministically, plus real DLLs from the registry cache.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { debFixture, npmFixture, repoRoot } from '../helpers/fixtures.js';
import { run } from '../helpers/tools.js';

export const msiSourceDir = join(repoRoot, 'fixtures', 'src', 'msi');
export const msiBuildTools = ['wixl', 'msiextract', 'msiinfo', 'msibuild', 'gcab', 'cabextract'] as const;

export const zlibDll = join(debFixture('libz-mingw-w64'), 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll');
export const libvipsDll = join(npmFixture('@img/sharp-libvips-win32-x64@1.3.3'), 'lib', 'libvips-42.dll');

/** Bytes that deflate compresses somewhat (repeats within 32 KiB windows) but not to nothing. */
export function pseudoRandomBytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    // Low entropy: 16 symbols, with runs copied from 1–4 KiB back.
    out[i] = i > 4096 && (x & 7) === 0 ? out[i - 1024 * (1 + (x >>> 29))]! : 0x41 + (x & 15);
  }
  return out;
}

function writePayloads(src: string): void {
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'readme.txt'), 'Read me.\r\nThis is a test installer.\r\n');
  writeFileSync(join(src, 'long.config'), '<configuration><app name="long"/></configuration>\n');
  // Spans many 32 KiB MSZIP blocks, so the carried window matters.
  writeFileSync(join(src, 'big.dat'), pseudoRandomBytes(300_000, 7));
  writeFileSync(join(src, 'deep.bin'), pseudoRandomBytes(5000, 99));
  writeFileSync(join(src, 'os.py'), '"""OS routines."""\nimport abc\nimport sys\n');
  writeFileSync(join(src, 'tkinter_init.py'), '"""Wrapper functions for Tcl/Tk."""\nimport enum\n');
  writeFileSync(join(src, 'init.tcl'), '# init.tcl --\npackage require -exact Tcl 8.6.13\n');
}

export interface MsiFixtures {
  /** Nested directories, long names with spaces, one embedded MSZIP cabinet (ProgramFilesFolder). */
  nested: string;
  /** Media points at ext.cab (EmbedCab="no"); ext.cab is written beside it, members named by File key. */
  external: string;
  /** DLLs/ Lib/ tcl/ around real DLLs; undefined when the registry DLLs are not cached. */
  cpythonLike?: string;
  /** A Binary table holding a custom action DLL (zlib1.dll) and a script; undefined without zlib1.dll. */
  customAction?: string;
  /** The payload directory the MSIs were built from. */
  payloads: string;
}

export function buildMsiFixtures(dir: string): MsiFixtures {
  const src = join(dir, 'payload');
  writePayloads(src);
  // wixl resolves Source relative to the .wxs and refuses absolute paths, so the sources are
  // copied next to the payloads.
  const wxs = (name: string): string => {
    copyFileSync(join(msiSourceDir, name), join(src, name));
    return join(src, name);
  };
  const nested = join(dir, 'nested.msi');
  run('wixl', ['-o', nested, wxs('nested.wxs')]);

  const extDir = join(dir, 'external');
  mkdirSync(extDir, { recursive: true });
  const external = join(extDir, 'external.msi');
  run('wixl', ['-a', 'x64', '-o', external, wxs('external.wxs')]);
  // wixl records ext.cab but does not write it; msiextract (the oracle) needs it beside the MSI.
  const keyed = join(dir, 'keyed');
  mkdirSync(keyed, { recursive: true });
  copyFileSync(join(src, 'readme.txt'), join(keyed, 'ReadmeFile'));
  copyFileSync(join(src, 'long.config'), join(keyed, 'LongFile'));
  run('gcab', ['-c', '-z', '-n', join(extDir, 'ext.cab'), join(keyed, 'ReadmeFile'), join(keyed, 'LongFile')]);

  const out: MsiFixtures = { nested, external, payloads: src };
  if (existsSync(zlibDll) && existsSync(libvipsDll)) {
    copyFileSync(zlibDll, join(src, 'zlib1.dll'));
    copyFileSync(libvipsDll, join(src, 'libvips-42.dll'));
    out.cpythonLike = join(dir, 'lib.msi');
    run('wixl', ['-a', 'x64', '-o', out.cpythonLike, wxs('cpython-like.wxs')]);
  }
  if (existsSync(zlibDll)) {
    copyFileSync(zlibDll, join(src, 'ca.dll'));
    writeFileSync(join(src, 'check.vbs'), 'MsgBox "checked"\r\n');
    out.customAction = join(dir, 'custom-action.msi');
    run('wixl', ['-o', out.customAction, wxs('custom-action.wxs')]);
  }
  return out;
}

export interface CabFixtures {
  mszip: string;
  stored: string;
  /** The directory the cabinets were made from (relative member names). */
  payloads: string;
}

/** Cabinets from the same files: a nested path, a multi-block file, a real DLL when cached. */
export function buildCabFixtures(dir: string): CabFixtures {
  const src = join(dir, 'cab-payload');
  mkdirSync(join(src, 'sub dir'), { recursive: true });
  writeFileSync(join(src, 'hello.txt'), 'hello, cabinet\n');
  writeFileSync(join(src, 'sub dir', 'big.dat'), pseudoRandomBytes(200_000, 3));
  writeFileSync(join(src, 'empty.txt'), '');
  writeFileSync(join(src, 'sub dir', 'caf\u00e9.txt'), 'accented name\n');
  const members = ['hello.txt', 'empty.txt', 'sub dir/big.dat', 'sub dir/caf\u00e9.txt'];
  if (existsSync(zlibDll)) {
    copyFileSync(zlibDll, join(src, 'zlib1.dll'));
    members.push('zlib1.dll');
  }
  const mszip = join(dir, 'mszip.cab');
  const stored = join(dir, 'stored.cab');
  run('gcab', ['-c', '-z', mszip, ...members], { cwd: src });
  run('gcab', ['-c', stored, ...members], { cwd: src });
  return { mszip, stored, payloads: src };
}
