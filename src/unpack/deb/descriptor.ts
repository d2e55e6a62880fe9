import { InputError } from '../../errors.js';
import { SliceByteSource } from '../../io/byte-source.js';
import { arMembers, isArHead } from '../ar/ar-members.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerReader, Entry, FormatDescriptor } from '../types.js';

/** A .deb holds three members (deb(5)); a few more (a signature) are allowed, not thousands. */
const MAX_MEMBERS = 64;

/**
 * deb(5): an ar archive whose first member is `debian-binary` ("2.0\n"), then `control.tar.*`
 * (the package's metadata and maintainer scripts) and `data.tar.*` (the files it installs),
 * compressed with gzip, xz, zstd or bzip2, or not at all. The members are listed as they are;
 * the walker opens the tarballs through their own formats.
 */
function isDebHead(head: Uint8Array): boolean {
  return isArHead(head) && head.length >= 24 && /^debian-binary\/? *$/.test(Buffer.from(head.subarray(8, 24)).toString('latin1'));
}

const DebReader: ContainerReader = {
  format: 'deb',
  canRead: isDebHead,
  async open(source, ctx) {
    const entries: Entry[] = [];
    const properties: Record<string, string> = {};
    for await (const m of arMembers(source, MAX_MEMBERS, ctx.chain)) {
      const path = safeEntryPath(m.name, ctx.chain);
      if (path === '') throw new InputError('a .deb member with no name', ctx.chain, m.headerAt);
      // The format's version, "2.0" (debian-binary's one line).
      if (entries.length === 0 && path === 'debian-binary') properties.debVersion = Buffer.from(await source.read(m.dataAt, Math.min(m.size, 16))).toString('latin1').trim();
      entries.push({ path, kind: 'file', size: m.size, open: async () => new SliceByteSource(source, m.dataAt, m.size) });
    }
    return {
      info: { format: 'deb', properties },
      async *entries() {
        yield* entries;
      },
      async close() {},
      async member(path) {
        return entries.find((e) => e.path === path)?.open();
      },
    };
  },
};

export const debFormat: FormatDescriptor = {
  format: 'deb',
  title: 'Debian package',
  extensions: ['.deb', '.udeb', '.ddeb'],
  nameClaims: true,
  purpose: 'installer',
  contains: ['tar', 'gzip', 'xz', 'zstd', 'bzip2'],
  magic: isDebHead,
  reader: DebReader,
};
