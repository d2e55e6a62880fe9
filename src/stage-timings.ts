import { performance } from 'node:perf_hooks';

/**
 * Busy time per pipeline stage, for `npm run bench`. Off unless INSTALLER_SBOM_TIMINGS=1; then the
 * CLI prints one line to stderr:
 * `installer-sbom timings: wall=1.004 startup=0.180 unpack=0.812 hash=0.400 inspect=0.104 detect=0.020 compose=0.051 write=0.012 main-busy=0.700 workers=yes`.
 * Stages overlap (decompression and hashing run on worker threads while the main thread inspects),
 * so each stage's figure is the time some thread spent on it, summed over threads: they add up to
 * more than `wall` when work ran in parallel. `wall` is from process start to the line; `startup`
 * is the part before the command began (Node start-up, module loading); `main-busy` is how long the
 * main thread ran code, start-up included (the rest of `wall` it waited for workers or I/O).
 */
export const STAGES = ['unpack', 'hash', 'inspect', 'detect', 'compose', 'write'] as const;
export type Stage = (typeof STAGES)[number];

/** Busy milliseconds per stage, on the main thread and on workers. */
const totals = new Map<Stage, { main: number; worker: number }>();
let commandStart: number | undefined;
let workersSeen = false;

export function timingsEnabled(): boolean {
  return process.env.INSTALLER_SBOM_TIMINGS === '1';
}

/** Marks where start-up ends (the CLI calls it first thing). */
export function markCommandStart(): void {
  commandStart ??= performance.now();
}

/** Adds `ms` of busy time to `stage`, spent on the main thread or on a worker. */
export function addStageTime(stage: Stage, ms: number, thread: 'main' | 'worker' = 'main'): void {
  let t = totals.get(stage);
  if (!t) totals.set(stage, (t = { main: 0, worker: 0 }));
  t[thread] += ms;
  if (thread === 'worker') workersSeen = true;
}

/** Busy milliseconds of `stage` so far, on one kind of thread or both. */
export function stageTime(stage: Stage, thread?: 'main' | 'worker'): number {
  const t = totals.get(stage);
  return t ? (thread ? t[thread] : t.main + t.worker) : 0;
}

/** Milliseconds the main thread has spent running code (not waiting) since the process started. */
export function mainThreadActive(): number {
  return performance.eventLoopUtilization().active;
}

/** Runs `fn` on this thread and adds its time to `stage`. */
export async function timeStage<T>(stage: Stage, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    addStageTime(stage, performance.now() - t0);
  }
}

export function formatStageTimings(): string {
  const s = (ms: number): string => (ms / 1000).toFixed(3);
  const main = mainThreadActive() + (commandStart ?? 0);
  const parts = [`wall=${s(performance.now())}`, `startup=${s(commandStart ?? 0)}`, ...STAGES.map((st) => `${st}=${s(stageTime(st))}`), `main-busy=${s(main)}`, `workers=${workersSeen ? 'yes' : 'no'}`];
  return `installer-sbom timings: ${parts.join(' ')}`;
}
