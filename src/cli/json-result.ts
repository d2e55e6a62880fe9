import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { GateResult } from '../gate/gate.js';
import { exitCodeOf, failureLine } from './failure.js';

/**
 * What `build --json` prints: one document on standard output, one result per artifact, whether its
 * SBOM was written or it failed, in plain and `--batch` builds alike. The README documents it;
 * `schemaVersion` changes only when a field changes meaning or goes away (new fields may appear).
 */
export const JSON_SCHEMA_VERSION = 1;

export interface JsonReport<R> {
  schemaVersion: typeof JSON_SCHEMA_VERSION;
  tool: string;
  command: string;
  /** The exit code of the whole run: the highest of the results'. */
  exitCode: number;
  results: R[];
}

export interface JsonWarning {
  kind: string;
  message: string;
  /** The file or element it is about, when there is one. */
  where?: string;
}

export interface BuildResult {
  /** The artifact as given on the command line. */
  artifact: string;
  /** written: the SBOM is at `output`; not-written: the build ran, the gate held it back; error: see `error`. */
  status: 'written' | 'not-written' | 'error';
  /** What this artifact alone would exit with. */
  exitCode: number;
  /** Absolute path of the SBOM, or `-` for standard output; only when written. */
  output?: string;
  format?: string;
  cpythonVersion?: string;
  /** One row per component copy: name, version (NOASSERTION when none is evidenced), carrier files, reconciliation status. */
  components: { name: string; version: string; files: string[]; status?: string }[];
  /** The release gate, with --gate: its findings, and the manifest it checked against. */
  gate: GateResult | null;
  /** Known unknowns and quality findings: the SBOM was written, but it states less than it might. */
  warnings: JsonWarning[];
  /** Only with status `error`: kind of failure by exit code, and the line printed on stderr. */
  error?: { kind: 'usage' | 'input' | 'internal' | 'check'; message: string };
}

const KINDS = { 1: 'check', 2: 'usage', 3: 'input', 4: 'internal' } as const;

/** The result of an artifact whose build failed with `err` (or whose child process did). */
export function errorResult(artifact: string, err: unknown, exitCode: number = exitCodeOf(err)): BuildResult {
  const kind = KINDS[exitCode as keyof typeof KINDS] ?? 'internal';
  return { artifact, status: 'error', exitCode, components: [], gate: null, warnings: [], error: { kind, message: failureLine(err) } };
}

export function jsonReport<R extends { exitCode: number }>(command: string, results: R[]): JsonReport<R> {
  return { schemaVersion: JSON_SCHEMA_VERSION, tool: `${TOOL_NAME} ${TOOL_VERSION}`, command, exitCode: Math.max(0, ...results.map((r) => r.exitCode)), results };
}

export function printJsonReport<R extends { exitCode: number }>(command: string, results: R[]): void {
  process.stdout.write(`${JSON.stringify(jsonReport(command, results), null, 2)}\n`);
}
