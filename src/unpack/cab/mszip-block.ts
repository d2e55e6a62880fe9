import { inflateRawSync, constants as zc } from 'node:zlib';

/** MSZIP and stored blocks never hold more than 32 KiB of uncompressed data ([MS-MCI] 2). */
export const MAX_BLOCK = 0x8000;

/**
 * One MSZIP block (after its "CK"): raw deflate that may refer back up to 32 KiB into the
 * previous block's output, which zlib takes as a preset dictionary. Shared by the main thread
 * and the inflate worker so both decode identically.
 */
export function inflateMszipBlock(deflated: Uint8Array, window: Uint8Array): Uint8Array {
  return inflateRawSync(deflated, {
    ...(window.length > 0 ? { dictionary: window } : {}),
    maxOutputLength: MAX_BLOCK,
    // zlib's default 16 KiB output chunks make a whole block two chunks and a concatenation;
    // one chunk with room to spare (zlib stops at a full chunk to ask for another) is a fifth faster.
    // Only a little room: each block's chunk stays allocated until the worker's next scavenge, and
    // chunks twice the block size held 43 MB of the inflate thread's memory where these hold 30.
    chunkSize: MAX_BLOCK + 256,
    // Not every writer ends each block's deflate stream with a final block.
    finishFlush: zc.Z_SYNC_FLUSH,
  });
}

export function slideWindow(window: Uint8Array, out: Uint8Array): Uint8Array {
  // Inflate output is a fresh buffer nobody writes to again, so it can be the next window as is.
  if (out.length >= MAX_BLOCK) return out.subarray(out.length - MAX_BLOCK);
  const keep = Math.min(window.length, MAX_BLOCK - out.length);
  const next = new Uint8Array(keep + out.length);
  next.set(window.subarray(window.length - keep), 0);
  next.set(out, keep);
  return next;
}
