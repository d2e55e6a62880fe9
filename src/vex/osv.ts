import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { cpeVendorProduct, nameKey, purlName } from '../bom/read/keys.js';
import { dataSchema, readJsonFile, schemaErrors, schemaValidator } from './json-input.js';
import type { ValidateFunction } from 'ajv';

export type RangeType = 'GIT' | 'SEMVER' | 'ECOSYSTEM';

/** One OSV event: exactly one of the four keys is set. */
export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface AdvisoryRange {
  type: RangeType;
  repo?: string;
  events: RangeEvent[];
}

/** One `affected[]` entry, reduced to what it can be matched by and the versions it names. */
export interface AffectedEntry {
  /** purl `type/namespace/name`, lower-case. */
  purls: string[];
  /** CPE `vendor:product`, lower-case. */
  cpes: string[];
  /** Component names, normalised as the SBOM view normalises them. */
  names: string[];
  /** GIT range repositories, normalised (`github.com/python/cpython`). */
  repos: string[];
  /** The OSV ecosystem, when the entry names a package. */
  ecosystem?: string;
  ranges: AdvisoryRange[];
  versions: string[];
}

export interface Advisory {
  id: string;
  aliases: string[];
  /** What a VEX calls it: the CVE id when the record has one, else its own id. */
  name: string;
  summary?: string;
  /** The file it was read from, as the user named it. */
  file: string;
  modified: string;
  affected: AffectedEntry[];
}

/** OSV ecosystems whose package names are purls of this type (purl-spec PURL-TYPES). */
const ECOSYSTEM_PURL_TYPE: Record<string, string> = {
  PyPI: 'pypi',
  npm: 'npm',
  'crates.io': 'cargo',
  Go: 'golang',
  Maven: 'maven',
  NuGet: 'nuget',
  RubyGems: 'gem',
  Packagist: 'composer',
  Hex: 'hex',
  Pub: 'pub',
  ConanCenter: 'conan',
  'GitHub Actions': 'github',
};

/** Bound for hostile advisory trees: a database is thousands of small files, never this many. */
const MAX_FILES = 200_000;

/** `https://github.com/python/cpython.git` → `github.com/python/cpython`. */
export function normalizeRepo(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^(?:git\+)?[a-z]+:\/\//, '')
    .replace(/^git@([^:]+):/, '$1/')
    .replace(/^www\./, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
}

/** The CVE id among a record's names, else its own id. */
function vexName(id: string, aliases: string[]): string {
  return [id, ...aliases].find((x) => /^CVE-\d{4}-\d{4,}$/i.test(x))?.toUpperCase() ?? id;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];
}

/** PEP 503 normalisation for PyPI names; purl-spec asks the same of `pkg:pypi` names. */
function packageName(ecosystem: string, name: string): string {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name.toLowerCase();
}

/**
 * Reads one `affected[]` entry. Identity comes from `package` (purl, or ecosystem + name), from
 * `database_specific` (`cpe`, `purl`, `names`: how records for upstream C libraries, which have
 * no OSV ecosystem, say what they are about) and from GIT range repositories.
 */
function entryOf(raw: Record<string, unknown>): AffectedEntry {
  const pkg = raw['package'] as { ecosystem: string; name: string; purl?: string } | undefined;
  const db = (raw['database_specific'] ?? {}) as Record<string, unknown>;
  const purls = new Set<string>();
  const names = new Set<string>();
  const cpes = new Set<string>();
  if (pkg?.purl) {
    const p = purlName(pkg.purl);
    if (p) purls.add(p);
  } else if (pkg && ECOSYSTEM_PURL_TYPE[pkg.ecosystem]) {
    purls.add(`${ECOSYSTEM_PURL_TYPE[pkg.ecosystem]}/${packageName(pkg.ecosystem, pkg.name)}`);
  }
  for (const p of strings(db['purl'])) {
    const n = purlName(p);
    if (n) purls.add(n);
  }
  for (const c of strings(db['cpe'])) {
    const vp = cpeVendorProduct(c);
    if (vp) cpes.add(vp);
  }
  for (const n of strings(db['names'])) names.add(nameKey(n));
  const ranges = ((raw['ranges'] as AdvisoryRange[] | undefined) ?? []).map((r) => ({ type: r.type, ...(r.repo ? { repo: r.repo } : {}), events: r.events }));
  return {
    purls: [...purls],
    cpes: [...cpes],
    names: [...names],
    repos: [...new Set(ranges.filter((r) => r.type === 'GIT' && r.repo).map((r) => normalizeRepo(r.repo!)))],
    ...(pkg ? { ecosystem: pkg.ecosystem } : {}),
    ranges,
    versions: strings(raw['versions']),
  };
}

let osvSchema: ValidateFunction | undefined;

/** Checks one parsed record and reduces it; `file` names it in errors. */
export function parseAdvisory(doc: unknown, file: string): Advisory & { withdrawn?: string } {
  osvSchema ??= schemaValidator(dataSchema('osv-schema.json'));
  if (!osvSchema(doc)) throw new InputError(`not a valid OSV record: ${schemaErrors(osvSchema)}`, [file]);
  const d = doc as Record<string, unknown>;
  const id = String(d['id']).trim();
  if (!id) throw new InputError('OSV record with an empty id', [file]);
  const affected = ((d['affected'] as Record<string, unknown>[] | null) ?? []).map(entryOf);
  for (const entry of affected) {
    for (const r of entry.ranges) {
      for (const e of r.events) {
        const value = e.introduced ?? e.fixed ?? e.last_affected ?? e.limit;
        if (!value?.trim()) throw new InputError(`${id}: a ${r.type} range has an empty event`, [file]);
      }
    }
  }
  const aliases = strings(d['aliases']);
  return {
    id,
    aliases,
    name: vexName(id, aliases),
    ...(typeof d['summary'] === 'string' ? { summary: d['summary'] } : {}),
    file,
    modified: String(d['modified']),
    affected,
    ...(typeof d['withdrawn'] === 'string' ? { withdrawn: d['withdrawn'] } : {}),
  };
}

async function jsonFilesUnder(path: string, out: string[]): Promise<void> {
  const st = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read: ${err.code ?? err.message}`, [path]);
  });
  if (st.isFile()) {
    out.push(path);
    return;
  }
  if (!st.isDirectory()) throw new InputError('neither a file nor a directory', [path]);
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const child = join(path, e.name);
    // Directories are walked, symbolic links to directories are not: a link loop must not hang us.
    if (e.isDirectory()) await jsonFilesUnder(child, out);
    else if (e.name.endsWith('.json') && (e.isFile() || e.isSymbolicLink())) out.push(child);
    if (out.length > MAX_FILES) throw new InputError(`more than ${MAX_FILES} advisory files`, [path]);
  }
}

/**
 * Every OSV record in the given files and directories (recursively, `*.json`). A file that is not
 * a valid OSV record stops everything (InputError naming it); withdrawn records are skipped and a
 * record seen twice keeps its latest `modified` version, each with a warning.
 */
export async function loadAdvisories(paths: string[], warn: (message: string) => void): Promise<Advisory[]> {
  const files: string[] = [];
  for (const p of paths) await jsonFilesUnder(p, files);
  const byId = new Map<string, Advisory>();
  for (const file of files) {
    const { withdrawn, ...advisory } = parseAdvisory(await readJsonFile(file), file);
    if (withdrawn) {
      warn(`${file}: ${advisory.id} was withdrawn on ${withdrawn}; ignored`);
      continue;
    }
    const seen = byId.get(advisory.id);
    if (seen) {
      const keep = advisory.modified > seen.modified ? advisory : seen;
      warn(`${advisory.id} is in both ${seen.file} and ${file}; using ${keep.file} (modified ${keep.modified})`);
      byId.set(advisory.id, keep);
    } else byId.set(advisory.id, advisory);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
