import type { SbatRow } from '../types.js';

/**
 * A `.sbat` section: UTF-8 CSV, one `component,generation,vendor,package,version,url` row per line
 * (rhboot/shim SBAT.md), padded with NULs to the section size. Rows with fewer than six fields are
 * skipped: the spec allows none, and a padded section may end mid-line.
 */
export function parseSbat(bytes: Uint8Array): SbatRow[] {
  const end = bytes.indexOf(0);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, end === -1 ? bytes.length : end).toString('utf8');
  const rows: SbatRow[] = [];
  text.split('\n').forEach((raw, i) => {
    const fields = raw.replace(/\r$/, '').split(',');
    if (fields.length < 6) return;
    const [component, generation, vendor, pkg, version] = fields.map((f) => f.trim());
    // The URL is the last field; a vendor name may not hold a comma, but be lenient with the URL.
    rows.push({ component: component!, generation: generation!, vendor: vendor!, package: pkg!, version: version!, url: fields.slice(5).join(',').trim(), line: i + 1 });
  });
  return rows;
}
