import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { InputError } from '../../errors.js';
import { FileByteSource, type Backing, type ByteSource } from '../../io/byte-source.js';
import { SpillFile } from '../../io/spill-file.js';
import type { UnpackContext } from '../types.js';
import { countedChunks, type SpillOptions } from './spill.js';

/**
 * A decoded stream spilled to a temp file while it is still being decoded, readable meanwhile: a
 * read waits until its bytes are written. Its size is declared up front (a pbzx frame states every
 * chunk's decoded length), so the archive inside can be walked, and its members hashed and
 * inspected, while later chunks still decode on the workers, instead of after the whole payload.
 *
 * Bytes written are served even after decoding failed; a read that needs bytes past the failure
 * gets the decoder's error (an InputError or a LimitError), as does `finished`. So the error comes
 * in the order a sequential decoder would raise it, and never goes unnoticed: callers await
 * `finished` after the last member, since an archive's trailer may come before its last chunk.
 */
export class DecodingSpill implements ByteSource {
  private written = 0;
  private failure: unknown;
  private ended = false;
  private closing = false;
  private readonly waiters: (() => void)[] = [];
  private readonly pump: Promise<void>;

  private constructor(
    private readonly file: SpillFile,
    /** The same file, read back as far as it is written. */
    private readonly reader: FileByteSource,
    chunks: AsyncIterable<Uint8Array>,
  ) {
    this.pump = this.drain(chunks);
  }

  /** Starts decoding `chunks` into a temp file; `expectedSize` is the declared decoded size (checked). */
  static async start(chunks: AsyncIterable<Uint8Array>, ctx: UnpackContext, opts: SpillOptions & { expectedSize: number }): Promise<DecodingSpill> {
    const file = new SpillFile(join(await ctx.tempDir(), `decoded-${randomUUID()}`), 'wx');
    return new DecodingSpill(file, await FileByteSource.open(file.path, opts.expectedSize), countedChunks(chunks, ctx, opts));
  }

  get size(): number {
    return this.reader.size;
  }

  private async drain(chunks: AsyncIterable<Uint8Array>): Promise<void> {
    try {
      for await (const chunk of chunks) {
        if (this.closing) return;
        this.file.write(chunk);
        this.written += chunk.length;
        this.wake();
      }
    } catch (err) {
      this.failure = err;
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once bytes [0, end) are written; rejects with the decoder's error if they never will be. */
  async ready(end: number): Promise<void> {
    const want = Math.min(end, this.size);
    while (this.written < want) {
      if (this.ended) throw this.failure ?? new InputError(`decoded stream ended at byte ${this.written} of ${this.size}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    await this.ready(Math.max(0, offset) + Math.max(0, length));
    return this.reader.read(offset, length);
  }

  /** Only ranges already `ready` may be read through it (the reader waits before handing out a member). */
  backing(): Backing {
    return this.reader.backing();
  }

  /** Resolves when every byte is decoded and written; rejects with the decoder's error. */
  async finished(): Promise<void> {
    await this.pump;
    if (this.failure !== undefined) throw this.failure;
  }

  /**
   * Stops decoding (after the chunk in hand). The file stays: hashing workers read members by
   * path (`backing`) after the walk has moved on, and the walker removes its temp dir once they are
   * done (removing it here failed their reads with ENOENT).
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.pump;
    this.file.close();
    await this.reader.close();
  }
}
