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
  /**
   * The format's name in the registry (`describeFormat(format)` tells its purpose and what it
   * may hold), or 'directory' / 'file' for an artifact that is a directory or a bare file.
   */
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
  /**
   * Where it is. In `ContainerInfo.unknowns` a reader writes the member's path inside its
   * container ('' for the container itself); `WalkResult.unknowns` has it as a path inside the
   * artifact (container chain made explicit, as FileNode.path).
   */
  path: string;
  /** The format or method concerned (`7z`, `deflate64`, `cab`). */
  format?: string;
  /** One sentence: why it could not be seen. */
  reason: string;
  /** What the container states about it (size, CRC, …), for the SBOM. */
  declared?: Record<string, string>;
}

/** A container recognised but not opened: which format, and why it stays closed. */
export interface UnopenedFinding {
  format: string;
  reason: string;
}

/** A problem that did not stop reading, where it was seen (a container's key or a file's path). */
export interface UnpackWarning {
  path: string;
  message: string;
}

/** An installer runs to put files in place; an archive only holds them. */
export type FormatPurpose = 'installer' | 'archive';

/**
 * One container format, as the registry knows it (the shape of music-metadata's ParserFactory
 * entries): how its bytes are recognised, the names it goes by, what it is for and may hold, and
 * the reader that opens it. A format without a reader is recognised and reported as an unopened
 * container, never taken for a plain file.
 */
export interface FormatDescriptor {
  /** Short name; `ContainerInfo.format` of what the reader opens. */
  readonly format: string;
  /** What people call it ("Windows Installer database"). */
  readonly title: string;
  /** File name endings, lower case with the dot (`.msi`, `.tar.gz`). */
  readonly extensions: readonly string[];
  /**
   * True when a name with one of `extensions` claims the format, so that a file so named whose
   * bytes are not of it earns a warning. False for `.exe`: most executables are plain programs.
   */
  readonly nameClaims: boolean;
  readonly purpose: FormatPurpose;
  /** What it may hold: other format names, and `files`. */
  readonly contains: readonly string[];
  /**
   * The bytes claim this format (its magic, on the first HEAD_BYTES). When it says yes and no
   * `probe` says otherwise, the bytes are this format: a failure to read them is corrupt input.
   */
  magic(head: Uint8Array, name: string): boolean;
  /**
   * For magic shared with formats we do not open (a compound file may be an MSI or a Word
   * document; a PE may or may not carry an installer): false when the bytes are the other kind.
   */
  probe?(source: ByteSource, ctx: UnpackContext, name: string): Promise<boolean>;
  /** Opens it; absent when the format is recognised but not opened. */
  readonly reader?: ContainerReader;
  /** Why a format without a reader is not opened (one sentence). */
  readonly unopenedReason?: string;
  /**
   * For a format without a reader whose magic is shared (a PE): says whether these bytes are of
   * it, and if so what exactly was found and where (the format named may be more precise).
   */
  explainUnopened?(source: ByteSource, ctx: UnpackContext): Promise<UnopenedFinding | undefined>;
  /**
   * The bytes are also a program worth inspecting as a file (a self-extracting executable's
   * stub): the walker lists and inspects them as a file and opens the container as well.
   */
  readonly alsoAFile?: boolean;
  /**
   * Its members are ordinary files it carries (a source tarball, a zip, a payload), not parts of
   * an installer's structure: a member whose bytes name a format but do not open as one is data,
   * not damage to this container (XZ Utils' deliberately broken test files in its tarball), so
   * the walker lists it as a file with a known unknown instead of failing the artifact.
   */
  readonly membersAreData?: boolean;
  /**
   * Bytes of this format that are not a container on their own but a part of a set read through
   * another member (an InstallShield data cabinet, listed through its `data1.hdr`): no reader takes
   * them, and their name claiming another format is no cause for a warning.
   */
  readonly partOfSet?: (head: Uint8Array) => boolean;
}

export interface OpenedContainer {
  info: ContainerInfo;
  entries(): AsyncIterable<Entry>;
  close(): Promise<void>;
  /** A member by its path, for `UnpackContext.sibling` of the containers inside this one. */
  member?(path: string): Promise<ByteSource | undefined>;
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
  /**
   * A file beside this container, by plain name (an MSI's external cabinet, the next cabinet of
   * a set): in the artifact's directory for the artifact itself, in the holding container
   * otherwise. Undefined when there is no such file or the holder cannot look one up.
   */
  sibling?(name: string): Promise<ByteSource | undefined>;
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
