import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { parseParty, type DocumentInfo, type Party } from './model.js';

export interface DocumentOptions {
  /** Overrides the derived namespace. */
  namespace?: string;
  /** Overrides the document name (default: the artifact's file name). */
  documentName?: string;
  /** Extra creators besides the tool (`Organization: Python Release Managers`). */
  creators?: string[];
  /** Seconds since the epoch for `created`; defaults to SOURCE_DATE_EPOCH, else now. */
  createdEpoch?: number;
}

/** The latest second a JavaScript Date can hold (8.64e15 ms). */
const MAX_EPOCH = 8_640_000_000_000;

/**
 * SOURCE_DATE_EPOCH (reproducible-builds.org), when set: a value that is not a whole number of
 * seconds is a usage error naming the variable, never a silent fall-back to now.
 */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env['SOURCE_DATE_EPOCH'];
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_EPOCH) {
    throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01T00:00:00Z, not ${JSON.stringify(raw)}`);
  }
  return Number(raw);
}

/** RFC 3339 UTC with seconds precision: the given epoch, else SOURCE_DATE_EPOCH, else now. */
export function createdTimestamp(epoch?: number): string {
  const seconds = epoch ?? sourceDateEpoch() ?? Math.floor(Date.now() / 1000);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * `urn:uuid:` shaped as a name-based UUID (RFC 9562 §5.5, version 5): SHA-1 over a fixed namespace
 * and a name of ours, so the same artifact always gets the same serial number.
 */
export function uuidFor(name: string): string {
  // RFC 9562 Appendix A, the URL namespace.
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const h = createHash('sha1').update(ns).update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Document identity for an artifact known by its SHA-256 (or, for a directory, a hash of its file list). */
export function documentInfo(artifactName: string, contentSha256: string, options: DocumentOptions = {}): DocumentInfo {
  const creators = (options.creators ?? []).map((c) => {
    const party = parseParty(c);
    if (!party) throw new UsageError(`--creator must look like "Organization: NAME" or "Person: NAME", not "${c}"`);
    return party;
  });
  return {
    name: options.documentName ?? artifactName,
    namespace: options.namespace ?? `https://spdx.org/spdxdocs/${TOOL_NAME}/${encodeURIComponent(artifactName)}-${contentSha256}`,
    serialNumber: uuidFor(`${TOOL_NAME}:artifact:sha256:${contentSha256.toLowerCase()}`),
    created: createdTimestamp(options.createdEpoch),
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    creators: creators satisfies Party[],
  };
}
