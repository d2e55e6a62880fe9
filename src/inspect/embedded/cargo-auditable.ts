import { inflateSync } from 'node:zlib';
import type { CargoPackage } from '../types.js';

/** The decompressed JSON is bounded: real dependency lists are a few hundred KB. */
const MAX_JSON = 8 << 20;

/**
 * cargo-auditable's `.dep-v0` section: zlib-compressed JSON `{"packages":[{name, version,
 * source, kind?, dependencies?, root?}]}` (rust-secure-code/cargo-auditable, format v0).
 * Throws on bytes that do not inflate or parse; the caller reports that as a known unknown.
 */
export function parseCargoAuditable(bytes: Uint8Array): CargoPackage[] {
  const json = inflateSync(bytes, { maxOutputLength: MAX_JSON }).toString('utf8');
  const doc = JSON.parse(json) as { packages?: unknown };
  if (!Array.isArray(doc.packages)) throw new Error('no "packages" array');
  return doc.packages.flatMap((p: unknown) => {
    const r = p as Record<string, unknown>;
    if (typeof r['name'] !== 'string' || typeof r['version'] !== 'string') return [];
    return [{
      name: r['name'],
      version: r['version'],
      ...(typeof r['source'] === 'string' ? { source: r['source'] } : {}),
      ...(typeof r['kind'] === 'string' ? { kind: r['kind'] } : {}),
      ...(r['root'] === true ? { root: true } : {}),
    }];
  });
}
