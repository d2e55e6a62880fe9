import { InputError } from '../../errors.js';
import { attr, child, children, parseXml } from '../xar/xml.js';

export interface PackageInfo {
  identifier?: string;
  version?: string;
  /** As written (`/Library/Frameworks/Python.framework`); `/` when absent. */
  installLocation: string;
  formatVersion?: string;
  numberOfFiles?: string;
  installKBytes?: string;
  /** Script names from `<scripts>` (preinstall, postinstall …) and their file attributes. */
  scripts: Record<string, string>;
  bundles: { id?: string; path?: string; version?: string }[];
}

/** A component package's `PackageInfo` (`<pkg-info identifier version install-location>`). */
export function parsePackageInfo(xml: string, chain: readonly string[]): PackageInfo {
  const doc = parseXml(xml, 'PackageInfo', chain);
  const root = child(doc, 'pkg-info');
  if (root === undefined) throw new InputError('PackageInfo has no <pkg-info> element', chain);
  const info: PackageInfo = { installLocation: attr(root, 'install-location') || '/', scripts: {}, bundles: [] };
  const put = (k: 'identifier' | 'version' | 'formatVersion' | 'numberOfFiles' | 'installKBytes', v: string | undefined): void => {
    if (v !== undefined && v !== '') info[k] = v;
  };
  put('identifier', attr(root, 'identifier'));
  put('version', attr(root, 'version'));
  put('formatVersion', attr(root, 'format-version'));
  const payload = child(root, 'payload');
  put('numberOfFiles', attr(payload, 'numberOfFiles'));
  put('installKBytes', attr(payload, 'installKBytes'));
  const scripts = child(root, 'scripts');
  if (scripts !== undefined) {
    for (const [name, value] of Object.entries(scripts)) {
      if (name.startsWith('@_') || name === '#text') continue;
      const first = Array.isArray(value) ? value[0] : value;
      info.scripts[name] = attr(first, 'file') ?? '';
    }
  }
  for (const b of children(root, 'bundle')) {
    const bundle: PackageInfo['bundles'][number] = {};
    const id = attr(b, 'id');
    const path = attr(b, 'path');
    const version = attr(b, 'CFBundleShortVersionString') ?? attr(b, 'CFBundleVersion');
    if (id !== undefined) bundle.id = id;
    if (path !== undefined) bundle.path = path;
    if (version !== undefined) bundle.version = version;
    info.bundles.push(bundle);
  }
  return info;
}
