/**
 * xar TOC signatures: archives written by bsdtar, signed here the way `xar --sign` does (RSA
 * over the TOC checksum, and a detached CMS over the same bytes), checked against OpenSSL's own
 * verification of the same signature bytes; then a TOC changed after signing, a damaged
 * signature, and trust roots.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { deflateSync, inflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { parseTrustRoots } from '../../../src/inspect/index.js';
import type { SignatureFacts } from '../../../src/inspect/types.js';
import { BufferByteSource } from '../../../src/io/byte-source.js';
import { PkgReader } from '../../../src/unpack/pkg/pkg-reader.js';
import { XarReader } from '../../../src/unpack/xar/xar-reader.js';
import { xarOf } from '../../fixtures-build/pkg-fixtures.js';
import { testContext } from '../../fixtures-build/pkg-harness.js';
import { makeTestCa, signingTools, signXar } from '../../fixtures-build/signing.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool } from '../../helpers/tools.js';
import { rfc2253 } from '../../inspect/signing/oracles.js';

async function signaturesOf(t: TestContext, bytes: Buffer, trustPem?: string): Promise<SignatureFacts[] | undefined> {
  const ctx = testContext(t);
  if (trustPem) ctx.trustRoots = parseTrustRoots(trustPem);
  const opened = await XarReader.open(new BufferByteSource(bytes), ctx);
  return opened.info.signatures;
}

function opensslSubject(pem: string): string {
  return spawnSync('openssl', ['x509', '-in', pem, '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'], { encoding: 'utf8' }).stdout.replace(/^subject=/, '').trim();
}

async function signedXar(t: TestContext) {
  const dir = await tempDir(t);
  const stage = join(dir, 'stage');
  mkdirSync(join(stage, 'Tool.pkg'), { recursive: true });
  writeFileSync(join(stage, 'Distribution'), '<installer-gui-script minSpecVersion="1"/>\n');
  writeFileSync(join(stage, 'Tool.pkg', 'PackageInfo'), '<pkg-info identifier="org.example.tool" version="1.0"/>\n');
  const plain = xarOf(stage, ['Distribution', 'Tool.pkg'], join(dir, 'plain.xar'));
  const ca = makeTestCa(join(dir, 'ca'));
  const out = join(dir, 'signed.xar');
  const signed = signXar(plain, out, { ca, commonName: 'Developer ID Installer: Python Software Foundation (BMM5U3QVKW)' });
  return { dir, ca, out, bytes: readFileSync(out), ...signed };
}

test('RSA and CMS TOC signatures: signer and digest as OpenSSL verifies them', async (t) => {
  if (!requireTool(t, 'bsdtar') || !signingTools.every((tool) => requireTool(t, tool))) return;
  const x = await signedXar(t);
  // The oracle: OpenSSL verifies both signatures over the checksum bytes.
  writeFileSync(join(x.dir, 'checksum'), x.checksum);
  writeFileSync(join(x.dir, 'rsa'), x.rsa!);
  writeFileSync(join(x.dir, 'cms'), x.cms!);
  const rsaOk = spawnSync('openssl', ['pkeyutl', '-verify', '-certin', '-inkey', x.signer.cert, '-pkeyopt', 'digest:sha1', '-in', join(x.dir, 'checksum'), '-sigfile', join(x.dir, 'rsa')]);
  const cmsOk = spawnSync('openssl', ['cms', '-verify', '-noverify', '-binary', '-inform', 'DER', '-in', join(x.dir, 'cms'), '-content', join(x.dir, 'checksum'), '-out', '/dev/null']);
  assert.equal(rsaOk.status, 0, 'openssl pkeyutl verifies the RSA signature');
  assert.equal(cmsOk.status, 0, 'openssl cms verifies the CMS signature');

  const sigs = (await signaturesOf(t, x.bytes))!;
  assert.deepEqual(sigs.map((s) => [s.kind, s.style, s.status, s.digestAlgorithm]), [
    ['xar', 'RSA', 'valid-digest', 'sha1'],
    ['xar', 'CMS', 'valid-digest', 'sha256'],
  ]);
  const subject = opensslSubject(x.signer.cert);
  for (const s of sigs) {
    assert.equal(rfc2253(s.signer!.subject), subject);
    assert.equal(s.chain, 'not-checked');
    assert.equal(s.problem, undefined);
    assert.ok(s.certificates!.some((c) => c.commonName === x.ca.commonName));
  }
  assert.ok(sigs[1]!.signingTime, 'the CMS signing time');
  const heap = x.bytes.readUInt16BE(4) + Number(x.bytes.readBigUInt64BE(8));
  assert.deepEqual(sigs[0]!.location, { offset: heap + 20, size: 256 });

  // The same signatures on a product archive read as a pkg.
  const pkg = await PkgReader.open(new BufferByteSource(x.bytes), testContext(t));
  assert.deepEqual(pkg.info.signatures?.map((s) => s.status), ['valid-digest', 'valid-digest']);
});

test('a TOC changed after signing (its checksum recomputed), a damaged signature, trust roots', async (t) => {
  if (!requireTool(t, 'bsdtar') || !signingTools.every((tool) => requireTool(t, tool))) return;
  const x = await signedXar(t);
  const headerSize = x.bytes.readUInt16BE(4);
  const tocLength = Number(x.bytes.readBigUInt64BE(8));
  const toc = inflateSync(x.bytes.subarray(headerSize, headerSize + tocLength)).toString('utf8');
  const changedToc = toc.replace('<name>Distribution</name>', '<name>Distributiom</name>');
  const compressed = deflateSync(Buffer.from(changedToc));
  const header = Buffer.from(x.bytes.subarray(0, headerSize));
  header.writeBigUInt64BE(BigInt(compressed.length), 8);
  header.writeBigUInt64BE(BigInt(Buffer.byteLength(changedToc)), 16);
  const heap = Buffer.from(x.bytes.subarray(headerSize + tocLength));
  createHash('sha1').update(compressed).digest().copy(heap, 0);
  const changed = (await signaturesOf(t, Buffer.concat([header, compressed, heap])))!;
  assert.deepEqual(changed.map((s) => s.status), ['modified-after-signing', 'modified-after-signing']);
  assert.match(changed[0]!.problem!, /RSA signature is over another TOC checksum/);
  assert.match(changed[1]!.problem!, /CMS signature is over another TOC checksum/);

  const heapStart = headerSize + tocLength;
  const damaged = Buffer.from(x.bytes);
  damaged.fill(0x55, heapStart + 20 + 256 + 4, heapStart + 20 + 256 + 40);
  damaged[heapStart + 20 + 100] ^= 0x01;
  const d = (await signaturesOf(t, damaged))!;
  assert.equal(d[0]!.status, 'modified-after-signing');
  assert.equal(d[1]!.status, 'unreadable');
  assert.match(d[1]!.problem!, /signature unreadable/);

  const trusted = (await signaturesOf(t, x.bytes, readFileSync(x.ca.cert, 'utf8')))!;
  assert.deepEqual(trusted.map((s) => s.chain), ['trusted', 'trusted']);
  const other = makeTestCa(join(x.dir, 'other'), 'Other Root');
  const untrusted = (await signaturesOf(t, x.bytes, readFileSync(other.cert, 'utf8')))!;
  assert.deepEqual(untrusted.map((s) => s.chain), ['untrusted', 'untrusted']);
});
