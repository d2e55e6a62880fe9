import type { PackageMetadataFacts } from '../types.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_, hex: string, dec: string, name: string) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : ENTITIES[name.toLowerCase()]!,
  );
}

/**
 * A NuGet `.nuspec` (the manifest inside a .nupkg): `<package><metadata>` with `id`, `version`,
 * `authors` (comma-separated), `license type="expression|file"` (or the older `licenseUrl`),
 * `projectUrl`, `description`. The schema is flat and namespaced per NuGet version, so the
 * elements are read by local name inside `<metadata>`.
 */
export function parseNuspec(xml: string): PackageMetadataFacts {
  const meta = /<(?:\w+:)?metadata\b[^>]*>([\s\S]*?)<\/(?:\w+:)?metadata>/.exec(xml)?.[1] ?? '';
  const element = (name: string): { attrs: string; text: string } | undefined => {
    const m = new RegExp(`<(?:\\w+:)?${name}\\b([^>]*)>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(meta);
    return m ? { attrs: m[1]!, text: decode(m[2]!.trim()) } : undefined;
  };
  const out: PackageMetadataFacts = { kind: 'nuspec' };
  const id = element('id')?.text;
  const version = element('version')?.text;
  const authors = element('authors')?.text;
  const description = element('description')?.text;
  const projectUrl = element('projectUrl')?.text;
  const license = element('license');
  const licenseUrl = element('licenseUrl')?.text;
  if (id) out.name = id;
  if (version) out.version = version;
  if (description) out.summary = description;
  if (authors) out.authors = authors.split(',').map((a) => a.trim()).filter(Boolean);
  if (license && /type\s*=\s*["']expression["']/.test(license.attrs)) out.licenseExpression = license.text;
  else if (license && /type\s*=\s*["']file["']/.test(license.attrs)) out.licenseFiles = [license.text];
  if (licenseUrl) out.license = licenseUrl;
  if (projectUrl) out.homepage = projectUrl;
  return out;
}
