import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byte-source.js';
import type { SignatureFacts } from '../../inspect/types.js';
import type { ContainerReader, Entry, OpenedContainer, UnpackContext } from '../types.js';
import { loadXarArchive, type XarArchive, type XarFile } from './xar-archive.js';
import { openXarData } from './xar-data.js';
import { isXar } from './xar-header.js';

/**
 * A xar archive that is not an installer package (PkgReader claims those first). Members keep
 * their xar paths; links are recorded, never followed.
 */
export const XarReader: ContainerReader = {
  format: 'xar',
  canRead(head) {
    return isXar(head);
  },
  async open(source, ctx) {
    const archive = await loadXarArchive(source, ctx);
    return {
      info: { format: 'xar', properties: { ...archive.properties }, warnings: [...archive.warnings], ...signaturesOf(archive) },
      entries: () => xarEntries(archive, ctx),
      close: async () => undefined,
    } satisfies OpenedContainer;
  },
};

/** ContainerInfo.signatures when the TOC is signed. */
export function signaturesOf(archive: XarArchive): { signatures?: SignatureFacts[] } {
  return archive.signatures.length > 0 ? { signatures: archive.signatures } : {};
}

/** Entries for every member of the archive, in TOC order; "other" types (fifos, devices) are skipped. */
export async function* xarEntries(
  archive: XarArchive,
  ctx: UnpackContext,
  decorate?: (entry: Entry, file: XarFile) => Entry | Promise<Entry>,
): AsyncGenerator<Entry> {
  for (const file of archive.files) {
    const entry = xarEntry(archive, file, ctx);
    if (entry === undefined) continue;
    yield decorate ? await decorate(entry, file) : entry;
  }
}

export function xarEntry(archive: XarArchive, file: XarFile, ctx: UnpackContext): Entry | undefined {
  const declared: Record<string, string> = {};
  if (file.mode !== undefined) declared.mode = file.mode;
  const notAFile = async (): Promise<ByteSource> => {
    throw new InputError(`${file.path} is not a regular file`, ctx.chain);
  };
  switch (file.type) {
    case 'directory':
      return { path: file.path, kind: 'directory', size: 0, declared, open: notAFile };
    case 'symlink':
    case 'hardlink':
      return { path: file.path, kind: file.type, size: 0, linkTarget: file.linkTarget ?? '', declared, open: notAFile };
    case 'file': {
      const data = file.data;
      if (data !== undefined) {
        declared.encoding = data.encoding;
        if (data.archived) declared.archivedChecksum = `${data.archived.style}:${data.archived.hex}`;
        if (data.extracted) declared.extractedChecksum = `${data.extracted.style}:${data.extracted.hex}`;
      }
      const entry: Entry = {
        path: file.path,
        kind: 'file',
        size: data?.size ?? 0,
        declared,
        open: () => openXarData(archive, file, ctx),
      };
      if (data !== undefined) entry.storedSize = data.length;
      return entry;
    }
    default:
      return undefined;
  }
}
