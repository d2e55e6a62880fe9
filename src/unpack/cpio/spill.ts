import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asInputError, InputError } from '../../errors.js';
import { BufferByteSource, FileByteSource, type ByteSource } from '../../io/byte-source.js';
import { SpillFile } from '../../io/spill-file.js';
import type { UnpackContext } from '../types.js';

export interface SpillOptions {
  /** What is being decoded, for messages ("Payload (pbzx)", "xar member Bom"). */
  what: string;
  /** Stored (compressed) size, so the ratio limit applies while decoding. */
  storedSize?: number;
  /** Declared decoded size: more or fewer bytes is corrupt input. */
  expectedSize?: number;
  /** Decoded bytes kept in memory before spilling to a temp file. */
  memoryLimit?: number;
  /** Sees every decoded chunk in order (checksums). */
  onChunk?: (chunk: Uint8Array) => void;
}

const DEFAULT_MEMORY_LIMIT = 4 << 20;

/**
 * Drains a decoder into a ByteSource: small outputs stay in memory, larger ones go to a file in
 * the reader's temp dir (payloads run to hundreds of MB; positional reads on a file keep memory
 * bounded). Every chunk is counted against the budget as it appears, so a decompression bomb
 * stops at the limit rather than after filling the disk.
 */
export async function spillDecoded(
  chunks: AsyncIterable<Uint8Array>,
  ctx: UnpackContext,
  opts: SpillOptions,
): Promise<ByteSource> {
  const memoryLimit = opts.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  const held: Uint8Array[] = [];
  let total = 0;
  let file: SpillFile | undefined;
  try {
    for await (const chunk of countedChunks(chunks, ctx, opts)) {
      total += chunk.length;
      if (file === undefined && total <= memoryLimit) {
        held.push(Uint8Array.from(chunk));
        continue;
      }
      if (file === undefined) {
        file = new SpillFile(join(await ctx.tempDir(), `decoded-${randomUUID()}`), 'wx');
        for (const h of held) file.write(h);
        held.length = 0;
      }
      file.write(chunk);
    }
    if (file === undefined) return new BufferByteSource(Buffer.concat(held));
    file.close();
    const path = file.path;
    file = undefined;
    return await FileByteSource.open(path);
  } finally {
    if (file !== undefined) {
      file.close();
      await rm(file.path, { force: true });
    }
  }
}

/**
 * A decoder's chunks (empty ones dropped), each counted against the budget, the ratio limit and
 * the declared size as it appears; a decoder's own failure becomes an InputError naming `what`.
 */
export async function* countedChunks(chunks: AsyncIterable<Uint8Array>, ctx: UnpackContext, opts: SpillOptions): AsyncGenerator<Uint8Array> {
  let total = 0;
  try {
    for await (const chunk of chunks) {
      if (chunk.length === 0) continue;
      total += chunk.length;
      if (opts.expectedSize !== undefined && total > opts.expectedSize) {
        throw new InputError(`${opts.what}: decodes to more than the declared ${opts.expectedSize} bytes`, ctx.chain);
      }
      ctx.budget.countBytes(chunk.length, ctx.chain);
      ctx.budget.checkEntry(total, opts.storedSize, ctx.chain);
      opts.onChunk?.(chunk);
      yield chunk;
    }
  } catch (err) {
    throw asInputError(err, ctx.chain, `${opts.what}: corrupt compressed data`);
  }
  if (opts.expectedSize !== undefined && total !== opts.expectedSize) {
    throw new InputError(`${opts.what}: decodes to ${total} bytes, ${opts.expectedSize} declared`, ctx.chain);
  }
}
