import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import type { Budget } from '../limits.js';

/** One header of a cpio archive, with where its data lies in the (decoded) source. */
export interface CpioMember {
  /** The name exactly as recorded (not yet made safe). */
  name: string;
  mode: number;
  dev: string;
  ino: number;
  nlink: number;
  uid: number;
  gid: number;
  mtime: number;
  size: number;
  dataOffset: number;
  /** Offset of the header, for error messages. */
  headerOffset: number;
}

export type CpioFormat = 'odc' | 'newc' | 'crc' | 'bin-le' | 'bin-be';

const ODC_HEADER = 76;
const NEWC_HEADER = 110;
const BINARY_HEADER = 26;
/** Longer names than this are not paths any installer writes. */
const MAX_NAME = 64 * 1024;
const TRAILER = 'TRAILER!!!';

/**
 * True when the bytes start with a cpio header: ASCII (odc, newc, crc) or old binary. A 2-byte
 * binary magic alone would claim too many files, so its first name must also fit the head and
 * end in NUL.
 */
export function isCpioMagic(head: Uint8Array): boolean {
  const format = cpioFormatOf(head);
  if (format !== 'bin-le' && format !== 'bin-be') return format !== undefined;
  if (head.length < BINARY_HEADER) return false;
  const { nameSize } = binaryHeader(head, format === 'bin-le');
  return nameSize >= 2 && BINARY_HEADER + nameSize <= head.length && head[BINARY_HEADER + nameSize - 1] === 0;
}

export function cpioFormatOf(head: Uint8Array): CpioFormat | undefined {
  if (head.length < 6) return undefined;
  const magic = String.fromCharCode(...head.subarray(0, 6));
  if (magic === '070707') return 'odc';
  if (magic === '070701') return 'newc';
  if (magic === '070702') return 'crc';
  // The old binary format: the octal magic 070707 as a 16-bit word in the writer's byte order.
  if (head[0] === 0xc7 && head[1] === 0x71) return 'bin-le';
  if (head[0] === 0x71 && head[1] === 0xc7) return 'bin-be';
  return undefined;
}

/** Old binary header: 13 u16 words; mtime and filesize are two words each, high word first. */
function binaryHeader(h: Uint8Array, littleEndian: boolean): { m: Omit<CpioMember, 'name' | 'dataOffset' | 'headerOffset'>; nameSize: number } {
  const w = (i: number): number => (littleEndian ? h[2 * i]! | (h[2 * i + 1]! << 8) : (h[2 * i]! << 8) | h[2 * i + 1]!);
  return {
    m: { dev: String(w(1)), ino: w(2), mode: w(3), uid: w(4), gid: w(5), nlink: w(6), mtime: w(8) * 0x10000 + w(9), size: w(11) * 0x10000 + w(12) },
    nameSize: w(10),
  };
}

function field(bytes: Uint8Array, start: number, len: number, radix: 8 | 16, what: string, at: number, chain: readonly string[]): number {
  const s = String.fromCharCode(...bytes.subarray(start, start + len));
  const ok = radix === 8 ? /^[0-7]+$/.test(s) : /^[0-9A-Fa-f]+$/.test(s);
  if (!ok) throw new InputError(`cpio header field ${what} is not a number: ${JSON.stringify(s)}`, chain, at + start);
  const n = parseInt(s, radix);
  if (!Number.isSafeInteger(n)) throw new InputError(`cpio header field ${what} is out of range`, chain, at + start);
  return n;
}

/**
 * Reads every header of a cpio archive up to `TRAILER!!!`, with positional reads only
 * (the data is never touched). odc: 76-byte octal header, no padding. newc/crc: 110-byte hex
 * header, name and data padded to 4 bytes (cpio(5)). Old binary: 26-byte
 * header of 16-bit words in either byte order, name and data padded to 2 bytes.
 */
export async function* readCpioMembers(
  src: ByteSource,
  budget: Budget,
  chain: readonly string[],
): AsyncGenerator<CpioMember> {
  let off = 0;
  for (;;) {
    if (off + 6 > src.size) throw new InputError('truncated cpio archive: no TRAILER!!! record', chain, off);
    const magic = await readExactly(src, off, 6, 'cpio magic');
    const format = cpioFormatOf(magic);
    if (format === undefined) {
      throw new InputError(`not a cpio header (magic ${Buffer.from(magic).toString('hex')})`, chain, off);
    }
    const binary = format === 'bin-le' || format === 'bin-be';
    const headerLen = binary ? BINARY_HEADER : format === 'odc' ? ODC_HEADER : NEWC_HEADER;
    const h = await readExactly(src, off, headerLen, 'cpio header').catch((e: unknown) => {
      throw e instanceof InputError ? new InputError(e.message, chain, off) : e;
    });
    let m: Omit<CpioMember, 'name' | 'dataOffset' | 'headerOffset'>;
    let nameSize: number;
    if (binary) {
      ({ m, nameSize } = binaryHeader(h, format === 'bin-le'));
    } else if (format === 'odc') {
      m = {
        dev: String(field(h, 6, 6, 8, 'dev', off, chain)),
        ino: field(h, 12, 6, 8, 'ino', off, chain),
        mode: field(h, 18, 6, 8, 'mode', off, chain),
        uid: field(h, 24, 6, 8, 'uid', off, chain),
        gid: field(h, 30, 6, 8, 'gid', off, chain),
        nlink: field(h, 36, 6, 8, 'nlink', off, chain),
        mtime: field(h, 48, 11, 8, 'mtime', off, chain),
        size: field(h, 65, 11, 8, 'filesize', off, chain),
      };
      nameSize = field(h, 59, 6, 8, 'namesize', off, chain);
    } else {
      m = {
        ino: field(h, 6, 8, 16, 'ino', off, chain),
        mode: field(h, 14, 8, 16, 'mode', off, chain),
        uid: field(h, 22, 8, 16, 'uid', off, chain),
        gid: field(h, 30, 8, 16, 'gid', off, chain),
        nlink: field(h, 38, 8, 16, 'nlink', off, chain),
        mtime: field(h, 46, 8, 16, 'mtime', off, chain),
        size: field(h, 54, 8, 16, 'filesize', off, chain),
        dev: `${field(h, 62, 8, 16, 'devmajor', off, chain)}:${field(h, 70, 8, 16, 'devminor', off, chain)}`,
      };
      nameSize = field(h, 94, 8, 16, 'namesize', off, chain);
    }
    if (nameSize < 1 || nameSize > MAX_NAME) throw new InputError(`cpio name size ${nameSize} is invalid`, chain, off);
    const nameOff = off + headerLen;
    const nameBytes = await readExactly(src, nameOff, nameSize, 'cpio member name').catch((e: unknown) => {
      throw e instanceof InputError ? new InputError(e.message, chain, nameOff) : e;
    });
    if (nameBytes[nameSize - 1] !== 0) throw new InputError('cpio member name is not NUL-terminated', chain, nameOff);
    const name = Buffer.from(nameBytes.subarray(0, nameSize - 1)).toString('utf8');
    // odc is unpadded; newc/crc pad name and data to 4 bytes, the binary format to 2.
    const pad = format === 'odc' ? (n: number) => n : binary ? (n: number) => n + (n & 1) : (n: number) => (n + 3) & ~3;
    const dataOffset = pad(nameOff + nameSize);
    if (name === TRAILER) return;
    if (dataOffset + m.size > src.size) {
      throw new InputError(`truncated cpio archive: ${JSON.stringify(name)} needs ${m.size} bytes at ${dataOffset} of ${src.size}`, chain, off);
    }
    budget.checkMetadata(nameSize, 'cpio member name', chain);
    yield { ...m, name, dataOffset, headerOffset: off };
    const next = pad(dataOffset + m.size);
    // Every header advances by at least its own length, so the loop always ends.
    off = next;
  }
}
