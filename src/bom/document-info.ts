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

/**
 * RFC 3339 UTC with seconds precision. SOURCE_DATE_EPOCH (reproducible-builds.org) must be a
 * non-negative integer; anything else is a usage error rather than a silently ignored setting.
 */
export function createdTimestamp(epoch?: number): string {
  let seconds = epoch;
  if (seconds === undefined) {
    const env = process.env['SOURCE_DATE_EPOCH'];
    if (env !== undefined && env !== '') {
      if (!/^\d+$/.test(env) || !Number.isSafeInteger(Number(env))) throw new UsageError(`SOURCE_DATE_EPOCH must be a number of seconds since 1970-01-01, not "${env}"`);
      seconds = Number(env);
    } else seconds = Math.floor(Date.now() / 1000);
  }
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
