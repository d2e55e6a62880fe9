import { XMLParser } from 'fast-xml-parser';
import { InputError } from '../../errors.js';
import { SAFE_XML_OPTIONS } from '../../io/safe-xml.js';

/** A parsed XML element as fast-xml-parser shapes it: attributes under `@_`, text under `#text`. */
export type XmlNode = Record<string, unknown>;

/** Elements that may repeat; forcing arrays keeps the shape stable whether one or many appear. */
const REPEATED = new Set(['file', 'pkg-ref', 'X509Certificate', 'signature', 'x-signature', 'choice', 'line', 'bundle']);

/**
 * `maxNestedTags` is high because a xar TOC nests one `<file>` element per directory level of the
 * archived tree.
 */
const parser = new XMLParser({
  ...SAFE_XML_OPTIONS,
  maxNestedTags: 4000,
  removeNSPrefix: true,
  isArray: (name) => REPEATED.has(name),
});

export function parseXml(text: string, what: string, chain: readonly string[]): XmlNode {
  try {
    const doc: unknown = parser.parse(text);
    if (doc === null || typeof doc !== 'object') throw new Error('no document element');
    return doc as XmlNode;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new InputError(`${what} is not well-formed XML: ${msg}`, chain);
  }
}

/** The child element `name` when it is an element (not text, not an array). */
export function child(node: unknown, name: string): XmlNode | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const v = (node as XmlNode)[name];
  if (Array.isArray(v)) return asNode(v[0]);
  return asNode(v);
}

/** The children `name` as a list, whatever the parser made of them. */
export function children(node: unknown, name: string): XmlNode[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  const v = (node as XmlNode)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((x) => asNode(x) ?? {});
}

function asNode(v: unknown): XmlNode | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) return v as XmlNode;
  // A text-only element parses as a bare string; present it as a node with text.
  return { '#text': String(v) };
}

/** The text content of an element (or of its child `name`). */
export function text(node: unknown, name?: string): string | undefined {
  let v: unknown = node;
  if (name !== undefined) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    v = (node as XmlNode)[name];
    if (Array.isArray(v)) v = v[0];
  }
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && !Array.isArray(v)) {
    const t = (v as XmlNode)['#text'];
    return t === undefined ? '' : String(t);
  }
  return undefined;
}

export function attr(node: unknown, name: string): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return v === undefined || v === null ? undefined : String(v);
}
