import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { InputError, LimitError } from '../../errors.js';
import { LIMIT_FLAGS } from '../limits.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { safeEntryPath } from '../paths.js';
import type { SignatureFacts } from '../../inspect/types.js';
import type { UnpackContext } from '../types.js';
import { readXarSignatures, type TocChecksum } from './xar-signature.js';
import { readXarHeader, XAR_HASHES, type XarHeader } from './xar-header.js';
import { attr, child, children, parseXml, text, type XmlNode } from './xml.js';

export interface XarChecksum {
  style: string;
  hex: string;
}

export interface XarData {
  /** Absolute offset in the archive (heap start + TOC offset). */
  offset: number;
  length: number;
  size: number;
  encoding: string;
  archived?: XarChecksum;
  extracted?: XarChecksum;
}

export type XarFileType = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface XarFile {
  id: string;
  /** Safe relative path (through safeEntryPath). */
  path: string;
  type: XarFileType;
  /** The TOC's own type name, kept for "other" types (fifo, character special …). */
  typeName: string;
  /** Symlink target as recorded; for hard links, the path of the original. */
  linkTarget?: string;
  data?: XarData;
  mode?: string;
}

export interface XarArchive {
  source: ByteSource;
  header: XarHeader;
  heapStart: number;
  files: XarFile[];
  /** Flat facts for ContainerInfo.properties (xar version, TOC checksum style). */
  properties: Record<string, string>;
  warnings: string[];
  /** The TOC signatures (RSA, CMS), each checked against the TOC checksum. */
  signatures: SignatureFacts[];
}

/** A TOC nests one <file> per directory level; deeper trees than this are not real packages. */
const MAX_DEPTH = 512;

const loaded = new WeakMap<ByteSource, Promise<XarArchive>>();

/**
 * Header, TOC and file tree of a xar, verified. Cached per source: PkgReader's probe and the
 * reader that then opens the same source share one parse.
 */
export function loadXarArchive(src: ByteSource, ctx: UnpackContext): Promise<XarArchive> {
  let p = loaded.get(src);
  if (p === undefined) {
    p = readXarArchive(src, ctx);
    loaded.set(src, p);
  }
  return p;
}

async function readXarArchive(src: ByteSource, ctx: UnpackContext): Promise<XarArchive> {
  const chain = ctx.chain;
  const header = await readXarHeader(src, chain);
  ctx.budget.checkMetadata(header.tocLength, 'xar TOC (compressed)', chain);
  ctx.budget.checkMetadata(header.tocSize, 'xar TOC', chain);
  const heapStart = header.headerSize + header.tocLength;
  if (heapStart > src.size) {
    throw new InputError(`truncated xar: TOC needs bytes ${header.headerSize}..${heapStart} of ${src.size}`, chain, header.headerSize);
  }
  const compressed = await readExactly(src, header.headerSize, header.tocLength, 'xar TOC');
  let xml: Buffer;
  try {
    xml = inflateSync(compressed, { maxOutputLength: Math.max(1, header.tocSize) });
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    throw new InputError(`xar TOC does not inflate to its declared ${header.tocSize} bytes: ${msg}`, chain, header.headerSize);
  }
  if (xml.length !== header.tocSize) {
    throw new InputError(`xar TOC inflates to ${xml.length} bytes, ${header.tocSize} declared`, chain, header.headerSize);
  }
  const doc = parseXml(xml.toString('utf8'), 'xar TOC', chain);
  const toc = child(child(doc, 'xar'), 'toc');
  if (toc === undefined) throw new InputError('xar TOC has no <xar><toc> element', chain);

  const properties: Record<string, string> = { xarVersion: String(header.version) };
  const warnings: string[] = [];
  const checksum = await verifyTocChecksum(src, header, heapStart, compressed, toc, chain, properties);
  const signatures = await readXarSignatures(toc, { source: src, heapStart }, checksum, ctx.trustRoots ? { trustRoots: ctx.trustRoots } : {});

  const files = collectFiles(toc, heapStart, src.size, ctx.budget.limits.maxEntries, chain);
  for (const f of files) {
    if (f.type === 'other') warnings.push(`skipped ${f.typeName} ${f.path}`);
  }
  return { source: src, header, heapStart, files, properties, warnings, signatures };
}

/**
 * The TOC checksum is the digest of the COMPRESSED TOC bytes, stored in the heap where
 * `<toc><checksum><offset>/<size>` say.
 */
async function verifyTocChecksum(
  src: ByteSource,
  header: XarHeader,
  heapStart: number,
  compressed: Uint8Array,
  toc: XmlNode,
  chain: readonly string[],
  properties: Record<string, string>,
): Promise<TocChecksum | undefined> {
  if (header.checksum === undefined) {
    properties.tocChecksum = 'none';
    return undefined;
  }
  const node = child(toc, 'checksum');
  if (node === undefined) throw new InputError(`xar header announces a ${header.checksum} TOC checksum but the TOC has none`, chain);
  const style = (attr(node, 'style') ?? '').toLowerCase();
  if (style !== header.checksum) {
    throw new InputError(`xar TOC checksum style ${JSON.stringify(style)} disagrees with the header (${header.checksum})`, chain);
  }
  const offset = decimal(text(node, 'offset'), 'TOC checksum offset', chain);
  const size = decimal(text(node, 'size'), 'TOC checksum size', chain);
  const digest = createHash(header.checksum).update(compressed).digest();
  if (size !== digest.length) throw new InputError(`xar TOC checksum size ${size} does not fit ${header.checksum}`, chain);
  if (heapStart + offset + size > src.size) {
    throw new InputError(`xar TOC checksum lies past the end of the archive`, chain, heapStart + offset);
  }
  const stored = await readExactly(src, heapStart + offset, size, 'xar TOC checksum');
  if (!digest.equals(stored)) {
    throw new InputError(`xar TOC checksum mismatch (${header.checksum})`, chain, heapStart + offset);
  }
  properties.tocChecksum = header.checksum;
  return { style: header.checksum, bytes: stored };
}

function collectFiles(
  toc: XmlNode,
  heapStart: number,
  archiveSize: number,
  maxEntries: number,
  chain: readonly string[],
): XarFile[] {
  const out: XarFile[] = [];
  const byId = new Map<string, XarFile>();
  const hardlinkRefs: { file: XarFile; ref: string }[] = [];
  // Explicit stack: a hostile TOC may nest deeply; recursion would be bounded only by the parser.
  const stack: { node: XmlNode; parent: string; depth: number }[] = children(toc, 'file')
    .reverse()
    .map((node) => ({ node, parent: '', depth: 0 }));
  while (stack.length > 0) {
    const { node, parent, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) throw new InputError(`xar TOC nests deeper than ${MAX_DEPTH} directories`, chain);
    const rawName = fileName(node, chain);
    const path = safeEntryPath(parent === '' ? rawName : `${parent}/${rawName}`, chain);
    if (path === '') throw new InputError(`xar TOC has a file without a usable name under ${JSON.stringify(parent)}`, chain);
    const typeNode = child(node, 'type');
    const typeName = text(typeNode) ?? 'file';
    const id = attr(node, 'id') ?? '';
    const file: XarFile = { id, path, type: 'other', typeName };
    const mode = text(node, 'mode');
    if (mode !== undefined) file.mode = mode;
    switch (typeName) {
      case 'file':
        file.type = 'file';
        break;
      case 'directory':
        file.type = 'directory';
        break;
      case 'symlink':
        file.type = 'symlink';
        file.linkTarget = text(node, 'link') ?? '';
        break;
      case 'hardlink': {
        // libarchive/xar: the first link says link="original" and carries the data; the others
        // name the original's id.
        const ref = attr(typeNode, 'link') ?? 'original';
        if (ref === 'original') file.type = 'file';
        else {
          file.type = 'hardlink';
          hardlinkRefs.push({ file, ref });
        }
        break;
      }
      default:
        break;
    }
    const dataNode = child(node, 'data');
    if (dataNode !== undefined && file.type === 'file') file.data = readData(dataNode, path, heapStart, archiveSize, chain);
    out.push(file);
    if (out.length > maxEntries) {
      throw new LimitError('maxEntries', LIMIT_FLAGS.maxEntries, `more than ${maxEntries} xar members`, chain);
    }
    if (id !== '') byId.set(id, file);
    for (const sub of children(node, 'file').reverse()) stack.push({ node: sub, parent: path, depth: depth + 1 });
  }
  for (const { file, ref } of hardlinkRefs) {
    const original = byId.get(ref);
    if (original === undefined) throw new InputError(`xar hard link ${file.path} names a missing file id ${ref}`, chain);
    file.linkTarget = original.path;
  }
  return out;
}

function fileName(node: XmlNode, chain: readonly string[]): string {
  const nameNode = child(node, 'name');
  const raw = text(nameNode);
  if (raw === undefined) throw new InputError('xar TOC has a <file> without <name>', chain);
  // xar base64-encodes names that are not valid UTF-8 / XML text.
  if (attr(nameNode, 'enctype') === 'base64') return Buffer.from(raw, 'base64').toString('utf8');
  return raw;
}

function readData(node: XmlNode, path: string, heapStart: number, archiveSize: number, chain: readonly string[]): XarData {
  const offset = decimal(text(node, 'offset'), `data offset of ${path}`, chain);
  const length = decimal(text(node, 'length'), `data length of ${path}`, chain);
  const size = decimal(text(node, 'size') ?? String(length), `data size of ${path}`, chain);
  const abs = heapStart + offset;
  if (abs + length > archiveSize) {
    throw new InputError(`xar data of ${path} (heap ${offset}+${length}) lies past the end of the archive`, chain, abs);
  }
  const data: XarData = {
    offset: abs,
    length,
    size,
    encoding: attr(child(node, 'encoding'), 'style') ?? 'application/octet-stream',
  };
  const archived = checksumOf(child(node, 'archived-checksum'));
  const extracted = checksumOf(child(node, 'extracted-checksum'));
  if (archived !== undefined) data.archived = archived;
  if (extracted !== undefined) data.extracted = extracted;
  return data;
}

function checksumOf(node: XmlNode | undefined): XarChecksum | undefined {
  if (node === undefined) return undefined;
  const style = (attr(node, 'style') ?? '').toLowerCase();
  const hex = (text(node) ?? '').trim().toLowerCase();
  if (style === '' || hex === '') return undefined;
  return { style, hex };
}

export function isVerifiableHash(style: string): boolean {
  return XAR_HASHES.has(style);
}

function decimal(value: string | undefined, what: string, chain: readonly string[]): number {
  const s = (value ?? '').trim();
  if (!/^\d{1,16}$/.test(s)) throw new InputError(`xar TOC: ${what} is not a number: ${JSON.stringify(value ?? null)}`, chain);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw new InputError(`xar TOC: ${what} is out of range`, chain);
  return n;
}
