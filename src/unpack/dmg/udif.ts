import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { readPlist, type PlistData } from '../../inspect/plist/index.js';
import type { Budget } from '../limits.js';

/**
 * UDIF (.dmg) structure: a 512-byte `koly` trailer that places an XML property list, whose
 * `resource-fork/blkx` array holds one `mish` block table per partition: a list of chunks, each
 * a run of 512-byte sectors stored zero-filled, raw, or compressed (ADC, zlib, bzip2, LZFSE,
 * LZMA). Read here to describe the image and to refuse damaged ones before 7-Zip sees them.
 */
export const KOLY_SIZE = 512;
const KOLY = 0x6b6f6c79;
const MISH = 0x6d697368;
const MISH_HEADER = 204;
const MISH_CHUNK = 40;
export const SECTOR = 512;

export const CHUNK_METHODS: Record<number, string> = {
  0x00000000: 'zero',
  0x00000001: 'raw',
  0x00000002: 'ignore',
  0x80000004: 'ADC',
  0x80000005: 'zlib',
  0x80000006: 'bzip2',
  0x80000007: 'LZFSE',
  0x80000008: 'LZMA',
  0x7ffffffe: 'comment',
  0xffffffff: 'terminator',
};

export interface UdifPartition {
  name: string;
  sectorCount: number;
  methods: Set<string>;
}

export interface UdifImage {
  version: number;
  sectorCount: number;
  imageVariant: number;
  dataForkLength: number;
  partitions: UdifPartition[];
}

const u64 = (v: DataView, at: number): number => {
  const n = v.getUint32(at) * 2 ** 32 + v.getUint32(at + 4);
  if (!Number.isSafeInteger(n)) throw new InputError('UDIF: a 64-bit field is too large', [], at);
  return n;
};

export async function hasKolyTrailer(src: ByteSource): Promise<boolean> {
  if (src.size < KOLY_SIZE) return false;
  const t = await src.read(src.size - KOLY_SIZE, 12);
  const v = new DataView(t.buffer, t.byteOffset, t.byteLength);
  return t.length === 12 && v.getUint32(0) === KOLY && v.getUint32(4) === 4 && v.getUint32(8) === KOLY_SIZE;
}

export async function readUdif(src: ByteSource, budget: Budget, chain: readonly string[]): Promise<UdifImage> {
  const kolyAt = src.size - KOLY_SIZE;
  const k = await readExactly(src, kolyAt, KOLY_SIZE, 'UDIF koly trailer');
  const v = new DataView(k.buffer, k.byteOffset, k.byteLength);
  const dataForkOffset = u64(v, 24);
  const dataForkLength = u64(v, 32);
  const xmlOffset = u64(v, 216);
  const xmlLength = u64(v, 224);
  if (dataForkOffset + dataForkLength > kolyAt) throw new InputError(`UDIF data fork (${dataForkOffset}+${dataForkLength}) runs past the trailer`, chain, kolyAt + 24);
  if (xmlLength === 0 || xmlOffset + xmlLength > kolyAt) throw new InputError(`UDIF property list (${xmlOffset}+${xmlLength}) lies outside the image`, chain, kolyAt + 216);
  budget.checkMetadata(xmlLength, 'UDIF property list', chain);
  const plist = readPlist(await readExactly(src, xmlOffset, xmlLength, 'UDIF property list'));
  const blkx = (plist['resource-fork'] as Record<string, unknown> | undefined)?.blkx;
  if (!Array.isArray(blkx) || blkx.length === 0) throw new InputError('UDIF property list has no resource-fork/blkx partitions', chain, xmlOffset);
  const partitions: UdifPartition[] = [];
  for (const [i, p] of blkx.entries()) {
    const entry = p as Record<string, unknown>;
    const name = typeof entry.Name === 'string' ? entry.Name : typeof entry.CFName === 'string' ? entry.CFName : `partition ${i}`;
    const data = entry.Data as PlistData | undefined;
    if (!data || typeof data.base64 !== 'string') throw new InputError(`UDIF partition ${JSON.stringify(name)} has no block table`, chain);
    partitions.push(readMish(Buffer.from(data.base64, 'base64'), name, dataForkOffset, dataForkLength, chain));
  }
  return { version: v.getUint32(4), sectorCount: u64(v, 492), imageVariant: v.getUint32(488), dataForkLength, partitions };
}

function readMish(b: Uint8Array, name: string, forkOffset: number, forkLength: number, chain: readonly string[]): UdifPartition {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < MISH_HEADER || v.getUint32(0) !== MISH) throw new InputError(`UDIF partition ${JSON.stringify(name)}: block table lacks its mish signature`, chain);
  const count = v.getUint32(200);
  if (MISH_HEADER + count * MISH_CHUNK > b.length) throw new InputError(`UDIF partition ${JSON.stringify(name)}: ${count} chunks do not fit its block table`, chain);
  const methods = new Set<string>();
  for (let i = 0; i < count; i++) {
    const at = MISH_HEADER + i * MISH_CHUNK;
    const type = v.getUint32(at);
    const method = CHUNK_METHODS[type];
    if (!method) throw new InputError(`UDIF partition ${JSON.stringify(name)}: chunk ${i} has unknown type 0x${type.toString(16)}`, chain);
    const offset = u64(v, at + 24);
    const length = u64(v, at + 32);
    if (method !== 'terminator' && method !== 'comment' && offset + length > forkOffset + forkLength) {
      throw new InputError(`UDIF partition ${JSON.stringify(name)}: chunk ${i} (${offset}+${length}) lies past the data fork`, chain);
    }
    if (method !== 'terminator' && method !== 'comment') methods.add(method);
  }
  return { name, sectorCount: u64(v, 16), methods };
}
