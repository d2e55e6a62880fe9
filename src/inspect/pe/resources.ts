import { InputError } from '../../errors.js';
import { DataDirectory } from './headers.js';
import type { PeImage } from './image.js';
import { u16, u32 } from './paged-reader.js';

const RT_VERSION = 16;
/** Real directories hold tens of entries (thousands of icons at most); more is hostile. */
const MAX_DIRECTORY_ENTRIES = 8192;
/** Version resources read per file: one per language in multilingual builds (Wine: ~35). */
const MAX_VERSION_RESOURCES = 128;
const SUBDIRECTORY = 0x8000_0000;

/** Where a resource's bytes are: an RVA and size, from its IMAGE_RESOURCE_DATA_ENTRY. */
export interface ResourceData {
  rva: number;
  size: number;
  codePage: number;
}

/**
 * Every RT_VERSION resource: type 16 → each name → each language → data entry (the three
 * fixed levels of the resource tree). Wine and other multilingual builds carry one
 * VS_VERSIONINFO per language. Directory offsets are relative to the resource directory's
 * start; each directory is visited once, so a loop in a crafted file is an error.
 */
export async function findVersionResources(image: PeImage): Promise<ResourceData[]> {
  const dir = image.headers.dataDirectories[DataDirectory.resource];
  if (!dir || dir.virtualAddress === 0 || dir.size === 0) return [];
  const root = dir.virtualAddress;
  const visited = new Set<number>();

  async function entries(offset: number, max: number): Promise<Array<{ name: number; target: number }>> {
    if (visited.has(offset)) throw new InputError(`resource directory loop at directory offset ${offset}`);
    visited.add(offset);
    const header = await image.at(root + offset, 16, 'resource directory');
    const total = u16(header, 12) + u16(header, 14);
    if (total > MAX_DIRECTORY_ENTRIES) throw new InputError(`resource directory with ${total} entries`);
    const n = Math.min(total, max);
    const raw = await image.at(root + offset + 16, n * 8, 'resource directory entries');
    const out: Array<{ name: number; target: number }> = [];
    for (let i = 0; i < n; i++) out.push({ name: u32(raw, i * 8), target: u32(raw, i * 8 + 4) });
    return out;
  }

  function subdirectory(target: number, what: string): number {
    if ((target & SUBDIRECTORY) === 0) throw new InputError(`resource ${what} entry is not a directory`);
    return target & 0x7fff_ffff;
  }

  const types = await entries(0, MAX_DIRECTORY_ENTRIES);
  // Named entries carry bit 31 in `name`, so a plain 16 is the integer id RT_VERSION.
  const version = types.find((e) => e.name === RT_VERSION);
  if (!version) return [];
  const found: ResourceData[] = [];
  for (const name of await entries(subdirectory(version.target, 'type'), MAX_VERSION_RESOURCES)) {
    for (const lang of await entries(subdirectory(name.target, 'name'), MAX_VERSION_RESOURCES - found.length)) {
      if ((lang.target & SUBDIRECTORY) !== 0) throw new InputError('resource language entry is a directory, not data');
      const data = await image.at(root + lang.target, 16, 'resource data entry');
      found.push({ rva: u32(data, 0), size: u32(data, 4), codePage: u32(data, 8) });
    }
    if (found.length >= MAX_VERSION_RESOURCES) break;
  }
  return found;
}
