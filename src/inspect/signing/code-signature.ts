/**
 * The Mach-O code signature (LC_CODE_SIGNATURE): a big-endian SuperBlob of a CodeDirectory (and
 * alternate ones with other hash types), requirements, entitlements and a CMS signature blob,
 * as Apple's <Security/CSCommon.h> and xnu's cs_blobs.h lay them out. The CodeDirectory holds a
 * hash of every page of the image up to codeLimit; those are recomputed from the file. The CMS
 * signature signs the first CodeDirectory; ad-hoc signatures (linkers sign arm64 images that way)
 * have no signer.
 */
import { createHash } from 'node:crypto';
import type { ByteSource } from '../../io/byte-source.js';
import { ByteWork } from '../../parallel/byte-work.js';
import type { SignatureFacts } from '../types.js';
import { describeSigner, digestOf, messageDigest, readSignedData, type SignerOptions } from './cms.js';
import { DerError } from './der.js';

const SUPERBLOB = 0xfade0cc0;
const CODEDIRECTORY = 0xfade0c02;
const BLOBWRAPPER = 0xfade0b01;
const SLOT_CODEDIRECTORY = 0;
const SLOT_ALTERNATE_FIRST = 0x1000;
const SLOT_ALTERNATE_LAST = 0x1004;
const SLOT_SIGNATURE = 0x10000;
/** Special slots whose blobs live in the SuperBlob itself (requirements, entitlements, DER entitlements). */
const IN_BLOB_SPECIAL_SLOTS = [2, 5, 7];
/** Signatures of real binaries are at most a few megabytes (one hash per 4 KiB page). */
export const MAX_CODE_SIGNATURE = 32 << 20;
const MAX_BLOBS = 64;
const MAX_PAGE_LOG2 = 24;
const READ_CHUNK = 1 << 20;

/** CS_HASHTYPE_*: node:crypto name, digest length, and rank (higher is preferred, as codesign does). */
const HASH_TYPES: Record<number, { name: string; length: number; rank: number }> = {
  1: { name: 'sha1', length: 20, rank: 1 },
  2: { name: 'sha256', length: 32, rank: 3 },
  3: { name: 'sha256', length: 20, rank: 2 },
  4: { name: 'sha384', length: 48, rank: 4 },
};

/** CodeDirectory flags as codesign names them (cs_blobs.h CS_*). */
const FLAG_NAMES: [number, string][] = [
  [0x1, 'valid'],
  [0x2, 'adhoc'],
  [0x4, 'get-task-allow'],
  [0x8, 'installer'],
  [0x10, 'forced-lv'],
  [0x20, 'invalid-allowed'],
  [0x100, 'hard'],
  [0x200, 'kill'],
  [0x400, 'expires'],
  [0x800, 'restrict'],
  [0x1000, 'enforcement'],
  [0x2000, 'library-validation'],
  [0x10000, 'runtime'],
  [0x20000, 'linker-signed'],
];

class CodeSignatureError extends Error {}

export function flagNames(flags: number): string[] {
  const names: string[] = [];
  let rest = flags;
  for (const [bit, name] of FLAG_NAMES) {
    if (flags & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) names.push(`0x${(rest >>> 0).toString(16)}`);
  return names;
}

interface CodeDirectory {
  bytes: Uint8Array;
  version: number;
  flags: number;
  hash: { name: string; length: number; rank: number };
  hashOffset: number;
  nSpecialSlots: number;
  nCodeSlots: number;
  codeLimit: number;
  pageLog2: number;
  identifier: string;
  teamId?: string;
}

function cString(b: Uint8Array, at: number, what: string): string {
  if (at >= b.length) throw new CodeSignatureError(`${what} offset ${at} lies outside the CodeDirectory`);
  const end = b.indexOf(0, at);
  if (end < 0) throw new CodeSignatureError(`${what} is not terminated inside the CodeDirectory`);
  return Buffer.from(b.subarray(at, end)).toString('utf8');
}

function readCodeDirectory(b: Uint8Array): CodeDirectory {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 44) throw new CodeSignatureError(`CodeDirectory of ${b.length} bytes is too short`);
  const version = v.getUint32(8);
  const hashType = b[37]!;
  const hash = HASH_TYPES[hashType];
  if (hash === undefined) throw new CodeSignatureError(`unknown CodeDirectory hash type ${hashType}`);
  if (b[36] !== hash.length) throw new CodeSignatureError(`hash size ${b[36]} does not fit hash type ${hashType}`);
  const cd: CodeDirectory = {
    bytes: b,
    version,
    flags: v.getUint32(12),
    hash,
    hashOffset: v.getUint32(16),
    nSpecialSlots: v.getUint32(24),
    nCodeSlots: v.getUint32(28),
    codeLimit: v.getUint32(32),
    pageLog2: b[39]!,
    identifier: cString(b, v.getUint32(20), 'identifier'),
  };
  if (version >= 0x20200 && b.length >= 52) {
    const teamOffset = v.getUint32(48);
    if (teamOffset !== 0) cd.teamId = cString(b, teamOffset, 'team identifier');
  }
  if (version >= 0x20300 && b.length >= 64) {
    const limit64 = v.getBigUint64(56);
    if (limit64 !== 0n) {
      if (limit64 > BigInt(Number.MAX_SAFE_INTEGER)) throw new CodeSignatureError('codeLimit64 is out of range');
      cd.codeLimit = Number(limit64);
    }
  }
  if (cd.pageLog2 > MAX_PAGE_LOG2) throw new CodeSignatureError(`page size 2^${cd.pageLog2} is implausible`);
  const special = cd.nSpecialSlots * hash.length;
  if (cd.hashOffset < special || cd.hashOffset + cd.nCodeSlots * hash.length > b.length) {
    throw new CodeSignatureError(`the CodeDirectory's ${cd.nCodeSlots} code and ${cd.nSpecialSlots} special hashes do not fit in it`);
  }
  const pages = cd.pageLog2 === 0 ? (cd.codeLimit > 0 ? 1 : 0) : Math.ceil(cd.codeLimit / 2 ** cd.pageLog2);
  if (pages !== cd.nCodeSlots) throw new CodeSignatureError(`codeLimit ${cd.codeLimit} needs ${pages} page hashes, the CodeDirectory has ${cd.nCodeSlots}`);
  return cd;
}

function slotHash(cd: CodeDirectory, slot: number): Uint8Array {
  const at = cd.hashOffset + slot * cd.hash.length;
  return cd.bytes.subarray(at, at + cd.hash.length);
}

function digest(name: string, length: number, data: Uint8Array): Buffer {
  return createHash(name).update(data).digest().subarray(0, length);
}

/** Blobs of the SuperBlob by slot type, each cut to its own length. */
function readSuperBlob(b: Uint8Array): Map<number, Uint8Array> {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 12 || v.getUint32(0) !== SUPERBLOB) throw new CodeSignatureError('no embedded-signature SuperBlob (magic 0xfade0cc0)');
  const length = v.getUint32(4);
  const count = v.getUint32(8);
  if (length > b.length || length < 12) throw new CodeSignatureError(`SuperBlob length ${length} does not fit the ${b.length}-byte signature`);
  if (count > MAX_BLOBS || 12 + count * 8 > length) throw new CodeSignatureError(`SuperBlob claims ${count} blobs`);
  const blobs = new Map<number, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const type = v.getUint32(12 + i * 8);
    const offset = v.getUint32(16 + i * 8);
    if (offset + 8 > length) throw new CodeSignatureError(`blob ${i} at ${offset} lies outside the SuperBlob`);
    const blobLength = v.getUint32(offset + 4);
    if (blobLength < 8 || offset + blobLength > length) throw new CodeSignatureError(`blob ${i} of ${blobLength} bytes runs outside the SuperBlob`);
    blobs.set(type, b.subarray(offset, offset + blobLength));
  }
  return blobs;
}

/**
 * Every page hash of every CodeDirectory against the image: each CodeDirectory's pages of
 * [0, codeLimit) are hashed on ByteWork's workers (in parallel when there are several). The first
 * mismatch reported is the one a single pass over the image in 1 MiB reads would meet first.
 */
async function pagesMatch(source: ByteSource, sliceOffset: number, sliceSize: number, cds: CodeDirectory[]): Promise<string | undefined> {
  for (const cd of cds) {
    if (cd.codeLimit > sliceSize) return `codeLimit ${cd.codeLimit} lies past the end of the image (${sliceSize} bytes)`;
  }
  const firstMismatch = await Promise.all(
    cds.map(async (cd) => {
      // Page size 0 means the whole of [0, codeLimit) is one page.
      const size = cd.pageLog2 === 0 ? cd.codeLimit : 2 ** cd.pageLog2;
      if (cd.codeLimit === 0) return undefined;
      const digests = await ByteWork.get().pageDigests(source, [sliceOffset, sliceOffset + cd.codeLimit], size, cd.hash.name, 'inspect');
      const full = digests.length / Math.ceil(cd.codeLimit / size);
      for (let slot = 0; slot < cd.nCodeSlots; slot++) {
        if (!digests.subarray(slot * full, slot * full + cd.hash.length).equals(slotHash(cd, slot))) {
          const pageEnd = Math.min((slot + 1) * size, cd.codeLimit);
          return { slot, read: Math.floor((pageEnd - 1) / READ_CHUNK) };
        }
      }
      return undefined;
    }),
  );
  let first: { index: number; slot: number; read: number } | undefined;
  firstMismatch.forEach((m, index) => {
    if (m && (!first || m.read < first.read)) first = { index, ...m };
  });
  if (!first) return undefined;
  return `page ${first.slot} (${cds[first.index]!.hash.name}) does not match its hash in the CodeDirectory`;
}

/** Special-slot hashes of the blobs the SuperBlob carries (requirements, entitlements). */
function specialSlotsMatch(cds: CodeDirectory[], blobs: Map<number, Uint8Array>): string | undefined {
  for (const cd of cds) {
    for (const slot of IN_BLOB_SPECIAL_SLOTS) {
      if (slot > cd.nSpecialSlots) continue;
      const stated = slotHash(cd, -slot);
      const blob = blobs.get(slot);
      const empty = stated.every((x) => x === 0);
      if (blob === undefined ? !empty : !digest(cd.hash.name, cd.hash.length, blob).equals(stated)) {
        return `special slot ${slot} does not match ${blob === undefined ? 'a missing blob' : 'its blob'}`;
      }
    }
  }
  return undefined;
}

function unreadable(problem: string, location: { offset: number; size: number }): SignatureFacts {
  return { kind: 'macho', status: 'unreadable', problem, location };
}

/**
 * The code signature of one Mach-O image: `slice` is where the image is in the file, `range`
 * where LC_CODE_SIGNATURE points (file offsets). A signature that cannot be read is a finding.
 */
export async function readCodeSignature(
  source: ByteSource,
  slice: { offset: number; size: number },
  range: { offset: number; size: number },
  options: SignerOptions = {},
): Promise<SignatureFacts> {
  if (range.size > MAX_CODE_SIGNATURE) return unreadable(`code signature of ${range.size} bytes exceeds ${MAX_CODE_SIGNATURE}`, range);
  try {
    const blobs = readSuperBlob(await source.read(range.offset, range.size));
    const primary = blobs.get(SLOT_CODEDIRECTORY);
    if (primary === undefined) throw new CodeSignatureError('the SuperBlob has no CodeDirectory');
    const cds: CodeDirectory[] = [];
    for (const [slot, blob] of blobs) {
      if (slot !== SLOT_CODEDIRECTORY && (slot < SLOT_ALTERNATE_FIRST || slot > SLOT_ALTERNATE_LAST)) continue;
      if (new DataView(blob.buffer, blob.byteOffset, 4).getUint32(0) !== CODEDIRECTORY) throw new CodeSignatureError(`slot 0x${slot.toString(16)} is not a CodeDirectory`);
      cds.push(readCodeDirectory(blob));
    }
    const best = cds.reduce((a, b) => (b.hash.rank > a.hash.rank ? b : a));
    const facts: SignatureFacts = {
      kind: 'macho',
      status: 'ad-hoc',
      digestAlgorithm: best.hash.name,
      identifier: best.identifier,
      flags: flagNames(best.flags),
      cdhash: digest(best.hash.name, 20, best.bytes).toString('hex'),
      codeDirectory: { version: `0x${best.version.toString(16)}`, hashType: best.hash.length === 20 && best.hash.name === 'sha256' ? 'sha256-truncated' : best.hash.name, pageSize: best.pageLog2 === 0 ? 0 : 2 ** best.pageLog2, codeSlots: best.nCodeSlots, codeLimit: best.codeLimit },
      location: range,
    };
    if (best.teamId !== undefined) facts.teamId = best.teamId;
    const problems: string[] = [];
    let broken = false;
    const cms = blobs.get(SLOT_SIGNATURE);
    if (cms !== undefined && cms.length > 8) {
      if (new DataView(cms.buffer, cms.byteOffset, 4).getUint32(0) !== BLOBWRAPPER) throw new CodeSignatureError('the signature slot is not a blob wrapper');
      try {
        const sd = readSignedData(cms.subarray(8));
        const si = sd.signers[0];
        if (si === undefined) throw new DerError('the CMS signature has no signer');
        const signer = describeSigner(sd, si, { ...options, detachedContent: primary });
        Object.assign(facts, signer.facts);
        problems.push(...signer.problems);
        const stated = messageDigest(si);
        if (stated !== undefined && digestOf(si.digestAlgorithm, primary)?.equals(stated) === false) {
          problems.push('the CMS messageDigest does not match the CodeDirectory');
          broken = true;
        }
        broken ||= signer.signatureBroken;
        facts.status = 'valid-digest';
      } catch (err) {
        if (!(err instanceof DerError)) throw err;
        return { ...facts, status: 'unreadable', problem: `CMS signature unreadable: ${err.message}` };
      }
    }
    const mismatch = specialSlotsMatch(cds, blobs) ?? (await pagesMatch(source, slice.offset, slice.size, cds));
    if (mismatch !== undefined) problems.push(mismatch);
    if (mismatch !== undefined || broken) facts.status = 'modified-after-signing';
    if (problems.length > 0) facts.problem = problems.join('; ');
    return facts;
  } catch (err) {
    if (err instanceof CodeSignatureError || err instanceof DerError || err instanceof RangeError) return unreadable(`code signature unreadable: ${err.message}`, range);
    throw err;
  }
}
