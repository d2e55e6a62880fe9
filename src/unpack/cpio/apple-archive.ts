/**
 * Apple Archive (`AA01`, and `YAA1` in yaa files) replaces cpio in some newer Payloads
 * (Apple's `--compression latest` payloads). We recognise it so the user hears "unsupported" rather than
 * "corrupt".
 */
export const APPLE_ARCHIVE_UNSUPPORTED = 'Apple Archive payloads are not supported';

export function isAppleArchive(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const magic = String.fromCharCode(...head.subarray(0, 4));
  return magic === 'AA01' || magic === 'YAA1';
}
