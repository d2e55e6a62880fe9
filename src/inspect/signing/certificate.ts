/**
 * X.509 certificates (RFC 5280 §4.1) as a signature carries them: the fields a reader of an SBOM
 * wants (subject, issuer, serial, validity) and what it takes to match a CMS signer to its
 * certificate (issuer + serial, or the subject key identifier).
 */
import { createHash } from 'node:crypto';
import type { CertificateSummary } from '../types.js';
import { children, content, DerError, encoded, expectChildren, expectTag, integerHex, octets, oid, readDer, TAG, text, time, type Der } from './der.js';

/** Short names as OpenSSL prints them (RFC 4514 §3 and OpenSSL's object table). */
const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.15': 'businessCategory',
  '2.5.4.17': 'postalCode',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.3.6.1.4.1.311.60.2.1.1': 'jurisdictionL',
  '1.3.6.1.4.1.311.60.2.1.2': 'jurisdictionST',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';
/** Real signatures carry a handful of certificates (signer, intermediates, timestamping chain). */
const MAX_CERTIFICATES = 64;

export interface Certificate {
  der: Uint8Array;
  summary: CertificateSummary;
  /** Encoded issuer Name and serial INTEGER contents, to match IssuerAndSerialNumber. */
  issuerDer: Uint8Array;
  serialHex: string;
  subjectKeyId?: string;
}

export interface DistinguishedName {
  /** RFC 4514: most specific RDN first, `, ` between RDNs, `+` inside multi-valued ones. */
  text: string;
  commonName?: string;
  organization?: string;
}

/** RFC 4514 §2.4 escaping of an attribute value. */
function escapeValue(v: string): string {
  let out = v.replace(/[\\,+"<>;]/g, (c) => `\\${c}`).replace(/[\u0000-\u001f]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

export function readName(node: Der, what: string): DistinguishedName {
  const rdns = expectChildren(node, TAG.SEQUENCE, what);
  const parts: string[] = [];
  const name: DistinguishedName = { text: '' };
  for (const rdn of rdns) {
    const atvs = expectChildren(rdn, TAG.SET, `${what} RDN`, 1).map((atv) => {
      const [type, value] = expectChildren(atv, TAG.SEQUENCE, `${what} attribute`, 2);
      const id = oid(type, `${what} attribute type`);
      const short = NAME_ATTRIBUTES[id];
      if (short === undefined) return `${id}=#${Buffer.from(encoded(value!)).toString('hex')}`;
      const v = text(value, `${what} ${short}`);
      // The last CN / O wins, as the most specific one when several are present.
      if (short === 'CN') name.commonName = v;
      if (short === 'O') name.organization = v;
      return `${short}=${escapeValue(v)}`;
    });
    parts.push(atvs.join('+'));
  }
  name.text = parts.reverse().join(', ');
  return name;
}

export function readCertificate(der: Uint8Array): Certificate {
  const root = readDer(der);
  const [tbs] = expectChildren(root, TAG.SEQUENCE, 'certificate', 3);
  const fields = expectChildren(tbs, TAG.SEQUENCE, 'tbsCertificate', 6);
  let i = fields[0]!.tag === 0xa0 ? 1 : 0;
  const serial = fields[i++]!;
  i++; // signature AlgorithmIdentifier
  const issuerNode = expectTag(fields[i++], TAG.SEQUENCE, 'issuer');
  const [notBefore, notAfter] = expectChildren(fields[i++], TAG.SEQUENCE, 'validity', 2);
  const subjectNode = fields[i++]!;
  i++; // subjectPublicKeyInfo
  const issuer = readName(issuerNode, 'issuer');
  const subject = readName(subjectNode, 'subject');
  const serialHex = integerHex(serial, 'serial number');
  const summary: CertificateSummary = {
    subject: subject.text,
    issuer: issuer.text,
    serial: serialHex,
    notBefore: time(notBefore, 'notBefore'),
    notAfter: time(notAfter, 'notAfter'),
    sha256: createHash('sha256').update(encoded(root)).digest('hex'),
  };
  if (subject.commonName !== undefined) summary.commonName = subject.commonName;
  if (subject.organization !== undefined) summary.organization = subject.organization;
  const cert: Certificate = { der: encoded(root), summary, issuerDer: encoded(issuerNode), serialHex };
  for (const f of fields.slice(i)) {
    if (f.tag !== 0xa3) continue;
    for (const ext of expectChildren(children(f)[0], TAG.SEQUENCE, 'extensions')) {
      const parts = expectChildren(ext, TAG.SEQUENCE, 'extension', 2);
      if (oid(parts[0], 'extension id') !== SUBJECT_KEY_IDENTIFIER) continue;
      const value = octets(parts[parts.length - 1]!, 'extension value');
      cert.subjectKeyId = Buffer.from(content(expectTag(readDer(value), TAG.OCTET_STRING, 'subject key identifier'))).toString('hex');
    }
  }
  return cert;
}

/** Certificates of a CMS `certificates` set; other choices (attribute certificates) are skipped. */
export function readCertificateSet(node: Der | undefined): { certificates: Certificate[]; problems: string[] } {
  const certificates: Certificate[] = [];
  const problems: string[] = [];
  if (node === undefined) return { certificates, problems };
  for (const c of children(node)) {
    if (c.tag !== TAG.SEQUENCE) continue;
    if (certificates.length + problems.length >= MAX_CERTIFICATES) {
      problems.push(`more than ${MAX_CERTIFICATES} certificates; the rest were not read`);
      break;
    }
    try {
      certificates.push(readCertificate(encoded(c)));
    } catch (err) {
      if (!(err instanceof DerError)) throw err;
      problems.push(`a certificate could not be decoded: ${err.message}`);
    }
  }
  return { certificates, problems };
}
