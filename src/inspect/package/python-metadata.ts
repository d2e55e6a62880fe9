import type { PackageMetadataFacts } from '../types.js';

/**
 * Python core metadata (`*.dist-info/METADATA`, `PKG-INFO`): RFC 822-style headers up to the
 * first blank line; a line starting with whitespace continues the previous header (multi-line
 * `License` texts). Fields per the core metadata specification (versions 1.0–2.4).
 */
export function parsePythonMetadata(text: string): PackageMetadataFacts {
  const headers: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line) && headers.length > 0) headers[headers.length - 1]![1] += `\n${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  const one = (key: string): string | undefined => headers.find(([k, v]) => k === key && v !== '' && v !== 'UNKNOWN')?.[1];
  const all = (key: string): string[] => headers.filter(([k, v]) => k === key && v !== '').map(([, v]) => v);
  const out: PackageMetadataFacts = { kind: 'python-metadata' };
  const set = <K extends keyof PackageMetadataFacts>(k: K, v: PackageMetadataFacts[K] | undefined): void => {
    if (v !== undefined && (!Array.isArray(v) || v.length > 0)) out[k] = v;
  };
  set('name', one('name'));
  set('version', one('version'));
  set('summary', one('summary'));
  set('authors', [...all('author'), ...all('author-email')]);
  set('license', one('license'));
  set('licenseExpression', one('license-expression'));
  set('licenseFiles', all('license-file'));
  set('homepage', one('home-page'));
  const urls: Record<string, string> = {};
  for (const v of all('project-url')) {
    const comma = v.indexOf(',');
    if (comma > 0) urls[v.slice(0, comma).trim()] = v.slice(comma + 1).trim();
  }
  if (Object.keys(urls).length > 0) out.projectUrls = urls;
  return out;
}
