import type { PackageMetadataFacts } from '../types.js';

/**
 * `name==version`, indented when pinned as another pin's dependency, optionally followed by a
 * comment (Debian's python3-pip-whl 23.0.1: `CacheControl==0.12.11  # Make sure to update …`).
 */
const PIN = /^\s*(?<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?<version>[0-9][0-9A-Za-z.!+-]*)\s*(?:#.*)?$/;

/** pip's `pip/_vendor/vendor.txt`: the exact versions pip vendors, one pin a line. */
export function parsePipVendor(text: string): PackageMetadataFacts {
  const pins: NonNullable<PackageMetadataFacts['pins']> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = PIN.exec(line);
    if (m) pins.push({ name: m.groups!['name']!, version: m.groups!['version']!, line: i + 1, text: line.trim() });
  });
  return { kind: 'pip-vendor', pins };
}
