import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkArtifact, type WalkResult } from '../../../src/unpack/walk.js';
import { debFixture, requireFixture, tempDir } from '../../helpers/fixtures.js';
import { debianPython, requireTool, run } from '../../helpers/tools.js';
import { runCli } from '../../helpers/cli.js';
import { pefileFacts, requirePefile, sectionsEnd } from '../../inspect/pe/pefile-oracle.js';
import { readPeFacts } from '../../../src/inspect/pe/index.js';
import { BufferByteSource } from '../../../src/io/byte-source.js';
import { InstallShieldSetupReader } from '../../../src/unpack/installshield/setup-reader.js';
import { findLauncherPayload } from '../../../src/unpack/installshield/launcher.js';
import { hashTree } from '../cab/collect.js';

const clamav = join(debFixture('clamav-testfiles'), 'usr', 'share', 'clamav-testfiles');

/**
 * An independent reading of the plain launcher layout (four NUL-terminated fields, then the
 * bytes), written in Python, so unshield can be given the cabinet set as files on disk.
 */
const CARVE_PLAIN = `
import sys, os
data = open(sys.argv[1], 'rb').read()
p = int(sys.argv[2])
while p < len(data):
    fields = []
    for _ in range(4):
        e = data.index(b'\\0', p); fields.append(data[p:e].decode('latin1')); p = e + 1
    size = int(fields[3])
    out = os.path.join(sys.argv[3], *fields[1].split('\\\\'))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    open(out, 'wb').write(data[p:p + size]); p += size
`;

async function walk(path: string): Promise<{ res: WalkResult; files: Map<string, string> }> {
  const files = new Map<string, string>();
  const res = await walkArtifact(path, async (f, _source, digests) => {
    files.set(f.path, (await digests).sha256);
  });
  for (const f of res.files) if (f.digests) files.set(f.path, f.digests.sha256);
  return { res, files };
}

function needs(t: TestContext, ...tools: string[]): string | undefined {
  for (const tool of tools) if (!requireTool(t, tool)) return undefined;
  return requireFixture(t, join(clamav, 'clam_IScab_int.exe'));
}


test('InstallShield 11 Setup.exe: launcher files, the ISc( cabinet set equal to unshield, the engine cabinet equal to 7zz', { timeout: 180_000 }, async (t) => {
  const exe = needs(t, 'unshield', '7zz');
  if (!exe) return;
  const dir = await tempDir(t);
  for (const name of ['clam_IScab_int.exe', 'clam_IScab_ext.exe']) {
    const setup = join(clamav, name);
    const carved = join(dir, name, 'carved');
    // The launcher data start at the end of the last section (pefile is the independent reader).
    run(debianPython, ['-c', CARVE_PLAIN, setup, String(sectionsEnd(pefileFacts(setup))), carved]);
    const { res, files } = await walk(setup);

    // Every launcher file, byte for byte, under the path the launcher records.
    const launcher = await hashTree(carved);
    for (const [path, sha] of launcher) {
      if (path === 'Disk1/data1.hdr' || path === 'Disk1/engine32.cab') continue;
      assert.equal(files.get(path), sha, `${name}: ${path}`);
    }

    // The cabinet set: unshield's paths, and per file group the bytes unshield extracts.
    const cab = join(carved, 'Disk1', 'data1.cab');
    const listing = run('unshield', ['l', cab])
      .split('\n')
      .map((l) => /^\s+\d+\s{2}(.+)$/.exec(l)?.[1])
      .filter((p): p is string => p !== undefined)
      .map((p) => `Disk1/data1.hdr/${p.replace(/\\/g, '/')}`)
      .sort();
    const ours = [...files.keys()].filter((p) => p.startsWith('Disk1/data1.hdr/')).sort();
    assert.deepEqual(ours, listing, name);
    const groups = run('unshield', ['g', cab])
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('Cabinet:') && !l.startsWith('---') && !/^\d+ file groups$/.test(l));
    assert.ok(groups.length > 5);
    for (const [i, g] of groups.entries()) {
      const out = join(dir, name, `g${i}`);
      mkdirSync(out, { recursive: true });
      run('unshield', ['-g', g, '-j', '-d', out, 'x', cab]);
      // -j still makes one folder per group (named by unshield's sanitising); its files are the group's.
      for (const [file, sha] of await hashTree(out)) {
        const member = file.slice(file.indexOf('/') + 1);
        assert.equal(files.get(`Disk1/data1.hdr/${g}/${member}`), sha, `${name}: ${g}/${member}`);
      }
    }

    // The Microsoft cabinet in the launcher: 7-Zip finds it inside the Setup.exe on its own.
    const x7 = join(dir, name, '7z');
    run('7zz', ['x', '-y', '-tCab', `-o${x7}`, setup]);
    const engine = await hashTree(x7);
    assert.equal(engine.size, 13);
    for (const [file, sha] of engine) assert.equal(files.get(`Disk1/engine32.cab/${file}`), sha, `${name}: engine32.cab/${file}`);

    // The installer component: InstallShield 11, from the stub's VERSIONINFO.
    const root = res.root.info;
    assert.equal(root.format, 'installshield');
    assert.equal(root.properties.layout, 'plain');
    assert.deepEqual(root.findings?.map((f) => [f.componentId, f.version]), [['installshield', '11.00.28844']]);
    const hdr = res.containers.find((c) => c.key === 'Disk1/data1.hdr')!;
    assert.equal(hdr.info.format, 'installshield-cab');
    assert.equal(hdr.info.properties.versionWord, '0x01009500');
    assert.equal(hdr.info.findings, undefined);
    assert.deepEqual(res.unknowns, []);
    // data1.cab is a volume of the set data1.hdr lists, not a Microsoft cabinet misnamed.
    assert.deepEqual(res.warnings.filter((w) => /named like/.test(w.message)), [], name);
  }
});

test('InstallShield 2009 MSI launcher: the encoded files decode to the MSI and files whose bytes ClamAV ships in the clear', { timeout: 120_000 }, async (t) => {
  if (!needs(t)) return;
  // clam.exe is shipped beside the setups: the ground truth for the bytes inside them.
  const clamExe = (await hashTree(clamav)).get('clam.exe');
  for (const [name, extra] of [['clam_ISmsi_int.exe', []], ['clam_ISmsi_ext.exe', ['clam.exe409.bmp']]] as const) {
    const { res, files } = await walk(join(clamav, name));
    assert.equal(res.root.info.properties.layout, 'InstallShield');
    assert.deepEqual([...files.keys()].filter((p) => !p.startsWith('clam.msi/')).sort(), ['0x0409.ini', 'EvalMarker.dat', 'Setup.ini', ...extra].sort());
    const msi = res.containers.find((c) => c.key === 'clam.msi')!;
    assert.equal(msi.info.format, 'msi');
    assert.equal(msi.info.name, 'clam');
    if (extra.length === 0) assert.equal(files.get('clam.msi/Program Files/company/My Product Name/is/clam.exe'), clamExe);
    else assert.equal(files.get('clam.exe409.bmp'), clamExe);
    // InstallShield's custom action DLLs are rows of the MSI's Binary table, members too.
    for (const ca of ['Binary.ISExpHlp.dll', 'Binary.ISSELFREG.DLL', 'Binary.SetAllUsers.dll']) assert.ok(files.has(`clam.msi/${ca}`), `${name}: ${ca}`);
    // The launcher's VERSIONINFO is the product's: no InstallShield version is claimed from it.
    assert.equal(res.root.info.name, 'clam');
    assert.deepEqual(res.root.info.findings?.map((f) => [f.componentId, f.version]), [['installshield', undefined]]);
  }
});

test('InstallShield: a data cabinet missing from the set is a known unknown, and damage exits 3 in one line', { timeout: 120_000 }, async (t) => {
  const exe = needs(t);
  if (!exe) return;
  const dir = await tempDir(t);
  const bytes = readFileSync(exe);
  // Rename data2.cab's record (same length) so the set lacks its second volume.
  const renamed = Buffer.from(bytes);
  const at = renamed.indexOf('data2.cab\0Disk1\\data2.cab', 0, 'latin1');
  renamed.write('datX2.cab\0Disk1\\datX2.cab', at, 'latin1');
  const p = join(dir, 'setup-missing.exe');
  writeFileSync(p, renamed);
  const { res } = await walk(p);
  assert.ok(res.unknowns.length > 0);
  assert.ok(res.unknowns.every((u) => u.kind === 'absent' && /data2\.cab is not beside the header/.test(u.reason)), JSON.stringify(res.unknowns));

  const truncated = join(dir, 'setup-truncated.exe');
  writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
  const out = join(dir, 't.spdx.json');
  const cli = runCli(['build', truncated, '-o', out, '--supplier', 'Organization: Example']);
  assert.equal(cli.status, 3, cli.stderr);
  assert.equal(cli.stderr.trim().split('\n').length, 1);
  assert.match(cli.stderr, /setup-truncated\.exe: .*InstallShield launcher: setup\.inx needs 210370 bytes/);
});

test('MinGW DLLs keep their COFF symbol table after the sections: never read as an InstallShield launcher', { timeout: 120_000 }, async (t) => {
  if (!requirePefile(t)) return;
  const dirs = ['libwine', 'libwine-vc'].map((d) => join(debFixture(d), 'usr', 'lib', 'x86_64-linux-gnu', 'wine', 'x86_64-windows'));
  // msvcp140_2.dll's symbol table starts ".file\0" "\0" "\0" "5\0": four NUL-terminated fields,
  // the last one decimal, which is what a plain launcher record looks like.
  if (!requireFixture(t, join(dirs[1]!, 'msvcp140_2.dll'))) return;
  let unstripped = 0;
  for (const dll of dirs.flatMap((d) => readdirSync(d).filter((n) => n.endsWith('.dll')).map((n) => join(d, n)))) {
    // pefile is the independent reader of where the sections end and the symbol table starts.
    const o = pefileFacts(dll);
    if (o.numberOfSymbols === 0 || o.pointerToSymbolTable !== sectionsEnd(o)) continue;
    unstripped++;
    assert.equal(await InstallShieldSetupReader.probe!(new BufferByteSource(readFileSync(dll)), undefined as never), false, dll);
    const { res } = await walk(dll);
    assert.deepEqual(res.containers.map((c) => c.info.format), [res.root.info.format], dll);
    assert.notEqual(res.root.info.format, 'installshield', dll);
  }
  assert.ok(unstripped > 10, `only ${unstripped} DLLs keep a symbol table: the check checks nothing`);
});

test('A plain launcher record names the path its file is written to: fields that leave it empty are not one', async () => {
  const payload = (text: string) => {
    const bytes = Buffer.from(`MZ${'\0'.repeat(62)}${text}`, 'latin1');
    return findLauncherPayload(new BufferByteSource(bytes), 64, bytes.length);
  };
  const record = 'setup.ini\0Disk1\\setup.ini\x000.0.0.0\x004\0abcd';
  assert.deepEqual(await payload(record), { layout: 'plain', offset: 64, end: 64 + record.length });
  // The first COFF symbol of an unstripped MinGW image: ".file", padding, the value 0x35 ("5").
  assert.equal(await payload('.file\0\0\x005\0\0\0\xfe\xff\0\0g\x01fake'), undefined);
});

test('a CodeView record the debug directory places after the sections is part of the image, not an overlay', { timeout: 120_000 }, async (t) => {
  const exe = needs(t, '7zz');
  if (!exe || !requirePefile(t)) return;
  const dir = await tempDir(t);
  // ctor.dll, in the engine cabinet: pefile reports an 82-byte overlay, which its debug
  // directory says is the CodeView data ("NB10" and the PDB path) of VC6-era linkers.
  run(debianPython, ['-c', CARVE_PLAIN, exe, String(sectionsEnd(pefileFacts(exe))), dir]);
  run('7zz', ['x', '-y', '-bd', `-o${join(dir, 'engine')}`, join(dir, 'Disk1', 'engine32.cab')]);
  const ctor = join(dir, 'engine', 'ctor.dll');
  const o = pefileFacts(ctor);
  assert.equal(o.fileSize - o.overlayStart!, 82);
  assert.deepEqual(o.debugData, [{ offset: o.overlayStart, size: 82 }]);
  assert.equal(readFileSync(ctor).toString('latin1', o.overlayStart!, o.overlayStart! + 4), 'NB10');
  assert.equal((await readPeFacts(new BufferByteSource(readFileSync(ctor)))).overlay, undefined);
  // Nothing in the whole setup is an overlay we could not read.
  const { res } = await walk(exe);
  assert.deepEqual(res.unknowns.filter((u) => u.format === 'pe-overlay'), []);
});
