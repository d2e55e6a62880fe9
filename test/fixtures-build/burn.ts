/**
 * Synthesizes a WiX Burn bundle (no WiX toolset runs on Linux; fixtures/src/burn/README.md):
 * a MinGW-built stub with a `.wixburn` section, a UX cabinet (gcab) whose member `0` is a
 * BurnManifest, and an attached cabinet (gcab) holding an MSI built by wixl around the real
 * zlib1.dll from Debian's libz-mingw-w64. The section is filled in at the file offset objdump
 * reports, following WiX 3 BurnCommon.cs — independently of the reader under test.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { run } from '../helpers/tools.js';
import { pseudoRandomBytes, zlibDll } from './msi-cab.js';

export const burnSourceDir = join(repoRoot, 'fixtures', 'src', 'burn');
export const burnBuildTools = ['x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres', 'x86_64-w64-mingw32-objdump', 'wixl', 'gcab', 'cabextract', 'msiextract'] as const;
export { zlibDll };

export const BUNDLE_ID = '{2F8E1A4B-7C3D-4E5F-9A0B-1C2D3E4F5A6B}';
export const BUNDLE_NAME = 'python-3.99.0-amd64.exe';

export interface BurnFixture {
  bundle: string;
  /** The MSI stored as `a0` (core.msi) and the files wixl built it from. */
  coreMsi: string;
  licenseText: string;
  uxPayloads: { 'PythonBA.dll': string; 'BootstrapperApplicationData.xml': string };
  /** The bundle's parts, as the generator laid them out. */
  stubSize: number;
  uxSize: number;
  attachedSize: number;
  /** File offset of the `.wixburn` section's raw data (from objdump). */
  sectionOffset: number;
  pdbSize: number;
  pdbSha1: string;
  manifest: string;
}

const sha1 = (b: Buffer): string => createHash('sha1').update(b).digest('hex').toUpperCase();

/** Windows GUID layout: Data1 u32, Data2 u16, Data3 u16 little-endian, then 8 bytes as written. */
export function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/[{}-]/g, '');
  const b = Buffer.alloc(16);
  b.writeUInt32LE(parseInt(hex.slice(0, 8), 16), 0);
  b.writeUInt16LE(parseInt(hex.slice(8, 12), 16), 4);
  b.writeUInt16LE(parseInt(hex.slice(12, 16), 16), 6);
  Buffer.from(hex.slice(16), 'hex').copy(b, 8);
  return b;
}

/** `.wixburn` raw data offset from `objdump -h` (columns: Idx Name Size VMA LMA File-off Algn). */
function wixburnOffset(exe: string): number {
  const line = run('x86_64-w64-mingw32-objdump', ['-h', exe]).split('\n').find((l) => /\s\.wixburn\s/.test(l));
  if (!line) throw new Error('stub has no .wixburn section');
  return parseInt(line.trim().split(/\s+/)[5]!, 16);
}

export interface BurnFixtureOptions {
  /** Rewrites the filled-in manifest before it goes into the UX cabinet (WiX 4 shape, corrupt XML …). */
  manifest?: (xml: string) => string;
  /** File name of the bundle (default BUNDLE_NAME). */
  name?: string;
}

export function buildBurnFixture(dir: string, opts: BurnFixtureOptions = {}): BurnFixture {
  const src = (name: string): string => join(burnSourceDir, name);
  const work = join(dir, `burn-build-${opts.name ?? 'default'}`);
  mkdirSync(work, { recursive: true });

  run('x86_64-w64-mingw32-windres', ['-O', 'coff', '-i', src('stub.rc'), '-o', join(work, 'stub-res.o')]);
  const stubExe = join(work, 'stub.exe');
  run('x86_64-w64-mingw32-gcc', ['-s', '-O2', '-mwindows', '-o', stubExe, src('stub.c'), join(work, 'stub-res.o')]);
  const sectionOffset = wixburnOffset(stubExe);

  // core.msi: wixl resolves Source relative to the .wxs, so everything sits together.
  const msiSrc = join(work, 'msi');
  mkdirSync(msiSrc, { recursive: true });
  copyFileSync(zlibDll, join(msiSrc, 'zlib1.dll'));
  writeFileSync(join(msiSrc, 'os.py'), '"""OS routines for NT or Posix."""\nimport abc\nimport sys\n');
  const licenseText = 'PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2\r\n(fixture text)\r\n';
  writeFileSync(join(msiSrc, 'LICENSE.txt'), licenseText);
  copyFileSync(src('core.wxs'), join(msiSrc, 'core.wxs'));
  const coreMsi = join(work, 'core.msi');
  run('wixl', ['-a', 'x64', '-o', coreMsi, join(msiSrc, 'core.wxs')]);

  // Attached container: members named by payload SourcePath.
  const att = join(work, 'attached');
  mkdirSync(att, { recursive: true });
  copyFileSync(coreMsi, join(att, 'a0'));
  writeFileSync(join(att, 'a1'), licenseText);
  const attachedCab = join(work, 'attached.cab');
  run('gcab', ['-c', '-z', '-n', attachedCab, join(att, 'a0'), join(att, 'a1')]);

  // UX container: `0` is the manifest, u0/u1 the bootstrapper application's payloads.
  const ux = join(work, 'ux');
  mkdirSync(ux, { recursive: true });
  const u0 = pseudoRandomBytes(20_000, 42);
  const u1 = Buffer.from('<?xml version="1.0" encoding="utf-8"?>\n<BootstrapperApplicationData xmlns="http://schemas.microsoft.com/wix/2010/BootstrapperApplicationData"/>\n');
  writeFileSync(join(ux, 'u0'), u0);
  writeFileSync(join(ux, 'u1'), u1);
  const coreBytes = readFileSync(coreMsi);
  const licenseBytes = Buffer.from(licenseText);
  const cabBytes = readFileSync(attachedCab);
  const pdbSize = 123_456;
  const pdbSha1 = sha1(Buffer.from('core_pdb.msi is not in the bundle'));
  const values: Record<string, string> = {
    U0_SIZE: String(u0.length),
    U0_SHA1: sha1(u0),
    U1_SIZE: String(u1.length),
    U1_SHA1: sha1(u1),
    CAB_SIZE: String(cabBytes.length),
    CAB_SHA1: sha1(cabBytes),
    A0_SIZE: String(coreBytes.length),
    A0_SHA1: sha1(coreBytes),
    A1_SIZE: String(licenseBytes.length),
    A1_SHA1: sha1(licenseBytes),
    PDB_SIZE: String(pdbSize),
    PDB_SHA1: pdbSha1,
    BUNDLE_ID,
  };
  const filled = readFileSync(src('manifest.xml'), 'utf8').replace(/@([A-Z0-9_]+)@/g, (_, k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`manifest placeholder ${k} has no value`);
    return v;
  });
  const manifest = opts.manifest ? opts.manifest(filled) : filled;
  writeFileSync(join(ux, '0'), manifest);
  const uxCab = join(work, 'ux.cab');
  run('gcab', ['-c', '-z', '-n', uxCab, join(ux, '0'), join(ux, 'u0'), join(ux, 'u1')]);

  const stub = readFileSync(stubExe);
  const uxBytes = readFileSync(uxCab);
  // BurnCommon.cs field offsets.
  const section = Buffer.alloc(60);
  section.writeUInt32LE(0x00f14300, 0);
  section.writeUInt32LE(2, 4);
  guidBytes(BUNDLE_ID).copy(section, 8);
  section.writeUInt32LE(stub.length, 24);
  section.writeUInt32LE(0, 28);
  section.writeUInt32LE(0, 32);
  section.writeUInt32LE(0, 36);
  section.writeUInt32LE(1, 40);
  section.writeUInt32LE(2, 44);
  section.writeUInt32LE(uxBytes.length, 48);
  section.writeUInt32LE(cabBytes.length, 52);
  section.copy(stub, sectionOffset);

  const bundle = join(dir, opts.name ?? BUNDLE_NAME);
  writeFileSync(bundle, Buffer.concat([stub, uxBytes, cabBytes]));
  return {
    bundle,
    coreMsi,
    licenseText,
    uxPayloads: { 'PythonBA.dll': join(ux, 'u0'), 'BootstrapperApplicationData.xml': join(ux, 'u1') },
    stubSize: stub.length,
    uxSize: uxBytes.length,
    attachedSize: cabBytes.length,
    sectionOffset,
    pdbSize,
    pdbSha1,
    manifest,
  };
}

/** A copy of the bundle with u32 `value` written at `sectionField` bytes into `.wixburn`. */
export function patchSection(fx: BurnFixture, out: string, sectionField: number, value: number): string {
  const bytes = readFileSync(fx.bundle);
  bytes.writeUInt32LE(value >>> 0, fx.sectionOffset + sectionField);
  writeFileSync(out, bytes);
  return out;
}
