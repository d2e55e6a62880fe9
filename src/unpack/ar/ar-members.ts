import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byte-source.js';

/** `!<arch>\n`: Unix ar, the container of static and import libraries (.a, .lib) and of .deb packages. */
export const AR_MAGIC = Buffer.from('!<arch>\n', 'latin1');
const HEADER = 60;

export const isArHead = (head: Uint8Array): boolean => head.length >= 8 && AR_MAGIC.every((b, i) => head[i] === b);

export interface ArMember {
  /** The name field as written, trailing spaces (and GNU's `/` terminator) removed. */
  name: string;
  headerAt: number;
  dataAt: number;
  size: number;
}

/**
 * The members of an ar archive, in order, up to `max`: 60-byte headers (name, mtime, uid, gid,
 * mode, decimal size, "`\n"), each member's data padded to an even length. A header that cannot
 * be read is an InputError at its offset (the message names no offset: InputError adds it).
 */
export async function* arMembers(source: ByteSource, max: number, chain: readonly string[] = []): AsyncGenerator<ArMember> {
  let at = AR_MAGIC.length;
  for (let n = 0; at < source.size && n < max; n++) {
    if (at + HEADER > source.size) throw new InputError(`truncated: an ar member header needs ${HEADER} bytes`, chain, at);
    const h = Buffer.from(await source.read(at, HEADER));
    const size = Number(h.toString('latin1', 48, 58).trim());
    if (h.toString('latin1', 58, 60) !== '`\n' || !Number.isSafeInteger(size) || size < 0 || at + HEADER + size > source.size) {
      throw new InputError('an ar member header cannot be read', chain, at);
    }
    const raw = h.toString('latin1', 0, 16).trimEnd();
    // GNU ar ends a short name with `/`; the symbol tables are `/` and `/SYM64/`, the long-name table `//`.
    const name = raw.length > 1 && raw.endsWith('/') && !raw.startsWith('/') ? raw.slice(0, -1) : raw;
    yield { name, headerAt: at, dataAt: at + HEADER, size };
    at += HEADER + size + (size % 2);
  }
}
