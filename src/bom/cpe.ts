/**
 * CPE 2.3 formatted-string binding (NISTIR 7695 §6.2): in a value, every printable character other
 * than letters, digits, `_`, `-` and `.` is backslash-escaped; NVD lower-cases and uses `_` for spaces.
 */
export function cpeValue(raw: string): string {
  if (raw === '*' || raw === '-') return raw;
  return raw
    .toLowerCase()
    .replace(/\s+/g, '_')
    .replace(/[^a-z0-9_.\-]/g, (c) => `\\${c}`);
}

export function formatCpe(vendor: string, product: string, version: string | undefined, part = 'a'): string {
  const v = version === undefined ? '*' : cpeValue(version);
  return `cpe:2.3:${part}:${cpeValue(vendor)}:${cpeValue(product)}:${v}:*:*:*:*:*:*:*`;
}
