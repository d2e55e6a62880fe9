import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byte-source.js';
import type { ContainerReader, OpenedContainer, UnpackContext } from '../types.js';

/** UDIF disk images end with a 512-byte "koly" trailer (magic, version 4, header size 512). */
const KOLY = 0x6b6f6c79;
const TRAILER = 512;

/**
 * macOS .dmg disk images are recognised, not opened: python.org ships its macOS installer as a
 * .pkg, and a disk image holds a file system (HFS+/APFS) that is out of scope for now. Saying so
 * beats treating the image as an opaque file with no components.
 */
export const DmgReader: ContainerReader = {
  format: 'dmg',

  canRead(_head: Uint8Array, name: string): boolean {
    // The magic is at the end of the file, so the name decides whether to look for it.
    return /\.dmg$/i.test(name);
  },

  async probe(source: ByteSource): Promise<boolean> {
    if (source.size < TRAILER) return false;
    const t = await source.read(source.size - TRAILER, 8);
    const view = new DataView(t.buffer, t.byteOffset, t.byteLength);
    return view.getUint32(0) === KOLY && view.getUint32(4) === 4;
  },

  async open(_source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    throw new InputError('.dmg disk images (UDIF) are not supported; extract the .pkg installer from the image and give that', ctx.chain);
  },
};
