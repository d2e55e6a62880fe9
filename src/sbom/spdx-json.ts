import type { SpdxDocument } from './model.js';

/**
 * Canonical JSON: keys sorted at every level, and every list whose order carries no meaning sorted
 * by its serialised form (as python/release-tools normalize_sbom_data does), two-space indent and a
 * final newline. Normalisation happens here and only here.
 */
export function toCanonicalJson(doc: SpdxDocument): string {
  return `${JSON.stringify(normalize(doc), null, 2)}\n`;
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize);
    const keyed = items.map((v) => [JSON.stringify(v), v] as const);
    keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return keyed.map(([, v]) => v);
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = normalize(v);
    }
    return out;
  }
  return value;
}
