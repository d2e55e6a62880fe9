import { InputError } from '../../errors.js';
import { isMacho } from '../../inspect/macho/index.js';
import type { ByteSource } from '../../io/byte-source.js';
import type { FormatDescriptor, UnopenedFinding } from '../types.js';
import { arMembers, isArHead } from './ar-members.js';
/** Members looked at before the archive is judged by those (a library has hundreds, rarely more). */
const MAX_MEMBERS = 20_000;
/** COFF machines a Windows object file or import stub is built for. */
const COFF_MACHINES = new Set([0x14c, 0x8664, 0xaa64, 0x1c4, 0x1c0, 0xa641]);

type MemberKind = 'import' | 'code' | 'other';

/**
 * What one member is: an import stub (Microsoft's short import format, `00 00 FF FF`, or a
 * dlltool object whose sections are `.idata$…`), code (any other COFF, ELF or Mach-O object), or
 * something else (a symbol table, a .deb's control files).
 */
async function memberKind(source: ByteSource, at: number, size: number): Promise<MemberKind> {
  const head = await source.read(at, Math.min(size, 20));
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 0xff && head[3] === 0xff) return 'import';
  const elf = head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;
  if (elf || isMacho(head)) return 'code';
  if (head.length < 20 || !COFF_MACHINES.has(head[0]! | (head[1]! << 8))) return 'other';
  const sections = head[2]! | (head[3]! << 8);
  const optional = head[16]! | (head[17]! << 8);
  const table = await source.read(at + 20 + optional, Math.min(sections, 96) * 40);
  for (let s = 0; s + 8 <= table.length; s += 40) {
    if (Buffer.from(table.subarray(s, s + 7)).toString('latin1') === '.idata$') return 'import';
  }
  return 'code';
}

/**
 * An ar archive is not opened. An import library (every object an import stub) says nothing a
 * DLL's name does not; a static library holds code, so its contents are a known unknown, as is
 * any ar archive we cannot walk. (A .deb is an ar archive too, opened as debFormat.)
 */
async function explainAr(source: ByteSource): Promise<UnopenedFinding | undefined> {
  let objects = 0;
  let code = 0;
  try {
    for await (const m of arMembers(source, MAX_MEMBERS)) {
      // Symbol tables (`/`, `/SYM64/`, `__.SYMDEF…`) and the long-name table (`//`) are not members.
      const special = m.name === '/' || m.name === '//' || m.name === '/SYM64/' || m.name.startsWith('__.SYMDEF');
      if (special) continue;
      // A BSD long name (`#1/<n>`) comes first in the member's data.
      const skip = /^#1\/\d+$/.test(m.name) ? Number(m.name.slice(3)) : 0;
      const kind = await memberKind(source, m.dataAt + skip, m.size - skip);
      if (kind !== 'other') objects++;
      if (kind === 'code') code++;
    }
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { format: 'ar', reason: `an ar archive whose member header at byte ${err.offset} cannot be read: not opened, so what it holds is not in this SBOM` };
  }
  if (code === 0 && objects > 0) return undefined;
  if (code > 0) return { format: 'ar', reason: `a static library (an ar archive of ${objects} object files) is not opened here: the code in it is not inspected, so what it holds is not in this SBOM` };
  return { format: 'ar', reason: 'an ar archive is not opened here, so what it holds is not in this SBOM' };
}

export const arFormat: FormatDescriptor = {
  format: 'ar',
  title: 'ar archive (static or import library)',
  extensions: ['.a', '.lib'],
  // A .lib may be an import library, which is reported as nothing; the name claims no format.
  nameClaims: false,
  purpose: 'archive',
  contains: ['files'],
  magic: isArHead,
  explainUnopened: explainAr,
};
