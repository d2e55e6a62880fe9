import type { BinaryFormat } from '../inspect/types.js';
import type { Matcher } from './matchers.js';
import type { ComponentIdentity } from './types.js';

export { LEADING_VERSION } from './matchers.js';

/**
 * A detection rule is data: which files it looks at, the matchers whose evidence identifies and
 * dates the component, and who the component is. The engine (engine.ts) applies rules; rules
 * never call each other. Every RegExp that yields a version has a named group `version`.
 */
export interface DetectionRule {
  identity: ComponentIdentity;
  /** Only files of these formats / whose path matches are examined. */
  files?: { formats?: BinaryFormat[]; path?: RegExp };
  /** What to look for; evidence from every matcher is pooled, then grouped by version. */
  evidence: Matcher[];
  /**
   * Names under which dependents import the library (PE import/delay-import DLL names, Mach-O
   * load commands). A match is a link, never a copy: see `linksInFile`.
   */
  importNames?: RegExp[];
  /** Turns a matched version into the form the SBOM uses (e.g. trims a build suffix). */
  normalizeVersion?: (version: string) => string;
}
