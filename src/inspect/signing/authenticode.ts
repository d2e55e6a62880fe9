/**
 * Authenticode: the signatures in a PE's certificate table (data directory 4, a file offset),
 * checked against the image hash recomputed from the file ("Windows Authenticode Portable
 * Executable Signature Format"). The table holds WIN_CERTIFICATE entries, each 8-byte aligned;
 * type 2 is a PKCS#7 SignedData whose content is SpcIndirectDataContent. Dual signatures
 * (SHA-1 + SHA-256) nest the second SignedData in an unsigned attribute of the first.
 */
import { createHash } from 'node:crypto';
import type { ByteSource } from '../../io/byte-source.js';
import { ByteWork } from '../../parallel/byte-work.js';
import type { SignatureFacts } from '../types.js';
import { algorithm, describeSigner, digestName, digestOf, messageDigest, OID, readSignedData, type SignedData, type SignerOptions } from './cms.js';
import { children, content, DerError, encoded, expectChildren, expectTag, octets, TAG, utf16be, type Der } from './der.js';

/** Real tables are tens of kilobytes; a larger one is not read. */
export const MAX_CERTIFICATE_TABLE = 4 << 20;
const MAX_SIGNATURES = 32;
const MAX_NESTED_DEPTH = 4;
const WIN_CERT_TYPE_PKCS_SIGNED_DATA = 2;

/** Where the image hash skips bytes, all file offsets. */
export interface AuthenticodeLayout {
  /** IMAGE_OPTIONAL_HEADER.CheckSum (4 bytes). */
  checksumOffset: number;
  /** The certificate-table data directory entry (8 bytes). */
  securityEntryOffset: number;
  /** The certificate table: hashing stops where it starts. */
  table: { offset: number; size: number };
}

export interface Pending {
  facts: SignatureFacts;
  /** The image digest the signer states (SpcIndirectDataContent.messageDigest). */
  imageDigest?: Uint8Array;
}

function unreadable(problem: string, location?: { offset: number; size: number }): SignatureFacts {
  return { kind: 'authenticode', status: 'unreadable', problem, ...(location ? { location } : {}) };
}

/** SpcString ::= CHOICE { unicode [0] IMPLICIT BMPString, ascii [1] IMPLICIT IA5String }. */
function spcString(node: Der): string {
  const bytes = node.constructed ? octets(node, 'SpcString') : content(node);
  return node.number === 0 ? utf16be(bytes) : Buffer.from(bytes).toString('latin1');
}

/** SpcSpOpusInfo ::= SEQUENCE { programName [0] EXPLICIT SpcString OPTIONAL, moreInfo [1] EXPLICIT SpcLink OPTIONAL }. */
function readOpusInfo(node: Der, facts: SignatureFacts): void {
  for (const field of expectChildren(node, TAG.SEQUENCE, 'SpcSpOpusInfo')) {
    const inner = children(field)[0];
    if (inner === undefined) continue;
    if (field.tag === 0xa0) facts.programName = spcString(inner);
    else if (field.tag === 0xa1) {
      // SpcLink ::= CHOICE { url [0] IMPLICIT IA5String, moniker [1], file [2] EXPLICIT SpcString }
      if (inner.number === 0) facts.programUrl = Buffer.from(content(inner)).toString('latin1');
      else if (inner.number === 2 && children(inner)[0]) facts.programUrl = spcString(children(inner)[0]!);
    }
  }
}

/** One SignedData and the signatures nested in it, outermost first. */
function readSignature(sd: SignedData, location: { offset: number; size: number }, options: SignerOptions, depth: number, out: Pending[]): void {
  if (sd.contentType !== OID.spcIndirectData || sd.content === undefined) {
    out.push({ facts: unreadable(`the SignedData holds ${sd.contentType}, not SpcIndirectDataContent`, location) });
    return;
  }
  const [, digestInfo] = expectChildren(sd.content, TAG.SEQUENCE, 'SpcIndirectDataContent', 2);
  const [alg, digest] = expectChildren(digestInfo, TAG.SEQUENCE, 'DigestInfo', 2);
  const si = sd.signers[0];
  if (si === undefined) throw new DerError('SignedData has no signer');
  const facts: SignatureFacts = { kind: 'authenticode', status: 'not-checked', digestAlgorithm: digestName(algorithm(alg, 'DigestInfo algorithm')), location };
  const { facts: signer, problems, signatureBroken } = describeSigner(sd, si, options);
  Object.assign(facts, signer);
  const opus = si.signedAttrs.get(OID.spcSpOpusInfo)?.[0];
  if (opus) readOpusInfo(opus, facts);
  // The messageDigest covers the contents of SpcIndirectDataContent, without its tag and length.
  const stated = messageDigest(si);
  const signedContent = sd.content.buf.subarray(sd.content.contentStart, sd.content.contentEnd);
  let contentChanged = signatureBroken;
  const computed = digestOf(si.digestAlgorithm, signedContent);
  if (stated === undefined) problems.push('no messageDigest signed attribute');
  else if (computed === undefined) problems.push(`digest algorithm ${si.digestAlgorithm} is not available`);
  else if (!computed.equals(stated)) {
    problems.push('the messageDigest attribute does not match the signed content');
    contentChanged = true;
  }
  if (contentChanged) facts.status = 'modified-after-signing';
  if (problems.length > 0) facts.problem = problems.join('; ');
  out.push(contentChanged ? { facts } : { facts, imageDigest: octets(expectTag(digest, TAG.OCTET_STRING, 'DigestInfo digest'), 'image digest') });

  for (const nested of si.unsignedAttrs.get(OID.nestedSignature) ?? []) {
    if (out.length >= MAX_SIGNATURES) break;
    const bytes = encoded(nested);
    // Nodes are views into the buffer the SignedData was read from, which starts at location.offset.
    const at = { offset: location.offset + (bytes.byteOffset - sd.content.buf.byteOffset), size: bytes.length };
    if (depth >= MAX_NESTED_DEPTH) {
      out.push({ facts: unreadable(`nested signatures deeper than ${MAX_NESTED_DEPTH}`, at) });
      break;
    }
    parseSignedData(bytes, at, options, depth + 1, out);
  }
}

function parseSignedData(bytes: Uint8Array, location: { offset: number; size: number }, options: SignerOptions, depth: number, out: Pending[]): void {
  try {
    readSignature(readSignedData(bytes), location, options, depth, out);
  } catch (err) {
    if (!(err instanceof DerError) && !(err instanceof RangeError)) throw err;
    out.push({ facts: unreadable(`signature unreadable: ${err.message}`, location) });
  }
}

/**
 * The signatures of one Authenticode PKCS#7 SignedData held outside a PE (an MSI's
 * `\x05DigitalSignature` stream), with the digest each signer states; the caller recomputes it.
 */
export function readSignedDataBlob(bytes: Uint8Array, options: SignerOptions = {}): Pending[] {
  const out: Pending[] = [];
  parseSignedData(bytes, { offset: 0, size: bytes.length }, options, 0, out);
  return out;
}

/** The signatures of a certificate table read into memory (`table` starts at file offset `tableOffset`). */
export function readCertificateTable(table: Uint8Array, tableOffset: number, options: SignerOptions = {}): Pending[] {
  const out: Pending[] = [];
  let p = 0;
  while (p + 8 <= table.length && out.length < MAX_SIGNATURES) {
    const view = new DataView(table.buffer, table.byteOffset + p, 8);
    const length = view.getUint32(0, true);
    const type = view.getUint16(6, true);
    const location = { offset: tableOffset + p, size: length };
    if (length < 8 || length > table.length - p) {
      out.push({ facts: unreadable(`WIN_CERTIFICATE at ${tableOffset + p} claims ${length} bytes, ${table.length - p} remain in the table`, { offset: tableOffset + p, size: table.length - p }) });
      break;
    }
    if (type !== WIN_CERT_TYPE_PKCS_SIGNED_DATA) out.push({ facts: unreadable(`WIN_CERTIFICATE type ${type} is not PKCS#7 SignedData`, location) });
    else {
      const entry = table.subarray(p + 8, p + length);
      parseSignedData(entry, { offset: tableOffset + p + 8, size: length - 8 }, options, 0, out);
    }
    p += Math.ceil(length / 8) * 8;
  }
  if (out.length === 0) out.push({ facts: unreadable('the certificate table holds no WIN_CERTIFICATE entry', { offset: tableOffset, size: table.length }) });
  return out;
}

/** Whether node:crypto has this digest algorithm (an old or exotic signature may name one it lacks). */
export function hashAvailable(algorithm: string): boolean {
  try {
    createHash(algorithm);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Authenticode image hash for each algorithm: every byte of the file before the certificate
 * table except the CheckSum field and the certificate-table directory entry. This is the linear
 * form Windows and osslsigncode compute; the specification's section-by-section form gives the
 * same bytes for images whose sections follow the headers in order. Streamed, never loaded whole.
 */
export async function authenticodeDigests(source: ByteSource, layout: AuthenticodeLayout, algorithms: readonly string[]): Promise<Map<string, Buffer>> {
  // An algorithm node:crypto lacks stays unchecked.
  const available = algorithms.filter(hashAvailable);
  if (available.length === 0) return new Map();
  const ranges: [number, number][] = [
    [0, layout.checksumOffset],
    [layout.checksumOffset + 4, layout.securityEntryOffset],
    [layout.securityEntryOffset + 8, layout.table.offset],
  ];
  return ByteWork.get().digest(source, available, 'inspect', ranges);
}

/**
 * Every signature in the certificate table, with `valid-digest` or `modified-after-signing` from
 * the recomputed image hash. A table that cannot be read is a finding, never an exception.
 */
export async function readAuthenticode(source: ByteSource, layout: AuthenticodeLayout, options: SignerOptions = {}): Promise<SignatureFacts[]> {
  const { table } = layout;
  if (table.offset + table.size > source.size) {
    return [unreadable(`the certificate table (${table.offset}+${table.size}) runs past the end of the file (${source.size} bytes)`)];
  }
  if (table.size > MAX_CERTIFICATE_TABLE) return [unreadable(`the certificate table of ${table.size} bytes exceeds ${MAX_CERTIFICATE_TABLE}`, table)];
  if (table.offset < layout.securityEntryOffset + 8) return [unreadable(`the certificate table at ${table.offset} overlaps the PE headers`, table)];
  const bytes = await source.read(table.offset, table.size);
  const pending = readCertificateTable(bytes, table.offset, options);
  const wanted = [...new Set(pending.filter((p) => p.imageDigest).map((p) => p.facts.digestAlgorithm!))];
  const digests = wanted.length > 0 ? await authenticodeDigests(source, layout, wanted) : new Map<string, Buffer>();
  const trailing = source.size - (table.offset + table.size);
  for (const p of pending) {
    if (!p.imageDigest) continue;
    const got = digests.get(p.facts.digestAlgorithm!);
    if (got === undefined) {
      p.facts.status = 'not-checked';
      p.facts.problem = [p.facts.problem, `digest algorithm ${p.facts.digestAlgorithm} is not available`].filter(Boolean).join('; ');
      continue;
    }
    p.facts.status = got.equals(p.imageDigest) ? 'valid-digest' : 'modified-after-signing';
    if (trailing > 0) p.facts.problem = [p.facts.problem, `${trailing} bytes after the certificate table are not covered by the signature`].filter(Boolean).join('; ');
  }
  return pending.map((p) => p.facts);
}
