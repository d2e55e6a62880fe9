import { readPeLayout } from '../../inspect/pe/index.js';
import { certificateRange, overlayRange, type FileRange } from '../../inspect/pe/extent.js';
import type { ByteSource } from '../../io/byte-source.js';

/**
 * The overlay of a PE file: the bytes after its image (see imageEnd) up to the
 * Authenticode table or the end of the file, where self-extractors keep their archive.
 * Undefined for a PE without one, and for bytes too broken to place it (the inspect stage
 * reports those).
 */
export async function peOverlay(source: ByteSource): Promise<FileRange | undefined> {
  try {
    const { headers, imageEnd } = await readPeLayout(source);
    return overlayRange(imageEnd, certificateRange(headers, source.size), source.size);
  } catch {
    return undefined;
  }
}
