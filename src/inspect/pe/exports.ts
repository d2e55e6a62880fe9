import { InputError } from '../../errors.js';
import { DataDirectory } from './headers.js';
import type { PeImage } from './image.js';
import { u32 } from './paged-reader.js';

/** Names kept; `count` stays exact beyond it. */
export const MAX_EXPORT_NAMES = 20000;
/** MSVC caps decorated names at 4096 characters; anything longer is cut. */
const MAX_EXPORT_NAME = 4096;
const MAX_DLL_NAME = 0x200;

export interface PeExports {
  dllName?: string;
  /** NumberOfNames of the export directory. */
  count: number;
  names: string[];
}

/** IMAGE_EXPORT_DIRECTORY: Name RVA at +12, NumberOfNames at +24, AddressOfNames at +32. */
export async function readExports(image: PeImage): Promise<PeExports | undefined> {
  const dir = image.headers.dataDirectories[DataDirectory.export];
  if (!dir || dir.virtualAddress === 0 || dir.size === 0) return undefined;
  const d = await image.at(dir.virtualAddress, 40, 'export directory');
  const nameRva = u32(d, 12);
  const count = u32(d, 24);
  const namesRva = u32(d, 32);
  const result: PeExports = { count, names: [] };
  if (nameRva !== 0) result.dllName = await image.cString(nameRva, MAX_DLL_NAME, 'export DLL name');
  if (count === 0) return result;
  // The whole pointer table must be in the file, so `count` cannot exceed what the file can hold.
  const table = image.locate(namesRva, 'export name table');
  if (count * 4 > table.available) {
    throw new InputError(`export name table of ${count} entries runs past its section`, [], table.offset);
  }
  const kept = Math.min(count, MAX_EXPORT_NAMES);
  const pointers = await image.reader.bytes(table.offset, kept * 4, 'export name table');
  for (let i = 0; i < kept; i++) {
    result.names.push(await image.cString(u32(pointers, i * 4), MAX_EXPORT_NAME, 'export name'));
  }
  return result;
}
