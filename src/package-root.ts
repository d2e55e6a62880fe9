import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root (package.json, data/, platform-manifests/), found by walking up from this
 * module: it runs from the compiled tree (dist/src/) and from the bundle (dist/bundle/), which
 * sit at different depths, so a fixed relative path would be right in only one of them.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'data'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`installer-sbom: no package root above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export const PACKAGE_ROOT = findRoot();

/** A path inside the package: `packagePath('data', 'schemas')`. */
export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
