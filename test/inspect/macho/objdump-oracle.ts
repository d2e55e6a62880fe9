/**
 * Parses `llvm-objdump --macho --private-headers` and `--universal-headers` text into the shape
 * of our facts, so tests compare field by field against LLVM's independent decoder.
 */
import { run } from '../../helpers/tools.js';

export interface OracleCommand {
  cmd: string;
  fields: Map<string, string>;
  sections: Map<string, string>[];
}

export interface OracleImage {
  filetype: string;
  commands: OracleCommand[];
}

/** Keys as llvm-objdump right-aligns them; longest first so `size` never eats `sizeofcmds`. */
const KEYS = [
  'compatibility version', 'current version', 'time stamp', 'cmdsize', 'cmd', 'segname', 'sectname', 'vmaddr', 'vmsize',
  'fileoff', 'filesize', 'nsects', 'name', 'uuid', 'platform', 'minos', 'sdk', 'version', 'path', 'dataoff',
  'datasize', 'cryptoff', 'cryptsize', 'cryptid', 'offset', 'size', 'addr', 'type',
].sort((a, b) => b.length - a.length);

export function privateHeaders(objdump: string, file: string): OracleImage[] {
  const text = run(objdump, ['--macho', '--private-headers', '--arch=all', file]);
  const images: OracleImage[] = [];
  let image: OracleImage | undefined;
  let command: OracleCommand | undefined;
  let target: Map<string, string> | undefined;
  let headerNext = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^\S.*:$/.test(raw)) {
      image = { filetype: '', commands: [] };
      images.push(image);
      command = undefined;
      continue;
    }
    if (image === undefined) continue;
    if (line === 'Mach header') {
      headerNext = true;
      continue;
    }
    if (headerNext) {
      if (line.startsWith('magic')) continue;
      // magic cputype cpusubtype caps filetype ncmds sizeofcmds flags…
      image.filetype = `MH_${line.split(/\s+/)[4]}`;
      headerNext = false;
      continue;
    }
    if (/^Load command \d+$/.test(line)) {
      command = { cmd: '', fields: new Map(), sections: [] };
      image.commands.push(command);
      target = command.fields;
      continue;
    }
    if (line === 'Section' && command !== undefined) {
      target = new Map();
      command.sections.push(target);
      continue;
    }
    if (target === undefined || command === undefined) continue;
    const key = KEYS.find((k) => line.startsWith(`${k} `));
    if (key === undefined) continue;
    const value = line.slice(key.length).trim();
    if (!target.has(key)) target.set(key, value);
    if (key === 'cmd' && target === command.fields) command.cmd = value;
  }
  return images;
}

/** `name @rpath/x.dylib (offset 24)` → the string alone. */
export function lcString(v: string | undefined): string | undefined {
  return v?.replace(/ \(offset \d+\)$/, '');
}

/** llvm-objdump prints versions as X.Y when Z is 0; ours are always X.Y.Z. */
export function threePart(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const parts = v.split('.');
  while (parts.length < 3) parts.push('0');
  return parts.join('.');
}

export function num(v: string | undefined): number {
  if (v === undefined) throw new Error('oracle field missing');
  return v.startsWith('0x') ? Number(BigInt(v)) : Number(v);
}

export interface OracleFatArch {
  offset: number;
  size: number;
  cputype: string;
}

export function universalHeaders(objdump: string, file: string): { magic: string; arches: OracleFatArch[] } {
  const text = run(objdump, ['--macho', '--universal-headers', file]);
  let magic = '';
  const arches: OracleFatArch[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const [k, v] = [line.split(/\s+/)[0], line.split(/\s+/).slice(1).join(' ')];
    if (k === 'fat_magic') magic = v;
    else if (k === 'architecture') arches.push({ offset: -1, size: -1, cputype: '' });
    else if (arches.length > 0 && k === 'cputype') arches.at(-1)!.cputype = v;
    else if (arches.length > 0 && k === 'offset') arches.at(-1)!.offset = Number(v);
    else if (arches.length > 0 && k === 'size') arches.at(-1)!.size = Number(v);
  }
  return { magic, arches };
}
