import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../errors.js';
import { SAFE_XML_OPTIONS } from '../../io/safe-xml.js';

/**
 * AppxManifest.xml (a package) and AppxMetadata/AppxBundleManifest.xml (a bundle): the package
 * identity (Name, Publisher, Version, ProcessorArchitecture, ResourceId), the display names under
 * Properties, and for a bundle the packages it lists. Namespaces differ between Windows 8, 10
 * and the MSIX-era schemas, so prefixes are dropped.
 */

export interface PackageIdentity {
  name: string;
  publisher: string;
  version: string;
  architecture?: string;
  resourceId?: string;
}

export interface BundledPackage {
  fileName: string;
  type?: string;
  version?: string;
  architecture?: string;
  resourceId?: string;
  size?: number;
}

export interface AppxManifest {
  kind: 'package' | 'bundle';
  identity: PackageIdentity;
  displayName?: string;
  publisherDisplayName?: string;
  /** Bundles only: the packages the bundle declares. */
  packages: BundledPackage[];
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ...SAFE_XML_OPTIONS,
  removeNSPrefix: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && (name === 'Package' || name === 'File' || name === 'Block'),
});

/** Parses well-formed XML or throws an InputError naming the document. */
export function parseXmlDocument(text: string, what: string, chain: readonly string[]): XmlNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new InputError(`${what} is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`, chain);
  const doc = parser.parse(text) as unknown;
  if (doc === null || typeof doc !== 'object') throw new InputError(`${what} is empty`, chain);
  return doc as XmlNode;
}

export function attrsOf(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return out;
  for (const [k, v] of Object.entries(node as XmlNode)) if (k.startsWith('@_') && typeof v === 'string') out[k.slice(2)] = v;
  return out;
}

export function childOf(parent: unknown, name: string): XmlNode | undefined {
  if (parent === null || typeof parent !== 'object') return undefined;
  let v = (parent as XmlNode)[name];
  if (Array.isArray(v)) v = v[0];
  return v !== null && typeof v === 'object' ? (v as XmlNode) : undefined;
}

export function childrenOf(parent: unknown, name: string): XmlNode[] {
  if (parent === null || typeof parent !== 'object') return [];
  const v = (parent as XmlNode)[name];
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return items.filter((x): x is XmlNode => x !== null && typeof x === 'object');
}

function textOf(parent: XmlNode | undefined, name: string): string | undefined {
  const v = parent?.[name];
  const s = typeof v === 'string' ? v : typeof (v as XmlNode | undefined)?.['#text'] === 'string' ? ((v as XmlNode)['#text'] as string) : undefined;
  return s?.trim() || undefined;
}

function identityOf(root: XmlNode, what: string, chain: readonly string[]): PackageIdentity {
  const a = attrsOf(childOf(root, 'Identity'));
  if (!a.Name || !a.Publisher || !a.Version) throw new InputError(`${what} has no complete Identity (Name, Publisher, Version)`, chain);
  const id: PackageIdentity = { name: a.Name, publisher: a.Publisher, version: a.Version };
  if (a.ProcessorArchitecture) id.architecture = a.ProcessorArchitecture;
  if (a.ResourceId) id.resourceId = a.ResourceId;
  return id;
}

export function parseAppxManifest(text: string, chain: readonly string[]): AppxManifest {
  const doc = parseXmlDocument(text, 'AppxManifest.xml', chain);
  const root = childOf(doc, 'Package');
  if (!root) throw new InputError('AppxManifest.xml has no Package root element', chain);
  const props = childOf(root, 'Properties');
  const m: AppxManifest = { kind: 'package', identity: identityOf(root, 'AppxManifest.xml', chain), packages: [] };
  const displayName = textOf(props, 'DisplayName');
  const publisherDisplayName = textOf(props, 'PublisherDisplayName');
  if (displayName) m.displayName = displayName;
  if (publisherDisplayName) m.publisherDisplayName = publisherDisplayName;
  return m;
}

export function parseBundleManifest(text: string, chain: readonly string[]): AppxManifest {
  const doc = parseXmlDocument(text, 'AppxBundleManifest.xml', chain);
  const root = childOf(doc, 'Bundle');
  if (!root) throw new InputError('AppxBundleManifest.xml has no Bundle root element', chain);
  const packages: BundledPackage[] = [];
  for (const p of childrenOf(childOf(root, 'Packages'), 'Package')) {
    const a = attrsOf(p);
    if (!a.FileName) throw new InputError('AppxBundleManifest.xml lists a Package without FileName', chain);
    const entry: BundledPackage = { fileName: a.FileName };
    if (a.Type) entry.type = a.Type;
    if (a.Version) entry.version = a.Version;
    if (a.Architecture) entry.architecture = a.Architecture;
    if (a.ResourceId) entry.resourceId = a.ResourceId;
    if (a.Size && /^\d{1,15}$/.test(a.Size)) entry.size = Number(a.Size);
    packages.push(entry);
  }
  return { kind: 'bundle', identity: identityOf(root, 'AppxBundleManifest.xml', chain), packages };
}
