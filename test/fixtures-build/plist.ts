/** Property-list fixtures: written and read back by CPython's plistlib (Debian has no plutil). */
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { debianPython, run } from '../helpers/tools.js';

export const PLIST_SRC = join(repoRoot, 'fixtures', 'src', 'plist');
const SCRIPT = join(PLIST_SRC, 'plist_oracle.py');

/** plistlib's reading of a plist file, in the reader's JSON conventions (see plist_oracle.py). */
export function plistlibRead(file: string): unknown {
  return revive(JSON.parse(run(debianPython, [SCRIPT, 'read', file])));
}

/** Rewrites a plist file as a binary plist (plistlib FMT_BINARY, key order kept). */
export function plistlibToBinary(input: string, output: string): void {
  run(debianPython, [SCRIPT, 'convert', input, output]);
}

/** Ten random nested plists, each as `N.xml` and `N.bin`, from a seed. */
export function plistlibRandom(seed: number, dir: string): void {
  run(debianPython, [SCRIPT, 'random', String(seed), dir]);
}

/** `{bigint: "…"}` from the oracle's JSON → bigint, as the reader returns integers past 2^53. */
function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === 'bigint') return BigInt((v as { bigint: string }).bigint);
    const out: Record<string, unknown> = {};
    for (const k of keys) Object.defineProperty(out, k, { value: revive((v as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}
