/**
 * Property lists (Info.plist, PackageInfo payload metadata): XML or binary, read into plain
 * JSON-shaped values. Strings, numbers (bigint only past 2^53), booleans, arrays, records,
 * dates as ISO 8601 strings, data as `{ base64 }`, NSKeyedArchiver UIDs as `{ CF$UID }`.
 */
import { InputError } from '../../errors.js';
import { readBinaryPlist } from './binary.js';
import { readXmlPlist } from './xml.js';

export type { PlistData } from './values.js';

const BPLIST = 'bplist00';

/** Leading text of `head` after a UTF-8 BOM and whitespace. */
function leadingText(head: Uint8Array): string {
  let s = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 1024)).toString('latin1');
  if (s.startsWith('\xef\xbb\xbf')) s = s.slice(3);
  return s.trimStart();
}

/** Content sniff: `bplist00`, or an XML document whose prolog names a plist. */
export function isPlist(head: Uint8Array): boolean {
  if (head.length >= 8 && Buffer.from(head.buffer, head.byteOffset, 8).toString('latin1') === BPLIST) return true;
  const s = leadingText(head);
  if (!s.startsWith('<?xml') && !s.startsWith('<!DOCTYPE') && !s.startsWith('<plist')) return false;
  return s.includes('<plist') || s.includes('<!DOCTYPE plist');
}

/** The root dictionary of an XML or binary property list; anything else is an InputError. */
export function readPlist(bytes: Uint8Array): Record<string, unknown> {
  let root: { value: unknown; isDict: boolean };
  try {
    root = bytes.length >= 8 && Buffer.from(bytes.buffer, bytes.byteOffset, 8).toString('latin1') === BPLIST
      ? readBinaryPlist(bytes)
      : readXmlPlist(bytes);
  } catch (err) {
    if (err instanceof InputError) throw err;
    // A DataView RangeError means a length check was missed: still the input's fault.
    throw new InputError(`plist: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!root.isDict) throw new InputError('plist root is not a dictionary');
  return root.value as Record<string, unknown>;
}
