import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { FileByteSource } from '../../io/byte-source.js';
import type { Entry, OpenedContainer, UnpackContext } from '../types.js';

/**
 * A release directory or an unpacked layout given as the artifact. Walked in sorted order so the
 * SBOM does not depend on the file system's listing order; symlinks are recorded, never followed.
 */
export function openDirectory(root: string, ctx: UnpackContext): OpenedContainer {
  return {
    info: { format: 'directory', properties: {} },
    entries: () => walkDirectory(root, '', ctx),
    async close() {},
    async member(path) {
      // Paths come from walkDirectory's own listing joined with a plain name: never `..`.
      const abs = join(root, ...path.split('/'));
      const st = await lstat(abs).catch(() => undefined);
      return st?.isFile() ? FileByteSource.open(abs) : undefined;
    },
  };
}

async function* walkDirectory(root: string, rel: string, ctx: UnpackContext): AsyncIterable<Entry> {
  const names = (await readdir(join(root, rel))).sort();
  for (const name of names) {
    const path = rel === '' ? name : `${rel}/${name}`;
    const abs = join(root, path);
    const st = await lstat(abs);
    if (st.isSymbolicLink()) {
      yield { path, kind: 'symlink', size: 0, linkTarget: await readlink(abs), open: notAFile };
    } else if (st.isDirectory()) {
      yield { path, kind: 'directory', size: 0, open: notAFile };
      yield* walkDirectory(root, path, ctx);
    } else if (st.isFile()) {
      yield { path, kind: 'file', size: st.size, open: () => FileByteSource.open(abs) };
    }
  }
}

async function notAFile(): Promise<never> {
  throw new Error('not a regular file');
}
