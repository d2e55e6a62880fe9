/** UDIF disk images around HFS+ volumes, built by fixtures/src/dmg/make_dmg.py (Python, TN1150). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { debianPython, run } from '../helpers/tools.js';
import { pseudoRandomBytes } from './msi-cab.js';

export const dmgBuildTools = ['7zz', 'dmg2img'];

/** A small app bundle, a document, a symlink, and (with `many`) enough files for several catalog leaves. */
export function dmgTree(dir: string, many = 0): string {
  const tree = join(dir, 'tree');
  mkdirSync(join(tree, 'Demo.app', 'Contents', 'MacOS'), { recursive: true });
  mkdirSync(join(tree, 'docs'), { recursive: true });
  writeFileSync(join(tree, 'Demo.app', 'Contents', 'Info.plist'), '<?xml version="1.0"?><plist version="1.0"><dict><key>CFBundleShortVersionString</key><string>2.5.1</string></dict></plist>\n');
  writeFileSync(join(tree, 'Demo.app', 'Contents', 'MacOS', 'demo'), pseudoRandomBytes(200_000, 7));
  writeFileSync(join(tree, 'docs', 'Read Me.txt'), 'read me\n'.repeat(100));
  symlinkSync('docs/Read Me.txt', join(tree, 'latest'));
  for (let i = 0; i < many; i++) writeFileSync(join(tree, 'docs', `note-${String(i).padStart(3, '0')}.txt`), `note ${i}\n`);
  return tree;
}

export function buildDmg(tree: string, out: string, chunk: 'zlib' | 'bzip2' | 'raw' = 'zlib', raw?: string): string {
  run(debianPython, [join(repoRoot, 'fixtures', 'src', 'dmg', 'make_dmg.py'), tree, out, '--chunk', chunk, ...(raw ? ['--raw', raw] : [])]);
  return out;
}
