import { InputError } from '../../errors.js';

/**
 * The MSI string table: `!_StringPool` holds (length, refcount) pairs, `!_StringData` the bytes
 * of all strings back to back (Wine's msi/string.c layout).
 */
export interface StringPool {
  /** Code page from the pool header (0 = unspecified). */
  codepage: number;
  /** Size of a string reference in table rows: 3 when bit 31 of the header is set, else 2. */
  refSize: 2 | 3;
  /** strings[id]; id 0 is the null string. */
  strings: (string | undefined)[];
  /** Name of the text decoding used. */
  encoding: string;
}

const CODEPAGE_LABELS: Record<number, string> = {
  65001: 'utf-8',
  932: 'shift_jis',
  936: 'gbk',
  949: 'euc-kr',
  950: 'big5',
  866: 'ibm866',
  874: 'windows-874',
  20866: 'koi8-r',
  28591: 'iso-8859-1',
  28592: 'iso-8859-2',
  28595: 'iso-8859-5',
  28597: 'iso-8859-7',
  54936: 'gb18030',
};

/** A TextDecoder for an MSI code page; 0 (wixl) and unknown pages fall back as noted. */
export function decoderFor(codepage: number, warn: (m: string) => void): { decode: (b: Uint8Array) => string; encoding: string } {
  if (codepage === 0) {
    // Code page 0 means "neutral": writers that do not set it (wixl, msibuild) store UTF-8 in
    // practice; text that is not valid UTF-8 is read as Windows-1252, the common ANSI page.
    const strict = new TextDecoder('utf-8', { fatal: true });
    const ansi = new TextDecoder('windows-1252');
    return {
      encoding: 'utf-8 (code page 0)',
      decode: (b) => {
        try {
          return strict.decode(b);
        } catch {
          return ansi.decode(b);
        }
      },
    };
  }
  const label = CODEPAGE_LABELS[codepage] ?? (codepage >= 1250 && codepage <= 1258 ? `windows-${codepage}` : undefined);
  try {
    if (label) {
      const d = new TextDecoder(label);
      return { encoding: label, decode: (b) => d.decode(b) };
    }
  } catch {
    // Node without full ICU lacks most legacy pages; fall through.
  }
  warn(`string pool code page ${codepage} is not supported; strings read as windows-1252`);
  const d = new TextDecoder('windows-1252');
  return { encoding: 'windows-1252', decode: (b) => d.decode(b) };
}

export function readStringPool(pool: Uint8Array, data: Uint8Array, chain: readonly string[], warn: (m: string) => void): StringPool {
  if (pool.length < 4) throw new InputError(`!_StringPool is ${pool.length} bytes, too short for its header`, chain);
  const dv = new DataView(pool.buffer, pool.byteOffset, pool.byteLength);
  const header = dv.getUint32(0, true);
  const codepage = header & 0x7fffffff;
  const refSize: 2 | 3 = header & 0x80000000 ? 3 : 2;
  const dec = decoderFor(codepage, warn);
  const pairs = Math.floor(pool.length / 4);
  const strings: (string | undefined)[] = [undefined];
  let offset = 0;
  let i = 1;
  while (i < pairs) {
    let len = dv.getUint16(i * 4, true);
    const refs = dv.getUint16(i * 4 + 2, true);
    if (len === 0 && refs === 0) {
      // An unused id: it still takes a slot.
      strings.push(undefined);
      i += 1;
      continue;
    }
    if (len === 0) {
      // Strings of 64 KiB or more: the next pair holds the length, high word second.
      if (i + 1 >= pairs) throw new InputError(`!_StringPool: long string ${strings.length} has no length pair`, chain, i * 4);
      len = dv.getUint16((i + 1) * 4, true) + dv.getUint16((i + 1) * 4 + 2, true) * 0x10000;
      i += 2;
    } else {
      i += 1;
    }
    if (offset + len > data.length) {
      throw new InputError(`!_StringPool: string ${strings.length} (${len} bytes at ${offset}) runs past !_StringData (${data.length} bytes)`, chain, (i - 1) * 4);
    }
    strings.push(dec.decode(data.subarray(offset, offset + len)));
    offset += len;
  }
  if (offset !== data.length) warn(`!_StringData has ${data.length - offset} bytes no string refers to`);
  return { codepage, refSize, strings, encoding: dec.encoding };
}
