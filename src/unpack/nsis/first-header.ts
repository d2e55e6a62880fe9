import type { ByteSource } from '../../io/byte-source.js';

/**
 * NSIS "firstheader" (NSIS exehead fileform.h): `u32 flags, u32 0xDEADBEEF, "NullsoftInst",
 * u32 length_of_header, u32 length_of_all_following_data`. makensis writes it right after the
 * stub, and the stub looks for it only at 512-byte boundaries (NSIS Source/exehead/fileform.h).
 */
export interface NsisFirstHeader {
  offset: number;
  flags: number;
  headerLength: number;
  /** Bytes from the firstheader to the end of the installer data (the header counts itself). */
  archiveLength: number;
}

const FIRSTHEADER_SIZE = 28;
const SIGINFO = 0xdeadbeef;
const MAGIC = 'NullsoftInst';
const ALIGN = 512;
/** How far past the PE image the firstheader is looked for; makensis puts it at the image end. */
const SCAN_WINDOW = 4 * 1024 * 1024;
const CHUNK = 64 * 1024;

const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

function isFirstHeader(b: Uint8Array, at: number): boolean {
  if (at + FIRSTHEADER_SIZE > b.length || u32(b, at + 4) !== SIGINFO) return false;
  for (let i = 0; i < MAGIC.length; i++) if (b[at + 8 + i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * The firstheader at a 512-byte boundary from the end of the PE image (rounded down) through a
 * bounded window; undefined when there is none (an ordinary PE). Lengths are not checked here,
 * so that a truncated installer is still recognised and then reported as truncated.
 */
export async function findFirstHeader(source: ByteSource, imageEnd: number): Promise<NsisFirstHeader | undefined> {
  const start = imageEnd - (imageEnd % ALIGN);
  const stop = Math.min(source.size, imageEnd + SCAN_WINDOW);
  for (let base = start; base < stop; base += CHUNK) {
    // Overlap by one header so a header straddling two chunks is still seen.
    const bytes = await source.read(base, Math.min(CHUNK + FIRSTHEADER_SIZE, source.size - base));
    for (let at = 0; at < CHUNK && at < bytes.length; at += ALIGN) {
      if (isFirstHeader(bytes, at)) {
        return { offset: base + at, flags: u32(bytes, at), headerLength: u32(bytes, at + 20), archiveLength: u32(bytes, at + 24) };
      }
    }
  }
  return undefined;
}
