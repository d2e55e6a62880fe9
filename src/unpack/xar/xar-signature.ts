/**
 * xar TOC signatures (.pkg): `<signature style="RSA">` and Apple's `<x-signature style="CMS">`,
 * each pointing into the heap, with the signer's X.509 certificates in KeyInfo. Both sign the
 * TOC checksum bytes: the RSA one as a PKCS#1 v1.5 signature whose DigestInfo carries the
 * checksum itself (what `xar --sign` and productsign write), the CMS one as a detached
 * SignedData over the checksum bytes.
 */
import { constants, publicDecrypt, X509Certificate } from 'node:crypto';
import { readCertificate, type Certificate } from '../../inspect/signing/certificate.js';
import { algorithm, describeSigner, digestName, digestOf, messageDigest, readSignedData, type SignerOptions } from '../../inspect/signing/cms.js';
import { chainStatus } from '../../inspect/signing/trust.js';
import { DerError, expectChildren, expectTag, octets, readDer, TAG } from '../../inspect/signing/der.js';
import type { SignatureFacts } from '../../inspect/types.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { attr, child, children, text, type XmlNode } from './xml.js';

/** Signatures are a few kilobytes; more in the heap is not a signature. */
const MAX_SIGNATURE_BYTES = 1 << 20;
const MAX_SIGNATURES = 8;
const MAX_CERTIFICATES = 16;

/** The verified TOC checksum: its style and the bytes stored in the heap. */
export interface TocChecksum {
  style: string;
  bytes: Uint8Array;
}

interface Place {
  source: ByteSource;
  heapStart: number;
}

function certificatesOf(sig: XmlNode, problems: string[]): Certificate[] {
  const out: Certificate[] = [];
  const nodes = children(child(child(sig, 'KeyInfo'), 'X509Data'), 'X509Certificate').slice(0, MAX_CERTIFICATES);
  nodes.forEach((node, i) => {
    try {
      out.push(readCertificate(Buffer.from((text(node) ?? '').replace(/\s+/g, ''), 'base64')));
    } catch (err) {
      if (!(err instanceof DerError) && !(err instanceof RangeError)) throw err;
      problems.push(`certificate ${i} could not be decoded: ${err.message}`);
    }
  });
  return out;
}

function decimal(value: string | undefined): number | undefined {
  const s = (value ?? '').trim();
  return /^\d{1,15}$/.test(s) ? Number(s) : undefined;
}

/**
 * The digest a PKCS#1 v1.5 RSA signature carries, decrypted with the certificate's public key:
 * a DigestInfo (algorithm, digest), or the bare digest some signers write.
 */
function rsaSignedDigest(signature: Uint8Array, cert: Certificate): { algorithm?: string; digest: Uint8Array } {
  const plain = publicDecrypt({ key: new X509Certificate(cert.der).publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
  try {
    const [alg, digest] = expectChildren(readDer(plain), TAG.SEQUENCE, 'DigestInfo', 2);
    return { algorithm: digestName(algorithm(alg, 'DigestInfo algorithm')), digest: octets(expectTag(digest, TAG.OCTET_STRING, 'DigestInfo digest'), 'digest') };
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    return { digest: plain };
  }
}

function checkRsa(facts: SignatureFacts, signature: Uint8Array, certs: Certificate[], checksum: TocChecksum, options: SignerOptions, problems: string[]): void {
  const leaf = certs[0];
  if (leaf === undefined) {
    facts.status = 'not-checked';
    problems.push('no certificate to check the RSA signature with');
    return;
  }
  // xar puts the signing certificate first in KeyInfo.
  facts.signer = leaf.summary;
  facts.chain = options.trustRoots ? chainStatus(leaf, certs, options.trustRoots) : 'not-checked';
  let signed: { algorithm?: string; digest: Uint8Array };
  try {
    signed = rsaSignedDigest(signature, leaf);
  } catch {
    facts.status = 'modified-after-signing';
    problems.push("the RSA signature does not decrypt with the first certificate's key");
    return;
  }
  facts.digestAlgorithm = signed.algorithm ?? checksum.style;
  const over = Buffer.from(signed.digest);
  // xar signs the checksum as if it were the digest; other signers hash the checksum once more.
  const matches = over.equals(checksum.bytes) || (signed.algorithm !== undefined && digestOf(signed.algorithm, checksum.bytes)?.equals(over) === true);
  facts.status = matches ? 'valid-digest' : 'modified-after-signing';
  if (!matches) problems.push('the RSA signature is over another TOC checksum');
}

function checkCms(facts: SignatureFacts, signature: Uint8Array, keyInfo: Certificate[], checksum: TocChecksum, options: SignerOptions, problems: string[]): void {
  const sd = readSignedData(signature);
  const si = sd.signers[0];
  if (si === undefined) throw new DerError('the CMS signature has no signer');
  for (const c of keyInfo) if (!sd.certificates.some((x) => x.summary.sha256 === c.summary.sha256)) sd.certificates.push(c);
  const signer = describeSigner(sd, si, { ...options, detachedContent: checksum.bytes });
  Object.assign(facts, signer.facts);
  problems.push(...signer.problems);
  facts.digestAlgorithm = si.digestAlgorithm;
  const stated = messageDigest(si);
  const matches = stated === undefined ? !signer.signatureBroken : digestOf(si.digestAlgorithm, checksum.bytes)?.equals(stated) === true;
  if (!matches) problems.push('the CMS signature is over another TOC checksum');
  facts.status = matches && !signer.signatureBroken ? 'valid-digest' : 'modified-after-signing';
}

/**
 * Every TOC signature, checked against the TOC checksum. A signature that cannot be read is a
 * finding (`unreadable`), never an error of the archive.
 */
export async function readXarSignatures(toc: XmlNode, place: Place, checksum: TocChecksum | undefined, options: SignerOptions = {}): Promise<SignatureFacts[]> {
  const out: SignatureFacts[] = [];
  for (const tag of ['signature', 'x-signature'] as const) {
    for (const sig of children(toc, tag).slice(0, MAX_SIGNATURES)) {
      const style = attr(sig, 'style') ?? '';
      const facts: SignatureFacts = { kind: 'xar', style, status: 'not-checked' };
      const problems: string[] = [];
      const offset = decimal(text(sig, 'offset'));
      const size = decimal(text(sig, 'size'));
      try {
        if (offset === undefined || size === undefined) throw new DerError('its heap offset or size is not a number');
        const at = place.heapStart + offset;
        facts.location = { offset: at, size };
        if (size === 0 || size > MAX_SIGNATURE_BYTES || at + size > place.source.size) throw new DerError(`its ${size} bytes at ${at} do not fit the archive`);
        const certs = certificatesOf(sig, problems);
        facts.certificates = certs.map((c) => c.summary);
        const bytes = await readExactly(place.source, at, size, `xar ${tag}`);
        if (checksum === undefined) problems.push('the TOC has no checksum to check the signature against');
        else if (style.toUpperCase() === 'RSA') checkRsa(facts, bytes, certs, checksum, options, problems);
        else if (style.toUpperCase() === 'CMS') checkCms(facts, bytes, certs, checksum, options, problems);
        else problems.push(`signature style ${JSON.stringify(style)} is not known`);
        if (facts.chain === undefined) facts.chain = 'not-checked';
      } catch (err) {
        if (!(err instanceof DerError) && !(err instanceof RangeError)) throw err;
        facts.status = 'unreadable';
        problems.unshift(`signature unreadable: ${err.message}`);
      }
      if (problems.length > 0) facts.problem = problems.join('; ');
      out.push(facts);
    }
  }
  return out;
}
