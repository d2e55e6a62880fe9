import type { VexStatus } from './model.js';
import { readVex, type VexRow, type VexView } from './read.js';

export const STATUSES: readonly VexStatus[] = ['affected', 'under_investigation', 'fixed', 'not_affected'];

const RANK: Record<VexStatus, number> = { affected: 3, under_investigation: 2, fixed: 1, not_affected: 0 };

export type StatusCounts = Record<VexStatus, number>;

export interface VexSummary {
  format: VexView['format'];
  id: string;
  author?: string;
  timestamp?: string;
  /** (vulnerability, product, component) rows. */
  statements: number;
  byStatus: StatusCounts;
  /** Per component (the product itself under its own identifier), counts per status; most affected first. */
  components: { component: string; byStatus: StatusCounts }[];
  /** What needs attention: every affected and under-investigation row. */
  open: { vulnerability: string; component: string; status: VexStatus; detail?: string }[];
}

const zero = (): StatusCounts => ({ affected: 0, under_investigation: 0, fixed: 0, not_affected: 0 });

const subjectOf = (r: VexRow) => r.component ?? r.product;

function view(doc: unknown): VexView {
  return doc && typeof doc === 'object' && 'rows' in doc && 'format' in doc ? (doc as VexView) : readVex(doc);
}

/** Counts per status and per component of an OpenVEX or CycloneDX VEX document (parsed JSON). */
export function summarizeVex(doc: unknown): VexSummary {
  const v = view(doc);
  const byStatus = zero();
  const perComponent = new Map<string, StatusCounts>();
  for (const r of v.rows) {
    byStatus[r.status]++;
    const c = perComponent.get(subjectOf(r)) ?? zero();
    c[r.status]++;
    perComponent.set(subjectOf(r), c);
  }
  const components = [...perComponent.entries()]
    .map(([component, counts]) => ({ component, byStatus: counts }))
    .sort((a, b) => STATUSES.reduce((acc, s) => acc || b.byStatus[s] - a.byStatus[s], 0) || (a.component < b.component ? -1 : 1));
  const open = v.rows
    .filter((r) => r.status === 'affected' || r.status === 'under_investigation')
    .map((r) => ({ vulnerability: r.vulnerability, component: subjectOf(r), status: r.status, ...(r.detail ? { detail: r.detail } : {}) }))
    .sort((a, b) => RANK[b.status] - RANK[a.status] || (a.vulnerability < b.vulnerability ? -1 : a.vulnerability > b.vulnerability ? 1 : a.component < b.component ? -1 : 1));
  return { format: v.format, id: v.id, ...(v.author ? { author: v.author } : {}), ...(v.timestamp ? { timestamp: v.timestamp } : {}), statements: v.rows.length, byStatus, components, open };
}

const counts = (c: StatusCounts) => STATUSES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`).join(', ') || 'none';

/** Plain-text summary for a terminal. */
export function formatVexSummary(s: VexSummary): string {
  const lines = [`${s.statements} statement(s): ${counts(s.byStatus)}`];
  for (const c of s.components) lines.push(`  ${c.component}: ${counts(c.byStatus)}`);
  for (const o of s.open) lines.push(`  ${o.status.padEnd(19)} ${o.vulnerability}  ${o.component}`);
  return `${lines.join('\n')}\n`;
}
