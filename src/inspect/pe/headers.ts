import { InputError } from '../../errors.js';
import type { PeSection } from '../types.js';
import { PagedReader, u16, u32, u64 } from './paged-reader.js';

/** The Windows loader refuses more (PE/COFF spec, "Section Table"); more is a hostile file. */
export const MAX_SECTIONS = 96;
const DOS_HEADER_SIZE = 64;
const COFF_HEADER_SIZE = 20;
const SECTION_HEADER_SIZE = 40;
/** IMAGE_NUMBEROF_DIRECTORY_ENTRIES; entries past it have no defined meaning. */
const MAX_DATA_DIRECTORIES = 16;

export const DataDirectory = {
  export: 0,
  import: 1,
  resource: 2,
  security: 4,
  delayImport: 13,
  clr: 14,
} as const;

export interface DataDirectoryEntry {
  /** An RVA, except for the security directory (4), where it is a file offset. */
  virtualAddress: number;
  size: number;
}

/** Everything the COFF and optional headers say, plus the section table. */
export interface PeHeaders {
  peOffset: number;
  machine: number;
  numberOfSections: number;
  timestamp: number;
  pointerToSymbolTable: number;
  numberOfSymbols: number;
  sizeOfOptionalHeader: number;
  characteristics: number;
  kind: 'PE32' | 'PE32+';
  imageBase: number;
  fileAlignment: number;
  sizeOfHeaders: number;
  subsystem: number;
  /** min(NumberOfRvaAndSizes, 16) entries. */
  dataDirectories: DataDirectoryEntry[];
  /** File offset just past the section table. */
  sectionTableEnd: number;
  sections: PeSection[];
}

const MACHINE_NAMES: Record<number, string> = {
  0x14c: 'x86',
  0x8664: 'x64',
  0xaa64: 'arm64',
  0x1c4: 'armnt',
  0x1c0: 'arm',
  0x200: 'ia64',
};

export function machineName(machine: number): string {
  return MACHINE_NAMES[machine] ?? `0x${machine.toString(16).padStart(4, '0')}`;
}

/**
 * MZ, a plausible e_lfanew, and "PE\0\0" there when the head reaches it. A head too short to
 * see the signature still says yes, so that a reader with the whole file can decide.
 */
export function isPe(head: Uint8Array): boolean {
  if (head.length < DOS_HEADER_SIZE || head[0] !== 0x4d || head[1] !== 0x5a) return false;
  const lfanew = u32(head, 0x3c);
  // A PE header overlapping "MZ" or lying beyond 256 MiB is no loader's idea of a PE.
  if (lfanew < 4 || lfanew > 0x1000_0000) return false;
  if (lfanew + 4 > head.length) return true;
  return head[lfanew] === 0x50 && head[lfanew + 1] === 0x45 && head[lfanew + 2] === 0 && head[lfanew + 3] === 0;
}

function sectionName(raw: Uint8Array): string {
  let end = raw.indexOf(0);
  if (end < 0) end = raw.length;
  return Buffer.from(raw.subarray(0, end)).toString('latin1');
}

export async function parsePeHeaders(reader: PagedReader): Promise<PeHeaders> {
  const dos = await reader.bytes(0, DOS_HEADER_SIZE, 'DOS header');
  if (dos[0] !== 0x4d || dos[1] !== 0x5a) throw new InputError('not a PE file: no MZ signature', [], 0);
  const peOffset = u32(dos, 0x3c);
  if (peOffset < 4 || peOffset + 4 + COFF_HEADER_SIZE > reader.size) {
    throw new InputError(`e_lfanew ${peOffset} lies outside the file`, [], 0x3c);
  }
  const coff = await reader.bytes(peOffset, 4 + COFF_HEADER_SIZE, 'PE/COFF header');
  if (u32(coff, 0) !== 0x4550) throw new InputError('no "PE\\0\\0" signature at e_lfanew', [], peOffset);
  const machine = u16(coff, 4);
  const numberOfSections = u16(coff, 6);
  const timestamp = u32(coff, 8);
  const pointerToSymbolTable = u32(coff, 12);
  const numberOfSymbols = u32(coff, 16);
  const sizeOfOptionalHeader = u16(coff, 20);
  const characteristics = u16(coff, 22);
  if (numberOfSections > MAX_SECTIONS) {
    throw new InputError(`${numberOfSections} sections (the loader allows at most ${MAX_SECTIONS})`, [], peOffset + 6);
  }

  const optOffset = peOffset + 4 + COFF_HEADER_SIZE;
  if (sizeOfOptionalHeader < 2) throw new InputError('no optional header (an object file, not an image)', [], peOffset + 20);
  const opt = await reader.bytes(optOffset, sizeOfOptionalHeader, 'optional header');
  const magic = u16(opt, 0);
  let kind: 'PE32' | 'PE32+';
  let dirCountAt: number;
  if (magic === 0x10b) {
    kind = 'PE32';
    dirCountAt = 92;
  } else if (magic === 0x20b) {
    kind = 'PE32+';
    dirCountAt = 108;
  } else {
    throw new InputError(`unknown optional header magic 0x${magic.toString(16)}`, [], optOffset);
  }
  if (sizeOfOptionalHeader < dirCountAt + 4) {
    throw new InputError(`optional header of ${sizeOfOptionalHeader} bytes is too short for ${kind}`, [], peOffset + 20);
  }
  const imageBase = kind === 'PE32' ? u32(opt, 28) : u64(opt, 24);
  const fileAlignment = u32(opt, 36);
  const sizeOfHeaders = u32(opt, 60);
  const subsystem = u16(opt, 68);
  // Directories beyond what SizeOfOptionalHeader holds do not exist, whatever the count says.
  const dirCount = Math.min(u32(opt, dirCountAt), MAX_DATA_DIRECTORIES, Math.floor((sizeOfOptionalHeader - dirCountAt - 4) / 8));
  const dataDirectories: DataDirectoryEntry[] = [];
  for (let i = 0; i < dirCount; i++) {
    const at = dirCountAt + 4 + i * 8;
    dataDirectories.push({ virtualAddress: u32(opt, at), size: u32(opt, at + 4) });
  }

  const tableOffset = optOffset + sizeOfOptionalHeader;
  const table = await reader.bytes(tableOffset, numberOfSections * SECTION_HEADER_SIZE, 'section table');
  const sections: PeSection[] = [];
  for (let i = 0; i < numberOfSections; i++) {
    const at = i * SECTION_HEADER_SIZE;
    const section: PeSection = {
      name: sectionName(table.subarray(at, at + 8)),
      virtualSize: u32(table, at + 8),
      virtualAddress: u32(table, at + 12),
      rawSize: u32(table, at + 16),
      rawOffset: u32(table, at + 20),
      characteristics: u32(table, at + 36),
    };
    if (section.rawSize > 0 && section.rawOffset + section.rawSize > reader.size) {
      throw new InputError(
        `truncated PE: section ${JSON.stringify(section.name)} raw data ends at ${section.rawOffset + section.rawSize}, the file at ${reader.size}`,
        [],
        tableOffset + at,
      );
    }
    sections.push(section);
  }

  return {
    peOffset,
    machine,
    numberOfSections,
    timestamp,
    pointerToSymbolTable,
    numberOfSymbols,
    sizeOfOptionalHeader,
    characteristics,
    kind,
    imageBase,
    fileAlignment,
    sizeOfHeaders,
    subsystem,
    dataDirectories,
    sectionTableEnd: tableOffset + numberOfSections * SECTION_HEADER_SIZE,
    sections,
  };
}

/** The section whose virtual range holds `rva` (first match, as the loader maps them in order). */
export function sectionForRva(sections: readonly PeSection[], rva: number): PeSection | undefined {
  for (const s of sections) {
    const span = Math.max(s.virtualSize, s.rawSize);
    if (rva >= s.virtualAddress && rva < s.virtualAddress + span) return s;
  }
  return undefined;
}

/** Where an RVA's bytes are in the file, and how many of them the file holds from there on. */
export interface MappedRva {
  offset: number;
  /** Bytes available in the file from `offset` within the same section (or headers). */
  available: number;
}

/**
 * File offset of an RVA, or undefined when the file holds no bytes for it (outside every
 * section, or in the zero-filled tail past SizeOfRawData).
 */
export function mapRva(headers: Pick<PeHeaders, 'sections' | 'fileAlignment' | 'sizeOfHeaders'>, rva: number): MappedRva | undefined {
  const s = sectionForRva(headers.sections, rva);
  if (!s) {
    // RVAs below the first section map 1:1 onto the headers.
    const firstVa = headers.sections.length > 0 ? Math.min(...headers.sections.map((x) => x.virtualAddress)) : headers.sizeOfHeaders;
    const headerEnd = Math.min(headers.sizeOfHeaders, firstVa);
    return rva < headerEnd ? { offset: rva, available: headerEnd - rva } : undefined;
  }
  // The loader rounds PointerToRawData down to 512 when FileAlignment is at least 512.
  const rawStart = headers.fileAlignment >= 0x200 ? s.rawOffset - (s.rawOffset % 0x200) : s.rawOffset;
  const delta = rva - s.virtualAddress;
  if (delta >= s.rawSize) return undefined;
  return { offset: rawStart + delta, available: s.rawSize - delta };
}

export function rvaToOffset(headers: Pick<PeHeaders, 'sections' | 'fileAlignment' | 'sizeOfHeaders'>, rva: number): number | undefined {
  return mapRva(headers, rva)?.offset;
}
