import { InputError } from '../../errors.js';
import { DataDirectory } from './headers.js';
import type { PeImage } from './image.js';
import { u32 } from './paged-reader.js';

export const MAX_IMPORT_DLLS = 4096;
/** pefile's MAX_DLL_LENGTH; real DLL names are far shorter. */
const MAX_DLL_NAME = 0x200;
const IMPORT_DESCRIPTOR_SIZE = 20;
const DELAY_DESCRIPTOR_SIZE = 32;

/** No linker writes thousands of DLL descriptors; a table that long is corrupt or hostile. */
function tooMany(what: string): InputError {
  return new InputError(`more than ${MAX_IMPORT_DLLS} ${what} descriptors`);
}

/** DLL names of IMAGE_IMPORT_DESCRIPTORs (Name RVA at +12), up to the all-zero terminator. */
export async function readImports(image: PeImage): Promise<string[]> {
  const dir = image.headers.dataDirectories[DataDirectory.import];
  if (!dir || dir.virtualAddress === 0) return [];
  const names: string[] = [];
  for (let i = 0; ; i++) {
    if (i >= MAX_IMPORT_DLLS) throw tooMany('import');
    const d = await image.at(dir.virtualAddress + i * IMPORT_DESCRIPTOR_SIZE, IMPORT_DESCRIPTOR_SIZE, 'import descriptor');
    if (d.every((b) => b === 0)) break;
    const nameRva = u32(d, 12);
    // A descriptor without a name cannot be bound by the loader; it ends the table in practice.
    if (nameRva === 0) break;
    names.push(await image.cString(nameRva, MAX_DLL_NAME, 'import DLL name'));
  }
  return names;
}

/**
 * DLL names of delay-load descriptors (DllNameRVA at +4). Attribute bit 0 clear marks the
 * old Visual C++ 6 layout, whose pointers are VAs rather than RVAs.
 */
export async function readDelayImports(image: PeImage): Promise<string[]> {
  const dir = image.headers.dataDirectories[DataDirectory.delayImport];
  if (!dir || dir.virtualAddress === 0) return [];
  const names: string[] = [];
  for (let i = 0; ; i++) {
    if (i >= MAX_IMPORT_DLLS) throw tooMany('delay-import');
    const d = await image.at(dir.virtualAddress + i * DELAY_DESCRIPTOR_SIZE, DELAY_DESCRIPTOR_SIZE, 'delay-import descriptor');
    if (d.every((b) => b === 0)) break;
    const attributes = u32(d, 0);
    let nameRva = u32(d, 4);
    if (nameRva === 0) break;
    if ((attributes & 1) === 0 && nameRva >= image.headers.imageBase) nameRva -= image.headers.imageBase;
    names.push(await image.cString(nameRva, MAX_DLL_NAME, 'delay-import DLL name'));
  }
  return names;
}
