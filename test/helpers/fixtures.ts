import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';

/** Repository root (tests run from dist/test/..., sources live beside dist/). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** ../shared beside the repository; INSTALLER_SBOM_SHARED moves it (the mutation run works in a sandbox copy). */
export const sharedDir = process.env['INSTALLER_SBOM_SHARED'] || join(repoRoot, '..', 'shared');
/** The registry fixture cache; INSTALLER_SBOM_FIXTURES moves it (scripts/fetch-fixtures.mjs reads it too). */
export const fixturesCache = process.env['INSTALLER_SBOM_FIXTURES'] || join(repoRoot, '.cache', 'fixtures');

/** Directory of an npm package fetched by scripts/fetch-fixtures.mjs (`name@version`). */
export function npmFixture(spec: string): string {
  return join(fixturesCache, 'npm', spec.replace('/', '+'));
}

/** Root of a Debian package extracted by scripts/fetch-fixtures.mjs. */
export function debFixture(pkg: string): string {
  return join(fixturesCache, 'deb', pkg);
}

/**
 * A registry fixture file, or undefined after marking the test skipped. In CI (CI=true) a
 * missing fixture is a failure, so a green CI never hides an unfetched fixture.
 */
export function requireFixture(t: TestContext, path: string): string | undefined {
  if (existsSync(path)) return path;
  if (process.env.CI) throw new Error(`fixture missing: ${path} (run: npm run fixtures)`);
  t.skip(`fixture missing: ${path} (run: npm run fixtures)`);
  return undefined;
}

/** A fresh temporary directory, removed when the test ends. */
export async function tempDir(t: TestContext, prefix = 'isbom-test-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
