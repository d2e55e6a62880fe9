import type { BinaryFacts } from '../inspect/types.js';

/** How a piece of evidence was obtained. */
export type EvidenceKind =
  | 'string'
  | 'versioninfo'
  | 'install-name'
  | 'load-command'
  | 'plist'
  | 'file-name'
  | 'abi-name'
  | 'known-hash'
  | 'container'
  | 'declared'
  /** A symbol the file defines (PE export, Mach-O defined external symbol). */
  | 'symbol'
  /** The Authenticode program name a signer stated. */
  | 'signature'
  /** A row of SBOM data the binary carries itself (`.sbat`, Go build info, cargo-auditable). */
  | 'embedded-sbom'
  /** A package's own metadata file (wheel METADATA, .nuspec, pip's vendor.txt). */
  | 'package-metadata';

/** One observation behind a detection; carried to the SBOM comment and to `inspect --json`. */
export interface Evidence {
  /** Path of the file inside the artifact (`./`-less, as in the SBOM's fileName without `./`). */
  file: string;
  kind: EvidenceKind;
  /** The matched text exactly as found (a string run, a VERSIONINFO value, an install name). */
  text: string;
  /** Where: `0x1a2b30 (.rdata, ascii)`, `StringFileInfo/040904b0/FileVersion`, `LC_ID_DYLIB` … */
  location: string;
  /** The version this evidence supports, if any (identity-only evidence has none). */
  version?: string;
  /** Mach-O slice architecture(s) it was seen in. */
  arch?: string;
}

/** Who a component is: everything the SBOM needs besides version and evidence. */
export interface ComponentIdentity {
  /** Stable id, also the SPDX id stem: `openssl`, `sqlite`, `cpython`. */
  id: string;
  name: string;
  /**
   * `Organization: …` / `Person: …`; never NOASSERTION for a rule's identity. An identity read
   * from data that names no supplier (a Go module, a crate, a vendored pin) says NOASSERTION.
   */
  supplier: string;
  originator?: string;
  /** CPE 2.3 vendor and product (NVD vocabulary). */
  cpe?: { vendor: string; product: string };
  /** purl type/namespace/name; version is added per detection. */
  purl: { type: string; namespace?: string; name: string };
  /** Download location; `{version}` is replaced. */
  downloadLocation: string;
  homepage?: string;
  /** Upstream license as an SPDX expression (licenseDeclared). */
  licenseDeclared?: string;
  /**
   * File names that *are* this component (a dedicated library). A match found in such a file is
   * reported as the file CONTAINS the component; elsewhere it is a STATIC_LINK.
   */
  libraryFiles?: RegExp[];
}

/** A component found in one file. The engine merges these per component and version. */
export interface Detection {
  componentId: string;
  /** Undefined when identity is evidenced but no version is (written as NOASSERTION). */
  version?: string;
  /** Path of the carrier file inside the artifact. */
  file: string;
  /**
   * `contains`: the file is the component's own (its library, its shell, its extension DLL);
   * `static-link`: the file carries a statically linked copy; `evidence`: the file only states the
   * component (an Info.plist, init.tcl, a package's METADATA, a pin in vendor.txt) and carries none
   * of its code, so it is never a carrier: `mergeDetections` keeps its evidence, not the file.
   */
  relation: 'contains' | 'static-link' | 'evidence';
  evidence: Evidence[];
  archs?: string[];
  /**
   * Who the component is, for detections whose identity comes from the data itself (an `.sbat`
   * row, a Go module, a crate, a wheel) rather than from a rule: `mergeDetections` takes it over
   * the rule table's.
   */
  identity?: ComponentIdentity;
}

/** Input of the detect stage: one file with its facts. */
export interface InspectedFile {
  path: string;
  size: number;
  sha256: string;
  facts?: BinaryFacts;
}
