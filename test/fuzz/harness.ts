/**
 * The mutation fuzz loop shared by every format: fast-check draws mutations of real fixtures,
 * each mutant runs through the whole pipeline (analyzeArtifact) in a worker thread, and anything
 * but success or an InputError (a crash, a hang past the time bound, an uncaught stream error,
 * a multi-line message, a temp dir left behind, runaway memory) is a finding. Findings are saved
 * under FUZZ_FINDINGS (default $TMPDIR/installer-sbom-fuzz-findings/<format>/) so they can become
 * regression fixtures under fixtures/regressions/<format>/.
 *
 * FUZZ_RUNS      mutants per format (default 400)
 * FUZZ_SECONDS   wall-clock cap per format (default 25; 0 = none)
 * FUZZ_SEED      fast-check seed to replay a run (printed with every result)
 * FUZZ_TIMEOUT_MS per-input time bound (default 10000)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { Limits } from '../../src/unpack/limits.js';
import { tempDir } from '../helpers/fixtures.js';
import { applyMutations, describeMutations, fieldCandidates, mutationsArb, type Mutation } from './mutate.js';
import type { PipelineReply, PipelineRequest } from './pipeline-worker.js';

export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 400);
export const FUZZ_SECONDS = Number(process.env.FUZZ_SECONDS ?? 25);
export const FUZZ_TIMEOUT_MS = Number(process.env.FUZZ_TIMEOUT_MS ?? 10_000);
export const FUZZ_FINDINGS = process.env.FUZZ_FINDINGS ?? join(tmpdir(), 'installer-sbom-fuzz-findings');
/** Per-test timeout: generous for the bounded default run, none for long runs (FUZZ_SECONDS=0). */
export const FUZZ_TEST_TIMEOUT = FUZZ_SECONDS > 0 ? 600_000 : Infinity;
const MAX_RSS_GROWTH = 1536 * 1024 * 1024;

export type Outcome = { outcome: PipelineReply['outcome'] | 'hang' | 'crash'; name?: string; message?: string; ms: number };

/**
 * One long-lived worker running the pipeline; replaced after a hang or a crash. Its TMPDIR is a
 * directory of its own, so every temp dir a reader makes can be checked to be gone afterwards.
 */
export class PipelineRunner {
  private worker: Worker | undefined;
  private nextId = 0;
  private pending: { id: number; worker: Worker; resolve: (o: Outcome) => void; started: number } | undefined;

  constructor(
    readonly tmp: string,
    private readonly timeoutMs = FUZZ_TIMEOUT_MS,
    private readonly workerUrl = new URL('./pipeline-worker.js', import.meta.url),
  ) {}

  private start(): Worker {
    const w = new Worker(this.workerUrl, {
      env: { ...process.env, TMPDIR: this.tmp },
      resourceLimits: { maxOldGenerationSizeMb: 768 },
    });
    w.on('message', (reply: PipelineReply) => {
      const p = this.pending;
      if (!p || p.id !== reply.id) return;
      this.pending = undefined;
      p.resolve({ outcome: reply.outcome, ...(reply.name ? { name: reply.name } : {}), ...(reply.message ? { message: reply.message } : {}), ms: Date.now() - p.started });
    });
    // An error thrown outside the awaited chain (a stream 'error' nobody listens to, an
    // unhandled rejection) or running out of heap kills the worker: a crash of the CLI too.
    w.on('error', (err) => this.fail(w, 'crash', err));
    w.on('exit', (code) => this.fail(w, 'crash', new Error(`worker exited with code ${code}`)));
    w.unref();
    return w;
  }

  private fail(w: Worker, outcome: 'crash' | 'hang', err: Error): void {
    if (this.worker === w) this.worker = undefined;
    const p = this.pending;
    // A terminated worker's late 'exit' must not be blamed on the next input.
    if (!p || p.worker !== w) return;
    this.pending = undefined;
    p.resolve({ outcome, name: err.name, message: `${err.message}\n${err.stack ?? ''}`, ms: Date.now() - p.started });
  }

  run(path: string, limits?: Partial<Limits>, timeoutMs = this.timeoutMs): Promise<Outcome> {
    const w = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => {
        this.fail(w, 'hang', new Error(`no answer within ${timeoutMs} ms`));
        void w.terminate();
      }, timeoutMs);
      this.pending = {
        id,
        worker: w,
        started: Date.now(),
        resolve: (o) => {
          clearTimeout(timer);
          resolve(o);
        },
      };
      w.postMessage({ id, path, ...(limits ? { limits } : {}) } satisfies PipelineRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) {
      w.removeAllListeners('exit');
      await w.terminate();
    }
  }
}

export interface Seed {
  /** File name the mutant is written under (readers use the name as a tie-break). */
  name: string;
  bytes: Uint8Array;
}

export interface Finding {
  signature: string;
  outcome: Outcome;
  mutations: string;
  saved: string;
}

export interface FuzzReport {
  runs: number;
  seconds: number;
  counts: Record<string, number>;
  findings: Finding[];
}

/** Groups findings by kind and first message line, digits blurred, so one bug is one finding. */
function signatureOf(o: Outcome): string {
  const first = (o.message ?? '').split('\n')[0]!.replace(/\d+/g, 'N').slice(0, 120);
  return `${o.outcome}:${o.name ?? ''}:${first}`;
}

/** What makes an outcome a finding; undefined when it is fine. */
export function problemOf(o: Outcome): string | undefined {
  if (o.outcome === 'ok') return undefined;
  if (o.outcome === 'input') {
    if ((o.message ?? '').includes('\n')) return 'InputError message spans several lines';
    return undefined;
  }
  return o.outcome;
}

export function saveFinding(format: string, seed: Seed, bytes: Uint8Array, note: string): string {
  const dir = join(FUZZ_FINDINGS, format);
  mkdirSync(dir, { recursive: true });
  const id = createHash('sha1').update(bytes).digest('hex').slice(0, 12);
  const path = join(dir, `${id}-${seed.name}`);
  writeFileSync(path, bytes);
  writeFileSync(`${path}.txt`, `${note}\n`);
  return path;
}

/**
 * Fuzzes one format: every seed must first pass unmutated (a fixture that already fails proves
 * nothing), then FUZZ_RUNS mutants (or FUZZ_SECONDS, whichever ends first).
 */
export async function fuzzFormat(
  t: TestContext,
  format: string,
  seeds: Seed[],
  options: { runs?: number; seconds?: number; limits?: Partial<Limits> } = {},
): Promise<FuzzReport> {
  const work = await tempDir(t, `isbom-fuzz-${format}-`);
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  const runner = new PipelineRunner(tmp);
  t.after(() => runner.close());
  const counts: Record<string, number> = {};
  const findings = new Map<string, Finding>();
  const started = Date.now();
  const rssBase = process.memoryUsage().rss;
  let runs = 0;

  const runOne = async (seed: Seed, bytes: Uint8Array, note: string): Promise<Outcome> => {
    const dir = join(work, 'in');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const path = join(dir, seed.name);
    writeFileSync(path, bytes);
    /** Empties the workers' TMPDIR after a run that was cut off (it could not clean up itself). */
    const clearTmp = (left = readdirSync(tmp)) => {
      for (const l of left) rmSync(join(tmp, l), { recursive: true, force: true });
    };
    let o = await runner.run(path, options.limits);
    // A machine busy with other jobs can stall a run past the bound: a hang counts only when a
    // fresh worker, given six times as long, does not answer either.
    if (o.outcome === 'hang') {
      clearTmp();
      o = await runner.run(path, options.limits, FUZZ_TIMEOUT_MS * 6);
    }
    let problem = problemOf(o);
    if (!problem && o.outcome !== 'hang') {
      const left = readdirSync(tmp);
      if (left.length > 0) {
        problem = `temp left behind: ${left.join(', ')}`;
        clearTmp(left);
      }
    }
    if (!problem && process.memoryUsage().rss - rssBase > MAX_RSS_GROWTH) problem = `rss grew by ${process.memoryUsage().rss - rssBase} bytes`;
    if (o.outcome === 'hang' || o.outcome === 'crash') clearTmp();
    counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
    if (problem) {
      const sig = problem === o.outcome ? signatureOf(o) : `${problem.replace(/\d+/g, 'N')}`;
      if (!findings.has(sig)) {
        const saved = saveFinding(format, seed, bytes, `${problem}\n${note}\n${o.name ?? ''}: ${o.message ?? ''}`);
        findings.set(sig, { signature: sig, outcome: o, mutations: note, saved });
      }
    }
    return o;
  };

  for (const seed of seeds) {
    const o = await runOne(seed, seed.bytes, 'unmutated seed');
    assert.equal(o.outcome, 'ok', `seed ${seed.name} must pass unmutated: ${o.message}`);
  }

  const fields = seeds.map((s) => fieldCandidates(s.bytes));
  const arb = fc.oneof(...seeds.map((s, i) => mutationsArb(s.bytes, fields[i]).map((m) => [i, m] as [number, Mutation[]])));
  const fcSeed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const seconds = options.seconds ?? FUZZ_SECONDS;
  await fc.assert(
    fc.asyncProperty(arb, async ([i, muts]) => {
      runs += 1;
      const seed = seeds[i]!;
      await runOne(seed, applyMutations(seed.bytes, muts), `FUZZ_SEED=${fcSeed} seed=${seed.name} ${describeMutations(muts)}`);
      return true;
    }),
    {
      numRuns: options.runs ?? FUZZ_RUNS,
      seed: fcSeed,
      ...(seconds > 0 ? { interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false } : {}),
    },
  );
  const report: FuzzReport = { runs, seconds: (Date.now() - started) / 1000, counts, findings: [...findings.values()] };
  t.diagnostic(`${format}: ${runs} mutants in ${report.seconds.toFixed(1)} s (FUZZ_SEED=${fcSeed}): ${JSON.stringify(counts)}`);
  assert.deepEqual(
    report.findings.map((f) => `${f.signature}\n    saved: ${f.saved}\n    ${f.mutations}\n    ${(f.outcome.message ?? '').split('\n').slice(0, 6).join('\n    ')}`),
    [],
    `${format}: findings (FUZZ_SEED=${fcSeed})`,
  );
  return report;
}

/** The bytes of a fixture file, as a seed. */
export function seedOf(name: string, bytes: Uint8Array): Seed {
  return { name, bytes };
}
