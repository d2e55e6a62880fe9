/**
 * The neutral view of an SBOM: what a document states about an artifact, whichever format it is
 * in (SPDX 2.3, SPDX 3.0.1, CycloneDX 1.6/1.7) and whichever tool wrote it. `validate`, `verify`,
 * `diff`, `report` and `vex` read documents only through this view, so they agree across formats.
 */

export type BomFormat = 'spdx-2.3' | 'spdx-3.0.1' | 'cyclonedx-1.6' | 'cyclonedx-1.7';

/** Checksums by algorithm name upper-cased without dashes (`SHA1`, `SHA256`, `SHA512`), lower-case hex. */
export type Checksums = Record<string, string>;

/** BSI TR-03183-2 v2.1 file properties, when the document states them. */
export interface FileProperties {
  executable: boolean;
  archive: boolean;
  structured: boolean;
}

export interface ViewFile {
  /** Path inside the artifact, container chain made explicit, no leading `./`. */
  path: string;
  checksums: Checksums;
  /** The element's id in its document (SPDXID, spdxId IRI, bom-ref). */
  id: string;
  /** Path of the container it is in ('' for the artifact itself), when the document says. */
  container?: string;
  size?: number;
  properties?: FileProperties;
  /** Signature summary, when the document states one (`signer`, `status`, `programName`). */
  signature?: ViewSignature;
}

/** A signature as a document states it: who signed, and whether the bytes still match. */
export interface ViewSignature {
  signer?: string;
  status: string;
  programName?: string;
  signingTime?: string;
}

export interface ViewContainer {
  /** Path of the container inside the artifact. */
  path: string;
  name: string;
  version?: string;
  checksums: Checksums;
  id: string;
  /** `msi`, `cab`, `zip` … when the document states it. */
  format?: string;
  /** Path of the container holding it ('' for the artifact), when the document says. */
  parent?: string;
  /** True when the container was recognised but not opened (a known unknown). */
  unopened?: boolean;
  properties?: FileProperties;
  /** The container's own signature (an MSI's Authenticode, a pkg's xar signature), when stated. */
  signature?: ViewSignature;
}

/** How a file carries a component. */
export type CarrierRelation = 'contains' | 'static-link' | 'dynamic-link';

export interface ViewComponent {
  name: string;
  /** Undefined when the document states NOASSERTION or nothing. */
  version?: string;
  /** Every CPE 2.3 the document gives (CPython's verbatim one and a normalised one may both be there). */
  cpes: string[];
  /** The purl with its version, as written. */
  purl?: string;
  /** CPE 2.3 `vendor:product` of the first CPE, lower-case. */
  cpeVendorProduct?: string;
  /** purl `type/namespace/name` without version, lower-case. */
  purlName?: string;
  id: string;
  /** Names this component can be matched by (normalised name, CPE product, purl name). */
  keys: string[];
  supplier?: string;
  licenseDeclared?: string;
  /** Files of the artifact that carry it, and how. */
  carriers: { path: string; relation: CarrierRelation }[];
  /** Evidence lines (`file: kind "text" at location`), when the document carries them. */
  evidence: string[];
  /** The version a source SBOM declared, when the document records one beside the shipped version. */
  declaredVersion?: string;
  /** Reconciliation with a declared source SBOM, when the document records it. */
  reconciliation?: { status: string; note: string };
  /** `library`, `application`, `source` … lower-case, when stated. */
  purpose?: string;
}

/** A package a source SBOM declared that this artifact does not ship; recorded, not listed as a component. */
export interface ViewDeclaredAbsent {
  name: string;
  version?: string;
  /** Why it is not a component of this artifact (`not-shipped: …`). */
  note: string;
  cpes: string[];
  purl?: string;
}

export interface BomView {
  format: BomFormat;
  /** Document name. */
  name: string;
  /** Written by installer-sbom. */
  ownTool: boolean;
  created?: string;
  creators: string[];
  /** The artifact the document describes. */
  root?: {
    name: string;
    fileName?: string;
    version?: string;
    checksums: Checksums;
    id: string;
    keys: string[];
    purl?: string;
    cpes: string[];
    supplier?: string;
    purpose?: string;
    properties?: FileProperties;
    /** The artifact's own signature (a signed MSI, pkg or executable given alone), when stated. */
    signature?: ViewSignature;
  };
  /** False when the document lists no files at all (metadata-only SBOMs). */
  hasFiles: boolean;
  /** Every file, as a multiset: one path may occur more than once (an MSI installs ATL80.dll twice). */
  files: ViewFile[];
  containers: ViewContainer[];
  components: ViewComponent[];
  declaredAbsent: ViewDeclaredAbsent[];
  /** Known unknowns the document states (what could not be opened, decoded or dated), one sentence each. */
  knownUnknowns: string[];
  /** Whether the document states its dependency list complete (`true`), incomplete (`false`) or says nothing. */
  complete?: boolean;
  /** Contacts (email or URL) of the document's creators, when stated. */
  creatorContacts: string[];
  /** DEPENDS_ON edges between the root and components, by element id (`to` may hold NOASSERTION). */
  dependencies: { from: string; to: string[] }[];
}

/** `Python Software Foundation (valid-digest)`, or `unsigned`: how a signature is compared and shown. */
export function signatureSummary(s: ViewSignature | undefined): string {
  return s ? `${s.signer ?? 'no signer'} (${s.status})` : 'unsigned';
}

export interface SignableWhole {
  path: string;
  /** The artifact itself: two documents' artifacts pair up whatever their names. */
  root?: true;
  signature?: ViewSignature;
}

/**
 * What carries a signature of its own besides files, by path: the artifact (unless it is also
 * listed as a file, as a bare executable or a self-extractor is, whose signature the file states)
 * and every container (a signed MSI, or a component .pkg), signed or not.
 */
export function signableWholes(view: BomView): SignableWhole[] {
  const out: SignableWhole[] = [];
  const root = view.root;
  if (root) {
    const path = root.fileName ?? root.name;
    if (!view.files.some((f) => f.path === path)) out.push({ path, root: true, ...(root.signature ? { signature: root.signature } : {}) });
  }
  for (const c of view.containers) out.push({ path: c.path, ...(c.signature ? { signature: c.signature } : {}) });
  return out;
}

/** `whole`'s counterpart among `others`: the artifact for the artifact, else the same path. */
export function counterpart(whole: SignableWhole, others: readonly SignableWhole[]): SignableWhole | undefined {
  return others.find((o) => (whole.root ? o.root : !o.root && o.path === whole.path));
}
