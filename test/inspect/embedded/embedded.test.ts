import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { inspectFile } from '../../../src/inspect/index.js';
import { parseCargoAuditable } from '../../../src/inspect/embedded/cargo-auditable.js';
import { findGoBuildInfo, parseGoBuildInfo, parseModInfo } from '../../../src/inspect/embedded/go-buildinfo.js';
import { parseSbat } from '../../../src/inspect/embedded/sbat.js';
import { debFixture, npmFixture, requireFixture } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';

async function facts(path: string, name: string) {
  const src = await FileByteSource.open(path);
  try {
    return await inspectFile(src, name);
  } finally {
    await src.close();
  }
}

test('.sbat: rows as shim writes them, NUL padding and short lines ignored', () => {
  const rows = parseSbat(Buffer.from('sbat,1,SBAT Version,sbat,1,https://github.com/rhboot/shim/blob/main/SBAT.md\nshim.debian,1,Debian,shim,16.1,https://tracker.debian.org/pkg/shim\nbroken,1\n\0\0\0'));
  assert.deepEqual(rows.map((r) => [r.component, r.version, r.line]), [['sbat', '1', 1], ['shim.debian', '16.1', 2]]);
});

test('.sbat of Debian shim and GRUB, as objcopy reads the section', async (t) => {
  if (!requireTool(t, 'x86_64-w64-mingw32-objcopy')) return;
  for (const path of [join(debFixture('shim-signed'), 'usr/lib/shim/shimx64.efi.signed'), join(debFixture('grub-efi-amd64-signed'), 'usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed')]) {
    if (!requireFixture(t, path)) return;
    const out = `${path.replace(/.*\//, '/tmp/isbom-')}.sbat.csv`;
    run('x86_64-w64-mingw32-objcopy', ['-O', 'binary', '--only-section=.sbat', path, out]);
    const expected = readFileSync(out, 'latin1').replace(/\0+$/, '').split('\n').filter(Boolean);
    const f = await facts(path, 'x.efi');
    assert.equal(f?.embedded?.sbat?.section, '.sbat');
    assert.deepEqual(f.embedded.sbat.rows.map((r) => [r.component, r.generation, r.vendor, r.package, r.version, r.url].join(',')), expected);
  }
});

test('Go build info of esbuild matches `go version -m`', async (t) => {
  if (!requireTool(t, 'go')) return;
  for (const path of [join(npmFixture('@esbuild/win32-x64@0.25.0'), 'esbuild.exe'), join(npmFixture('@esbuild/darwin-arm64@0.25.0'), 'bin/esbuild')]) {
    if (!requireFixture(t, path)) return;
    const lines = run('go', ['version', '-m', path]).split('\n').map((l) => l.trim().split('\t'));
    const info = (await facts(path, 'esbuild'))?.embedded?.goBuildInfo?.info;
    assert.ok(info, path);
    assert.equal(`go${info.goVersion.slice(2)}`, /: (go\S+)$/.exec(lines[0]!.join('\t'))![1]);
    assert.equal(info.path, lines.find((f) => f[0] === 'path')![1]);
    assert.equal(info.main?.path, lines.find((f) => f[0] === 'mod')![1]);
    assert.deepEqual(info.deps.map((d) => [d.path, d.version, d.sum]), lines.filter((f) => f[0] === 'dep').map((f) => [f[1], f[2], f[3]]));
    assert.equal(info.settings['GOOS'], lines.find((f) => f[0] === 'build' && f[1]!.startsWith('GOOS='))![1]!.slice(5));
  }
});

test('Go build info: replacements, the header search and the pre-1.18 form', () => {
  const m = parseModInfo('path\tex.com/cmd\nmod\tex.com\t(devel)\t\ndep\ta.com/x\tv1.0.0\th1:abc=\n=>\tb.com/x\tv1.1.0\th1:def=\nbuild\tCGO_ENABLED=0\n');
  assert.deepEqual(m.deps, [{ path: 'a.com/x', version: 'v1.0.0', sum: 'h1:abc=', replace: { path: 'b.com/x', version: 'v1.1.0', sum: 'h1:def=' } }]);
  const header = Buffer.alloc(48);
  Buffer.from('\xff Go buildinf:', 'latin1').copy(header, 16);
  assert.equal(findGoBuildInfo(header), 16);
  header[16 + 15] = 0;
  assert.equal(parseGoBuildInfo(header.subarray(16)), undefined, 'pointer form is not read');
});

test('cargo-auditable: crates from the compressed JSON; corrupt data throws', () => {
  const json = { packages: [{ name: 'app', version: '0.1.0', source: 'local', root: true }, { name: 'serde', version: '1.0.219', source: 'crates.io' }, { name: 'x' }] };
  assert.deepEqual(parseCargoAuditable(deflateSync(Buffer.from(JSON.stringify(json)))), [
    { name: 'app', version: '0.1.0', source: 'local', root: true },
    { name: 'serde', version: '1.0.219', source: 'crates.io' },
  ]);
  assert.throws(() => parseCargoAuditable(Buffer.from('not zlib')));
});
