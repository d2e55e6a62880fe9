/** Matching keys and normalisations shared by every reader, so all formats reduce to one view. */
import type { Checksums, ViewSignature } from '../view.js';

/** `./a/b`, `a/b` and `a\b` name one file. */
export function normalizePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
}

/** Case, spaces, `_`, `-` and `.` do not distinguish component names (`tcl-core`, `Tcl_Core`). */
export function nameKey(raw: string): string {
  return raw.toLowerCase().replace(/[\s_\-.]+/g, '');
}

/** `cpe:2.3:a:openssl:openssl:3.0.13:…` → `openssl:openssl`; CPE 2.2 URIs too. */
export function cpeVendorProduct(locator: string): string | undefined {
  const m = /^cpe:2\.3:[aho*\-]:((?:\\.|[^:\\])+):((?:\\.|[^:\\])+)/i.exec(locator) ?? /^cpe:\/[aho]:([^:]+):([^:]+)/i.exec(locator);
  return m ? `${m[1]!.toLowerCase()}:${m[2]!.toLowerCase()}` : undefined;
}

/** `pkg:pypi/pip@24.0` → `pypi/pip`; namespace kept (`npm/@img/sharp`). */
export function purlName(locator: string): string | undefined {
  const m = /^pkg:([^/]+)\/([^@?#]+)/i.exec(locator);
  if (!m) return undefined;
  try {
    return `${m[1]!.toLowerCase()}/${decodeURIComponent(m[2]!).toLowerCase()}`;
  } catch {
    return `${m[1]!.toLowerCase()}/${m[2]!.toLowerCase()}`;
  }
}

/** The keys a component can be matched by: its name, the CPE's vendor:product and product, the purl's name. */
export function componentKeys(name: string, cpe?: string, purl?: string): string[] {
  const keys = new Set<string>([`name:${nameKey(name)}`]);
  if (cpe) keys.add(`cpe:${cpe}`).add(`name:${nameKey(cpe.split(':')[1]!)}`);
  if (purl) keys.add(`name:${nameKey(purl.slice(purl.lastIndexOf('/') + 1))}`);
  return [...keys];
}

/**
 * The checksums of a JSON list whose entries name the algorithm and the value under these keys
 * (`keep` picks the entries that are hashes at all). `SHA-256`, `sha256` and `SHA256` are one
 * algorithm: upper-case, no dashes; values lower-case hex.
 */
export function checksumsIn(list: unknown, algorithmKey: string, valueKey: string, keep: (entry: Record<string, unknown>) => boolean = () => true): Checksums {
  const out: Checksums = {};
  for (const c of listOf(list)) {
    const algorithm = c[algorithmKey];
    const value = c[valueKey];
    if (keep(c) && typeof algorithm === 'string' && typeof value === 'string') out[algorithm.toUpperCase().replace(/-/g, '')] = value.toLowerCase();
  }
  return out;
}

/**
 * The `field` string of each entry of a JSON list whose `key` is `value`: an SPDX 2.3 external
 * reference's locator of one type, an SPDX 3 identifier of one type, a CycloneDX property's value.
 */
export function valuesWhere(list: unknown, key: string, value: string, field: string): string[] {
  return listOf(list)
    .filter((e) => e[key] === value && typeof e[field] === 'string')
    .map((e) => e[field] as string);
}

/** What identifies a component in every format: its CPEs and purl, their normal forms, and the keys it is matched by. */
export function identityOf(name: string, cpes: string[], purl: string | undefined) {
  const vp = cpes[0] ? cpeVendorProduct(cpes[0]) : undefined;
  const pn = purl ? purlName(purl) : undefined;
  return { cpes, ...(purl ? { purl } : {}), ...(vp ? { cpeVendorProduct: vp } : {}), ...(pn ? { purlName: pn } : {}), keys: componentKeys(name, vp, pn) };
}

/** A version is absent when unstated or NOASSERTION. */
export function statedVersion(v: unknown): string | undefined {
  const s = typeof v === 'string' ? v.trim() : '';
  return s && s !== 'NOASSERTION' ? s : undefined;
}

/** `3.45.3.0` and `3.45.3` are one version (SQLite's four-part numbers); case never matters. */
export function sameVersion(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const norm = (v: string) => v.trim().toLowerCase().replace(/^v(?=\d)/, '').replace(/(?:\.0)+$/, '');
  return norm(a) === norm(b);
}

export function sharesKey(a: { keys: string[] }, b: { keys: string[] }): boolean {
  return a.keys.some((k) => b.keys.includes(k));
}

/** The list a JSON value holds, or an empty one (other tools' documents omit lists freely). */
export function listOf<T = Record<string, unknown>>(v: unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x !== null && x !== undefined) as T[]) : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * The first signature stated among `texts` (annotations, properties, or comment lines, with or
 * without SPDX 2.3's `Signature: ` prefix), as the writers state it: `authenticode signature by
 * SIGNER; STATUS; …`, `macho signature of the arm64 slice by …` (statements.ts signatureText).
 * Spread into a file, container or root.
 */
export function signatureOf(texts: readonly string[]): { signature?: ViewSignature } {
  for (const text of texts) {
    const m = /^(?:Signature: )?\w+ signature(?: of the [\w.-]+ slice)? by (.*?); ([\w-]+)(?:;|$)/m.exec(text);
    if (m) return { signature: { signer: m[1]!, status: m[2]! } };
  }
  return {};
}
