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
      const parts = path.split('/');
      return fileInDirectory(join(root, ...parts.slice(0, -1)), parts[parts.length - 1]!);
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

/**
 * The regular file `name` in `dir`. Windows names are case-insensitive (an MSI's Media table may
 * say Data1.cab for DATA1.CAB), so an exact match is tried first, then the one entry of the
 * directory that matches ignoring case.
 */
export async function fileInDirectory(dir: string, name: string): Promise<FileByteSource | undefined> {
  const exact = join(dir, name);
  if ((await lstat(exact).catch(() => undefined))?.isFile()) return FileByteSource.open(exact);
  const match = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.toLowerCase() === name.toLowerCase());
  if (match.length !== 1) return undefined;
  const other = join(dir, match[0]!);
  return (await lstat(other)).isFile() ? FileByteSource.open(other) : undefined;
}
