#!/usr/bin/env node
// Writes data/sqlite-releases.json: SQLITE_SOURCE_ID → SQLITE_VERSION, as each release's own
// sqlite3.h pairs them. The headers come from published versions of an npm package that ships
// SQLite's amalgamation (better-sqlite3: deps/sqlite3/sqlite3.h, or older deps/sqlite3.tar.gz).
// The table lets the detector date a binary by the source id it carries (sqlite3_sourceid()).
//
//   node scripts/sqlite-releases.mjs            (network: npm pack, once per listed version)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'data', 'sqlite-releases.json');
// One package version per bundled SQLite update (minor releases of better-sqlite3 bump SQLite).
const VERSIONS = [
  '7.1.0', '7.4.0', '7.5.0', '7.6.0', '8.0.0', '8.2.0', '8.4.0', '8.6.0', '8.7.0', '9.0.0', '9.2.0', '9.4.0', '9.5.0', '9.6.0',
  '10.0.0', '10.1.0', '11.0.0', '11.2.0', '11.4.0', '11.6.0', '11.8.0', '11.10.0', '12.0.0', '12.2.0', '12.4.1', '12.6.0', '12.8.0',
  '12.10.0', '13.0.0', '13.2.0',
];

function define(text, name) {
  return new RegExp(`^#define ${name}\\s+"([^"]+)"`, 'm').exec(text)?.[1];
}

function headerOf(dir) {
  const direct = join(dir, 'package', 'deps', 'sqlite3', 'sqlite3.h');
  if (existsSync(direct)) return readFileSync(direct, 'utf8');
  const deps = join(dir, 'package', 'deps');
  const tarball = readdirSync(deps).find((f) => /^sqlite3.*\.tar\.(?:gz|xz)$/.test(f));
  if (!tarball) return undefined;
  execFileSync('tar', ['xf', join(deps, tarball), '-C', dir, '--wildcards', '*sqlite3.h']);
  const found = execFileSync('find', [dir, '-name', 'sqlite3.h', '-not', '-path', '*/package/*'], { encoding: 'utf8' }).trim().split('\n')[0];
  return found ? readFileSync(found, 'utf8') : undefined;
}

const releases = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')).releases : {};
for (const v of VERSIONS) {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-h-'));
  try {
    const tgz = execFileSync('npm', ['pack', `better-sqlite3@${v}`, '--silent', '--pack-destination', dir], { encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir, '--wildcards', 'package/deps/*sqlite3.h', 'package/deps/sqlite3*.tar.*'], { stdio: 'ignore' });
  } catch {
    // tar exits non-zero when one of the two wildcards matches nothing; the other may have.
  }
  try {
    const h = headerOf(dir);
    const version = h && define(h, 'SQLITE_VERSION');
    const id = h && define(h, 'SQLITE_SOURCE_ID');
    if (version && id) {
      releases[id] = version;
      console.log(`better-sqlite3@${v}: SQLite ${version} ${id}`);
    } else console.error(`better-sqlite3@${v}: no sqlite3.h`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const sorted = Object.fromEntries(Object.entries(releases).sort(([, a], [, b]) => a.localeCompare(b, 'en', { numeric: true })));
writeFileSync(out, JSON.stringify({ source: 'sqlite3.h of published better-sqlite3 versions (SQLITE_SOURCE_ID, SQLITE_VERSION)', releases: sorted }, null, 2) + '\n');
