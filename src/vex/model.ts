/**
 * The VEX statements about one artifact, format-neutral: the OpenVEX and CycloneDX writers map
 * this and decide nothing.
 */
import type { Justification, VexStatus } from './statements-file.js';

export type { Justification, VexStatus };

/** The artifact, identified as its SBOM identifies it. */
export interface VexProduct {
  name: string;
  version?: string;
  fileName?: string;
  purl?: string;
  /** Sorted, so the first (the one identifiers carry) does not depend on document order. */
  cpes: string[];
  /** Lower-case hex. */
  sha256?: string;
  /** The artifact's element id in its SBOM. */
  ref: string;
  /** `install`, `archive`, `library`, `application` … as the SBOM states it. */
  purpose?: string;
}

/** A component the statement is about (OpenVEX subcomponent, CycloneDX affected component). */
export interface VexComponent {
  name: string;
  version?: string;
  purl?: string;
  /** Sorted, so the first (the one identifiers carry) does not depend on document order. */
  cpes: string[];
  /** The element id in the SBOM, or `declared:<name>@<version>` for a package declared but not shipped. */
  ref: string;
  /** False for a package the source SBOM declares and the artifact does not ship. */
  shipped: boolean;
}

export interface VexVulnerability {
  /** The CVE id when there is one. */
  name: string;
  /** The advisories' own ids and other aliases, sorted. */
  aliases: string[];
  summary?: string;
}

export interface VexStatement {
  vulnerability: VexVulnerability;
  /** Undefined when the statement is about the product itself (CPython's own advisories). */
  component?: VexComponent;
  status: VexStatus;
  justification?: Justification;
  impactStatement?: string;
  actionStatement?: string;
  /** How the status was determined: the advisory, the version evidence, the files. */
  statusNotes?: string;
  /** Derived from the evidence, or taken from the statements file. */
  origin: 'evidence' | 'statements-file';
}

export interface VexDocument {
  product: VexProduct;
  /** Sorted by vulnerability, then component. */
  statements: VexStatement[];
  /** ISO 8601, UTC, seconds. */
  timestamp: string;
  author: string;
  tooling: string;
}
