/** Value conventions shared by the XML and binary property-list readers. */

/** `data` values: the bytes as canonical base64 (JSON-safe, comparable). */
export interface PlistData {
  base64: string;
}

/**
 * Sets a key on a record built from file content. `defineProperty` never invokes the
 * `__proto__` setter, so a key named `__proto__` is stored as data, not as a prototype change.
 */
export function setKey(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/** ISO 8601 in UTC, without a `.000` when the time has no fraction (the form XML plists use). */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Integers stay numbers while exact; only values past 2^53 become bigint. */
export function plistInteger(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export const MAX_DEPTH = 64;
