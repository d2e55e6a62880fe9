import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { parseKnownBuilds, type KnownBuild } from '../detect/engine.js';
import { packagePath } from '../package-root.js';

/**
 * The built-in SHA-256 → component table plus the user's, read as build reads them: verify and
 * report must detect exactly what build detected. (build.ts keeps a private copy of this loader;
 * the two can become one.)
 */
export async function loadKnownBuildTables(paths: readonly string[]): Promise<KnownBuild[]> {
  const builtIn = packagePath('data', 'known-builds.json');
  const out: KnownBuild[] = [];
  for (const p of [builtIn, ...paths]) {
    try {
      out.push(...parseKnownBuilds(await readFile(p, 'utf8'), basename(p)));
    } catch (err) {
      throw new InputError(`not a known-builds table: ${(err as Error).message.split('\n')[0]}`, [basename(p)]);
    }
  }
  return out;
}
