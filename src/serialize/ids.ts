import { createHash } from 'node:crypto';

/** SPDX ids allow letters, digits, `.` and `-` after `SPDXRef-` (SPDX 2.3 §3.2). */
export function sanitizeIdPart(raw: string): string {
  return raw.replace(/[^A-Za-z0-9.\-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/**
 * Identifiers handed out in one document. A clash gets CPython's 8-hex suffix (release-tools
 * `spdx_id`: the first 8 hex of SHA-256 of the raw value), then a counter; so ids are unique
 * inside the serializer whatever the model's names are, and the same model gives the same ids.
 */
export class IdAllocator {
  private readonly used = new Set<string>();

  /** A fresh id from a prefix and a raw name. */
  take(prefix: string, raw: string): string {
    return this.claim(`${prefix}${sanitizeIdPart(raw)}`, raw);
  }

  /** A fixed id (a convention's `SPDXRef-PACKAGE-cpython`), suffixed only if already taken. */
  claim(id: string, raw = id): string {
    let out = id;
    if (this.used.has(out)) out = `${id}-${createHash('sha256').update(raw).digest('hex').slice(0, 8)}`;
    for (let n = 2; this.used.has(out); n++) out = `${id}-${n}`;
    this.used.add(out);
    return out;
  }
}
