import { createHash } from 'node:crypto';
import { InputError } from '../../errors.js';
import type { ByteSource } from '../../io/byte-source.js';
import { attrsOf, childOf, childrenOf, parseXmlDocument } from './appx-manifest.js';

/**
 * AppxBlockMap.xml: every payload file of the package with its size and the SHA-256 of each
 * 64 KiB block of its uncompressed bytes (base64). Names are Windows paths (`Assets\Logo.png`),
 * already decoded from the zip's percent-encoded part names.
 */
export const BLOCK_SIZE = 64 * 1024;
const SHA256_METHOD = 'http://www.w3.org/2001/04/xmlenc#sha256';

export interface BlockMapFile {
  /** Name with forward slashes, as it is installed. */
  name: string;
  size: number;
  blockHashes: string[];
}

export function parseBlockMap(text: string, chain: readonly string[]): Map<string, BlockMapFile> {
  const doc = parseXmlDocument(text, 'AppxBlockMap.xml', chain);
  const root = childOf(doc, 'BlockMap');
  if (!root) throw new InputError('AppxBlockMap.xml has no BlockMap root element', chain);
  const method = attrsOf(root).HashMethod;
  if (method !== SHA256_METHOD) throw new InputError(`AppxBlockMap.xml uses hash method ${JSON.stringify(method ?? '')}, not SHA-256`, chain);
  const files = new Map<string, BlockMapFile>();
  for (const f of childrenOf(root, 'File')) {
    const a = attrsOf(f);
    if (!a.Name || !a.Size || !/^\d{1,15}$/.test(a.Size)) throw new InputError('AppxBlockMap.xml has a File without Name or Size', chain);
    const size = Number(a.Size);
    const blockHashes = childrenOf(f, 'Block').map((b) => attrsOf(b).Hash ?? '');
    if (blockHashes.length !== Math.ceil(size / BLOCK_SIZE)) {
      throw new InputError(`AppxBlockMap.xml: ${a.Name} of ${size} bytes has ${blockHashes.length} blocks`, chain);
    }
    const name = a.Name.replace(/\\/g, '/');
    files.set(name.toLowerCase(), { name, size, blockHashes });
  }
  return files;
}

/** The index of the first block whose SHA-256 differs from the block map, or -1 when all match. */
export async function firstBadBlock(src: ByteSource, file: BlockMapFile): Promise<number> {
  if (src.size !== file.size) return 0;
  for (let i = 0; i < file.blockHashes.length; i++) {
    const bytes = await src.read(i * BLOCK_SIZE, BLOCK_SIZE);
    if (createHash('sha256').update(bytes).digest('base64') !== file.blockHashes[i]) return i;
  }
  return -1;
}
