import { InputError } from '../../errors.js';
import { attr, child, children, parseXml, text, type XmlNode } from '../xar/xml.js';

export interface PkgRef {
  id: string;
  version?: string;
  installKBytes?: string;
  /** Component path inside this archive, from a `#Name.pkg` reference (leading `#` = in-archive). */
  path?: string;
}

export interface Distribution {
  title?: string;
  productId?: string;
  productVersion?: string;
  hostArchitectures?: string;
  minSpecVersion?: string;
  minOSVersion?: string;
  pkgRefs: PkgRef[];
}

/** pkg-refs may sit at the top level or inside <choice> elements; both are walked. */
const MAX_WALK_DEPTH = 32;

/**
 * A product archive's `Distribution` (`<installer-gui-script>`, or PackageMaker's `<installer-script>`): title, `<product id version>`,
 * `<options hostArchitectures>` and the pkg-refs, merged by id because productbuild writes one
 * pkg-ref per id in each choice plus one carrying version, installKBytes and the `#Name.pkg` text.
 */
export function parseDistribution(xml: string, chain: readonly string[]): Distribution {
  const doc = parseXml(xml, 'Distribution', chain);
  // PackageMaker (before productbuild) wrote the same document under <installer-script>;
  // Apple's installer still accepts it.
  const root = child(doc, 'installer-gui-script') ?? child(doc, 'installer-script');
  if (root === undefined) throw new InputError('Distribution has neither an <installer-gui-script> nor an <installer-script> element', chain);
  const dist: Distribution = { pkgRefs: [] };
  const set = <K extends keyof Distribution>(k: K, v: Distribution[K] | undefined): void => {
    if (v !== undefined && v !== '') dist[k] = v;
  };
  set('title', text(root, 'title')?.trim());
  const product = child(root, 'product');
  set('productId', attr(product, 'id'));
  set('productVersion', attr(product, 'version'));
  set('hostArchitectures', attr(child(root, 'options'), 'hostArchitectures'));
  set('minSpecVersion', attr(root, 'minSpecVersion'));
  set('minOSVersion', attr(child(child(root, 'allowed-os-versions'), 'os-version'), 'min'));

  const byId = new Map<string, PkgRef>();
  const visit = (node: XmlNode, depth: number): void => {
    if (depth > MAX_WALK_DEPTH) return;
    for (const ref of children(node, 'pkg-ref')) {
      const id = attr(ref, 'id');
      if (id === undefined || id === '') continue;
      const merged = byId.get(id) ?? { id };
      const version = attr(ref, 'version');
      const kb = attr(ref, 'installKBytes');
      const body = (text(ref) ?? '').trim();
      if (version !== undefined && version !== '') merged.version = version;
      if (kb !== undefined && kb !== '') merged.installKBytes = kb;
      if (body.startsWith('#')) merged.path = decodeRef(body.slice(1));
      byId.set(id, merged);
    }
    for (const c of children(node, 'choice')) visit(c, depth + 1);
    const outline = child(node, 'choices-outline');
    if (outline !== undefined) visit(outline, depth + 1);
  };
  visit(root, 0);
  dist.pkgRefs = [...byId.values()];
  return dist;
}

function decodeRef(ref: string): string {
  try {
    return decodeURIComponent(ref);
  } catch {
    return ref;
  }
}
