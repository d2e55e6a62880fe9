import { UsageError } from '../errors.js';
import { sourceDateEpoch } from '../bom/document-info.js';
import { loadTrustRoots, type TrustRoots } from '../inspect/signing/trust.js';
import { DEFAULT_LIMITS, LIMIT_FLAGS, type Limits } from '../unpack/limits.js';

export interface OptionSpec {
  /** Takes a value (`-o FILE`); repeatable options collect every value. */
  value?: boolean;
  repeat?: boolean;
  alias?: string;
}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

/** A small strict parser: unknown options are usage errors, `--x=v` and `--x v` both work. */
export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const byAlias = new Map(Object.entries(spec).flatMap(([name, s]) => (s.alias ? [[s.alias, name] as const] : [])));
  const out: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq > 0 ? arg.slice(0, eq) : arg;
    name = byAlias.get(name) ?? name;
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option ${arg}`);
    if (!s.value) {
      if (eq > 0) throw new UsageError(`${name} takes no value`);
      out.flags.add(name);
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    const prev = out.options.get(name) ?? [];
    if (prev.length > 0 && !s.repeat) throw new UsageError(`${name} given twice`);
    out.options.set(name, [...prev, value]);
  }
  return out;
}

export function single(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.[0];
}

/** `--supplier` as SPDX wants it (`Organization: …` or `Person: …`), or undefined when not given. */
export function supplierFrom(args: ParsedArgs): string | undefined {
  const supplier = single(args, '--supplier');
  if (supplier && !/^(Organization|Person): \S/.test(supplier)) throw new UsageError('--supplier must look like "Organization: NAME" or "Person: NAME"');
  return supplier;
}

/** `--trust-roots FILE`: a PEM bundle signers' certificate chains are checked against. */
export const TRUST_ROOTS_OPTION: Record<string, OptionSpec> = { '--trust-roots': { value: true } };

export const TRUST_ROOTS_HELP = `  --trust-roots FILE  check signers' certificate chains against these PEM root certificates
                      (without it chains are recorded, not judged)`;

export async function trustRootsFrom(args: ParsedArgs): Promise<TrustRoots | undefined> {
  const path = single(args, '--trust-roots');
  return path === undefined ? undefined : loadTrustRoots(path);
}

/** The limit flags every command that unpacks accepts. */
export const LIMIT_OPTIONS: Record<string, OptionSpec> = Object.fromEntries(Object.values(LIMIT_FLAGS).map((f) => [f, { value: true }]));

export function limitsFrom(args: ParsedArgs): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const [key, flag] of Object.entries(LIMIT_FLAGS) as [keyof Limits, string][]) {
    const raw = single(args, flag);
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${flag} needs a positive integer (default ${DEFAULT_LIMITS[key]})`);
    out[key] = n;
  }
  return out;
}

export const LIMITS_HELP = `Limits (hostile input; each stops with exit 3 naming it):
  --max-depth N            containers inside containers (default ${DEFAULT_LIMITS.maxDepth})
  --max-entries N          entries in the whole artifact (default ${DEFAULT_LIMITS.maxEntries})
  --max-total-bytes N      bytes decompressed in all (default ${DEFAULT_LIMITS.maxTotalBytes})
  --max-entry-bytes N      bytes of one decompressed entry (default ${DEFAULT_LIMITS.maxEntryBytes})
  --max-ratio N            decompressed/compressed ratio of one entry (default ${DEFAULT_LIMITS.maxRatio})
  --max-metadata-bytes N   one metadata structure: TOC, string pool, manifest (default ${DEFAULT_LIMITS.maxMetadataBytes})`;

/** SOURCE_DATE_EPOCH, checked before a command that writes a date does any work. */
export function checkSourceDateEpoch(env: NodeJS.ProcessEnv = process.env): void {
  sourceDateEpoch(env);
}
