import type { PackageMetadataFacts } from '../types.js';

/**
 * An npm package's `package.json` (https://docs.npmjs.com/cli/configuring-npm/package-json):
 * `name` (`@scope/name` for a scoped package), `version`, `description`, `author` as a string
 * (`Name <email> (url)`) or an object (`{ name, email, url }`), `license` (an SPDX expression,
 * or `SEE LICENSE IN <file>` / `UNLICENSED`), `homepage`, `repository`. A file that is not a
 * JSON object states nothing.
 */
export function parseNpmPackage(text: string): PackageMetadataFacts | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const o = json as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const out: PackageMetadataFacts = { kind: 'npm-package' };
  const name = str(o['name']);
  const version = str(o['version']);
  const description = str(o['description']);
  const author = typeof o['author'] === 'object' && o['author'] !== null ? str((o['author'] as Record<string, unknown>)['name']) : str(o['author']);
  const license = str(o['license']);
  const homepage = str(o['homepage']);
  if (name) out.name = name;
  if (version) out.version = version;
  if (description) out.summary = description;
  if (author) out.authors = [author];
  if (license) {
    // `SEE LICENSE IN LICENSE.txt` names a file; UNLICENSED means "not licensed for use". Only an
    // expression made of licence ids and AND/OR/WITH is an SPDX licence expression.
    const file = /^SEE LICEN[CS]E IN (.+)$/i.exec(license)?.[1];
    if (file) out.licenseFiles = [file];
    else if (license !== 'UNLICENSED' && /^\(*[A-Za-z0-9.+-]+\)*(?: (?:AND|OR|WITH) \(*[A-Za-z0-9.+-]+\)*)*$/.test(license)) out.licenseExpression = license;
    else out.license = license;
  }
  if (homepage && /^https?:\/\//.test(homepage)) out.homepage = homepage;
  return out;
}
