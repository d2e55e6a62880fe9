import { performance } from 'node:perf_hooks';

/**
 * Wall time per pipeline stage, for `npm run bench` (issue 8). Off unless
 * INSTALLER_SBOM_TIMINGS=1; then the CLI prints one line to stderr:
 * `installer-sbom timings: unpack=0.812 inspect=0.104 detect=0.020 compose=0.051 write=0.012 total=1.004`.
 * Unpack, inspect and detect interleave inside the walk, so inspect and detect are summed per
 * file and unpack is the walk's remainder (decompression, hashing, container parsing).
 */
export const STAGES = ['unpack', 'inspect', 'detect', 'compose', 'write'] as const;
export type Stage = (typeof STAGES)[number];

const totals = new Map<Stage, number>();

export function timingsEnabled(): boolean {
  return process.env.INSTALLER_SBOM_TIMINGS === '1';
}

export function addStageTime(stage: Stage, ms: number): void {
  totals.set(stage, (totals.get(stage) ?? 0) + ms);
}

/** Runs `fn` and adds its wall time to `stage`. */
export async function timeStage<T>(stage: Stage, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    addStageTime(stage, performance.now() - t0);
  }
}

export function formatStageTimings(): string {
  const parts = STAGES.map((s) => `${s}=${((totals.get(s) ?? 0) / 1000).toFixed(3)}`);
  return `installer-sbom timings: ${parts.join(' ')} total=${(performance.now() / 1000).toFixed(3)}`;
}
