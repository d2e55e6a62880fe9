/**
 * XML property lists (Apple's PropertyList-1.0 DTD). fast-xml-parser runs with `preserveOrder`
 * because a <dict> is a flat sequence of <key>/value siblings: pairing needs document order.
 */
import { XMLParser } from 'fast-xml-parser';
import { InputError } from '../../errors.js';
import { SAFE_XML_OPTIONS } from '../../io/safe-xml.js';
import { isoDate, MAX_DEPTH, plistInteger, setKey } from './values.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ...SAFE_XML_OPTIONS,
  preserveOrder: true,
  // Text stays text with its spaces: `<string> 1.10 </string>` is what the plist says.
  trimValues: false,
  maxNestedTags: MAX_DEPTH * 2 + 8,
});

function tagOf(node: Node): string | undefined {
  for (const k of Object.keys(node)) if (k !== ':@') return k;
  return undefined;
}

function childrenOf(node: Node, tag: string): Node[] {
  const c = node[tag];
  return Array.isArray(c) ? (c as Node[]) : [];
}

/** Concatenated text of an element (comments split text into several nodes). */
function textOf(node: Node, tag: string): string {
  let s = '';
  for (const c of childrenOf(node, tag)) {
    const t = c['#text'];
    if (typeof t === 'string') s += t;
    else if (tagOf(c) !== undefined) throw new InputError(`plist <${tag}> contains an element`);
  }
  return s;
}

/** Elements only: whitespace between them is formatting. */
function elementsOf(node: Node, tag: string): Node[] {
  const out: Node[] = [];
  for (const c of childrenOf(node, tag)) {
    if ('#text' in c) {
      if (String(c['#text']).trim() !== '') throw new InputError(`plist <${tag}> contains stray text`);
      continue;
    }
    if (tagOf(c) !== undefined) out.push(c);
  }
  return out;
}

function parseInteger(text: string): number | bigint {
  const t = text.trim();
  // plistlib and CFPropertyList accept an optional sign and a 0x prefix.
  const m = /^([+-]?)(0x[0-9a-f]+|[0-9]+)$/i.exec(t);
  if (m === null) throw new InputError(`plist <integer> is not an integer: ${JSON.stringify(t.slice(0, 40))}`);
  const v = BigInt(m[2]!);
  return plistInteger(m[1] === '-' ? -v : v);
}

function parseReal(text: string): number {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  const v = Number(t);
  if (t === '' || Number.isNaN(v)) throw new InputError(`plist <real> is not a number: ${JSON.stringify(t.slice(0, 40))}`);
  return v;
}

function parseDate(text: string): string {
  const t = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(t)) throw new InputError(`plist <date> is not ISO 8601 UTC: ${JSON.stringify(t.slice(0, 40))}`);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new InputError(`plist <date> is not a valid date: ${t}`);
  return isoDate(ms);
}

function parseData(text: string): { base64: string } {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw new InputError('plist <data> is not base64');
  return { base64: Buffer.from(compact, 'base64').toString('base64') };
}

function valueOf(node: Node, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new InputError(`plist nests deeper than ${MAX_DEPTH}`);
  const tag = tagOf(node);
  switch (tag) {
    case 'string':
      return textOf(node, tag);
    case 'integer':
      return parseInteger(textOf(node, tag));
    case 'real':
      return parseReal(textOf(node, tag));
    case 'true':
      return true;
    case 'false':
      return false;
    case 'date':
      return parseDate(textOf(node, tag));
    case 'data':
      return parseData(textOf(node, tag));
    case 'array':
      return elementsOf(node, tag).map((c) => valueOf(c, depth + 1));
    case 'dict': {
      const record: Record<string, unknown> = {};
      const items = elementsOf(node, tag);
      for (let i = 0; i < items.length; i += 2) {
        const keyNode = items[i]!;
        if (tagOf(keyNode) !== 'key') throw new InputError(`plist <dict> has <${tagOf(keyNode)}> where a <key> belongs`);
        const valueNode = items[i + 1];
        if (valueNode === undefined) throw new InputError('plist <dict> ends with a <key> and no value');
        setKey(record, textOf(keyNode, 'key'), valueOf(valueNode, depth + 1));
      }
      return record;
    }
    default:
      throw new InputError(`plist: unknown element <${tag}>`);
  }
}

/** The root value, and whether it is a <dict> (a <data> value also decodes to a record). */
export function readXmlPlist(bytes: Uint8Array): { value: unknown; isDict: boolean } {
  let doc: Node[];
  try {
    doc = parser.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as Node[];
  } catch (err) {
    throw new InputError(`XML plist: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  }
  const root = doc.find((n) => tagOf(n) === 'plist');
  if (root === undefined) throw new InputError('XML plist has no <plist> element');
  const values = elementsOf(root, 'plist');
  if (values.length !== 1) throw new InputError(`XML <plist> holds ${values.length} values, not 1`);
  return { value: valueOf(values[0]!, 1), isDict: tagOf(values[0]!) === 'dict' };
}
