import type { GoBuildInfo, GoModule } from '../types.js';

/** `\xff Go buildinf:`: the 14-byte magic the Go linker writes at a 16-byte boundary. */
export const GO_BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** The header is 32 bytes; flag bit 2 means the two strings follow inline as uvarint-length data (Go ≥ 1.18). */
const HEADER = 32;
const FLAG_INLINE = 0x2;
/** runtime/debug wraps the module text in two 16-byte sentinels. */
const SENTINEL = 16;
const MAX_STRING = 1 << 20;

/** Offset of the build-info header in a window, or -1. */
export function findGoBuildInfo(bytes: Uint8Array): number {
  for (let at = bytes.indexOf(GO_BUILDINFO_MAGIC[0]!); at !== -1; at = bytes.indexOf(GO_BUILDINFO_MAGIC[0]!, at + 1)) {
    if (at % 16 === 0 && GO_BUILDINFO_MAGIC.every((b, i) => bytes[at + i] === b)) return at;
  }
  return -1;
}

function uvarint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0, shift = 1; i < 5 && at + i < bytes.length; i++, shift *= 128) {
    const b = bytes[at + i]!;
    value += (b & 0x7f) * shift;
    if (b < 0x80) return { value, next: at + i + 1 };
  }
  return undefined;
}

/**
 * Go build info from the bytes starting at its header. Only the inline form (Go 1.18 and later) is
 * read; the older form points at Go strings by virtual address, and is reported as undefined.
 */
export function parseGoBuildInfo(bytes: Uint8Array): GoBuildInfo | undefined {
  if (bytes.length < HEADER || !(bytes[15]! & FLAG_INLINE)) return undefined;
  const strings: string[] = [];
  let at = HEADER;
  for (let k = 0; k < 2; k++) {
    const len = uvarint(bytes, at);
    if (!len || len.value > MAX_STRING || len.next + len.value > bytes.length) return undefined;
    strings.push(Buffer.from(bytes.buffer, bytes.byteOffset + len.next, len.value).toString('utf8'));
    at = len.next + len.value;
  }
  const [goVersion, raw] = strings as [string, string];
  if (!/^go\d/.test(goVersion) && !goVersion.startsWith('devel')) return undefined;
  const mod = raw.length >= 2 * SENTINEL ? raw.slice(SENTINEL, raw.length - SENTINEL) : '';
  return { goVersion, ...parseModInfo(mod) };
}

/** runtime/debug.ParseBuildInfo's text: `path`, `mod`, `dep`, `=>` and `build` lines, tab-separated. */
export function parseModInfo(text: string): Omit<GoBuildInfo, 'goVersion'> {
  const info: Omit<GoBuildInfo, 'goVersion'> = { deps: [], settings: {} };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const f = line.split('\t');
    const module = (): GoModule => ({ path: f[1] ?? '', version: f[2] ?? '', ...(f[3] ? { sum: f[3] } : {}) });
    if (f[0] === 'path' && f[1]) info.path = f[1];
    else if (f[0] === 'mod' && f[1]) last = info.main = module();
    else if (f[0] === 'dep' && f[1]) info.deps.push((last = module()));
    else if (f[0] === '=>' && f[1] && last) last.replace = { path: f[1], version: f[2] ?? '', ...(f[3] ? { sum: f[3] } : {}) };
    else if (f[0] === 'build' && f[1]) {
      const eq = f[1].indexOf('=');
      if (eq > 0) info.settings[f[1].slice(0, eq)] = f[1].slice(eq + 1);
    }
  }
  return info;
}
