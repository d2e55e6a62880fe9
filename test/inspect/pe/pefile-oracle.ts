/** Facts about a PE file as Debian's python3-pefile reads them: the independent oracle. */
import type { TestContext } from 'node:test';
import { debianPython, run } from '../../helpers/tools.js';

export interface PefileFacts {
  machine: number;
  magic: number;
  sections: Array<{ name: string; rawOffset: number; rawSize: number; virtualAddress: number; virtualSize: number; characteristics: number }>;
  imports: string[];
  delayImports: string[];
  exports: { dllName: string | null; named: number; names: string[] } | null;
  versionStrings: Record<string, Record<string, string>>;
  translations: string[];
  fixed: { fileVersion: string; productVersion: string; fileFlags: number; fileOS: number; fileType: number } | null;
  overlayStart: number | null;
  certificate: { offset: number; size: number };
  clr: { rva: number; size: number };
  dataDirectories: Array<{ rva: number; size: number }>;
  pointerToSymbolTable: number;
  numberOfSymbols: number;
  /** End of the COFF symbol + string table, computed from the raw file. */
  symbolsEnd: number | null;
  /** With no symbols: the size field of the string table PointerToSymbolTable points at. */
  stringTableSize: number | null;
  /** Each debug directory entry's data: PointerToRawData and SizeOfData. */
  debugData: Array<{ offset: number; size: number }>;
  fileSize: number;
}

const SCRIPT = String.raw`
import json, struct, sys, pefile
path = sys.argv[1]
pe = pefile.PE(path, fast_load=True)
D = pefile.DIRECTORY_ENTRY
pe.parse_data_directories(directories=[D['IMAGE_DIRECTORY_ENTRY_EXPORT'], D['IMAGE_DIRECTORY_ENTRY_IMPORT'],
    D['IMAGE_DIRECTORY_ENTRY_RESOURCE'], D['IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT']])
def dec(b): return b.decode('utf-8') if isinstance(b, bytes) else b
out = {}
out['machine'] = pe.FILE_HEADER.Machine
out['magic'] = pe.OPTIONAL_HEADER.Magic
out['sections'] = [dict(name=s.Name.rstrip(b'\0').decode('latin-1'), rawOffset=s.PointerToRawData, rawSize=s.SizeOfRawData,
    virtualAddress=s.VirtualAddress, virtualSize=s.Misc_VirtualSize, characteristics=s.Characteristics) for s in pe.sections]
out['imports'] = [e.dll.decode('latin-1') for e in getattr(pe, 'DIRECTORY_ENTRY_IMPORT', [])]
out['delayImports'] = [e.dll.decode('latin-1') for e in getattr(pe, 'DIRECTORY_ENTRY_DELAY_IMPORT', [])]
if hasattr(pe, 'DIRECTORY_ENTRY_EXPORT'):
    ex = pe.DIRECTORY_ENTRY_EXPORT
    names = [s.name.decode('latin-1') for s in ex.symbols if s.name is not None]
    dll = ex.name.decode('latin-1') if ex.name else None
    out['exports'] = dict(dllName=dll, named=ex.struct.NumberOfNames, names=names)
else:
    out['exports'] = None
strings = {}; translations = []
for fi in getattr(pe, 'FileInfo', []):
    for entry in fi:
        if getattr(entry, 'Key', b'') == b'StringFileInfo':
            for st in entry.StringTable:
                t = strings.setdefault(dec(st.LangID), {})
                for k, v in st.entries.items(): t[dec(k)] = dec(v)
        if getattr(entry, 'Key', b'') == b'VarFileInfo':
            for var in entry.Var:
                for k, v in var.entry.items():
                    if dec(k) == 'Translation':
                        parts = dec(v).split()
                        for i in range(0, len(parts) - 1, 2):
                            translations.append('%04x%04x' % (int(parts[i], 16), int(parts[i + 1], 16)))
out['versionStrings'] = strings
out['translations'] = translations
if hasattr(pe, 'VS_FIXEDFILEINFO'):
    f = pe.VS_FIXEDFILEINFO[0]
    v = lambda ms, ls: '%d.%d.%d.%d' % (ms >> 16, ms & 0xffff, ls >> 16, ls & 0xffff)
    out['fixed'] = dict(fileVersion=v(f.FileVersionMS, f.FileVersionLS), productVersion=v(f.ProductVersionMS, f.ProductVersionLS),
        fileFlags=f.FileFlags, fileOS=f.FileOS, fileType=f.FileType)
else:
    out['fixed'] = None
out['overlayStart'] = pe.get_overlay_data_start_offset()
dd = pe.OPTIONAL_HEADER.DATA_DIRECTORY
out['dataDirectories'] = [dict(rva=d.VirtualAddress, size=d.Size) for d in dd]
out['certificate'] = dict(offset=dd[4].VirtualAddress, size=dd[4].Size)
out['clr'] = dict(rva=dd[14].VirtualAddress, size=dd[14].Size) if len(dd) > 14 else dict(rva=0, size=0)
out['pointerToSymbolTable'] = pe.FILE_HEADER.PointerToSymbolTable
out['numberOfSymbols'] = pe.FILE_HEADER.NumberOfSymbols
size = len(pe.__data__)
out['fileSize'] = size
out['symbolsEnd'] = None
if pe.FILE_HEADER.PointerToSymbolTable and pe.FILE_HEADER.NumberOfSymbols:
    end = pe.FILE_HEADER.PointerToSymbolTable + 18 * pe.FILE_HEADER.NumberOfSymbols
    if end + 4 <= size:
        out['symbolsEnd'] = end + struct.unpack_from('<I', pe.__data__, end)[0]
out['stringTableSize'] = None
p = pe.FILE_HEADER.PointerToSymbolTable
if p and not pe.FILE_HEADER.NumberOfSymbols and p + 4 <= size:
    out['stringTableSize'] = struct.unpack_from('<I', pe.__data__, p)[0]
pe.parse_data_directories(directories=[pefile.DIRECTORY_ENTRY['IMAGE_DIRECTORY_ENTRY_DEBUG']])
out['debugData'] = [dict(offset=d.struct.PointerToRawData, size=d.struct.SizeOfData) for d in getattr(pe, 'DIRECTORY_ENTRY_DEBUG', [])]
print(json.dumps(out))
`;

export function pefileFacts(path: string): PefileFacts {
  return JSON.parse(run(debianPython, ['-c', SCRIPT, path])) as PefileFacts;
}

/** Where the last section's raw data ends, as pefile reads the section table. */
export function sectionsEnd(o: PefileFacts): number {
  return Math.max(...o.sections.map((s) => s.rawOffset + s.rawSize));
}

/** True when pefile can run; else the test is skipped, and under CI=true that is a failure. */
export function requirePefile(t: TestContext): boolean {
  if (pefileAvailable()) return true;
  if (process.env.CI) throw new Error('python3-pefile missing (.ci/run installs it)');
  t.skip('python3-pefile missing');
  return false;
}

export function pefileAvailable(): boolean {
  try {
    run(debianPython, ['-c', 'import pefile']);
    return true;
  } catch {
    return false;
  }
}
