/**
 * The resolved bill of materials: one format-neutral model of what an artifact contains. Every
 * decision about what an SBOM says (which components, which versions, which relationships, how a
 * declared source SBOM reconciles with the binaries, what could not be seen) is taken once, while
 * this model is built (src/bom/resolve.ts and the steps beside it). Writers (src/serialize/) only
 * map it to SPDX 2.3, SPDX 3.0.1 or CycloneDX; they decide nothing.
 *
 * Elements refer to each other by `ref`, a key that is stable for the same input and unique in the
 * model. Writers turn refs into their format's identifiers and make those unique.
 */
import type { Evidence } from '../detect/types.js';
import type { SignatureFacts } from '../inspect/types.js';

export const NOASSERTION = 'NOASSERTION';

/** Who supplies, originates or created something. */
export interface Party {
  type: 'organization' | 'person';
  name: string;
  email?: string;
  url?: string;
}

export interface Digests {
  sha1: string;
  sha256: string;
  sha512: string;
}

/**
 * What a package is for. `install`: an installer (MSI, Burn bundle, .pkg, NSIS); `archive`: an
 * archive (zip, cab, cpio, wheel); `application` / `library`: a bare binary or a component;
 * `source`: source code (pure-Python modules such as macholib); `file`: anything else.
 */
export type Purpose = 'install' | 'archive' | 'application' | 'library' | 'source' | 'file';

/** A note recorded on an element (SPDX annotation, CycloneDX property/note). */
export interface Note {
  text: string;
}

/** Fields every package-like element (the artifact, a container, a component) has. */
export interface PackageFields {
  ref: string;
  /** The identifier this element should get where a convention fixes it (`SPDXRef-PACKAGE-cpython`). */
  idHint?: string;
  name: string;
  /** Undefined when no evidence shows a version (written NOASSERTION / left out). */
  version?: string;
  supplier?: Party;
  originator?: Party;
  /** Where the package can be downloaded; undefined when unknown. */
  downloadLocation?: string;
  homepage?: string;
  /** SPDX licence expression the upstream project declares. */
  licenseDeclared?: string;
  /** SPDX licence expression concluded for this copy; undefined = NOASSERTION. */
  licenseConcluded?: string;
  /** Full CPE 2.3 strings, each with an optional comment (`normalised version`). */
  cpes: { cpe: string; comment?: string }[];
  purl?: string;
  purpose: Purpose;
  /** The package's file name (containers, the artifact). */
  fileName?: string;
  /** Digests of the package's own bytes (the artifact, a container). */
  digests?: Partial<Digests>;
  /** One paragraph for people: how it was found, what it is. */
  description?: string;
  notes: Note[];
}

/** The artifact the SBOM describes. */
export interface ArtifactPackage extends PackageFields {
  kind: 'artifact';
  /** Container format of the artifact (`msi`, `burn`, `zip`, `directory`, `file` for a bare binary). */
  format: string;
  properties: Record<string, string>;
  /** BSI TR-03183-2 file properties of the artifact's own bytes. */
  fileKind: FileKind;
  signatures: SignatureFacts[];
}

/** A container inside the artifact (an MSI in a bundle, a cab in an MSI, a pkg Payload). */
export interface ContainerPackage extends PackageFields {
  kind: 'container';
  /** Path inside the artifact. */
  path: string;
  format: string;
  /** Origin chain, artifact first. */
  chain: string[];
  size: number;
  properties: Record<string, string>;
  warnings: string[];
  fileKind: FileKind;
  signatures: SignatureFacts[];
}

/** BSI TR-03183-2 v2.1 §5.2.2: executable, archive, structured. */
export interface FileKind {
  executable: boolean;
  archive: boolean;
  /** The inner structure (its members) is listed in this SBOM. */
  structured: boolean;
}

/** A regular file of the artifact (paths may repeat: an MSI can install one name twice). */
export interface FileElement {
  ref: string;
  /** Path inside the artifact, container chain made explicit, no leading `./`. */
  path: string;
  /** Ref of the container it came out of (the artifact's ref for top-level files). */
  container: string;
  size: number;
  digests: Digests;
  /** `pe`, `macho`, `plist`, `metadata` … when the file was recognised. */
  binaryFormat?: string;
  fileKind: FileKind;
  /** Set when the file's facts could not be read (why). */
  notInspected?: string;
  /** Set when the file is a container we recognise but do not open. */
  unopened?: { format: string; reason: string };
  signatures: SignatureFacts[];
  notes: Note[];
}

/** How a declared source-SBOM package relates to what the artifact ships. */
export type ReconcileStatus =
  /** The binaries show the declared version. */
  | 'corroborated'
  /** The binaries show another version: the shipped version is the component's, the declared one is recorded beside it. */
  | 'contradicted'
  /** Shipped, but its bytes carry no version (or no rule can see it): the declared version is taken as declared. */
  | 'not-verifiable'
  /** Shipped in this artifact, not declared by the source SBOM. */
  | 'added';

/** Reconciliation of one component copy with the source SBOM. */
export interface Declaration {
  status: ReconcileStatus;
  /** The version the source SBOM declares (undefined for `added`). */
  version?: string;
  /** The source document's file name. */
  document?: string;
  /** One sentence a person can check. */
  note: string;
}

/** One copy of a third-party (or first-party) component shipped in the artifact. */
export interface ComponentPackage extends PackageFields {
  kind: 'component';
  /** Detection identity (`openssl`, `tcl`, `pypi/pip`, `golang/golang.org/x/sys` …). */
  componentId: string;
  /** Every observation behind it; empty for a component taken from a declaration only. */
  evidence: Evidence[];
  /** Mach-O slice architectures it was seen in. */
  archs: string[];
  /** Reconciliation with the declared source SBOM, when one was given. */
  declaration?: Declaration;
}

/**
 * `contains`: a container holds a container or file; a component is made of a file or container
 * (`libcrypto-3.dll` is OpenSSL, `pip-24.2-py3-none-any.whl` is pip); a container's own code holds
 * a component (the Burn engine in a bundle's stub). `static-link`: a binary holds a compiled-in copy
 * of a component. `dynamic-link`: a binary imports the library that implements a component.
 * `depends-on`: the artifact (or a component) depends on a component.
 */
export type RelationType = 'contains' | 'depends-on' | 'static-link' | 'dynamic-link';

export interface Relationship {
  from: string;
  type: RelationType;
  to: string;
  /** The evidence for it, one line (the import table entry, the load command). */
  comment?: string;
}

/** Something that could not be seen; the document says its lists are incomplete where it applies. */
export interface KnownUnknown {
  /**
   * `unopened-container`, `unsupported-member`, `absent` (from the unpack stage), `not-inspected`
   * (a file whose facts could not be read), `no-version` (a component whose version no evidence
   * shows), `unsigned-check` etc. are free to grow; writers print `kind` and `reason`.
   */
  kind: string;
  /** Path inside the artifact, or the component's name. */
  subject: string;
  reason: string;
  /** Ref of the element whose list (containment or dependencies) is incomplete because of it. */
  scope: string;
}

/** A package a source SBOM declares that this artifact does not carry: recorded, never a component. */
export interface DeclaredAbsent {
  name: string;
  version?: string;
  document: string;
  /** `not-shipped` (the platform manifest or a twin declaration says so) or `not-found` (nothing shows it). */
  status: 'not-shipped' | 'not-found';
  note: string;
  cpes: string[];
  purl?: string;
}

export interface DocumentInfo {
  name: string;
  /** SPDX document namespace (an absolute URI); SPDX 3 ids are built under it. */
  namespace: string;
  /** CycloneDX serial number (`urn:uuid:…`), derived from the same input. */
  serialNumber: string;
  /** RFC 3339 UTC, seconds precision. */
  created: string;
  tool: { name: string; version: string };
  /** People and organisations that created the document besides the tool. */
  creators: Party[];
}

export interface Bom {
  document: DocumentInfo;
  artifact: ArtifactPackage;
  containers: ContainerPackage[];
  files: FileElement[];
  components: ComponentPackage[];
  relationships: Relationship[];
  declaredAbsent: DeclaredAbsent[];
  knownUnknowns: KnownUnknown[];
}

export type PackageElement = ArtifactPackage | ContainerPackage | ComponentPackage;

/** `Organization: NAME (email)` / `Person: NAME` as SPDX 2.3 writes a supplier. */
export function parseParty(text: string | undefined): Party | undefined {
  const m = /^(Organization|Person):\s*(.*?)\s*(?:\(([^()]*)\))?\s*$/.exec(text ?? '');
  if (!m || !m[2] || m[2] === NOASSERTION) return undefined;
  const party: Party = { type: m[1] === 'Person' ? 'person' : 'organization', name: m[2] };
  if (m[3] && /@/.test(m[3])) party.email = m[3];
  else if (m[3] && /^https?:\/\//.test(m[3])) party.url = m[3];
  return party;
}

export function formatParty(p: Party | undefined): string {
  if (!p) return NOASSERTION;
  const contact = p.email ?? p.url;
  return `${p.type === 'person' ? 'Person' : 'Organization'}: ${p.name}${contact ? ` (${contact})` : ''}`;
}

/** Every package-like element, artifact first. */
export function packagesOf(bom: Bom): PackageElement[] {
  return [bom.artifact, ...bom.containers, ...bom.components];
}

/** Unknown kinds that may hide components: the artifact's dependency list is then incomplete. */
const HIDING = new Set(['unopened-container', 'unsupported-member', 'absent', 'not-inspected']);

/**
 * What the known unknowns mean for the document's lists (NTIA "known unknowns"; SPDX 3
 * `completeness`; CycloneDX `compositions`): the artifact's dependencies are complete only when
 * nothing that could hide a component was left unseen, and an element's containment is
 * incomplete when something in it could not be opened, decoded or found.
 */
export function completenessOf(bom: Bom): { dependenciesComplete: boolean; incompleteContainment: Set<string> } {
  const hiding = bom.knownUnknowns.filter((u) => HIDING.has(u.kind));
  return { dependenciesComplete: hiding.length === 0, incompleteContainment: new Set(hiding.map((u) => u.scope)) };
}
