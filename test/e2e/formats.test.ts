/**
 * One bill of materials, three formats: for the model of every installer fixture, SPDX 2.3, SPDX
 * 3.0.1 and CycloneDX 1.6 read back through the neutral readers name the same components, files,
 * containers, carriers, declared-absent packages and known unknowns; each document is valid
 * against its official schema (../shared/oracles) and the same with one SOURCE_DATE_EPOCH.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBom, type BuildOptions } from '../../src/build.js';
import { parseBom } from '../../src/bom/read/index.js';
import type { BomView } from '../../src/bom/view.js';
import { writeSpdx23 } from '../../src/serialize/spdx2.js';
import { writeSpdx3 } from '../../src/serialize/spdx3.js';
import { writeCycloneDx } from '../../src/serialize/cyclonedx.js';
import { validateDocument } from '../../src/validate/index.js';
import { requireFixture, sharedDir } from '../helpers/fixtures.js';
import { sbomSchemaErrors } from '../helpers/oracles.js';
import { hasTool } from '../helpers/tools.js';
import { buildCpythonLayout, cpythonLayoutTools, embedLayout, msiLayout, readLayout, zipLayout } from '../fixtures-build/cpython-layout.js';
import { buildMacFramework, buildMacPkg, cpythonMacosTools, readMacLayout } from '../fixtures-build/cpython-macos.js';
import { llvmTool } from '../fixtures-build/macho.js';
import { buildBurnFixture, burnBuildTools } from '../fixtures-build/burn.js';
import { buildNsisFixtures, nsisBuildTools } from '../fixtures-build/nsis.js';
import { libvipsDll, zlibDll } from '../fixtures-build/msi-cab.js';
import { zipOf } from '../fixtures-build/hostile-archives.js';

const EPOCH = '1700000000';
const inputs = join(sharedDir, 'cpython-sbom-inputs', '3.13.0rc2');
const sources = [join(inputs, 'externals.spdx.json'), join(inputs, 'sbom.spdx.json')];

let work = '';
const savedEpoch = process.env['SOURCE_DATE_EPOCH'];
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'isbom-formats-'));
  process.env['SOURCE_DATE_EPOCH'] = EPOCH;
});
after(async () => {
  if (savedEpoch === undefined) delete process.env['SOURCE_DATE_EPOCH'];
  else process.env['SOURCE_DATE_EPOCH'] = savedEpoch;
  if (work) await rm(work, { recursive: true, force: true });
});

/** What every format must say alike, as sorted lines. */
function statements(v: BomView) {
  const hashes = (c: Record<string, string>) => ['SHA1', 'SHA256', 'SHA512'].map((a) => c[a] ?? '-').join(' ');
  const components = v.components.map((c) => `${c.name}@${c.version ?? ''}`);
  return {
    root: `${v.root?.name} ${v.root?.version ?? ''} ${v.root?.fileName ?? ''} ${hashes(v.root?.checksums ?? {})}`,
    components: [...components].sort(),
    files: v.files.map((f) => `${f.path} ${hashes(f.checksums)}`).sort(),
    containers: v.containers.map((c) => `${c.path} ${hashes(c.checksums)}`).sort(),
    carriers: v.components.map((c) => `${c.name}@${c.version ?? ''}: ${c.carriers.map((x) => `${x.relation} ${x.path}`).sort().join(', ')}`).sort(),
    declaredAbsent: v.declaredAbsent.map((d) => `${d.name} ${d.version ?? ''}: ${d.note}`).sort(),
    knownUnknowns: [...v.knownUnknowns].sort(),
    complete: v.complete,
  };
}

/** Builds, writes the three formats twice, and checks them against each other and the model. */
async function roundTrip(artifact: string, options: BuildOptions = {}) {
  const first = await buildBom(artifact, options);
  const second = await buildBom(artifact, options);
  const { bom } = first;
  const texts = { spdx2: writeSpdx23(bom), spdx3: writeSpdx3(bom), cdx: writeCycloneDx(bom, '1.6') };
  // Byte-identical across two runs with one SOURCE_DATE_EPOCH.
  assert.equal(writeSpdx23(second.bom), texts.spdx2);
  assert.equal(writeSpdx3(second.bom), texts.spdx3);
  assert.equal(writeCycloneDx(second.bom, '1.6'), texts.cdx);
  assert.ok(texts.spdx2.includes('"created": "2023-11-14T22:13:20Z"'));

  const views: Record<string, BomView> = {};
  for (const [name, text] of Object.entries(texts)) {
    const read = parseBom(text, `${name}.json`);
    assert.deepEqual(sbomSchemaErrors(read.json), [], `${name} against its official schema`);
    const report = validateDocument(read.json, read.view);
    assert.deepEqual(report.errors, [], `${name}: validate finds no error`);
    views[name] = read.view;
  }
  const s2 = statements(views['spdx2']!);
  for (const name of ['spdx3', 'cdx']) assert.deepEqual(statements(views[name]!), s2, `${name} states what SPDX 2.3 states`);
  // SPDX 3.0.1 states each file of the delivery once: a package's bytes that are also one of the
  // files (a bare binary, a self-extractor) are that file, not a second element.
  const spdx3Files = (JSON.parse(texts.spdx3) as { '@graph': { type: string; name?: string; verifiedUsing?: { hashValue: string }[] }[] })['@graph'].filter((n) => n.type === 'software_File').map((n) => `${n.name} ${n.verifiedUsing?.map((h) => h.hashValue).sort().join(' ')}`);
  assert.deepEqual(spdx3Files.filter((f, i) => spdx3Files.indexOf(f) !== i), [], 'no file stated twice in SPDX 3.0.1');

  // And what they state is the model: every component copy, every file with its three digests, every container.
  const modelComponents = bom.components.map((c) => `${c.name}@${c.version ?? ''}`).sort();
  assert.deepEqual(s2.components, modelComponents);
  assert.deepEqual(s2.files, bom.files.map((f) => `${f.path} ${f.digests.sha1} ${f.digests.sha256} ${f.digests.sha512}`).sort());
  assert.deepEqual(s2.containers.map((c) => c.split(' ')[0]).sort(), bom.containers.map((c) => c.path).sort());
  assert.equal(s2.knownUnknowns.length, bom.knownUnknowns.length);
  assert.equal(s2.declaredAbsent.length, bom.declaredAbsent.length);
  // SHA-512 for the artifact and every file.
  // (A directory has no bytes of its own.)
  if (bom.artifact.format !== 'directory') assert.match(bom.artifact.digests?.sha512 ?? '', /^[0-9a-f]{128}$/);
  for (const f of bom.files) assert.match(f.digests.sha512, /^[0-9a-f]{128}$/);
  return { bom, views, statements: s2 };
}

let cpython: { msi: string; embed: string } | undefined;
function cpythonFixtures() {
  if (cpython) return cpython;
  const layout = readLayout();
  const stage = buildCpythonLayout(join(work, 'full'), layout);
  const msi = msiLayout(stage, layout, join(work, `python-${layout.version}-amd64.msi`));
  const embed = zipLayout(buildCpythonLayout(join(work, 'embed'), embedLayout(layout)), join(work, `python-${layout.version}-embed-amd64.zip`));
  cpython = { msi, embed };
  return cpython;
}

function needs(t: { skip: (m: string) => void }, tools: readonly string[]): boolean {
  const missing = tools.filter((x) => !hasTool(x));
  if (missing.length === 0) return true;
  if (process.env['CI']) throw new Error(`tools missing: ${missing.join(', ')}`);
  t.skip(`tools missing: ${missing.join(', ')}`);
  return false;
}

test('CPython-shaped MSI with its source SBOMs: the three formats say the same', async (t) => {
  if (!needs(t, cpythonLayoutTools)) return;
  const { bom, statements: s } = await roundTrip(cpythonFixtures().msi, { sourceSboms: sources });
  assert.ok(bom.components.some((c) => c.componentId === 'pypi/pip'), 'pip and its vendored packages in every format');
  assert.ok(s.components.some((c) => c.startsWith('pip@')));
});

test('CPython-shaped embeddable zip with its source SBOMs: declared-but-absent packages the same in every format', async (t) => {
  if (!needs(t, cpythonLayoutTools)) return;
  const { statements: s } = await roundTrip(cpythonFixtures().embed, { sourceSboms: sources });
  // Tcl/Tk are declared by externals.spdx.json and not in an embeddable zip.
  assert.ok(s.declaredAbsent.some((d) => d.startsWith('tcl-core ')), s.declaredAbsent.join('\n'));
});

test('CPython-shaped macOS .pkg: the three formats say the same', async (t) => {
  if (!needs(t, cpythonMacosTools)) return;
  if (!llvmTool('llvm-lipo')) {
    if (process.env['CI']) throw new Error('llvm-lipo missing');
    return t.skip('llvm-lipo missing');
  }
  const spec = readMacLayout();
  const pkg = buildMacPkg(work, buildMacFramework(work, 'framework'), `python-${spec.version}-macos11`, 'pbzx', spec.version);
  const { statements: s } = await roundTrip(pkg);
  assert.ok(s.containers.length > 0);
  assert.ok(s.components.length > 0);
});

test('WiX Burn bundle: the three formats say the same', async (t) => {
  if (!needs(t, burnBuildTools)) return;
  if (!requireFixture(t, zlibDll)) return;
  const fx = buildBurnFixture(work, { name: 'formats-bundle.exe' });
  const { statements: s } = await roundTrip(fx.bundle);
  assert.ok(s.containers.some((c) => c.includes('.msi') || c.includes('core')), s.containers.join('\n'));
});

test('NSIS installer: the three formats say the same', async (t) => {
  if (!needs(t, nsisBuildTools)) return;
  if (!requireFixture(t, zlibDll)) return;
  const fx = buildNsisFixtures(join(work, 'nsis'));
  const { statements: s } = await roundTrip(fx.installers.zlib);
  assert.ok(s.components.some((c) => c.startsWith('zlib@')), s.components.join('\n'));
});

test('a plain zip of real npm and Debian binaries: the three formats say the same', async (t) => {
  if (!requireFixture(t, libvipsDll) || !requireFixture(t, zlibDll)) return;
  const zip = join(work, 'binaries.zip');
  writeFileSync(
    zip,
    zipOf([
      { name: 'bin/libvips-42.dll', data: readFileSync(libvipsDll), method: 8 },
      { name: 'bin/zlib1.dll', data: readFileSync(zlibDll), method: 8 },
      // The same bytes at a second path: two file entries, one digest, in every format.
      { name: 'copy/zlib1.dll', data: readFileSync(zlibDll) },
      { name: 'README.txt', data: Buffer.from('binaries\n') },
      // Method 97 (WavPack) is not decoded: a known unknown that makes the lists incomplete.
      { name: 'sound.wv', data: Buffer.from('not decoded'), method: 97, compressed: Buffer.from('wavpack bytes') },
    ]),
  );
  const { statements: s } = await roundTrip(zip, { supplier: 'Organization: Example' });
  assert.ok(s.knownUnknowns.some((u) => /^known unknown \(unsupported-member\): sound\.wv: /.test(u)), s.knownUnknowns.join('\n'));
  assert.equal(s.complete, false);
  assert.ok(s.components.some((c) => c.startsWith('zlib@')), s.components.join('\n'));
  assert.ok(s.files.filter((f) => f.endsWith('.dll') || f.includes('.dll ')).length >= 3);
});

test('a bare binary: the artifact is its one file, stated once in every format', async (t) => {
  if (!requireFixture(t, zlibDll)) return;
  const { statements: s } = await roundTrip(zlibDll);
  assert.equal(s.files.length, 1);
  assert.ok(s.components.some((c) => c.startsWith('zlib@')), s.components.join('\n'));
});

test('a directory artifact: no bytes of its own, the three formats still say the same', async (t) => {
  if (!requireFixture(t, zlibDll)) return;
  const dir = join(work, 'release');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  copyFileSync(zlibDll, join(dir, 'bin', 'zlib1.dll'));
  writeFileSync(join(dir, 'README.txt'), 'release\n');
  await roundTrip(dir, { supplier: 'Organization: Example' });
});
