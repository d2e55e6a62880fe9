import { readPeHeaders } from '../../inspect/pe/index.js';
import { certificateRange, imageEnd, overlayRange, type FileRange } from '../../inspect/pe/extent.js';
import { PagedReader } from '../../inspect/pe/paged-reader.js';
import type { ByteSource } from '../../io/byte-source.js';

/**
 * The overlay of a PE file: the bytes after its image (sections and COFF symbols) up to the
 * Authenticode table or the end of the file, where self-extractors keep their archive.
 * Undefined for a PE without one, and for bytes too broken to place it (the inspect stage
 * reports those).
 */
export async function peOverlay(source: ByteSource): Promise<FileRange | undefined> {
  try {
    const headers = await readPeHeaders(source);
    const reader = new PagedReader(source);
    const certificate = certificateRange(headers, source.size);
    return overlayRange(await imageEnd(headers, reader), certificate, source.size);
  } catch {
    return undefined;
  }
}
