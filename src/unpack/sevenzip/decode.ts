import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asInputError } from '../../errors.js';
import { FileByteSource, writeSourceTo, type ByteSource } from '../../io/byte-source.js';
import type { UnpackContext } from '../types.js';
import { streamWith7z } from './seven-zip.js';

export interface SevenZipDecode {
  /** 7-Zip's archive type (`-t`): 'bzip2', 'zstd', 'MsLZ', 'zip', '7z'. */
  type: string;
  /** What is decoded, for messages. */
  what: string;
  /** Bytes the output may not exceed in total (the sum of declared sizes), when known. */
  expectedSize?: number;
  /** Stored size for the ratio limit (default: the input's size). */
  storedSize?: number;
}

/** A private copy of `source` that 7-Zip can open, in a fresh directory under the reader's temp dir. */
export async function copyFor7z(source: ByteSource, ctx: UnpackContext): Promise<string> {
  const work = await mkdtemp(join(await ctx.tempDir(), '7z-'));
  const input = join(work, 'input');
  await writeSourceTo(source, input);
  return input;
}

/** Decodes `source` with 7-Zip into a temp file (see decodeFileWith7z). */
export async function decodeWith7z(source: ByteSource, ctx: UnpackContext, opts: SevenZipDecode): Promise<ByteSource> {
  const input = await copyFor7z(source, ctx);
  try {
    return await decodeFileWith7z(input, ctx, { storedSize: source.size, ...opts });
  } finally {
    await rm(input, { force: true });
  }
}

/**
 * Decodes the archive at `input` with 7-Zip (7z-wasm) into a temp file beside it: every member's
 * bytes in archive order, through `-so`, so 7-Zip never writes a file of its own and no member
 * name reaches the file system. Every chunk is counted against the budget as it appears and past
 * a limit 7-Zip is stopped, so a bomb ends at the limit rather than after filling the disk.
 */
export async function decodeFileWith7z(input: string, ctx: UnpackContext, opts: SevenZipDecode): Promise<ByteSource> {
  const output = `${input}.decoded`;
  const fd = openSync(output, 'wx');
  let total = 0;
  try {
    await streamWith7z(
      input,
      (chunk) => {
        total += chunk.length;
        if (opts.expectedSize !== undefined && total > opts.expectedSize) {
          throw new RangeError(`${opts.what} decodes to more than the declared ${opts.expectedSize} bytes`);
        }
        ctx.budget.countBytes(chunk.length, ctx.chain);
        ctx.budget.checkEntry(total, opts.storedSize, ctx.chain);
        writeSync(fd, chunk);
      },
      { type: opts.type, chain: ctx.chain },
    );
  } catch (err) {
    closeSync(fd);
    await rm(output, { force: true });
    throw asInputError(err, ctx.chain, `${opts.what}: corrupt compressed data`);
  }
  closeSync(fd);
  return FileByteSource.open(output);
}
