import type { ByteSource } from '../../io/byte-source.js';
import type { UnopenedFinding } from '../types.js';
import { peOverlay } from './pe-overlay.js';

/** How much of an overlay is searched for an archive that does not start it. */
const SCAN_LIMIT = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/** Longest signature check below, so a signature across two chunks is still seen. */
const OVERLAP = 64;

const u16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const u32 = (b: Uint8Array, o: number): number => (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const bytesAt = (b: Uint8Array, o: number, sig: readonly number[]): boolean => sig.every((x, i) => b[o + i] === x);

/** Zip methods any zip reader of ours or 7-Zip's decodes; other numbers are noise, not a header. */
const ZIP_METHODS = new Set([0, 1, 6, 8, 9, 12, 14, 93, 95, 98]);

interface Signature {
  format: string;
  title: string;
  /** True when a header of the format starts at `o` (`left` bytes remain in the overlay). */
  at(b: Uint8Array, o: number, left: number): boolean;
}

/**
 * Archive headers checked beyond their magic, so that compressed bytes that happen to contain
 * the magic are not taken for an archive.
 */
const SIGNATURES: readonly Signature[] = [
  {
    format: 'cab',
    title: 'Microsoft cabinet',
    at: (b, o, left) => bytesAt(b, o, [0x4d, 0x53, 0x43, 0x46, 0, 0, 0, 0]) && u32(b, o + 8) > 36 && u32(b, o + 8) <= left && u32(b, o + 16) < u32(b, o + 8) && b[o + 24] === 3 && b[o + 25] === 1,
  },
  { format: '7z', title: '7z archive', at: (b, o) => bytesAt(b, o, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0]) },
  { format: 'xz', title: 'xz stream', at: (b, o) => bytesAt(b, o, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0, 0]) },
  {
    format: 'zip',
    title: 'zip archive',
    at: (b, o) => bytesAt(b, o, [0x50, 0x4b, 3, 4]) && u16(b, o + 4) <= 63 && ZIP_METHODS.has(u16(b, o + 8)) && u16(b, o + 26) > 0 && u16(b, o + 26) <= 1024,
  },
  { format: 'installshield-cab', title: 'InstallShield cabinet', at: (b, o) => bytesAt(b, o, [0x49, 0x53, 0x63, 0x28]) },
];

const FIRST_BYTES = new Set([0x4d, 0x37, 0xfd, 0x50, 0x49]);

/**
 * Why a PE's overlay, which no reader opened, is not in the SBOM: the first archive header found
 * in its first 16 MiB, named with where it lies (an InstallShield Setup.exe keeps its cabinets
 * inside its own file table: where such an archive ends and what surrounds it is the installer's
 * own format), or else that its bytes are in no format read here (an AutoIt script, an installer
 * we do not read, a payload of the program's own). Either way what it holds is a known unknown.
 * An overlay of zero bytes only is padding, and says nothing.
 */
export async function explainOverlay(source: ByteSource): Promise<UnopenedFinding | undefined> {
  const overlay = await peOverlay(source);
  if (!overlay) return undefined;
  const end = overlay.offset + Math.min(overlay.size, SCAN_LIMIT);
  let padding = overlay.size <= SCAN_LIMIT;
  for (let base = overlay.offset; base < end; base += CHUNK) {
    const b = await source.read(base, Math.min(CHUNK + OVERLAP, overlay.offset + overlay.size - base));
    const stop = Math.min(CHUNK, b.length, end - base);
    for (let o = 0; o < stop; o++) {
      if (b[o] !== 0) padding = false;
      if (!FIRST_BYTES.has(b[o]!)) continue;
      const at = base + o;
      const sig = SIGNATURES.find((s) => s.at(b, o, overlay.offset + overlay.size - at));
      if (!sig) continue;
      const what = `${/^[aeiouAEIOU]/.test(sig.title) ? 'an' : 'a'} ${sig.title}`;
      const where = at === overlay.offset ? `starts with ${what}` : `holds ${what} at byte ${at}, inside data of the installer's own format`;
      return { format: sig.format, reason: `the PE overlay (${overlay.size} bytes at byte ${overlay.offset}) ${where}; it is not opened` };
    }
  }
  if (padding) return undefined;
  return { format: 'pe-overlay', reason: `the PE overlay (${overlay.size} bytes at byte ${overlay.offset}) is in no format read here; what it holds is not in this SBOM` };
}
