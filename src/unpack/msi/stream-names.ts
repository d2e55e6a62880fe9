/**
 * MSI stream names are packed into the 31-character limit of compound-file names: pairs of
 * characters from a 64-symbol alphabet share one UTF-16 unit (Wine's msi/table.c encode_streamname).
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._';

/** Prefix unit of table streams (`!File`, `!_StringPool` …). */
const TABLE_PREFIX = 0x4840;

export function decodeStreamName(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === TABLE_PREFIX) {
      out += '!';
    } else if (c >= 0x3800 && c < 0x4800) {
      const v = c - 0x3800;
      out += ALPHABET[v & 0x3f]! + ALPHABET[(v >> 6) & 0x3f]!;
    } else if (c >= 0x4800 && c < 0x4840) {
      out += ALPHABET[c - 0x4800]!;
    } else {
      out += raw[i];
    }
  }
  return out;
}
