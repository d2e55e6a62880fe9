/**
 * Canonical JSON, the one normalisation every writer goes through: keys sorted at every level,
 * every list sorted by its serialised form (no list we write carries meaning in its order, as
 * python/release-tools' normalize_sbom_data assumes for SPDX), undefined dropped, two-space indent
 * and a final newline. Same model in, same bytes out.
 */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(normalize(value), null, 2)}\n`;
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const keyed = value.map((v) => {
      const n = normalize(v);
      return [JSON.stringify(n), n] as const;
    });
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
