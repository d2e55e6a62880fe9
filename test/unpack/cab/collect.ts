/** Shared by the CAB and MSI tests: run a reader to the end, and hash a directory tree. */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FileByteSource, chunksOf, type ByteSource } from '../../../src/io/byte-source.js';
import { Budget, DEFAULT_LIMITS } from '../../../src/unpack/limits.js';
import type { ContainerInfo, ContainerReader, Entry, UnpackContext } from '../../../src/unpack/types.js';

export function makeContext(tmp: string, chain: string[] = ['input']): UnpackContext {
  return { chain, budget: new Budget({ ...DEFAULT_LIMITS }), tempDir: () => mkdtemp(join(tmp, 'ctx-')) };
}

export async function sha256Of(src: ByteSource): Promise<string> {
  const h = createHash('sha256');
  for await (const c of chunksOf(src)) h.update(c);
  return h.digest('hex');
}

export interface Collected {
  info: ContainerInfo;
  entries: Entry[];
  /** path → sha256 of every present entry. */
  hashes: Map<string, string>;
}

/** Opens `file` with `reader`, reads every present entry in order, closes. */
export async function collect(reader: ContainerReader, file: string, tmp: string): Promise<Collected> {
  const src = await FileByteSource.open(file);
  try {
    const opened = await reader.open(src, makeContext(tmp, [file]));
    const entries: Entry[] = [];
    const hashes = new Map<string, string>();
    try {
      for await (const e of opened.entries()) {
        entries.push(e);
        if (e.absent || e.kind !== 'file') continue;
        const bytes = await e.open();
        try {
          hashes.set(e.path, await sha256Of(bytes));
        } finally {
          await bytes.close();
        }
      }
    } finally {
      await opened.close();
    }
    return { info: opened.info, entries, hashes };
  } finally {
    await src.close();
  }
}

/** path (relative, '/') → sha256 of every regular file under `dir`. */
export async function hashTree(dir: string, prefix = ''): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of await readdir(dir)) {
    const p = join(dir, name);
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    if ((await stat(p)).isDirectory()) {
      for (const [k, v] of await hashTree(p, rel)) out.set(k, v);
    } else {
      out.set(rel, createHash('sha256').update(await readFile(p)).digest('hex'));
    }
  }
  return out;
}

export function sorted<T>(m: Map<string, T>): [string, T][] {
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
