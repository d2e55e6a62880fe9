import type { ContainerInfo, Entry, OpenedContainer } from './types.js';

/**
 * A container whose members are all known once its headers are read (cpio, tar): `index` lists
 * them; `release` runs on close, and also when indexing fails (the decoded temp file of a
 * compressed payload).
 */
export async function indexedContainer(info: ContainerInfo, index: () => Promise<Entry[]>, release: () => Promise<void>): Promise<OpenedContainer> {
  let entries: Entry[];
  try {
    entries = await index();
  } catch (err) {
    await release();
    throw err;
  }
  return {
    info,
    async *entries() {
      yield* entries;
    },
    close: release,
    async member(path) {
      const e = entries.find((x) => x.path === path && x.kind === 'file');
      return e ? e.open() : undefined;
    },
  };
}
