import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';

export const XAR_MAGIC = 'xar!';
const MIN_HEADER = 28;
/** Real headers are 28 bytes, or a little more with a named checksum; 4 KiB is generous. */
const MAX_HEADER = 4096;

export interface XarHeader {
  headerSize: number;
  version: number;
  tocLength: number;
  tocSize: number;
  /** Node hash name of the TOC checksum, or undefined for "none". */
  checksum: string | undefined;
}

/** Hash algorithms xar and our Node both know; names as the TOC's `style` attributes spell them. */
export const XAR_HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512']);

export function isXar(head: Uint8Array): boolean {
  return head.length >= 4 && String.fromCharCode(...head.subarray(0, 4)) === XAR_MAGIC;
}

/**
 * The big-endian xar header: magic, u16 header size, u16 version, u64 TOC compressed length,
 * u64 TOC uncompressed length, u32 checksum algorithm. Algorithm 0 none, 1 sha1, 2 md5; 3 is
 * sha256 in Apple's xar.h but "other" in mackyle's xar, where a NUL-terminated name follows the
 * fixed fields (header ≥ 32 bytes); 4 is sha512 (xar/include/xar.h.in).
 */
export async function readXarHeader(src: ByteSource, chain: readonly string[]): Promise<XarHeader> {
  const fixed = await readExactly(src, 0, MIN_HEADER, 'xar header').catch((e: unknown) => {
    throw e instanceof InputError ? new InputError(e.message, chain, 0) : e;
  });
  if (!isXar(fixed)) throw new InputError('not a xar archive', chain, 0);
  const v = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  const headerSize = v.getUint16(4);
  const version = v.getUint16(6);
  const tocLength = v.getBigUint64(8);
  const tocSize = v.getBigUint64(16);
  const alg = v.getUint32(24);
  if (headerSize < MIN_HEADER || headerSize > MAX_HEADER) {
    throw new InputError(`xar header size ${headerSize} is invalid`, chain, 4);
  }
  if (tocLength > BigInt(Number.MAX_SAFE_INTEGER) || tocSize > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InputError('xar TOC length is out of range', chain, 8);
  }
  let checksum: string | undefined;
  switch (alg) {
    case 0: checksum = undefined; break;
    case 1: checksum = 'sha1'; break;
    case 2: checksum = 'md5'; break;
    case 4: checksum = 'sha512'; break;
    case 3: {
      checksum = 'sha256';
      if (headerSize >= 32) {
        const rest = await readExactly(src, MIN_HEADER, headerSize - MIN_HEADER, 'xar header checksum name');
        const nul = rest.indexOf(0);
        const name = Buffer.from(rest.subarray(0, nul < 0 ? rest.length : nul)).toString('latin1').toLowerCase();
        if (name !== '') checksum = name;
      }
      break;
    }
    default:
      throw new InputError(`xar TOC checksum algorithm ${alg} is unknown`, chain, 24);
  }
  if (checksum !== undefined && !XAR_HASHES.has(checksum)) {
    throw new InputError(`xar TOC checksum algorithm ${JSON.stringify(checksum)} is not supported`, chain, 28);
  }
  return { headerSize, version, tocLength: Number(tocLength), tocSize: Number(tocSize), checksum };
}
