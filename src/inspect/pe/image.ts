import { InputError } from '../../errors.js';
import { mapRva, sectionForRva, type PeHeaders } from './headers.js';
import type { PagedReader } from './paged-reader.js';

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Reads of the mapped image by RVA, each one checked against the section that holds it. */
export class PeImage {
  constructor(
    readonly headers: PeHeaders,
    readonly reader: PagedReader,
  ) {}

  /** Exactly `length` bytes at `rva`, all from one section's raw data. */
  async at(rva: number, length: number, what: string): Promise<Uint8Array> {
    const mapped = mapRva(this.headers, rva);
    if (mapped && length <= mapped.available) return this.reader.bytes(mapped.offset, length, what);
    // Past SizeOfRawData but inside VirtualSize the loader maps zeros; a table's terminator may
    // legitimately live there.
    const s = sectionForRva(this.headers.sections, rva);
    if (!s || rva + length > s.virtualAddress + Math.max(s.virtualSize, s.rawSize)) {
      if (!mapped) throw new InputError(`${what}: RVA ${hex(rva)} has no bytes in the file`);
      throw new InputError(`${what}: ${length} bytes at RVA ${hex(rva)} run past the end of its section`, [], mapped.offset);
    }
    const out = new Uint8Array(length);
    if (mapped) out.set(await this.reader.bytes(mapped.offset, mapped.available, what));
    return out;
  }

  /** File offset of `rva` and how many bytes the file holds from there within its section. */
  locate(rva: number, what: string): { offset: number; available: number } {
    const mapped = mapRva(this.headers, rva);
    if (!mapped) throw new InputError(`${what}: RVA ${hex(rva)} has no bytes in the file`);
    return mapped;
  }

  /** True when `rva` lies in a section's zero-filled tail (inside VirtualSize, past the raw data). */
  private inZeroTail(rva: number): boolean {
    const s = sectionForRva(this.headers.sections, rva);
    return s !== undefined && mapRva(this.headers, rva) === undefined;
  }

  /**
   * A NUL-terminated single-byte string (DLL and export names). Longer than `max` is cut there;
   * running off the section without a NUL is corruption.
   */
  async cString(rva: number, max: number, what: string): Promise<string> {
    if (this.inZeroTail(rva)) return '';
    const { offset, available } = this.locate(rva, what);
    const bytes = await this.reader.upTo(offset, max, offset + available, what);
    let end = bytes.indexOf(0);
    if (end < 0) {
      // Cut at `max`, or ended by the zero-filled tail of the section: both are fine.
      if (bytes.length < max && !this.inZeroTail(rva + bytes.length)) {
        throw new InputError(`${what}: unterminated string at RVA ${hex(rva)}`, [], offset);
      }
      end = bytes.length;
    }
    return Buffer.from(bytes.subarray(0, end)).toString('latin1');
  }
}
