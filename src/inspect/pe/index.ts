/**
 * PE/COFF reader: positional reads of headers, section table, import/delay-import/export
 * directories, the RT_VERSION resource, overlay and certificate table. Never loads the file.
 * Format facts: the Microsoft PE/COFF specification ("PE Format", learn.microsoft.com).
 */
import { asInputError, InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byte-source.js';
import type { PeFacts, PeVersionInfo } from '../types.js';
import { readAuthenticode } from '../signing/authenticode.js';
import type { SignerOptions } from '../signing/cms.js';
import { certificateRange, imageEnd, overlayRange, type FileRange } from './extent.js';
import { readExports } from './exports.js';
import { DataDirectory, machineName, parsePeHeaders, type PeHeaders } from './headers.js';
import { PeImage } from './image.js';
import { readDelayImports, readImports } from './imports.js';
import { PagedReader } from './paged-reader.js';
import { findVersionResources } from './resources.js';
import { mergeVersionInfo, parseVersionInfo } from './version-info.js';

export { isPe, machineName, mapRva, rvaToOffset, sectionForRva, DataDirectory, MAX_SECTIONS } from './headers.js';
export type { PeHeaders, DataDirectoryEntry, MappedRva } from './headers.js';
export { mergeVersionInfo, parseVersionInfo } from './version-info.js';
export { MAX_EXPORT_NAMES } from './exports.js';
export { MAX_IMPORT_DLLS } from './imports.js';

const IMAGE_FILE_DLL = 0x2000;
/** VS_VERSIONINFO's wLength is 16 bits, so a larger resource holds nothing more. */
const MAX_VERSION_RESOURCE = 0xffff;

/** Headers, data directories and section table only (what a container reader such as Burn needs). */
export async function readPeHeaders(source: ByteSource): Promise<PeHeaders> {
  return guard(() => parsePeHeaders(new PagedReader(source)));
}

/**
 * The headers, and where the image ends in the file (see imageEnd: the sections, debug data placed
 * after them, the COFF symbol and string tables): where an installer's appended data can start.
 * Looked for at the end of the sections, a launcher payload would be looked for in a MinGW
 * image's symbol table.
 */
export function readPeLayout(source: ByteSource): Promise<PeLayout> {
  // Every installer probe (NSIS, Inno, InstallShield, the overlay and UPX checks) asks this of
  // each PE it is shown: the headers are parsed once per source.
  let layout = layouts.get(source);
  if (!layout) {
    layout = guard(async () => {
      const reader = new PagedReader(source);
      const headers = await parsePeHeaders(reader);
      return { headers, imageEnd: await imageEnd(headers, reader) };
    });
    layouts.set(source, layout);
  }
  return layout;
}

export interface PeLayout {
  readonly headers: PeHeaders;
  readonly imageEnd: number;
}

const layouts = new WeakMap<ByteSource, Promise<PeLayout>>();

export interface PeReadOptions {
  /** Read and check the Authenticode signatures (streams the image once per signed file). */
  signatures?: Pick<SignerOptions, 'trustRoots'>;
}

export async function readPeFacts(source: ByteSource, options: PeReadOptions = {}): Promise<PeFacts> {
  return guard(async () => {
    const reader = new PagedReader(source);
    const headers = await parsePeHeaders(reader);
    const image = new PeImage(headers, reader);
    let certificate: FileRange | undefined;
    try {
      certificate = certificateRange(headers, reader.size);
    } catch (err) {
      // With signatures read, a table pointing past the file is a signature finding, not a corrupt PE.
      if (!(err instanceof InputError) || !options.signatures) throw err;
    }
    const overlay = overlayRange(await imageEnd(headers, reader), certificate, reader.size);
    const clrDir = headers.dataDirectories[DataDirectory.clr];

    const facts: PeFacts = {
      machine: headers.machine,
      machineName: machineName(headers.machine),
      kind: headers.kind,
      characteristics: headers.characteristics,
      isDll: (headers.characteristics & IMAGE_FILE_DLL) !== 0,
      subsystem: headers.subsystem,
      timestamp: headers.timestamp,
      sections: headers.sections,
      imports: await readImports(image),
      delayImports: await readDelayImports(image),
      clr: clrDir !== undefined && clrDir.virtualAddress !== 0 && clrDir.size !== 0,
    };
    const exports = await readExports(image);
    if (exports) facts.exports = exports;
    if (overlay) facts.overlay = overlay;
    if (certificate) facts.certificate = certificate;
    const resources = await findVersionResources(image);
    const parts: PeVersionInfo[] = [];
    for (const resource of resources) {
      if (resource.size === 0) continue;
      const bytes = await image.at(resource.rva, Math.min(resource.size, MAX_VERSION_RESOURCE), 'version resource');
      parts.push(parseVersionInfo(bytes, image.locate(resource.rva, 'version resource').offset));
    }
    if (parts.length > 0) facts.versionInfo = mergeVersionInfo(parts);
    const table = headers.dataDirectories[DataDirectory.security];
    if (options.signatures && table && table.virtualAddress !== 0 && table.size !== 0) {
      facts.signatures = await readAuthenticode(source, authenticodeLayout(headers, table), options.signatures);
    }
    return facts;
  });
}

/** CheckSum sits 64 bytes into the optional header; the data directories after its fixed fields. */
function authenticodeLayout(headers: PeHeaders, table: { virtualAddress: number; size: number }) {
  const optionalHeader = headers.peOffset + 24;
  return {
    checksumOffset: optionalHeader + 64,
    securityEntryOffset: optionalHeader + (headers.kind === 'PE32' ? 96 : 112) + DataDirectory.security * 8,
    table: { offset: table.virtualAddress, size: table.size },
  };
}

/** A DataView or decoding slip on hostile bytes is still a corrupt input, not a crash. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof InputError) throw err;
    if (err instanceof RangeError || err instanceof TypeError) throw asInputError(err, [], 'corrupt PE');
    throw err;
  }
}
