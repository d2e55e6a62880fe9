import { LimitError } from '../errors.js';

/**
 * Safety limits for unpacking untrusted installers. Defaults fit CPython's largest installers
 * with room to spare; each has a CLI flag to raise it.
 */
export interface Limits {
  /** Containers inside containers (artifact = depth 0). */
  maxDepth: number;
  /** Entries across the whole artifact. */
  maxEntries: number;
  /** Bytes produced by decompression across the whole artifact. */
  maxTotalBytes: number;
  /** Bytes of one decompressed entry. */
  maxEntryBytes: number;
  /** Decompressed / compressed, per entry, once the entry exceeds 1 MiB. */
  maxRatio: number;
  /** Any single metadata structure (TOC, string pool, table, manifest). */
  maxMetadataBytes: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxDepth: 8,
  maxEntries: 200_000,
  maxTotalBytes: 16 * 1024 ** 3,
  maxEntryBytes: 4 * 1024 ** 3,
  maxRatio: 2000,
  maxMetadataBytes: 64 * 1024 ** 2,
};

/** The CLI flag that raises each limit, named in every LimitError. */
export const LIMIT_FLAGS: Record<keyof Limits, string> = {
  maxDepth: '--max-depth',
  maxEntries: '--max-entries',
  maxTotalBytes: '--max-total-bytes',
  maxEntryBytes: '--max-entry-bytes',
  maxRatio: '--max-ratio',
  maxMetadataBytes: '--max-metadata-bytes',
};

/**
 * The overall ratio applies once this much has been decompressed: small artifacts legitimately
 * expand a lot in relative terms, bombs are about absolute size.
 */
const OVERALL_RATIO_FLOOR = 64 * 1024 ** 2;

/** Counts what an artifact has produced so far, shared by every reader in one run. */
export class Budget {
  private entries = 0;
  private bytes = 0;
  /**
   * Size of the artifact file, set by the walker. Overlapping-member zip bombs keep every entry
   * under the per-entry ratio while the artifact as a whole expands without bound, so maxRatio
   * also applies to all bytes decompressed against the artifact's size.
   */
  artifactSize: number | undefined;

  constructor(readonly limits: Limits) {}

  countEntry(chain: readonly string[]): void {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) {
      throw new LimitError('maxEntries', LIMIT_FLAGS.maxEntries, `more than ${this.limits.maxEntries} entries`, chain);
    }
  }

  /** Call as decompressed bytes appear; `compressed` is the entry's stored size when known. */
  countBytes(produced: number, chain: readonly string[]): void {
    this.bytes += produced;
    if (this.bytes > this.limits.maxTotalBytes) {
      throw new LimitError('maxTotalBytes', LIMIT_FLAGS.maxTotalBytes, `more than ${this.limits.maxTotalBytes} bytes decompressed`, chain);
    }
    if (this.artifactSize !== undefined && this.bytes > OVERALL_RATIO_FLOOR && this.bytes / Math.max(1, this.artifactSize) > this.limits.maxRatio) {
      const ratio = Math.round(this.bytes / Math.max(1, this.artifactSize));
      throw new LimitError('maxRatio', LIMIT_FLAGS.maxRatio, `overall compression ratio ${ratio}:1, ${this.bytes} bytes from a ${this.artifactSize}-byte artifact`, chain);
    }
  }

  checkEntry(size: number, compressed: number | undefined, chain: readonly string[]): void {
    if (size > this.limits.maxEntryBytes) {
      throw new LimitError('maxEntryBytes', LIMIT_FLAGS.maxEntryBytes, `an entry of ${size} bytes`, chain);
    }
    if (compressed !== undefined && size > 1 << 20 && size / Math.max(1, compressed) > this.limits.maxRatio) {
      throw new LimitError('maxRatio', LIMIT_FLAGS.maxRatio, `compression ratio ${Math.round(size / Math.max(1, compressed))}:1`, chain);
    }
  }

  checkMetadata(size: number, what: string, chain: readonly string[]): void {
    if (size > this.limits.maxMetadataBytes) {
      throw new LimitError('maxMetadataBytes', LIMIT_FLAGS.maxMetadataBytes, `${what} of ${size} bytes`, chain);
    }
  }
}
