/**
 * Certificate chains checked against roots the user names (`--trust-roots FILE`, a PEM bundle).
 * Without roots nothing is trusted: chains are recorded, not judged. Validity periods are not
 * checked: a timestamped code signature outlives its certificate by design.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InputError } from '../../errors.js';
import type { Certificate } from './certificate.js';

export interface TrustRoots {
  readonly roots: readonly X509Certificate[];
}

/** A certificate chain longer than this is not one a signer builds. */
const MAX_CHAIN = 10;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** Roots from the text of a PEM bundle; a bundle without one certificate is a usage mistake. */
export function parseTrustRoots(pem: string, source = 'trust roots'): TrustRoots {
  const roots: X509Certificate[] = [];
  for (const m of pem.matchAll(PEM_BLOCK)) {
    try {
      roots.push(new X509Certificate(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
    } catch (err) {
      throw new InputError(`${source}: certificate ${roots.length + 1} cannot be read: ${(err as Error).message}`);
    }
  }
  if (roots.length === 0) throw new InputError(`${source}: no PEM certificate found`);
  return { roots };
}

export async function loadTrustRoots(path: string): Promise<TrustRoots> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`trust roots cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, [path]);
  }
  return parseTrustRoots(text, path);
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/**
 * `trusted` when the signer chains, through the certificates the signature carries, to one of the
 * roots (each link's signature checked); `untrusted` otherwise.
 */
export function chainStatus(signer: Certificate, carried: readonly Certificate[], trust: TrustRoots): 'trusted' | 'untrusted' {
  let current: X509Certificate;
  let pool: X509Certificate[];
  try {
    current = new X509Certificate(signer.der);
    pool = carried.map((c) => new X509Certificate(c.der));
  } catch {
    return 'untrusted';
  }
  const seen = new Set<string>();
  for (let i = 0; i < MAX_CHAIN; i++) {
    if (trust.roots.some((r) => r.fingerprint256 === current.fingerprint256 || issuedBy(current, r))) return 'trusted';
    seen.add(current.fingerprint256);
    const next = pool.find((c) => !seen.has(c.fingerprint256) && issuedBy(current, c));
    if (next === undefined) return 'untrusted';
    current = next;
  }
  return 'untrusted';
}
