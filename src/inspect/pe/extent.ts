import { InputError } from '../../errors.js';
import { DataDirectory, type PeHeaders } from './headers.js';
import { u32, type PagedReader } from './paged-reader.js';

const COFF_SYMBOL_SIZE = 18;

export interface FileRange {
  offset: number;
  size: number;
}

/** The Authenticode table: data directory 4 holds a FILE offset, unlike every other directory. */
export function certificateRange(headers: PeHeaders, fileSize: number): FileRange | undefined {
  const dir = headers.dataDirectories[DataDirectory.security];
  if (!dir || dir.virtualAddress === 0 || dir.size === 0) return undefined;
  if (dir.virtualAddress + dir.size > fileSize) {
    throw new InputError(
      `truncated PE: certificate table ends at ${dir.virtualAddress + dir.size}, the file at ${fileSize}`,
      [],
      dir.virtualAddress,
    );
  }
  return { offset: dir.virtualAddress, size: dir.size };
}

/**
 * Where the image ends in the file: past the section table, every section's raw data, and
 * the COFF symbol table with its string table (MinGW leaves them in unstripped images). A
 * symbol table pointer that does not fit in the file is stale (some strippers leave it) and
 * is ignored rather than taken as the start of the overlay.
 */
export async function imageEnd(headers: PeHeaders, reader: PagedReader): Promise<number> {
  let end = headers.sectionTableEnd;
  for (const s of headers.sections) if (s.rawSize > 0) end = Math.max(end, s.rawOffset + s.rawSize);
  if (headers.pointerToSymbolTable !== 0 && headers.numberOfSymbols > 0) {
    const symbolsEnd = headers.pointerToSymbolTable + headers.numberOfSymbols * COFF_SYMBOL_SIZE;
    if (symbolsEnd + 4 <= reader.size) {
      // The string table's size field counts itself; a size that does not fit is not trusted.
      const stringTableSize = u32(await reader.bytes(symbolsEnd, 4, 'COFF string table size'), 0);
      const fits = stringTableSize >= 4 && symbolsEnd + stringTableSize <= reader.size;
      end = Math.max(end, symbolsEnd + (fits ? stringTableSize : 4));
    } else if (symbolsEnd <= reader.size) {
      end = Math.max(end, symbolsEnd);
    }
  }
  return end;
}

/** Bytes after the image up to the certificate table (when it follows) or EOF; none when empty. */
export function overlayRange(end: number, certificate: FileRange | undefined, fileSize: number): FileRange | undefined {
  const stop = certificate && certificate.offset >= end ? certificate.offset : fileSize;
  return stop > end ? { offset: end, size: stop - end } : undefined;
}
