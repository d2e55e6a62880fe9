import { compareSemver, compareVersions, releaseLine } from './version-order.js';
import { normalizeRepo, type AdvisoryRange, type AffectedEntry, type RangeEvent } from './osv.js';
import type { GitTagMap } from './git-tags.js';

/**
 * What one advisory says about one version. `unknown` means the advisory could not be evaluated
 * (a GIT range without a tag map, an ecosystem whose order we do not know); `detail` says why.
 */
export type Verdict =
  | { status: 'affected'; detail: string; remedy: string }
  | { status: 'fixed'; detail: string }
  | { status: 'not_affected'; detail: string }
  | { status: 'unknown'; detail: string };

/**
 * Ecosystems whose versions are the upstream project's own (or SemVer-like): the upstream order
 * evaluates their ECOSYSTEM ranges. Distribution ecosystems (Debian revisions, epochs, `-r0`) and
 * Maven need their own order and are reported as not evaluable instead of guessed.
 */
const UPSTREAM_ORDER = new Set(['PyPI', 'npm', 'crates.io', 'Go', 'NuGet', 'RubyGems', 'Packagist', 'Hex', 'Pub', 'ConanCenter', 'GitHub Actions', 'SwiftURL']);

const RANK: Record<Verdict['status'], number> = { affected: 3, unknown: 2, fixed: 1, not_affected: 0 };

/** Several verdicts on one version: any `affected` wins, then `unknown`, then `fixed`. */
export function worst(verdicts: Verdict[]): Verdict | undefined {
  let out: Verdict | undefined;
  for (const v of verdicts) if (!out || RANK[v.status] > RANK[out.status]) out = v;
  if (out?.status === 'not_affected' && verdicts.length > 1) return { status: 'not_affected', detail: verdicts.map((v) => v.detail).join('; ') };
  return out;
}

function valueOf(e: RangeEvent): string {
  return e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '';
}

/** `[introduced, end]` pairs of a linear range, in order, as people write them. */
function segments(sorted: RangeEvent[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i]!.introduced;
    if (start === undefined) continue;
    const end = sorted.slice(i + 1).find((e) => e.introduced === undefined);
    const next = sorted[i + 1];
    const lower = start === '0' ? '' : `${start} ≤ v`;
    if (end && next === end) {
      const upper = end.fixed !== undefined ? `v < ${end.fixed}` : `v ≤ ${end.last_affected}`;
      out.push(lower ? `${lower}${upper.slice(1)}` : upper);
    } else out.push(lower || 'every version');
  }
  return out;
}

/**
 * SEMVER and ECOSYSTEM ranges, as the OSV schema's evaluation pseudo-code walks them: sorted
 * events, `introduced` opens, `fixed` and (past it) `last_affected` close; `limit`s bound the whole.
 */
function evaluateLinear(range: AdvisoryRange, v: string, ecosystem: string | undefined): Verdict {
  if (range.type === 'ECOSYSTEM' && ecosystem && !UPSTREAM_ORDER.has(ecosystem)) {
    return { status: 'unknown', detail: `its ${ecosystem} ECOSYSTEM range needs ${ecosystem}'s own version order, which is not implemented` };
  }
  const cmp = range.type === 'SEMVER' ? compareSemver : compareVersions;
  const at = (e: RangeEvent) => valueOf(e);
  const sorted = range.events
    .filter((e) => e.limit === undefined)
    .sort((a, b) => (a.introduced === '0' ? -1 : b.introduced === '0' ? 1 : cmp(at(a), at(b))));
  const ranges = segments(sorted);
  const outside = `${v} lies outside every affected range (${ranges.join('; ') || 'none'})`;
  const limits = range.events.filter((e) => e.limit !== undefined).map((e) => e.limit!);
  if (limits.length > 0 && !limits.some((l) => l.includes('*') || cmp(v, l) < 0)) {
    return { status: 'not_affected', detail: `${v} is at or beyond the range's limit ${limits.join(', ')}` };
  }
  let vulnerable = false;
  let deciding = -1;
  sorted.forEach((e, i) => {
    if (e.introduced !== undefined && (e.introduced === '0' || cmp(v, e.introduced) >= 0)) [vulnerable, deciding] = [true, i];
    else if (e.fixed !== undefined && cmp(v, e.fixed) >= 0) [vulnerable, deciding] = [false, i];
    else if (e.last_affected !== undefined && cmp(v, e.last_affected) > 0) [vulnerable, deciding] = [false, i];
  });
  if (vulnerable) {
    const end = sorted.slice(deciding + 1).find((e) => e.introduced === undefined);
    const inRange = segments(sorted.slice(deciding, end ? sorted.indexOf(end) + 1 : deciding + 1))[0];
    const remedy = end?.fixed !== undefined ? `update to ${end.fixed} or later` : 'no fixed version is recorded';
    return { status: 'affected', detail: `${v} is in the affected range ${inRange}`, remedy };
  }
  const by = sorted[deciding];
  if (by?.fixed !== undefined) {
    // A fix precedes v on v's own line when no affected range opens after it (one linear history),
    // or when the fix was released on v's release line (3.0.18 before 3.0.20). Otherwise v may be on
    // a line that branched before the fix and that the advisory does not cover (3.1.5 after 3.0.18).
    const laterRange = sorted.slice(deciding + 1).some((e) => e.introduced !== undefined);
    if (!laterRange || releaseLine(by.fixed) === releaseLine(v)) {
      return { status: 'fixed', detail: `${v} is at or after ${by.fixed}, which the advisory records as fixed (affected: ${ranges.join('; ')})` };
    }
  }
  return { status: 'not_affected', detail: outside };
}

const short = (sha: string) => sha.slice(0, 12);

/**
 * A GIT range for a release, from the tag map: affected when the tag contains an `introduced`
 * commit and no `fixed` commit. Anything the map does not record is reported, not guessed.
 */
function evaluateGit(range: AdvisoryRange, version: string, maps: readonly GitTagMap[]): Verdict {
  const repo = normalizeRepo(range.repo ?? '');
  const map = maps.find((m) => m.repo === repo);
  if (!map) return { status: 'unknown', detail: `its GIT range on ${range.repo} needs a tag map of that repository (--git-tags) to be evaluated` };
  const tagName = [`v${version}`, version].find((t) => map.tags.has(t));
  if (!tagName) return { status: 'unknown', detail: `tag v${version} is not in the tag map ${map.file}` };
  const tag = map.tags.get(tagName)!;
  const where = `tag ${tagName} (commit ${short(tag.commit)})`;
  if (range.events.some((e) => e.limit !== undefined || e.last_affected !== undefined)) {
    return { status: 'unknown', detail: `its GIT range uses limit/last_affected events, which need the tag's descendants; ${map.file} records ancestors only` };
  }
  const has = (sha: string): boolean | undefined => {
    const s = sha.toLowerCase();
    if (s === '0' || s === tag.commit || tag.contains.has(s)) return true;
    return tag.lacks.has(s) ? false : undefined;
  };
  const introduced = range.events.filter((e) => e.introduced !== undefined).map((e) => e.introduced!);
  const fixed = range.events.filter((e) => e.fixed !== undefined).map((e) => e.fixed!);
  const missing = (commits: string[]) => `${map.file} does not record whether ${where} contains ${commits.map(short).join(', ')}`;
  const unrecordedIntro = introduced.filter((c) => has(c) === undefined);
  const unrecordedFix = fixed.filter((c) => has(c) === undefined);
  const fix = fixed.find((c) => has(c) === true);
  const opened = introduced.filter((c) => has(c) === true);
  if (fix && opened.filter((c) => c !== '0').length > 0 && introduced.length > 1) {
    return { status: 'unknown', detail: `${where} contains fix ${short(fix)} and one of several introducing commits; their order is not recorded` };
  }
  if (fix) return { status: 'fixed', detail: `${where} contains the fix commit ${short(fix)}` };
  if (opened.length === 0) {
    if (unrecordedIntro.length > 0) return { status: 'unknown', detail: missing(unrecordedIntro) };
    return { status: 'not_affected', detail: `${where} contains none of the introducing commits ${introduced.map(short).join(', ')}` };
  }
  if (unrecordedFix.length > 0) return { status: 'unknown', detail: missing(unrecordedFix) };
  const intro = opened[0] === '0' ? 'the range starts at the first commit' : `it contains the introducing commit ${short(opened[0]!)}`;
  return {
    status: 'affected',
    detail: `${where}: ${intro} and none of the fix commits ${fixed.map(short).join(', ') || '(none recorded)'}`,
    remedy: fixed.length > 0 ? `update to a release that contains one of the fix commits ${fixed.map(short).join(', ')}` : 'no fix commit is recorded',
  };
}

/** One `affected[]` entry against one version (OSV `IsVulnerable`: in `versions`, or in a range). */
export function evaluateEntry(entry: AffectedEntry, version: string, gitTags: readonly GitTagMap[] = []): Verdict {
  const verdicts: Verdict[] = [];
  if (entry.versions.length > 0) {
    verdicts.push(
      entry.versions.some((x) => compareVersions(x, version) === 0)
        ? { status: 'affected', detail: `${version} is listed among the affected versions`, remedy: 'update to a version the advisory does not list' }
        : { status: 'not_affected', detail: `${version} is not among the affected versions listed (${entry.versions.join(', ')})` },
    );
  }
  for (const r of entry.ranges) verdicts.push(r.type === 'GIT' ? evaluateGit(r, version, gitTags) : evaluateLinear(r, version, entry.ecosystem));
  // A GIT record's `versions` list is a convenience copy of tag names (OSV schema), not authoritative:
  // when its range could not be evaluated, a version missing from the list proves nothing.
  if (entry.ranges.some((r) => r.type === 'GIT') && verdicts.some((v) => v.status === 'unknown')) {
    return worst(verdicts.filter((v) => v.status !== 'not_affected'))!;
  }
  return worst(verdicts) ?? { status: 'unknown', detail: 'the advisory names neither affected versions nor ranges' };
}
