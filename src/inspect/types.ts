/** Facts about one binary, as the inspect stage finds them. Plain data: serialisable for `inspect --json`. */

export type BinaryFormat = 'pe' | 'macho' | 'plist' | 'elf' | 'wasm' | 'other';

/** A printable run found in a bounded window of the file. */
export interface StringRun {
  /** File offset of the first byte (for Mach-O fat files: offset in the whole file). */
  offset: number;
  text: string;
  encoding: 'ascii' | 'utf16le';
  /** Where it was found: a section name (`.rdata`, `__TEXT,__cstring`), with `arm64:` prefix for a Mach-O slice. */
  where: string;
}

export interface PeSection {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  rawOffset: number;
  rawSize: number;
  characteristics: number;
}

export interface PeVersionInfo {
  /** VS_FIXEDFILEINFO as dotted four-part strings (`1.2.13.0`). */
  fixed?: { fileVersion: string; productVersion: string; fileFlags: number; fileOS: number; fileType: number };
  /** StringFileInfo tables keyed by their `langcodepage` id (`040904b0`), each key → value. */
  strings: Record<string, Record<string, string>>;
  /** VarFileInfo/Translation pairs as `langcodepage` ids. */
  translations: string[];
}

export interface PeFacts {
  /** IMAGE_FILE_HEADER.Machine and its name (`x86`, `x64`, `arm64`, `arm`, …). */
  machine: number;
  machineName: string;
  /** `PE32` or `PE32+`. */
  kind: 'PE32' | 'PE32+';
  characteristics: number;
  isDll: boolean;
  subsystem: number;
  timestamp: number;
  sections: PeSection[];
  /** DLL names from the import directory, in table order, as written. */
  imports: string[];
  delayImports: string[];
  exports?: { dllName?: string; count: number; names: string[] };
  /** Bytes after the image (and COFF symbols), up to the certificate table or EOF. */
  overlay?: { offset: number; size: number };
  /** Authenticode table (data directory 4 is a file offset). */
  certificate?: { offset: number; size: number };
  /** Every Authenticode signature in the certificate table, nested (dual) signatures included, outermost first. */
  signatures?: SignatureFacts[];
  versionInfo?: PeVersionInfo;
  /** True for .NET assemblies (CLR header present). */
  clr: boolean;
}

export interface MachoDylibRef {
  kind: 'load' | 'weak' | 'reexport' | 'lazy' | 'upward';
  name: string;
  currentVersion: string;
  compatibilityVersion: string;
}

export interface MachoSection {
  segment: string;
  name: string;
  offset: number;
  size: number;
}

export interface MachoSegment {
  name: string;
  vmaddr: number;
  vmsize: number;
  fileoff: number;
  filesize: number;
  sections: MachoSection[];
}

export interface MachoSlice {
  /** `x86_64`, `arm64`, `arm64e`, `i386`, `ppc`, … */
  arch: string;
  cputype: number;
  cpusubtype: number;
  /** Offset and size of the slice in the file (0 and file size for thin files). */
  offset: number;
  size: number;
  bits: 32 | 64;
  /** MH_EXECUTE, MH_DYLIB, MH_BUNDLE … as a name. */
  fileType: string;
  idDylib?: { name: string; currentVersion: string; compatibilityVersion: string };
  dylibs: MachoDylibRef[];
  rpaths: string[];
  uuid?: string;
  /** LC_BUILD_VERSION or LC_VERSION_MIN_*: platform name, minimum OS, SDK. */
  platform?: { platform: string; minos: string; sdk: string };
  sourceVersion?: string;
  segments: MachoSegment[];
  codeSignature?: { offset: number; size: number };
  /**
   * External symbols the image defines (LC_SYMTAB entries with N_EXT set and a type other than
   * N_UNDF), in table order, at most MAX_MACHO_SYMBOLS; absent when the image has no symbol table
   * or one too large to read within the inspect stage's bound (a large executable's).
   */
  definedSymbols?: string[];
  /** The LC_CODE_SIGNATURE blob, decoded (CodeDirectory and CMS signer). */
  signature?: SignatureFacts;
  encrypted: boolean;
}

export interface MachoFacts {
  fat: boolean;
  slices: MachoSlice[];
}

export interface BinaryFacts {
  format: BinaryFormat;
  pe?: PeFacts;
  macho?: MachoFacts;
  /** Parsed property list (Info.plist), XML or binary. */
  plist?: Record<string, unknown>;
  /** Why a binary's code was not inspected (an ELF or WebAssembly binary): a known unknown. */
  notInspected?: string;
  /** Printable runs, in file order per window; only those a filter keeps when `stringsFiltered`. */
  strings: StringRun[];
  /**
   * Set when inspect was asked to keep only the runs that contain one of a set of literals (the
   * detection rules' needles): the rest were never built.
   */
  stringsFiltered?: true;
  /** How many runs the file holds, when filtered runs were also counted (`countStrings`). */
  stringCount?: number;
  /** SBOM data the binary embeds (`.sbat`, Go build info, cargo-auditable). */
  embedded?: EmbeddedSbomFacts;
  /** A package metadata file's statements (wheel METADATA, .nuspec, pip's vendor.txt). */
  packageMetadata?: PackageMetadataFacts;
}

/** One X.509 certificate as recorded in a signature (recorded, not trusted). */
export interface CertificateSummary {
  /** RFC 4514-style subject, most specific RDN first (`CN=Python Software Foundation, O=…, C=US`). */
  subject: string;
  /** Common name and organisation of the subject, when present. */
  commonName?: string;
  organization?: string;
  issuer: string;
  /** Serial number, lower-case hex without separators. */
  serial: string;
  /** Validity, RFC 3339 UTC. */
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  sha256: string;
}

/**
 * A code signature found on a file or container: Authenticode (PE), the Mach-O code signature,
 * or a xar TOC signature (.pkg). Facts, not trust: a signature whose bytes cannot be decoded is
 * still recorded, with `status: 'unreadable'` and the reason in `problem`.
 */
export interface SignatureFacts {
  kind: 'authenticode' | 'macho' | 'xar';
  /**
   * Mach-O: the architecture of the slice it signs, in a universal file. Each slice is signed on
   * its own (one may be signed and another not), so a statement must say which.
   */
  slice?: string;
  /** xar: `RSA` (the TOC's `<signature>`) or `CMS` (`<x-signature>`), as the TOC names it. */
  style?: string;
  /**
   * `valid-digest`: the signed digest equals the one recomputed from the bytes;
   * `modified-after-signing`: it does not; `ad-hoc`: a Mach-O signature without a signer;
   * `unreadable`: the signature could not be decoded; `not-checked`: no digest could be recomputed.
   */
  status: 'valid-digest' | 'modified-after-signing' | 'ad-hoc' | 'unreadable' | 'not-checked';
  problem?: string;
  /** Digest algorithm of the signed content (`sha256`, `sha1`, …). */
  digestAlgorithm?: string;
  /** The signing (leaf) certificate. */
  signer?: CertificateSummary;
  /** Every certificate the signature carries, as recorded. */
  certificates?: CertificateSummary[];
  /** Authenticode SpcSpOpusInfo: the program name and URL the signer stated. */
  programName?: string;
  programUrl?: string;
  /** RFC 3339 UTC signing time, from the countersignature / RFC 3161 timestamp, or the signed attributes. */
  signingTime?: string;
  /** Who timestamped it (the TSA certificate's subject), when a timestamp is present. */
  timestampedBy?: string;
  /** Chain check against `--trust-roots` (`not-checked` without it). */
  chain?: 'trusted' | 'untrusted' | 'not-checked';
  /** Mach-O CodeDirectory: identifier, Team ID, flags, hash type, cdhash (hex), page hashes checked. */
  identifier?: string;
  teamId?: string;
  flags?: string[];
  cdhash?: string;
  /** Mach-O: the CodeDirectory whose hash type ranks highest (the one cdhash names). */
  codeDirectory?: {
    /** Version as hex (`0x20400`). */
    version: string;
    /** `sha1`, `sha256`, `sha256-truncated` or `sha384`. */
    hashType: string;
    /** Bytes per hashed page (0: one page over the whole code). */
    pageSize: number;
    codeSlots: number;
    /** Bytes of the image covered by the page hashes. */
    codeLimit: number;
  };
  /** Where the signature sits in the file (offset, size). */
  location?: { offset: number; size: number };
}

/** One row of a UEFI binary's `.sbat` section (shim's SBAT.md: CSV, one component per line). */
export interface SbatRow {
  component: string;
  generation: string;
  vendor: string;
  package: string;
  version: string;
  url: string;
  /** 1-based line in the section. */
  line: number;
}

export interface GoModule {
  path: string;
  version: string;
  /** `h1:` checksum, when the build recorded one. */
  sum?: string;
  /** The module this one was replaced by (`=>` line). */
  replace?: { path: string; version: string; sum?: string };
}

/** `runtime/debug.BuildInfo` as the Go linker embeds it (`\xff Go buildinf:` header). */
export interface GoBuildInfo {
  /** `go1.23.4`. */
  goVersion: string;
  /** Main package path (`github.com/evanw/esbuild/cmd/esbuild`). */
  path?: string;
  main?: GoModule;
  deps: GoModule[];
  /** `build` lines: `-trimpath`, `GOOS`, `vcs.revision` … */
  settings: Record<string, string>;
}

/** One crate of a cargo-auditable `.dep-v0` section (zlib-compressed JSON). */
export interface CargoPackage {
  name: string;
  version: string;
  /** `crates.io`, `git`, `local`, `registry` … */
  source?: string;
  /** `build` or `runtime` (default runtime). */
  kind?: string;
  /** The root crate (the binary itself). */
  root?: boolean;
}

/**
 * SBOM data a binary carries about itself, each with the section (or segment, section) it came
 * from and its file offset.
 */
export interface EmbeddedSbomFacts {
  sbat?: { section: string; offset: number; rows: SbatRow[] };
  /** `info` is absent when the header is there but its data could not be read (`problem` says why). */
  goBuildInfo?: { section: string; offset: number; info?: GoBuildInfo; problem?: string };
  cargoAuditable?: { section: string; offset: number; packages: CargoPackage[]; problem?: string };
}

/**
 * What a package's own metadata file states: a wheel's `*.dist-info/METADATA` (core metadata,
 * RFC 822 headers), a nupkg's `*.nuspec` (XML), or pip's `pip/_vendor/vendor.txt` pins.
 */
export interface PackageMetadataFacts {
  kind: 'python-metadata' | 'nuspec' | 'pip-vendor' | 'npm-package' | 'debian-control';
  name?: string;
  version?: string;
  summary?: string;
  /** `Author` / `Author-email` (METADATA), `<authors>` (nuspec), `author`'s name (package.json), `Maintainer` (Debian control), as written. */
  authors?: string[];
  /** `License` (free text) / `<license type="file">`. */
  license?: string;
  /** SPDX expression: METADATA `License-Expression`, nuspec `<license type="expression">`. */
  licenseExpression?: string;
  /** METADATA `License-File` entries: paths of licence texts inside the package. */
  licenseFiles?: string[];
  /** `Home-page` / `<projectUrl>`. */
  homepage?: string;
  /** METADATA `Project-URL: label, url`. */
  projectUrls?: Record<string, string>;
  /** pip's vendor.txt: `name==version` lines, with their 1-based line and the line as written. */
  pins?: { name: string; version: string; line: number; text: string }[];
}
