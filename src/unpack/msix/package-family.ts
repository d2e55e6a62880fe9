import { createHash } from 'node:crypto';

/** Crockford's base32 alphabet, as Windows uses it for publisher ids. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * The publisher id Windows derives from the Publisher distinguished name: the first 8 bytes of
 * SHA-256 over its UTF-16LE encoding, padded with one zero bit to 65 bits and written as 13
 * base32 digits (`CN=Microsoft Corporation, …` → `8wekyb3d8bbwe`).
 */
export function publisherId(publisher: string): string {
  const digest = createHash('sha256').update(Buffer.from(publisher, 'utf16le')).digest();
  let bits = 0n;
  for (let i = 0; i < 8; i++) bits = (bits << 8n) | BigInt(digest[i]!);
  bits <<= 1n;
  let out = '';
  for (let i = 12; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return out;
}

/** `Name_publisherId`, the family name Windows installs a package under. */
export function packageFamilyName(name: string, publisher: string): string {
  return `${name}_${publisherId(publisher)}`;
}
