import type { ByteSource } from './byte-source.js';

/**
 * A source read forward in small pieces through a window: walking thousands of headers (a CAB
 * folder's CFDATA blocks, a cpio payload's members) with one positional read each cost more than
 * the work done on them. A read outside the window refills it from there; a read larger than the
 * window goes straight to the source. What it returns are views of a window that is replaced,
 * never overwritten, so they stay valid. Closing it leaves the source open.
 */
export class ReadAheadSource implements ByteSource {
  private at = 0;
  private window: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly src: ByteSource,
    /**
     * Bytes per refill: as much as the walk reads between two far jumps. A CAB folder's blocks are
     * all read, one after the other; a cpio index skips each member's data, so a window larger
     * than the small members would read the large ones' data for nothing.
     */
    private readonly windowSize: number,
  ) {}

  get size(): number {
    return this.src.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < this.at || offset + length > this.at + this.window.length) {
      if (length > this.windowSize) return this.src.read(offset, length);
      this.at = offset;
      this.window = await this.src.read(offset, this.windowSize);
    }
    return this.window.subarray(offset - this.at, offset - this.at + length);
  }

  async close(): Promise<void> {}
}
