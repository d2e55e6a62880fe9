import { InputError } from '../../errors.js';
import { DataDirectory, mapRva, type PeHeaders } from './headers.js';
import { u32, type PagedReader } from './paged-reader.js';

const COFF_SYMBOL_SIZE = 18;
/** IMAGE_DEBUG_DIRECTORY: PointerToRawData, the file offset of the entry's data, at byte 24. */
const DEBUG_ENTRY_SIZE = 28;
const DEBUG_DIRECTORY = 6;
const MAX_DEBUG_ENTRIES = 64;

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
 * Where the image ends in the file: past the section table, every section's raw data, the debug
 * data the debug directory places right after the sections (VC6-era linkers leave the CodeView
 * record, "NB10" and the PDB path, there), and the COFF symbol table with its string table
 * (MinGW leaves them in unstripped images, and a stripped one keeps the string table its long
 * section names "/4" point into). A symbol table pointer that does not fit in the file is stale
 * (some strippers leave it) and is ignored rather than taken as the start of the overlay.
 */
export async function imageEnd(headers: PeHeaders, reader: PagedReader): Promise<number> {
  let end = headers.sectionTableEnd;
  for (const s of headers.sections) if (s.rawSize > 0) end = Math.max(end, s.rawOffset + s.rawSize);
  end = await pastDebugData(headers, reader, end);
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
  } else if (headers.pointerToSymbolTable === end && end + 4 <= reader.size) {
    // No symbols, but the string table they would precede: only where the image ends, so a
    // stale pointer into other data cannot swallow it.
    const stringTableSize = u32(await reader.bytes(end, 4, 'COFF string table size'), 0);
    if (stringTableSize >= 4 && end + stringTableSize <= reader.size) end += stringTableSize;
  }
  return end;
}

/**
 * `end` moved past the debug entries' data that starts where the image ends (each in turn, on
 * 16-byte alignment at most). Entries inside sections, or elsewhere, change nothing; a debug
 * directory that cannot be read is left to the inspect stage.
 */
async function pastDebugData(headers: PeHeaders, reader: PagedReader, end: number): Promise<number> {
  const dir = headers.dataDirectories[DEBUG_DIRECTORY];
  if (!dir || dir.virtualAddress === 0 || dir.size < DEBUG_ENTRY_SIZE) return end;
  const at = mapRva(headers, dir.virtualAddress);
  if (!at) return end;
  const count = Math.min(Math.floor(Math.min(dir.size, at.available) / DEBUG_ENTRY_SIZE), MAX_DEBUG_ENTRIES);
  if (count === 0 || at.offset + count * DEBUG_ENTRY_SIZE > reader.size) return end;
  const table = await reader.bytes(at.offset, count * DEBUG_ENTRY_SIZE, 'debug directory');
  const data: { offset: number; size: number }[] = [];
  for (let i = 0; i < count; i++) {
    const size = u32(table, i * DEBUG_ENTRY_SIZE + 16);
    const offset = u32(table, i * DEBUG_ENTRY_SIZE + 24);
    if (size > 0 && offset >= end && offset + size <= reader.size) data.push({ offset, size });
  }
  for (const d of data.sort((a, b) => a.offset - b.offset)) {
    if (d.offset > end + ((16 - (end % 16)) % 16)) break;
    end = Math.max(end, d.offset + d.size);
  }
  return end;
}

/** Bytes after the image up to the certificate table (when it follows) or EOF; none when empty. */
export function overlayRange(end: number, certificate: FileRange | undefined, fileSize: number): FileRange | undefined {
  const stop = certificate && certificate.offset >= end ? certificate.offset : fileSize;
  return stop > end ? { offset: end, size: stop - end } : undefined;
}
