/**
 * A small BER/DER reader for the structures code signatures use (X.509 RFC 5280, CMS RFC 5652,
 * Authenticode, RFC 3161). Apple's CMS blobs are BER with indefinite lengths, so those are read
 * too. Every node is a view into one buffer; nothing is copied.
 *
 * Why our own reader and not pkijs/asn1js or @peculiar/asn1-*: both parse SignedData, but none
 * of them knows the Authenticode structures (SpcIndirectDataContent, SpcSpOpusInfo), the Apple
 * code-signing blobs or the xar TOC, so those schemas would be written here either way. Measured
 * on node.exe's certificate table they take 17 ms (pkijs, 5 MB installed with its 7 dependencies)
 * and 8 ms (@peculiar, 3.4 MB) per parse; this walker with our schemas parses it in under 1 ms, adds
 * no dependency, and keeps the bounds (depth, element counts, lengths) in our hands for hostile
 * input. Certificates' keys and signatures are checked with node:crypto.
 */

/** A malformed encoding. Callers turn it into a finding (`status: 'unreadable'`), never a crash. */
export class DerError extends Error {
  override readonly name = 'DerError';
}

/** Deeper nesting than any certificate or CMS structure needs is hostile. */
export const MAX_DEPTH = 48;
/** Children read from one constructed element. */
const MAX_CHILDREN = 8192;

export interface Der {
  /** The whole buffer the node lives in. */
  readonly buf: Uint8Array;
  /** Identifier octet as written (class | constructed | number for numbers below 31). */
  readonly tag: number;
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  readonly cls: number;
  readonly constructed: boolean;
  readonly number: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first content octet. */
  readonly contentStart: number;
  /** Offset just past the contents (before an end-of-contents marker for indefinite lengths). */
  readonly contentEnd: number;
  /** Offset just past the whole element, end-of-contents marker included. */
  readonly end: number;
  readonly depth: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8String: 0x0c,
  PrintableString: 0x13,
  T61String: 0x14,
  IA5String: 0x16,
  UTCTime: 0x17,
  GeneralizedTime: 0x18,
  VisibleString: 0x1a,
  UniversalString: 0x1c,
  BMPString: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** The element at `offset`, which must end by `limit`. */
export function readDer(buf: Uint8Array, offset = 0, limit = buf.length, depth = 0): Der {
  if (depth > MAX_DEPTH) throw new DerError(`nesting deeper than ${MAX_DEPTH}`);
  let p = offset;
  if (p >= limit) throw new DerError(`element expected at ${offset}, data ends`);
  const tag = buf[p++]!;
  let number = tag & 0x1f;
  if (number === 0x1f) {
    number = 0;
    for (let i = 0; ; i++) {
      if (p >= limit || i >= 4) throw new DerError(`bad high tag number at ${offset}`);
      const b = buf[p++]!;
      number = number * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
    }
  }
  const constructed = (tag & 0x20) !== 0;
  if (p >= limit) throw new DerError(`length missing at ${offset}`);
  const first = buf[p++]!;
  let length: number;
  if (first < 0x80) length = first;
  else if (first === 0x80) {
    if (!constructed) throw new DerError(`indefinite length on a primitive element at ${offset}`);
    return indefinite(buf, offset, p, limit, depth, tag, number);
  } else {
    const n = first & 0x7f;
    if (n > 4) throw new DerError(`length of ${n} octets at ${offset}`);
    length = 0;
    for (let i = 0; i < n; i++) {
      if (p >= limit) throw new DerError(`length truncated at ${offset}`);
      length = length * 256 + buf[p++]!;
    }
  }
  if (length > limit - p) throw new DerError(`element at ${offset} claims ${length} bytes, ${limit - p} remain`);
  return { buf, tag, cls: tag >> 6, constructed, number, start: offset, contentStart: p, contentEnd: p + length, end: p + length, depth };
}

/** BER indefinite length: the contents are elements up to an end-of-contents marker (00 00). */
function indefinite(buf: Uint8Array, start: number, contentStart: number, limit: number, depth: number, tag: number, number: number): Der {
  let p = contentStart;
  for (let i = 0; ; i++) {
    if (i > MAX_CHILDREN) throw new DerError(`more than ${MAX_CHILDREN} elements at ${start}`);
    if (p + 2 > limit) throw new DerError(`indefinite-length element at ${start} has no end-of-contents`);
    if (buf[p] === 0 && buf[p + 1] === 0) {
      return { buf, tag, cls: tag >> 6, constructed: true, number, start, contentStart, contentEnd: p, end: p + 2, depth };
    }
    p = readDer(buf, p, limit, depth + 1).end;
  }
}

/** The elements inside a constructed element. */
export function children(node: Der): Der[] {
  if (!node.constructed) throw new DerError(`element at ${node.start} is not constructed`);
  const out: Der[] = [];
  let p = node.contentStart;
  while (p < node.contentEnd) {
    if (out.length >= MAX_CHILDREN) throw new DerError(`more than ${MAX_CHILDREN} elements at ${node.start}`);
    const child = readDer(node.buf, p, node.contentEnd, node.depth + 1);
    out.push(child);
    p = child.end;
  }
  return out;
}

function tagName(tag: number): string {
  return `0x${tag.toString(16).padStart(2, '0')}`;
}

/** The node, checked to carry `tag` (universal tags, or context tags such as 0xa0). */
export function expectTag(node: Der | undefined, tag: number, what: string): Der {
  if (node === undefined) throw new DerError(`${what} missing`);
  if (node.tag !== tag) throw new DerError(`${what}: tag ${tagName(node.tag)} where ${tagName(tag)} was expected`);
  return node;
}

/** Children of a node with the given tag (a SEQUENCE or SET unless told). */
export function expectChildren(node: Der | undefined, tag: number, what: string, min = 0): Der[] {
  const kids = children(expectTag(node, tag, what));
  if (kids.length < min) throw new DerError(`${what} has ${kids.length} elements, at least ${min} expected`);
  return kids;
}

/** The content octets of a primitive element. */
export function content(node: Der): Uint8Array {
  if (node.constructed) throw new DerError(`element at ${node.start} is constructed where a primitive was expected`);
  return node.buf.subarray(node.contentStart, node.contentEnd);
}

/** The whole encoding of the element (identifier, length, contents). */
export function encoded(node: Der): Uint8Array {
  return node.buf.subarray(node.start, node.end);
}

/** An OCTET STRING's octets; BER's constructed form is the concatenation of its segments. */
export function octets(node: Der, what: string): Uint8Array {
  if (node.number !== 4 && node.cls === 0) throw new DerError(`${what}: not an OCTET STRING`);
  if (!node.constructed) return content(node);
  const parts = children(node).map((c) => octets(c, what));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function oid(node: Der | undefined, what: string): string {
  const bytes = content(expectTag(node, TAG.OID, what));
  if (bytes.length === 0 || bytes.length > 64) throw new DerError(`${what}: OID of ${bytes.length} bytes`);
  const arcs: number[] = [];
  let v = 0;
  for (let i = 0; i < bytes.length; i++) {
    v = v * 128 + (bytes[i]! & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER / 128) throw new DerError(`${what}: OID arc too large`);
    if ((bytes[i]! & 0x80) === 0) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  if ((bytes[bytes.length - 1]! & 0x80) !== 0) throw new DerError(`${what}: OID ends inside an arc`);
  return arcs.join('.');
}

/** An INTEGER as lower-case hex of its magnitude, without sign octets (as OpenSSL prints serials). */
export function integerHex(node: Der | undefined, what: string): string {
  let bytes = content(expectTag(node, TAG.INTEGER, what));
  if (bytes.length === 0) throw new DerError(`${what}: empty INTEGER`);
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  return Buffer.from(bytes).toString('hex');
}

/** A small INTEGER (versions). */
export function smallInteger(node: Der | undefined, what: string): number {
  const bytes = content(expectTag(node, TAG.INTEGER, what));
  if (bytes.length === 0 || bytes.length > 4) throw new DerError(`${what}: INTEGER of ${bytes.length} bytes`);
  let v = 0;
  for (const b of bytes) v = v * 256 + b;
  return v;
}

/** UTCTime or GeneralizedTime as RFC 3339 UTC, seconds precision. */
export function time(node: Der | undefined, what: string): string {
  if (node === undefined) throw new DerError(`${what} missing`);
  const s = Buffer.from(content(node)).toString('latin1');
  let m: RegExpMatchArray | null;
  if (node.tag === TAG.UTCTime) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
    if (m) {
      // RFC 5280 4.1.2.5.1: two-digit years 50..99 are 19xx.
      const yy = Number(m[1]);
      return rfc3339(`${yy >= 50 ? 19 : 20}${m[1]}`, m[2]!, m[3]!, m[4]!, m[5]!, m[6] ?? '00');
    }
  } else if (node.tag === TAG.GeneralizedTime) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?Z$/.exec(s);
    if (m) return rfc3339(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6] ?? '00');
  }
  throw new DerError(`${what}: not a UTC time: ${JSON.stringify(s.slice(0, 40))}`);
}

function rfc3339(y: string, mo: string, d: string, h: string, mi: string, s: string): string {
  return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
}

/** The directory-string and SpcString text types. */
export function text(node: Der | undefined, what: string): string {
  if (node === undefined) throw new DerError(`${what} missing`);
  const bytes = node.constructed ? octetsOfString(node, what) : content(node);
  switch (node.number) {
    case 12: // UTF8String
      return Buffer.from(bytes).toString('utf8');
    case 30: // BMPString: UTF-16 big-endian
      return utf16be(bytes);
    case 28: {
      // UniversalString: UTF-32 big-endian
      let out = '';
      for (let i = 0; i + 4 <= bytes.length; i += 4) {
        const cp = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return out;
    }
    default:
      // PrintableString, IA5String, VisibleString, T61String, NumericString: single-byte text.
      return Buffer.from(bytes).toString('latin1');
  }
}

function octetsOfString(node: Der, what: string): Uint8Array {
  const parts = children(node).map((c) => content(c));
  if (parts.length > 256) throw new DerError(`${what}: too many string segments`);
  return Buffer.concat(parts);
}

export function utf16be(bytes: Uint8Array): string {
  const even = bytes.length - (bytes.length % 2);
  const swapped = Buffer.alloc(even);
  for (let i = 0; i < even; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return swapped.toString('utf16le');
}
