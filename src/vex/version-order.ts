/**
 * Version order for advisory ranges. Upstream C libraries do not follow SemVer: OpenSSL appends
 * letters to patch releases (1.1.1w < 1.1.1za), SQLite and Tcl tags carry a fourth `.0`
 * (3.45.3.0 = 3.45.3), CPython and Tcl mark pre-releases with letters and a number
 * (3.13.0rc2 < 3.13.0, 8.6b1 < 8.6.0). One order serves them all: numbers compare as numbers,
 * missing trailing parts count as 0, a pre-release tag sorts below the release, a bare letter
 * suffix sorts above it.
 */

type Part =
  | { kind: 'num'; value: bigint }
  | { kind: 'pre'; rank: number; n: bigint }
  | { kind: 'letter'; text: string }
  | { kind: 'post'; n: bigint };

/** PEP 440 and common upstream pre-release words, in release order (dev < alpha < beta < rc). */
const PRE_RANK: Record<string, number> = { dev: 0, a: 1, alpha: 1, b: 2, beta: 2, pre: 3, preview: 3, c: 4, rc: 4 };
const POST_WORDS = new Set(['post', 'rev', 'r']);

function parts(version: string): Part[] {
  const text = version.trim().toLowerCase().replace(/^v(?=\d)/, '').replace(/\+.*$/, '');
  const tokens = text.match(/\d+|[a-z]+/g) ?? [];
  const out: Part[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (/^\d/.test(t)) {
      out.push({ kind: 'num', value: BigInt(t) });
      continue;
    }
    const next = tokens[i + 1];
    const number = next !== undefined && /^\d/.test(next) ? BigInt(next) : undefined;
    if (t in PRE_RANK && (number !== undefined || t.length > 1)) {
      out.push({ kind: 'pre', rank: PRE_RANK[t]!, n: number ?? 0n });
      if (number !== undefined) i++;
    } else if (POST_WORDS.has(t) && number !== undefined) {
      out.push({ kind: 'post', n: number });
      i++;
    } else {
      out.push({ kind: 'letter', text: t });
    }
  }
  return out;
}

/** Where a kind of part sorts against another kind at the same position (a missing part is num 0). */
function classOf(p: Part): number {
  switch (p.kind) {
    case 'pre':
      return 0;
    case 'num':
      return p.value === 0n ? 1 : 4;
    case 'letter':
      return 2;
    case 'post':
      return 3;
  }
}

function sign(a: bigint | number | string, b: bigint | number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePart(a: Part, b: Part): number {
  if (a.kind === 'num' && b.kind === 'num') return sign(a.value, b.value);
  if (a.kind === 'pre' && b.kind === 'pre') return sign(a.rank, b.rank) || sign(a.n, b.n);
  // OpenSSL's letters run a…z, za…zz: plain string order keeps that sequence.
  if (a.kind === 'letter' && b.kind === 'letter') return sign(a.text, b.text);
  if (a.kind === 'post' && b.kind === 'post') return sign(a.n, b.n);
  return sign(classOf(a), classOf(b));
}

const ZERO: Part = { kind: 'num', value: 0n };

/** Upstream version order (see the module comment); 0 means the same release. */
export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const c = comparePart(pa[i] ?? ZERO, pb[i] ?? ZERO);
    if (c !== 0) return c;
  }
  return 0;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

/** SemVer 2.0.0 §11 precedence; versions that are not SemVer fall back to the upstream order. */
export function compareSemver(a: string, b: string): number {
  const ma = SEMVER.exec(a.trim());
  const mb = SEMVER.exec(b.trim());
  if (!ma || !mb) return compareVersions(a, b);
  for (let i = 1; i <= 3; i++) {
    const c = sign(BigInt(ma[i]!), BigInt(mb[i]!));
    if (c !== 0) return c;
  }
  const pa = ma[4]?.split('.');
  const pb = mb[4]?.split('.');
  if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    const c = nx && ny ? sign(BigInt(x), BigInt(y)) : nx !== ny ? (nx ? -1 : 1) : sign(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

/** The first two numbers (3.0 of 3.0.18): a release line that receives its own fixes. */
export function releaseLine(version: string): string {
  const nums = parts(version).filter((p): p is Extract<Part, { kind: 'num' }> => p.kind === 'num');
  return nums.slice(0, 2).map((p) => p.value.toString()).join('.');
}
