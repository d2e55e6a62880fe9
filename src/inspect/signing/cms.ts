/**
 * CMS / PKCS#7 SignedData (RFC 5652 §5) as Authenticode, Apple code signatures and xar TOC
 * signatures use it. The content may be any type (Authenticode's is a SEQUENCE, not an OCTET
 * STRING), and detached (Apple). Signer facts come from here: the signer certificate, the
 * signature over the signed attributes checked with node:crypto, the signing time from a
 * countersignature or an RFC 3161 timestamp token, and the chain against trust roots if given.
 */
import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import type { CertificateSummary, SignatureFacts } from '../types.js';
import { readCertificateSet, type Certificate } from './certificate.js';
import { children, content, DerError, encoded, expectChildren, expectTag, integerHex, octets, oid, readDer, smallInteger, TAG, time, type Der } from './der.js';
import { chainStatus, type TrustRoots } from './trust.js';

export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  counterSignature: '1.2.840.113549.1.9.6',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  msTimeStampToken: '1.3.6.1.4.1.311.3.3.1',
  spcIndirectData: '1.3.6.1.4.1.311.2.1.4',
  spcSpOpusInfo: '1.3.6.1.4.1.311.2.1.12',
  nestedSignature: '1.3.6.1.4.1.311.2.4.1',
} as const;

/** Digest algorithms by OID; signature-algorithm OIDs appear in digestAlgorithm fields too. */
const DIGESTS: Record<string, string> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '1.2.840.113549.1.1.4': 'md5',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.113549.1.1.14': 'sha224',
};

/** RSASSA-PSS: its parameters choose the padding; not checked here. */
const RSA_PSS = '1.2.840.113549.1.1.10';
/** Nested SignedData (timestamp tokens) deeper than this is not a real signature. */
const MAX_NESTING = 4;

export function digestName(algorithmOid: string): string {
  return DIGESTS[algorithmOid] ?? algorithmOid;
}

/** The digest algorithm of an AlgorithmIdentifier SEQUENCE. */
export function algorithm(node: Der | undefined, what: string): string {
  return oid(expectChildren(node, TAG.SEQUENCE, what, 1)[0], `${what} OID`);
}

export type SignerId = { issuerDer: Uint8Array; serialHex: string } | { subjectKeyId: string };

export interface SignerInfo {
  sid: SignerId;
  digestAlgorithm: string;
  /** The signed attributes re-encoded with the SET OF tag, as the signature covers them (RFC 5652 §5.4). */
  signedAttrsDer?: Uint8Array;
  signedAttrs: Map<string, Der[]>;
  signatureAlgorithm: string;
  signature: Uint8Array;
  unsignedAttrs: Map<string, Der[]>;
}

export interface SignedData {
  contentType: string;
  /** The eContent (inside its [0] wrapper); absent for detached signatures. */
  content?: Der;
  certificates: Certificate[];
  signers: SignerInfo[];
  /** Certificates that could not be decoded and similar non-fatal faults. */
  problems: string[];
}

function attributes(node: Der): Map<string, Der[]> {
  const out = new Map<string, Der[]>();
  for (const attr of children(node)) {
    const [type, values] = expectChildren(attr, TAG.SEQUENCE, 'attribute', 2);
    const id = oid(type, 'attribute type');
    out.set(id, [...(out.get(id) ?? []), ...expectChildren(values, TAG.SET, `attribute ${id} values`)]);
  }
  return out;
}

function readSignerInfo(node: Der): SignerInfo {
  const f = expectChildren(node, TAG.SEQUENCE, 'SignerInfo', 5);
  let i = 1; // version
  const sidNode = f[i++]!;
  let sid: SignerId;
  if (sidNode.tag === TAG.SEQUENCE) {
    const [issuer, serial] = expectChildren(sidNode, TAG.SEQUENCE, 'IssuerAndSerialNumber', 2);
    sid = { issuerDer: encoded(expectTag(issuer, TAG.SEQUENCE, 'signer issuer')), serialHex: integerHex(serial, 'signer serial') };
  } else if (sidNode.tag === 0x80) {
    sid = { subjectKeyId: Buffer.from(content(sidNode)).toString('hex') };
  } else throw new DerError(`SignerInfo sid: tag 0x${sidNode.tag.toString(16)}`);
  const digestAlgorithm = digestName(algorithm(f[i++], 'SignerInfo digestAlgorithm'));
  const info: SignerInfo = { sid, digestAlgorithm, signedAttrs: new Map(), signatureAlgorithm: '', signature: new Uint8Array(), unsignedAttrs: new Map() };
  if (f[i]?.tag === 0xa0) {
    const attrs = f[i++]!;
    const der = Uint8Array.from(encoded(attrs));
    der[0] = TAG.SET;
    info.signedAttrsDer = der;
    info.signedAttrs = attributes(attrs);
  }
  info.signatureAlgorithm = algorithm(f[i++], 'SignerInfo signatureAlgorithm');
  info.signature = octets(expectTag(f[i++], TAG.OCTET_STRING, 'SignerInfo signature'), 'signature');
  if (f[i]?.tag === 0xa1) info.unsignedAttrs = attributes(f[i]!);
  return info;
}

/** A ContentInfo holding SignedData, at the start of `buf`. */
export function readSignedData(buf: Uint8Array): SignedData {
  const root = readDer(buf);
  const [type, wrapped] = expectChildren(root, TAG.SEQUENCE, 'ContentInfo', 2);
  const contentType = oid(type, 'ContentInfo contentType');
  if (contentType !== OID.signedData) throw new DerError(`ContentInfo holds ${contentType}, not SignedData`);
  return readSignedDataNode(expectChildren(wrapped, 0xa0, 'ContentInfo content', 1)[0]!);
}

function readSignedDataNode(node: Der): SignedData {
  const f = expectChildren(node, TAG.SEQUENCE, 'SignedData', 4);
  smallInteger(f[0], 'SignedData version');
  let i = 2; // digestAlgorithms
  const [eType, eWrapped] = expectChildren(f[i++], TAG.SEQUENCE, 'EncapsulatedContentInfo', 1);
  const sd: SignedData = { contentType: oid(eType, 'eContentType'), certificates: [], signers: [], problems: [] };
  if (eWrapped !== undefined) sd.content = expectChildren(eWrapped, 0xa0, 'eContent', 1)[0];
  if (f[i]?.tag === 0xa0) {
    const { certificates, problems } = readCertificateSet(f[i++]);
    sd.certificates = certificates;
    sd.problems.push(...problems);
  }
  if (f[i]?.tag === 0xa1) i++; // CRLs
  sd.signers = expectChildren(f[i], TAG.SET, 'signerInfos').map(readSignerInfo);
  return sd;
}

export function findCertificate(certs: readonly Certificate[], sid: SignerId): Certificate | undefined {
  if ('subjectKeyId' in sid) return certs.find((c) => c.subjectKeyId === sid.subjectKeyId);
  return certs.find((c) => c.serialHex === sid.serialHex && Buffer.from(c.issuerDer).equals(sid.issuerDer));
}

/** The messageDigest signed attribute, when there is exactly one. */
export function messageDigest(si: SignerInfo): Uint8Array | undefined {
  const v = si.signedAttrs.get(OID.messageDigest);
  return v?.length === 1 ? octets(expectTag(v[0], TAG.OCTET_STRING, 'messageDigest'), 'messageDigest') : undefined;
}

/**
 * Does the signer's signature verify over its signed attributes (or, without them, over the
 * content)? undefined when it cannot be checked (no certificate, an algorithm node:crypto does
 * not take, RSASSA-PSS).
 */
function signatureVerifies(si: SignerInfo, cert: Certificate | undefined, detached: Uint8Array | undefined): boolean | undefined {
  const data = si.signedAttrsDer ?? detached;
  if (cert === undefined || data === undefined || si.signatureAlgorithm === RSA_PSS) return undefined;
  try {
    const key = new X509Certificate(cert.der).publicKey;
    return verifySignature(si.digestAlgorithm, data, key, si.signature);
  } catch {
    return undefined;
  }
}

interface Timestamp {
  time: string;
  by?: string;
  certificates: Certificate[];
  problem?: string;
}

/** The RFC 3161 TSTInfo in a timestamp token (a ContentInfo holding SignedData). */
function readTimestampToken(node: Der, signature: Uint8Array, depth: number): Timestamp {
  if (depth > MAX_NESTING) throw new DerError('timestamp tokens nest too deeply');
  const token = readSignedData(encoded(node));
  if (token.contentType !== OID.tstInfo || token.content === undefined) throw new DerError(`timestamp token holds ${token.contentType}, not TSTInfo`);
  const tst = expectChildren(readDer(octets(token.content, 'TSTInfo')), TAG.SEQUENCE, 'TSTInfo', 5);
  const [imprintAlg, imprint] = expectChildren(tst[2], TAG.SEQUENCE, 'messageImprint', 2);
  const out: Timestamp = { time: time(tst[4], 'TSTInfo genTime'), certificates: token.certificates };
  const signer = token.signers[0];
  const cert = signer && findCertificate(token.certificates, signer.sid);
  if (cert) out.by = cert.summary.subject;
  const alg = digestName(algorithm(imprintAlg, 'messageImprint algorithm'));
  if (!digestMatches(alg, signature, octets(imprint!, 'messageImprint'))) out.problem = 'the timestamp does not cover this signature';
  return out;
}

/** A PKCS#9 countersignature: a SignerInfo over the signature, with its own signing time. */
function readCounterSignature(node: Der, sd: SignedData, signature: Uint8Array): Timestamp {
  const cs = readSignerInfo(node);
  const when = cs.signedAttrs.get(OID.signingTime)?.[0];
  const out: Timestamp = { time: time(when, 'countersignature signingTime'), certificates: [] };
  const cert = findCertificate(sd.certificates, cs.sid);
  if (cert) out.by = cert.summary.subject;
  const digest = messageDigest(cs);
  if (digest !== undefined && !digestMatches(cs.digestAlgorithm, signature, digest)) out.problem = 'the countersignature does not cover this signature';
  return out;
}

/** The digest of `data`, or undefined for an algorithm node:crypto does not know (a name the bytes chose). */
export function digestOf(alg: string, data: Uint8Array): Buffer | undefined {
  try {
    return createHash(alg).update(data).digest();
  } catch {
    return undefined;
  }
}

/** False only when the digest can be computed and differs. */
function digestMatches(alg: string, data: Uint8Array, expected: Uint8Array): boolean {
  return digestOf(alg, data)?.equals(expected) ?? true;
}

function timestampOf(si: SignerInfo, sd: SignedData, depth: number): Timestamp | undefined {
  for (const id of [OID.msTimeStampToken, OID.timeStampToken]) {
    const v = si.unsignedAttrs.get(id)?.[0];
    if (v) return readTimestampToken(v, si.signature, depth + 1);
  }
  const cs = si.unsignedAttrs.get(OID.counterSignature)?.[0];
  return cs ? readCounterSignature(cs, sd, si.signature) : undefined;
}

export interface SignerOptions {
  trustRoots?: TrustRoots | undefined;
  /** The content a detached signature covers (Apple), when there are no signed attributes. */
  detachedContent?: Uint8Array;
}

/**
 * The facts about one signer that do not depend on what was signed: certificates, signing time,
 * timestamp, chain. Problems found on the way (an unverifiable signature, a timestamp over other
 * bytes) are returned for the caller to judge.
 */
export function describeSigner(
  sd: SignedData,
  si: SignerInfo,
  options: SignerOptions,
  depth = 0,
): { facts: Partial<SignatureFacts>; problems: string[]; signatureBroken: boolean } {
  const problems = [...sd.problems];
  const cert = findCertificate(sd.certificates, si.sid);
  const certificates: CertificateSummary[] = sd.certificates.map((c) => c.summary);
  const facts: Partial<SignatureFacts> = { certificates };
  if (cert) facts.signer = cert.summary;
  else problems.push('the signer certificate is not in the signature');
  const verified = signatureVerifies(si, cert, options.detachedContent);
  if (verified === false) problems.push("the signer's signature over the signed attributes does not verify");
  const when = si.signedAttrs.get(OID.signingTime)?.[0];
  if (when) facts.signingTime = time(when, 'signingTime');
  try {
    const ts = timestampOf(si, sd, depth);
    if (ts) {
      facts.signingTime = ts.time;
      if (ts.by !== undefined) facts.timestampedBy = ts.by;
      for (const c of ts.certificates) if (!certificates.some((x) => x.sha256 === c.summary.sha256)) certificates.push(c.summary);
      if (ts.problem) problems.push(ts.problem);
    }
  } catch (err) {
    if (!(err instanceof DerError)) throw err;
    problems.push(`timestamp unreadable: ${err.message}`);
  }
  facts.chain = options.trustRoots && cert ? chainStatus(cert, sd.certificates, options.trustRoots) : 'not-checked';
  return { facts, problems, signatureBroken: verified === false };
}
