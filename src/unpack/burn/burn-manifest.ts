import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { InputError } from '../../errors.js';
import { SAFE_XML_OPTIONS } from '../../io/safe-xml.js';

/**
 * The BurnManifest (file `0` of the UX container). Element and attribute names follow WiX 3's
 * CreateBurnManifestCommand (namespace `http://schemas.microsoft.com/wix/2008/Burn`) and WiX 4+,
 * which adds `EngineVersion`/`ProtocolVersion` on the root and names the registration `Code`.
 */

export interface BurnPayload {
  id: string;
  /** Name the payload is given when cached or laid out (`core.msi`, `tcltk_pdb.msi`). */
  filePath: string;
  fileSize?: number;
  hash?: string;
  /** `embedded` (in a container) or `external` (beside the bundle / downloaded). */
  packaging?: string;
  /** The member name inside its container (`u0`, `a3`), or the external file name. */
  sourcePath?: string;
  /** Id of the container holding it; absent for UX payloads and external ones. */
  container?: string;
  downloadUrl?: string;
  /** Listed under `<UX>`: part of the bootstrapper application, inside the UX container. */
  ux: boolean;
}

export interface BurnContainer {
  id: string;
  fileSize?: number;
  hash?: string;
  attached: boolean;
  /** 1-based position among attached containers (0 is the UX container). */
  attachedIndex?: number;
  downloadUrl?: string;
  filePath?: string;
}

export interface BurnPackage {
  /** Element name without `Package`: `Msi`, `Exe`, `Msu`, `Msp`, `Bundle`. */
  type: string;
  id: string;
  attributes: Record<string, string>;
  /** Provides/@Key of the package (its dependency provider key), when declared. */
  providerKey?: string;
  /** PayloadRef ids; the first is the package's own payload (the .msi/.exe itself). */
  payloadIds: string[];
}

export interface BurnManifest {
  attributes: Record<string, string>;
  registration: Record<string, string>;
  arp: Record<string, string>;
  /** RelatedBundle ids with Action="Upgrade": the bundle's upgrade code(s). */
  upgradeCodes: string[];
  uxPayloads: BurnPayload[];
  payloads: BurnPayload[];
  containers: BurnContainer[];
  packages: BurnPackage[];
}

/** Elements that appear once; everything else is read as a list so the shape never depends on counts. */
const SINGLE = new Set(['BurnManifest', 'Registration', 'Arp', 'UX', 'Chain', 'Log', 'Condition', 'Update']);

// removeNSPrefix: WiX 3 and WiX 4+ manifests use different Burn namespaces.
const parser = new XMLParser({
  ...SAFE_XML_OPTIONS,
  removeNSPrefix: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && !SINGLE.has(name),
});

type Node = Record<string, unknown>;

function attrs(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return out;
  for (const [k, v] of Object.entries(node as Node)) {
    if (k.startsWith('@_') && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k.slice(2)] = String(v);
  }
  return out;
}

function node(v: unknown): Node | undefined {
  if (Array.isArray(v)) v = v[0];
  return v !== null && typeof v === 'object' ? (v as Node) : undefined;
}

function list(parent: Node | undefined, name: string): Node[] {
  const v = parent?.[name];
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return items.filter((x): x is Node => x !== null && typeof x === 'object');
}

/** A decimal size from the manifest; anything else is not a size we can check against. */
function size(v: string | undefined): number | undefined {
  return v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : undefined;
}

function payloadOf(n: Node, ux: boolean, chain: readonly string[]): BurnPayload {
  const a = attrs(n);
  if (!a.Id) throw new InputError('BurnManifest has a Payload without Id', chain);
  const p: BurnPayload = { id: a.Id, filePath: a.FilePath ?? a.Id, ux };
  const fileSize = size(a.FileSize);
  if (fileSize !== undefined) p.fileSize = fileSize;
  if (a.Hash) p.hash = a.Hash;
  if (a.Packaging) p.packaging = a.Packaging;
  if (a.SourcePath) p.sourcePath = a.SourcePath;
  if (a.Container) p.container = a.Container;
  if (a.DownloadUrl) p.downloadUrl = a.DownloadUrl;
  return p;
}

export function parseBurnManifest(text: string, chain: readonly string[]): BurnManifest {
  // The parser tolerates mismatched end tags; a manifest that is not well-formed is corrupt.
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError(`BurnManifest is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`, chain);
  }
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new InputError(`BurnManifest is not well-formed XML: ${msg}`, chain);
  }
  const root = node((doc as Node | undefined)?.BurnManifest);
  if (!root) throw new InputError('UX container file 0 is not a BurnManifest', chain);

  const ux = node(root.UX);
  const registration = node(root.Registration);
  const chainNode = node(root.Chain);
  const containers: BurnContainer[] = list(root, 'Container').map((n) => {
    const a = attrs(n);
    if (!a.Id) throw new InputError('BurnManifest has a Container without Id', chain);
    const c: BurnContainer = { id: a.Id, attached: a.Attached === 'yes' };
    const fileSize = size(a.FileSize);
    if (fileSize !== undefined) c.fileSize = fileSize;
    if (a.Hash) c.hash = a.Hash;
    const index = size(a.AttachedIndex);
    if (index !== undefined) c.attachedIndex = index;
    if (a.DownloadUrl) c.downloadUrl = a.DownloadUrl;
    if (a.FilePath) c.filePath = a.FilePath;
    return c;
  });

  const packages: BurnPackage[] = [];
  for (const [name, value] of Object.entries(chainNode ?? {})) {
    const m = /^(\w+)Package$/.exec(name);
    if (!m || !Array.isArray(value)) continue;
    for (const n of value) {
      const a = attrs(n);
      if (!a.Id) throw new InputError(`BurnManifest has a ${name} without Id`, chain);
      const pkg: BurnPackage = {
        type: m[1]!,
        id: a.Id,
        attributes: a,
        payloadIds: list(n as Node, 'PayloadRef').map((r) => attrs(r).Id).filter((x): x is string => !!x),
      };
      const provides = list(n as Node, 'Provides').map(attrs).find((p) => p.Key);
      if (provides?.Key) pkg.providerKey = provides.Key;
      packages.push(pkg);
    }
  }

  return {
    attributes: attrs(root),
    registration: attrs(registration),
    arp: attrs(node(registration?.Arp)),
    upgradeCodes: list(root, 'RelatedBundle')
      .map(attrs)
      .filter((a) => a.Action === 'Upgrade' && a.Id)
      .map((a) => a.Id!),
    uxPayloads: list(ux, 'Payload').map((n) => payloadOf(n, true, chain)),
    payloads: list(root, 'Payload').map((n) => payloadOf(n, false, chain)),
    containers,
    packages,
  };
}
