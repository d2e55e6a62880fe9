/**
 * An MSI's Authenticode signature (the `\x05DigitalSignature` stream), checked against the digest
 * recomputed from its streams; osslsigncode, which signs it here under a throwaway CA, is the
 * oracle for the digests and for whether the bytes still match.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { MsiReader } from '../../../src/unpack/msi/msi-reader.js';
import type { SignatureFacts } from '../../../src/inspect/types.js';
import { tempDir } from '../../helpers/fixtures.js';
import { requireTool } from '../../helpers/tools.js';
import { buildMsiFixtures, msiBuildTools } from '../../fixtures-build/msi-cab.js';
import { makeTestCa, signingTools, signPe } from '../../fixtures-build/signing.js';
import { osslsigncodeVerify } from '../../inspect/signing/oracles.js';
import { makeContext } from '../cab/collect.js';

async function msiSignatures(path: string, dir: string): Promise<SignatureFacts[] | undefined> {
  const src = await FileByteSource.open(path);
  try {
    const opened = await MsiReader.open(src, makeContext(dir, [path]));
    await opened.close();
    return opened.info.signatures;
  } finally {
    await src.close();
  }
}

test('a signed MSI: each signature (SHA-256, then a nested SHA-1) states the digest osslsigncode computes, and a changed stream breaks it', { timeout: 120_000 }, async (t) => {
  for (const tool of [...msiBuildTools, ...signingTools]) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const fx = buildMsiFixtures(dir);
  assert.equal(await msiSignatures(fx.nested, dir), undefined, 'unsigned: no signature facts');
  const ca = makeTestCa(join(dir, 'ca'));
  const signed = join(dir, 'signed.msi');
  await signPe(fx.nested, { ca, commonName: 'MSI Signer', programName: 'Nested Test', out: signed });
  await signPe(signed, { ca, commonName: 'MSI Signer', digest: 'sha1', nest: true });

  const ours = (await msiSignatures(signed, dir))!;
  const { signatures: theirs, output } = osslsigncodeVerify(signed, ca.cert);
  assert.equal(ours.length, 2, output);
  assert.deepEqual(ours.map((s) => [s.kind, s.status, s.digestAlgorithm]), [['authenticode', 'valid-digest', 'sha256'], ['authenticode', 'valid-digest', 'sha1']]);
  assert.deepEqual(theirs.map((s) => [s.digestAlgorithm, s.current === s.calculated]), [['sha256', true], ['sha1', true]], output);
  assert.equal(ours[0]!.programName, 'Nested Test');
  assert.match(ours[0]!.signer?.subject ?? '', /CN=MSI Signer/);

  // One byte of a stream changed (the embedded cabinet's last byte): osslsigncode's calculated
  // digest moves away from the signed one, and so does ours.
  const tampered = join(dir, 'tampered.msi');
  copyFileSync(signed, tampered);
  const bytes = readFileSync(tampered);
  const at = bytes.indexOf(Buffer.from('MSCF')) + 200;
  bytes[at] ^= 0xff;
  writeFileSync(tampered, bytes);
  const after = osslsigncodeVerify(tampered, ca.cert);
  assert.notEqual(after.signatures[0]!.current, after.signatures[0]!.calculated, after.output);
  assert.equal((await msiSignatures(tampered, dir))![0]!.status, 'modified-after-signing');
});

test('an MSI signature that also signs the metadata (MsiDigitalSignatureEx): checked with its pre-hash; a re-dated entry breaks it', { timeout: 120_000 }, async (t) => {
  for (const tool of [...msiBuildTools, ...signingTools]) if (!requireTool(t, tool)) return;
  const dir = await tempDir(t);
  const fx = buildMsiFixtures(dir);
  const ca = makeTestCa(join(dir, 'ca'));
  const signed = join(dir, 'dse.msi');
  await signPe(fx.nested, { ca, commonName: 'MSI Signer', out: signed, extraArgs: ['-add-msi-dse'] });
  const verify = osslsigncodeVerify(signed, ca.cert);
  // osslsigncode computes the pre-hash and the digest that follows it, and they match.
  assert.match(verify.output, /Calculated MsiDigitalSignatureEx/, verify.output);
  assert.deepEqual(verify.signatures.map((s) => s.current === s.calculated), [true], verify.output);
  const ours = (await msiSignatures(signed, dir))!;
  assert.deepEqual(ours.map((s) => [s.status, s.digestAlgorithm]), [['valid-digest', 'sha256']]);
  assert.match(ours[0]!.signer?.subject ?? '', /CN=MSI Signer/);

  // The summary information's directory entry gets a modification time: no stream's bytes change,
  // so only the pre-hash can see it. osslsigncode's digests part, and ours says so.
  const redated = join(dir, 'redated.msi');
  copyFileSync(signed, redated);
  const bytes = readFileSync(redated);
  const at = bytes.indexOf(Buffer.from('\x05SummaryInformation\0', 'utf16le'));
  assert.ok(at > 0 && at % 128 === 0, `directory entry at ${at}`);
  bytes.writeBigUInt64LE(0x01d9_0000_0000_0000n, at + 0x6c);
  writeFileSync(redated, bytes);
  const after = osslsigncodeVerify(redated, ca.cert);
  assert.notEqual(after.signatures[0]!.current, after.signatures[0]!.calculated, after.output);
  assert.equal((await msiSignatures(redated, dir))![0]!.status, 'modified-after-signing');
});
