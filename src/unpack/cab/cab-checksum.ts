/**
 * The CFDATA checksum: an XOR of little-endian 32-bit words, where the 1–3 trailing bytes are
 * folded in big-endian order ([MS-CAB] 2.5; the order of the tail bytes is what Microsoft's
 * FCI does, and what cabextract checks against). It is computed over the data bytes first and
 * then over the 4 bytes of cbData and cbUncomp, with the first result as the seed.
 */
export function cabChecksum(bytes: Uint8Array, seed: number): number {
  let sum = seed >>> 0;
  const words = bytes.length >>> 2;
  let i = 0;
  for (let w = 0; w < words; w++, i += 4) {
    sum ^= bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
  }
  // The 1–3 leftover bytes are folded with the first of them highest.
  let tail = 0;
  for (; i < bytes.length; i++) tail = (tail << 8) | bytes[i]!;
  return (sum ^ tail) >>> 0;
}
