import { createHash, type Hash } from 'node:crypto';
import { hashAvailable, readSignedDataBlob } from '../../inspect/signing/authenticode.js';
import type { SignerOptions } from '../../inspect/signing/cms.js';
import type { SignatureFacts } from '../../inspect/types.js';
import { readAll } from '../../io/byte-source.js';
import type { CompoundEntry, CompoundStorage, CompoundStreamEntry } from './compound-sectors.js';

/** `\x05DigitalSignature` and `\x05MsiDigitalSignatureEx` as stored: UTF-16LE with the terminator. */
const rawName = (name: string): Uint8Array => Buffer.from(`${name}\0`, 'utf16le');
const DIGITAL_SIGNATURE = rawName('\x05DigitalSignature');
const DIGITAL_SIGNATURE_EX = rawName('\x05MsiDigitalSignatureEx');
/** Real signatures are a few kilobytes; a larger stream is not read. */
const MAX_SIGNATURE_STREAM = 1 << 20;
/** An MsiDigitalSignatureEx stream holds one digest. */
const MAX_DIGEST = 64;

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

const isSignatureStream = (c: CompoundEntry): boolean => sameName(c.rawName, DIGITAL_SIGNATURE) || sameName(c.rawName, DIGITAL_SIGNATURE_EX);

/** A storage's children as both digests walk them: in hashOrder, the signature streams left out at the root. */
function signedChildren(storage: CompoundStorage, isRoot: boolean): CompoundEntry[] {
  return storage.children.filter((c) => !(isRoot && isSignatureStream(c))).sort((a, b) => hashOrder(a.rawName, b.rawName));
}

// Fields of a directory entry ([MS-CFB] 2.6.1).
const clsidOf = (e: CompoundEntry): Uint8Array => e.entry.subarray(0x50, 0x60);

/**
 * The digest an MSI's Authenticode signature covers: every stream's bytes, storages recursed
 * into, each storage's CLSID after its children (see signedChildren); empty streams are left out.
 */
async function hashStorage(storage: CompoundStorage, hashes: Hash[], isRoot: boolean): Promise<void> {
  for (const c of signedChildren(storage, isRoot)) {
    if (c.kind === 'storage') await hashStorage(c, hashes, false);
    else if (c.size > 0) {
      for (let o = 0; o < c.size; o += 1 << 20) {
        const chunk = await c.source.read(o, Math.min(1 << 20, c.size - o));
        for (const h of hashes) h.update(chunk);
      }
    }
  }
  for (const h of hashes) h.update(clsidOf(storage));
}

/**
 * The pre-hash an `MsiDigitalSignatureEx` signature adds: the entries' metadata, each storage's
 * own before its children (see signedChildren). Per entry, from its directory entry: the name without its terminator (not the root's),
 * a storage's CLSID or a stream's size (low 32 bits), the state bits, and the creation and
 * modification times (not the root's). As osslsigncode's msi_prehash_dir computes it.
 */
function prehash(storage: CompoundStorage, h: Hash, isRoot: boolean): void {
  entryMetadata(storage, h, isRoot);
  for (const c of signedChildren(storage, isRoot)) {
    if (c.kind === 'storage') prehash(c, h, false);
    else entryMetadata(c, h, false);
  }
}

function entryMetadata(e: CompoundEntry, h: Hash, isRoot: boolean): void {
  if (!isRoot) h.update(e.rawName.subarray(0, Math.max(0, e.rawName.length - 2)));
  // State bits at 0x60, creation and modification times at 0x64, size at 0x78.
  h.update(e.kind === 'storage' ? clsidOf(e) : e.entry.subarray(0x78, 0x7c));
  h.update(e.entry.subarray(0x60, 0x64));
  if (!isRoot) h.update(e.entry.subarray(0x64, 0x74));
}

/**
 * The Authenticode signatures of an MSI (or any compound file signed the same way: .msp, .msm),
 * each checked against the digest recomputed from the streams. With an `MsiDigitalSignatureEx`
 * stream the signature also covers the entries' metadata: the digest is then that of the
 * recomputed pre-hash followed by the streams, so a renamed, resized or re-dated entry breaks it.
 */
export async function readMsiSignatures(root: CompoundStorage, options: SignerOptions = {}): Promise<SignatureFacts[]> {
  const stream = root.children.find((c): c is CompoundStreamEntry => c.kind === 'stream' && sameName(c.rawName, DIGITAL_SIGNATURE));
  if (!stream) return [];
  if (stream.size > MAX_SIGNATURE_STREAM) return [{ kind: 'authenticode', status: 'unreadable', problem: `the DigitalSignature stream of ${stream.size} bytes exceeds ${MAX_SIGNATURE_STREAM}` }];
  const pending = readSignedDataBlob(await readAll(stream.source, 'MSI DigitalSignature stream'), options);
  for (const p of pending) delete p.facts.location;
  const ex = root.children.find((c): c is CompoundStreamEntry => c.kind === 'stream' && sameName(c.rawName, DIGITAL_SIGNATURE_EX));
  const exSize = ex ? ex.size : 0;
  // The stream holds the pre-hash in the signature's digest algorithm: only that one can be checked.
  const wanted = [...new Set(pending.filter((p) => p.imageDigest).map((p) => p.facts.digestAlgorithm!))]
    .filter(hashAvailable)
    .filter((a) => !ex || (exSize <= MAX_DIGEST && createHash(a).digest().length === exSize));
  const hashes = wanted.map((a) => {
    const h = createHash(a);
    if (ex) {
      const pre = createHash(a);
      prehash(root, pre, true);
      h.update(pre.digest());
    }
    return h;
  });
  if (hashes.length > 0) await hashStorage(root, hashes, true);
  const digests = new Map(wanted.map((a, i) => [a, hashes[i]!.digest()]));
  for (const p of pending) {
    if (!p.imageDigest) continue;
    const why = digests.has(p.facts.digestAlgorithm!)
      ? undefined
      : ex && hashAvailable(p.facts.digestAlgorithm!)
        ? `its MsiDigitalSignatureEx stream of ${exSize} bytes holds no ${p.facts.digestAlgorithm} pre-hash`
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
