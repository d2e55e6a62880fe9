import { createHash, type Hash } from 'node:crypto';
import { hashAvailable, readSignedDataBlob } from '../../inspect/signing/authenticode.js';
import type { SignerOptions } from '../../inspect/signing/cms.js';
import type { SignatureFacts } from '../../inspect/types.js';
import { readAll } from '../../io/byte-source.js';
import type { CompoundStorage, CompoundStreamEntry } from './compound-sectors.js';

/** `\x05DigitalSignature` and `\x05MsiDigitalSignatureEx` as stored: UTF-16LE with the terminator. */
const rawName = (name: string): Uint8Array => Buffer.from(`${name}\0`, 'utf16le');
const DIGITAL_SIGNATURE = rawName('\x05DigitalSignature');
const DIGITAL_SIGNATURE_EX = rawName('\x05MsiDigitalSignatureEx');
/** Real signatures are a few kilobytes; a larger stream is not read. */
const MAX_SIGNATURE_STREAM = 1 << 20;

const sameName = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/**
 * The order signing tools hash a storage's children in: their raw names compared byte by byte
 * over the shorter length (terminator included), the longer first when that is equal
 * (osslsigncode's dirent_cmp_hash, matching signtool's results).
 */
function hashOrder(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  const diff = Buffer.compare(a.subarray(0, n), b.subarray(0, n));
  return diff !== 0 ? diff : b.length - a.length;
}

/**
 * The digest an MSI's Authenticode signature covers: every stream's bytes, storages recursed
 * into, children in hashOrder, each storage's CLSID after its children; the signature streams
 * themselves are left out at the root, as are empty streams.
 */
async function hashStorage(storage: CompoundStorage, hashes: Hash[], isRoot: boolean): Promise<void> {
  const children = [...storage.children].sort((a, b) => hashOrder(a.rawName, b.rawName));
  for (const c of children) {
    if (isRoot && (sameName(c.rawName, DIGITAL_SIGNATURE) || sameName(c.rawName, DIGITAL_SIGNATURE_EX))) continue;
    if (c.kind === 'storage') await hashStorage(c, hashes, false);
    else if (c.size > 0) {
      for (let o = 0; o < c.size; o += 1 << 20) {
        const chunk = await c.source.read(o, Math.min(1 << 20, c.size - o));
        for (const h of hashes) h.update(chunk);
      }
    }
  }
  for (const h of hashes) h.update(storage.clsid);
}

/**
 * The Authenticode signatures of an MSI (or any compound file signed the same way: .msp, .msm),
 * each checked against the digest recomputed from the streams. A signature with an
 * `MsiDigitalSignatureEx` stream also signs the entries' metadata (names, sizes, times), which
 * is not recomputed here: such a signature is reported `not-checked`.
 */
export async function readMsiSignatures(root: CompoundStorage, options: SignerOptions = {}): Promise<SignatureFacts[]> {
  const stream = root.children.find((c): c is CompoundStreamEntry => c.kind === 'stream' && sameName(c.rawName, DIGITAL_SIGNATURE));
  if (!stream) return [];
  if (stream.size > MAX_SIGNATURE_STREAM) return [{ kind: 'authenticode', status: 'unreadable', problem: `the DigitalSignature stream of ${stream.size} bytes exceeds ${MAX_SIGNATURE_STREAM}` }];
  const pending = readSignedDataBlob(await readAll(stream.source, 'MSI DigitalSignature stream'), options);
  for (const p of pending) delete p.facts.location;
  const withEx = root.children.some((c) => sameName(c.rawName, DIGITAL_SIGNATURE_EX));
  const wanted = [...new Set(pending.filter((p) => p.imageDigest).map((p) => p.facts.digestAlgorithm!))].filter(hashAvailable);
  const hashes = wanted.map((a) => createHash(a));
  if (!withEx && hashes.length > 0) await hashStorage(root, hashes, true);
  const digests = new Map(wanted.map((a, i) => [a, hashes[i]!.digest()]));
  for (const p of pending) {
    if (!p.imageDigest) continue;
    const why = withEx
      ? 'the MsiDigitalSignatureEx stream signs the entries\' metadata too, which is not recomputed here'
      : digests.has(p.facts.digestAlgorithm!)
        ? undefined
        : `digest algorithm ${p.facts.digestAlgorithm} is not available`;
    if (why) {
      p.facts.status = 'not-checked';
      p.facts.problem = [p.facts.problem, why].filter(Boolean).join('; ');
      continue;
    }
    p.facts.status = digests.get(p.facts.digestAlgorithm!)!.equals(p.imageDigest) ? 'valid-digest' : 'modified-after-signing';
  }
  return pending.map((p) => p.facts);
}
