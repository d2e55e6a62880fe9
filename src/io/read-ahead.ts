import type { ByteSource } from './byte-source.js';

const WINDOW = 1 << 20;

/**
 * A source read forward in small pieces through a 1 MiB window: walking thousands of headers
 * (a CAB folder's CFDATA blocks, a cpio payload's members) with one positional read each cost
 * more than the work done on them. A read outside the window refills it from there; a read
 * larger than the window goes straight to the source. What it returns are views of a window that
 * is replaced, never overwritten, so they stay valid. Closing it leaves the source open.
 */
export class ReadAheadSource implements ByteSource {
  private at = 0;
  private window: Uint8Array = new Uint8Array(0);

  constructor(private readonly src: ByteSource) {}

  get size(): number {
    return this.src.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < this.at || offset + length > this.at + this.window.length) {
      if (length > WINDOW) return this.src.read(offset, length);
      this.at = offset;
      this.window = await this.src.read(offset, WINDOW);
    }
    return this.window.subarray(offset - this.at, offset - this.at + length);
  }

  async close(): Promise<void> {}
}
