import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';

const PAGE = 1 << 16;
const MAX_PAGES = 32;

/**
 * Positional reads with a small page cache. PE metadata (import names, export names, resource
 * nodes) is many tiny reads clustered in a few sections; caching 64 KiB pages keeps that to a
 * handful of I/O calls while memory stays bounded (at most 2 MiB) whatever the file size.
 */
export class PagedReader {
  private readonly pages = new Map<number, Uint8Array>();

  constructor(readonly source: ByteSource) {}

  get size(): number {
    return this.source.size;
  }

  /** Exactly `length` bytes at `offset`, or an InputError naming `what`. */
  async bytes(offset: number, length: number, what: string): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new InputError(`truncated PE: ${what} needs bytes ${offset}..${offset + length} of ${this.size}`, [], offset);
    }
    const first = Math.floor(offset / PAGE);
    const last = Math.floor((offset + Math.max(length, 1) - 1) / PAGE);
    if (last === first) {
      const page = await this.page(first);
      const start = offset - first * PAGE;
      return page.subarray(start, start + length);
    }
    if (last - first >= 2) return readExactly(this.source, offset, length, what);
    const out = new Uint8Array(length);
    let done = 0;
    for (let p = first; p <= last; p++) {
      const page = await this.page(p);
      const start = p === first ? offset - first * PAGE : 0;
      const take = Math.min(page.length - start, length - done);
      out.set(page.subarray(start, start + take), done);
      done += take;
    }
    return out;
  }

  /** Up to `max` bytes at `offset`, fewer at `limit` (exclusive) or the end of the source. */
  async upTo(offset: number, max: number, limit: number, what: string): Promise<Uint8Array> {
    const end = Math.min(offset + max, limit, this.size);
    return this.bytes(offset, Math.max(0, end - offset), what);
  }

  private async page(index: number): Promise<Uint8Array> {
    const cached = this.pages.get(index);
    if (cached) return cached;
    const start = index * PAGE;
    const bytes = await readExactly(this.source, start, Math.min(PAGE, this.size - start), 'PE page');
    if (this.pages.size >= MAX_PAGES) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    this.pages.set(index, bytes);
    return bytes;
  }
}

export { u16, u32, u64 } from '../../io/little-endian.js';
