/**
 * Fuzzing the signature readers. First the whole pipeline on signed seeds (as every format is
 * fuzzed); then, in process and much denser, mutations confined to the signature bytes alone
 * (the certificate table, the code signature, the xar signature heap), kept at their length so
 * every mutant reaches the signature reader: each must end in facts with a status, never an
 * exception of any kind.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readMachoFacts } from '../../src/inspect/macho/index.js';
import { readPeFacts } from '../../src/inspect/pe/index.js';
import type { SignatureFacts } from '../../src/inspect/types.js';
import { BufferByteSource } from '../../src/io/byte-source.js';
import { XarReader } from '../../src/unpack/xar/xar-reader.js';
import { signingSeeds, type NamedBytes } from '../fixtures-build/fuzz-seeds.js';
import { testContext } from '../fixtures-build/pkg-harness.js';
import { tempDir } from '../helpers/fixtures.js';
import { requireTools } from './formats.js';
import { FUZZ_RUNS, FUZZ_SECONDS, FUZZ_TEST_TIMEOUT, fuzzFormat, saveFinding } from './harness.js';
import { applyMutations, describeMutations, mutationsArb } from './mutate.js';

const TOOLS = ['x86_64-w64-mingw32-gcc', 'i686-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres', 'i686-w64-mingw32-windres', 'clang', 'bsdtar', 'openssl', 'osslsigncode'];
const STATUSES = new Set(['valid-digest', 'modified-after-signing', 'ad-hoc', 'unreadable', 'not-checked']);

test('fuzz signing (pipeline): mutated signed files end in success or InputError, bounded in time and memory', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, TOOLS)) return;
  const dir = await tempDir(t);
  await fuzzFormat(t, 'signing', await signingSeeds(dir));
});

/** A signature region of a seed and how to read the signatures of a file holding it. */
interface Target {
  seed: NamedBytes;
  region: { offset: number; size: number };
  read(bytes: Buffer): Promise<SignatureFacts[]>;
}

async function targets(seeds: NamedBytes[], t: Parameters<typeof testContext>[0]): Promise<Target[]> {
  const [dll, dylib, xar] = seeds;
  const pe = await readPeFacts(new BufferByteSource(dll!.bytes));
  const macho = await readMachoFacts(new BufferByteSource(dylib!.bytes));
  const ctx = testContext(t);
  const xarSigs = (await XarReader.open(new BufferByteSource(xar!.bytes), ctx)).info.signatures!;
  const xarStart = xarSigs[0]!.location!.offset;
  const xarEnd = xarSigs.at(-1)!.location!.offset + xarSigs.at(-1)!.location!.size;
  return [
    { seed: dll!, region: pe.certificate!, read: async (b) => (await readPeFacts(new BufferByteSource(b), { signatures: {} })).signatures ?? [] },
    {
      seed: dylib!,
      region: macho.slices[0]!.codeSignature!,
      read: async (b) => (await readMachoFacts(new BufferByteSource(b), { signatures: {} })).slices.flatMap((s) => (s.signature ? [s.signature] : [])),
    },
    { seed: xar!, region: { offset: xarStart, size: xarEnd - xarStart }, read: async (b) => (await XarReader.open(new BufferByteSource(b), ctx)).info.signatures ?? [] },
  ];
}

/** The mutated region, cut or zero-padded back to its length, in place of the original. */
function withRegion(seed: Buffer, region: { offset: number; size: number }, mutated: Buffer): Buffer {
  const out = Buffer.from(seed);
  out.fill(0, region.offset, region.offset + region.size);
  mutated.copy(out, region.offset, 0, Math.min(mutated.length, region.size));
  return out;
}

test('fuzz signature readers: mutated certificate tables, code signatures and TOC signatures are findings, never exceptions', { timeout: FUZZ_TEST_TIMEOUT }, async (t) => {
  if (!requireTools(t, TOOLS)) return;
  const dir = await tempDir(t);
  const list = await targets(await signingSeeds(dir), t);
  for (const target of list) {
    const sigs = await target.read(target.seed.bytes);
    assert.ok(sigs.length > 0 && sigs.every((s) => s.status !== 'unreadable'), `${target.seed.name} reads cleanly unmutated`);
  }
  const fcSeed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const regions = list.map((x) => Buffer.from(x.seed.bytes.subarray(x.region.offset, x.region.offset + x.region.size)));
  const counts: Record<string, number> = {};
  const arb = fc.oneof(...list.map((_, i) => mutationsArb(regions[i]!).map((m) => [i, m] as const)));
  await fc.assert(
    fc.asyncProperty(arb, async ([i, muts]) => {
      const target = list[i]!;
      const bytes = withRegion(target.seed.bytes, target.region, applyMutations(regions[i]!, [...muts]));
      try {
        const sigs = await target.read(bytes);
        for (const s of sigs) {
          assert.ok(STATUSES.has(s.status), `status ${s.status}`);
          if (s.status === 'unreadable') assert.ok(s.problem && !s.problem.includes('\n'), 'an unreadable signature says why, in one line');
          counts[s.status] = (counts[s.status] ?? 0) + 1;
        }
      } catch (err) {
        const saved = saveFinding('signing-readers', target.seed, bytes, `FUZZ_SEED=${fcSeed} ${describeMutations([...muts])}\n${(err as Error).stack}`);
        throw new Error(`${target.seed.name}: ${(err as Error).message} (saved: ${saved})`);
      }
      return true;
    }),
    {
      numRuns: FUZZ_RUNS * 5,
      seed: fcSeed,
      ...(FUZZ_SECONDS > 0 ? { interruptAfterTimeLimit: FUZZ_SECONDS * 1000, markInterruptAsFailure: false } : {}),
    },
  );
  t.diagnostic(`signature readers (FUZZ_SEED=${fcSeed}): ${JSON.stringify(counts)}`);
});
