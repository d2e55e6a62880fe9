import type { VexStatus } from './model.js';
import { readVex, type VexRow, type VexView } from './read.js';

/** One (vulnerability, component) whose status differs between two VEX documents. */
export interface VexChange {
  vulnerability: string;
  /** The component (or product) as each document identifies it (versions differ across releases). */
  component: string;
  from?: VexStatus;
  to?: VexStatus;
}

export interface VexDiff {
  /** Present in both, status changed. */
  changed: VexChange[];
  /** Only in the new document. */
  added: VexChange[];
  /** Only in the old document. */
  removed: VexChange[];
  unchanged: number;
}

const RANK: Record<VexStatus, number> = { affected: 3, under_investigation: 2, fixed: 1, not_affected: 0 };

function asView(doc: unknown, name: string): VexView {
  return doc && typeof doc === 'object' && 'rows' in doc && 'format' in doc ? (doc as VexView) : readVex(doc, name);
}

/**
 * Rows keyed by vulnerability and versionless component identity, so a component whose version
 * changed between releases (openssl 3.0.15 → 3.0.16) is one row that changed status. The product
 * is part of the key only when a document speaks about several products.
 */
function keyed(v: VexView, withProduct: boolean): Map<string, { row: VexRow; labels: Set<string> }> {
  const out = new Map<string, { row: VexRow; labels: Set<string> }>();
  for (const r of v.rows) {
    const key = [r.vulnerability.toUpperCase(), withProduct ? r.productKey : '', r.componentKey ?? '(product)'].join('\u0000');
    const seen = out.get(key);
    const label = r.component ?? r.product;
    if (!seen) out.set(key, { row: r, labels: new Set([label]) });
    else {
      seen.labels.add(label);
      if (RANK[r.status] > RANK[seen.row.status]) seen.row = r;
    }
  }
  return out;
}

/** Status changes per vulnerability × component between two VEX documents (OpenVEX or CycloneDX). */
export function diffVex(oldDoc: unknown, newDoc: unknown): VexDiff {
  const a = asView(oldDoc, 'old');
  const b = asView(newDoc, 'new');
  const multi = (v: VexView) => new Set(v.rows.map((r) => r.productKey)).size > 1;
  const withProduct = multi(a) || multi(b);
  const before = keyed(a, withProduct);
  const after = keyed(b, withProduct);
  const label = (x: { labels: Set<string> }) => [...x.labels].sort().join(', ');
  const diff: VexDiff = { changed: [], added: [], removed: [], unchanged: 0 };
  for (const [key, o] of before) {
    const n = after.get(key);
    if (!n) diff.removed.push({ vulnerability: o.row.vulnerability, component: label(o), from: o.row.status });
    else if (n.row.status !== o.row.status) diff.changed.push({ vulnerability: n.row.vulnerability, component: label(o) === label(n) ? label(n) : `${label(o)} → ${label(n)}`, from: o.row.status, to: n.row.status });
    else diff.unchanged++;
  }
  for (const [key, n] of after) if (!before.has(key)) diff.added.push({ vulnerability: n.row.vulnerability, component: label(n), to: n.row.status });
  const order = (x: VexChange, y: VexChange) => (x.vulnerability < y.vulnerability ? -1 : x.vulnerability > y.vulnerability ? 1 : x.component < y.component ? -1 : x.component > y.component ? 1 : 0);
  diff.changed.sort(order);
  diff.added.sort(order);
  diff.removed.sort(order);
  return diff;
}

/** For `diff` on a terminal (`text`) or in release notes (`markdown`). */
export function formatVexDiff(d: VexDiff, style: 'text' | 'markdown'): string {
  const rows: [string, VexChange][] = [
    ...d.changed.map((c): [string, VexChange] => ['changed', c]),
    ...d.added.map((c): [string, VexChange] => ['added', c]),
    ...d.removed.map((c): [string, VexChange] => ['removed', c]),
  ];
  if (style === 'markdown') {
    if (rows.length === 0) return `No VEX status changed (${d.unchanged} unchanged).\n`;
    const lines = ['| Vulnerability | Component | Before | After |', '|---|---|---|---|'];
    for (const [, c] of rows) lines.push(`| ${c.vulnerability} | ${c.component.replaceAll('|', '\\|')} | ${c.from ?? '—'} | ${c.to ?? '—'} |`);
    return `${lines.join('\n')}\n\n${d.unchanged} unchanged.\n`;
  }
  const lines = rows.map(([kind, c]) => `${kind.padEnd(8)} ${c.vulnerability}  ${c.component}  ${c.from ?? '(none)'} → ${c.to ?? '(none)'}`);
  lines.push(`${d.changed.length} changed, ${d.added.length} added, ${d.removed.length} removed, ${d.unchanged} unchanged`);
  return `${lines.join('\n')}\n`;
}
