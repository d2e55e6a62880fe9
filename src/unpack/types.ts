import type { ByteSource } from '../io/byte-source.js';
import type { Evidence } from '../detect/types.js';
import type { Budget } from './limits.js';
import type { SignatureFacts } from '../inspect/types.js';
import type { TrustRoots } from '../inspect/signing/trust.js';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink';

/** One member of a container, as the container lists it. */
export interface Entry {
  /**
   * Path inside its container: relative, forward slashes, no `.`/`..` segments, no leading `/`
   * (use `safeEntryPath` from ./paths.js). For installers this is the installed path
   * (`DLLs/libssl-3.dll`, `Library/Frameworks/Python.framework/...`).
   */
  path: string;
  kind: EntryKind;
  /** Extracted size in bytes (0 for directories and links). */
  size: number;
  /** Stored (compressed) size when the format tells it; used for ratio limits. */
  storedSize?: number;
  /** For symlinks and hard links: the target exactly as recorded. Never resolved on disk. */
  linkTarget?: string;
  /** Opens the extracted bytes. Only called for kind 'file' and when not `absent`. */
  open(): Promise<ByteSource>;
  /** Facts the container states about this entry (MSI File.Version, xar checksums, Burn payload id …). */
  declared?: Record<string, string>;
  /** Listed by the container but its bytes are not in this artifact (external cab, download-on-demand payload). */
  absent?: boolean;
  /**
   * Hints for when this entry is itself a container (an MSI payload in a Burn bundle, a pkg
   * Payload): what the outer container declares about it, and where its members are placed.
   */
  containerHints?: ContainerHints;
}

export interface ContainerHints {
  /** Path under which the members appear instead of the entry's own path (pkg install-location). */
  membersRoot?: string;
  /** Name and version declared by the outer container (Burn MsiPackage id/Version, pkg identifier/version). */
  name?: string;
  version?: string;
  properties?: Record<string, string>;
}

/** A component a container format itself reveals (the Burn engine in a bundle, the NSIS stub). */
export interface ContainerFinding {
  /** Identity id from src/detect/identities.ts (e.g. 'wix-burn', 'nsis'). */
  componentId: string;
  version?: string;
  evidence: Evidence[];
}

/** What a reader learned about the container itself; becomes the container's SPDX package. */
export interface ContainerInfo {
  /** Short format name: 'directory', 'zip', 'msi', 'cab', 'burn', 'nsis', 'xar', 'pkg', 'cpio', 'pbzx', 'gzip'. */
  format: string;
  /** Product or package name the container declares (MSI ProductName, pkg identifier …). */
  name?: string;
  version?: string;
  /** Manufacturer / publisher as declared (not trusted as a supplier without mapping). */
  manufacturer?: string;
  /** Everything else worth keeping, flat key → value (ProductCode, UpgradeCode, hostArchitectures …). */
  properties: Record<string, string>;
  findings?: ContainerFinding[];
  /** Problems that did not stop reading (a file mapped to no cabinet, a checksum mismatch …). */
  warnings?: string[];
  /**
   * What this container holds that could not be seen: a member in an unsupported compression
   * method, a payload container that is not attached, an external cabinet that is missing. Each
   * becomes a known unknown in the SBOM and a warning.
   */
  unknowns?: UnpackUnknown[];
  /** Signatures over the container itself (a .pkg's xar TOC signature). */
  signatures?: SignatureFacts[];
}

/** Something inside an artifact that was recognised but could not be opened, decoded or read. */
export interface UnpackUnknown {
  /**
   * `unopened-container`: a container format we recognise but do not open (7z, tar, SZDD, a PE
   * overlay holding an archive …); `unsupported-member`: a member in a method we cannot decode;
   * `absent`: declared but its bytes are not in the artifact (a Burn container that is not
   * attached, an external cabinet that is missing).
   */
  kind: 'unopened-container' | 'unsupported-member' | 'absent';
  /** Path inside the artifact (container chain made explicit, as FileNode.path). */
  path: string;
  /** The format or method concerned (`7z`, `deflate64`, `cab`). */
  format?: string;
  /** One sentence: why it could not be seen. */
  reason: string;
  /** What the container states about it (size, CRC, …), for the SBOM. */
  declared?: Record<string, string>;
}

export interface OpenedContainer {
  info: ContainerInfo;
  entries(): AsyncIterable<Entry>;
  close(): Promise<void>;
}

/** What every reader is handed: where it is, and the limits it must respect. */
export interface UnpackContext {
  /** Origin chain of the container being read, outermost first, ending with its own name. */
  chain: readonly string[];
  budget: Budget;
  /** A private temporary directory for readers that must spill to disk; removed by the walker. */
  tempDir(): Promise<string>;
  /** Roots to check container signatures' chains against (a .pkg's TOC signature); unset: not checked. */
  trustRoots?: TrustRoots;
}

/** One container format. Adding a format = a folder under src/unpack/ and one line in registry.ts. */
export interface ContainerReader {
  readonly format: string;
  /** Cheap test on the first bytes (up to HEAD_BYTES) and the entry name (tie-break only). */
  canRead(head: Uint8Array, name: string): boolean;
  /** Deeper test when the head is not enough (NSIS data sits after the PE stub). */
  probe?(source: ByteSource, ctx: UnpackContext): Promise<boolean>;
  open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer>;
}

/** Bytes passed to canRead. PE section tables and every magic we use fit in this. */
export const HEAD_BYTES = 64 * 1024;
