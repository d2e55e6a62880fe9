import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ARTIFACT_EXTENSIONS, describeFormat, FORMATS, isArtifactName } from '../../src/unpack/registry.js';
import { repoRoot } from '../helpers/fixtures.js';

const srcRoot = join(repoRoot, 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('the registry is the only list of formats in the source tree', () => {
  const names = FORMATS.map((f) => f.format).filter((n) => n.length > 2);
  const quoted = new RegExp(`'(${names.map((n) => n.replace(/[-]/g, '\\-')).join('|')})'`, 'g');
  const offenders: string[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const rel = relative(srcRoot, file).split('\\').join('/');
    // A format's own folder names its format; the registry and the types are the list itself.
    if (rel.startsWith('unpack/')) continue;
    const text = readFileSync(file, 'utf8');
    // A list is two or more format names in one array or set literal.
    const lists = [...text.matchAll(/\[[^\]]*\]/g)].filter((m) => (m[0].match(quoted) ?? []).length >= 2);
    for (const m of lists) offenders.push(`${rel}: ${m[0].slice(0, 120)}`);
  }
  assert.deepEqual(offenders, [], 'format names listed outside src/unpack; use describeFormat() from src/unpack/registry.ts');
});

test('every format folder exports one descriptor and the registry lists it', () => {
  const unpack = join(srcRoot, 'unpack');
  const folders = readdirSync(unpack).filter((n) => existsSync(join(unpack, n, 'descriptor.ts')));
  const declared = new Set<string>();
  for (const folder of folders) {
    for (const m of readFileSync(join(unpack, folder, 'descriptor.ts'), 'utf8').matchAll(/format: '([^']+)'/g)) declared.add(m[1]!);
  }
  assert.deepEqual([...declared].sort(), FORMATS.map((f) => f.format).sort());
  assert.equal(new Set(FORMATS.map((f) => f.format)).size, FORMATS.length, 'format names are unique');
});

test('descriptors are well-formed: readers report their own format, contents name known formats', () => {
  const known = new Set([...FORMATS.map((f) => f.format), 'files', 'exe']);
  for (const f of FORMATS) {
    assert.equal(describeFormat(f.format), f);
    if (f.reader) assert.equal(f.reader.format, f.format, `${f.format}: its reader reports ${f.reader.format}`);
    else assert.ok(f.unopenedReason || f.explainUnopened, `${f.format}: a format without a reader says why`);
    assert.ok(['installer', 'archive'].includes(f.purpose));
    for (const ext of f.extensions) assert.match(ext, /^\.[a-z0-9_.]+$/, `${f.format}: ${ext}`);
    for (const c of f.contains) assert.ok(known.has(c), `${f.format} contains unknown ${c}`);
  }
  assert.equal(describeFormat('no-such-format'), undefined);
  assert.equal(describeFormat('msi')?.purpose, 'installer');
  assert.equal(describeFormat('zip')?.purpose, 'archive');
});

test('--batch takes its extensions from the registry: cabinets and wheels included', () => {
  for (const ext of ['.exe', '.msi', '.zip', '.pkg', '.nupkg', '.cab', '.whl', '.7z', '.tar.gz', '.tgz']) {
    assert.ok(isArtifactName(`a${ext.toUpperCase()}`), ext);
  }
  assert.ok(!isArtifactName('notes.txt'));
  assert.ok(!isArtifactName('python.spdx.json'));
  assert.ok(ARTIFACT_EXTENSIONS.includes('.cab'));
  const build = readFileSync(join(srcRoot, 'cli', 'build.ts'), 'utf8');
  assert.doesNotMatch(build, /\.\(\?:exe\|msi/, 'build.ts keeps no extension list of its own');
});
