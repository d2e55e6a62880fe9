import CFB from 'cfb';
import { InputError } from '../../errors.js';
import { decodeStreamName } from './stream-names.js';

/**
 * The streams directly under the root storage of a compound file, by decoded MSI name. `cfb`
 * parses the whole file in memory and copies each stream (libraries.md §4 "cfb"), so callers
 * hold the input to the metadata limit first.
 */
export function readMsiStreams(bytes: Uint8Array, chain: readonly string[]): Map<string, Uint8Array> {
  const streams = new Map<string, Uint8Array>();
  try {
    const cfb = CFB.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: 'buffer' });
    cfb.FileIndex.forEach((e, i) => {
      if (e.type !== 2) return;
      // Sub-storages hold embedded transforms or nested databases, not this database's tables.
      const full = cfb.FullPaths[i] ?? '';
      if (full.split('/').filter((s) => s !== '').length !== 2) return;
      const content = e.content as Uint8Array | number[] | undefined;
      const data = content instanceof Uint8Array ? content : new Uint8Array(content ?? []);
      streams.set(decodeStreamName(e.name), data.subarray(0, Math.min(data.length, Math.max(0, e.size))));
    });
  } catch (err) {
    // cfb reports corrupt structure with plain Errors (and TypeErrors on dangling sector
    // numbers); everything it throws is about the input, not about our code.
    if (err instanceof InputError) throw err.within(chain);
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new InputError(`corrupt compound file: ${msg}`, chain);
  }
  return streams;
}
