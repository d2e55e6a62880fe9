import type { BinaryFormat } from '../inspect/types.js';
import type { ComponentIdentity } from './types.js';

/**
 * A detection rule is data: which files it looks at, what it looks for, and who the component is.
 * The engine (engine.ts) applies rules; rules never call each other. Every RegExp that yields a
 * version has a named group `version`.
 */
export interface DetectionRule {
  identity: ComponentIdentity;
  /** Only files of these formats / whose path matches are examined. */
  files?: { formats?: BinaryFormat[]; path?: RegExp };
  /** Printable strings in data sections (ASCII and UTF-16LE). */
  strings?: StringMatcher[];
  /**
   * Strings that only the implementation carries (OpenSSL's `OPENSSLDIR: "…"`). When given, string
   * matches count only in files where an anchor is present too, so a dependent compiled against the
   * library's headers is not taken for the library.
   */
  anchors?: RegExp[];
  /** PE VS_VERSIONINFO string values. */
  versionInfo?: VersionInfoMatcher[];
  /** The file's own name (basename); `abi` names identify, but only a `version` group dates. */
  fileNames?: FileNameMatcher[];
  /** The file's path inside the artifact (a versioned directory such as `tcl/tix8.4.3/`). */
  paths?: PathMatcher[];
  /** Mach-O LC_ID_DYLIB install names. */
  installNames?: RegExp[];
  /** PE section names only this component writes (Burn's `.wixburn`): identity evidence. */
  peSections?: RegExp[];
  /**
   * Names under which dependents import the library (PE import/delay-import DLL names, Mach-O
   * load commands). A match is a link, never a copy: see `linksInFile`.
   */
  importNames?: RegExp[];
  /** Keys of an Info.plist (framework bundles). */
  plist?: PlistMatcher[];
  /** Turns a matched version into the form the SBOM uses (e.g. trims a build suffix). */
  normalizeVersion?: (version: string) => string;
}

export interface StringMatcher {
  pattern: RegExp;
  /** What it shows: a version (needs a `version` group) or only identity. */
  shows: 'version' | 'identity';
  encoding?: 'ascii' | 'utf16le';
  /** Only in files whose path matches (a bare version string is trusted only in the core binary). */
  path?: RegExp;
  /** A match is void when a string matching this lies within `distance` bytes (another library's copy). */
  excludeNear?: { pattern: RegExp; distance: number };
  /**
   * A match counts only when a string matching this lies within `distance` bytes in the same
   * section and slice: a bare `3.45.3` is SQLite's only beside SQLite's own text.
   */
  near?: { pattern: RegExp; distance: number };
  /** A match is void when any string of the same slice matches this (zlib-ng's copy of zlib's lines). */
  excludeInSlice?: RegExp;
  /**
   * When the file's path matches and names a version prefix (named group `prefix`, e.g. the `3.12`
   * of `libpython3.12.dylib`), a matched version must start with it.
   */
  pathVersion?: RegExp;
}

export interface PathMatcher {
  /** Tested against the whole path; a `version` group dates, otherwise identity only. */
  pattern: RegExp;
  kind: 'file-name' | 'abi-name';
}

export interface VersionInfoMatcher {
  /** StringFileInfo key holding the version: FileVersion or ProductVersion. */
  key: string;
  /** Every listed key must match for this matcher to apply (identifies the product). */
  when: Record<string, RegExp>;
  /** Extracts the version from the value; default: leading dotted number. */
  pattern?: RegExp;
}

export interface FileNameMatcher {
  pattern: RegExp;
  kind: 'file-name' | 'abi-name';
}

export interface PlistMatcher {
  when: Record<string, RegExp>;
  versionKey: string;
}

export const LEADING_VERSION = /^(?<version>\d+(?:\.\d+){1,3})/;
