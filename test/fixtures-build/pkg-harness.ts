/** Test-side plumbing for the pkg/xar/cpio/pbzx reader tests: a context and tree listings. */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { readAll } from '../../src/io/byte-source.js';
import { Budget, DEFAULT_LIMITS, type Limits } from '../../src/unpack/limits.js';
import type { Entry, OpenedContainer, UnpackContext } from '../../src/unpack/types.js';
import { tempDir } from '../helpers/fixtures.js';

export function testContext(t: TestContext, limits: Partial<Limits> = {}, chain = ['fixture']): UnpackContext {
  let dir: Promise<string> | undefined;
  return {
    chain,
    budget: new Budget({ ...DEFAULT_LIMITS, ...limits }),
    tempDir: () => (dir ??= tempDir(t, 'isbom-reader-')),
  };
}

export async function collect(c: OpenedContainer): Promise<Entry[]> {
  const out: Entry[] = [];
  for await (const e of c.entries()) out.push(e);
  return out;
}

/** Opens a container and lists every entry, closing it either way: a streamed reader may fail at either step. */
export async function openAndList(opening: Promise<OpenedContainer>): Promise<Entry[]> {
  const c = await opening;
  try {
    return await collect(c);
  } finally {
    await c.close();
  }
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * What an extraction holds: path → `dir`, `symlink:<target>` or `file:<sha256>`. Hard links
 * appear as files with the shared content, as they do on disk after `cpio -i`.
 */
export async function treeOfEntries(entries: Entry[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const fileHash = new Map<string, string>();
  for (const e of entries) {
    if (e.kind === 'file') {
      const src = await e.open();
      const h = `file:${sha256(await readAll(src, e.path))}`;
      await src.close();
      fileHash.set(e.path, h);
      out.set(e.path, h);
    } else if (e.kind === 'directory') out.set(e.path, 'dir');
    else if (e.kind === 'symlink') out.set(e.path, `symlink:${e.linkTarget}`);
  }
  for (const e of entries) {
    if (e.kind === 'hardlink') out.set(e.path, fileHash.get(e.linkTarget ?? '') ?? `dangling:${e.linkTarget}`);
  }
  return out;
}

export function treeOfDir(root: string, skip: (rel: string) => boolean = () => false): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (skip(r)) continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(r, `symlink:${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(r, 'dir');
        walk(p, r);
      } else out.set(r, `file:${sha256(readFileSync(p))}`);
    }
  };
  walk(root, '');
  return out;
}

export function sorted(m: Map<string, string>): [string, string][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
