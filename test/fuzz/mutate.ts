/**
 * Mutations of a real fixture, the way hostile or broken installers differ from good ones:
 * cut short, bytes damaged, a length field made huge, an offset pointed past the end, backwards
 * or at itself. Length/offset fields are found structurally: any aligned u32 (LE or BE) whose
 * value is a plausible offset or length into this file is a candidate, which concentrates the
 * mutations on headers, directories and tables instead of compressed payload bytes.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'inflate'; at: number; width: 2 | 4 | 8; be: boolean; value: number }
  | { kind: 'redirect'; at: number; width: 4 | 8; be: boolean; target: 'eof' | 'past' | 'self' | 'back' | 'zero' | 'one-less' }
  | { kind: 'splice'; from: number; to: number; length: number };

/** Offsets of u32 fields (LE or BE, any alignment) whose value is in [1, size]: likely offsets and lengths. */
export function fieldCandidates(seed: Uint8Array, max = 4096): { at: number; be: boolean }[] {
  const out: { at: number; be: boolean }[] = [];
  const view = new DataView(seed.buffer, seed.byteOffset, seed.byteLength);
  for (let i = 0; i + 4 <= seed.length; i++) {
    const le = view.getUint32(i, true);
    const be = view.getUint32(i, false);
    if (le >= 1 && le <= seed.length && le !== 0x01010101) out.push({ at: i, be: false });
    else if (be >= 1 && be <= seed.length) out.push({ at: i, be: true });
  }
  if (out.length <= max) return out;
  // Keep an even spread when there are very many (big fixtures).
  const step = out.length / max;
  return Array.from({ length: max }, (_, k) => out[Math.floor(k * step)]!);
}

const HUGE_VALUES = [0xff, 0x7fff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 2 ** 40, 2 ** 53 - 1];

/** One mutation of a seed of `size` bytes with the given field candidates. */
export function mutationArb(size: number, fields: { at: number; be: boolean }[]): fc.Arbitrary<Mutation> {
  const pos = fc.nat(Math.max(0, size - 1));
  // Half the positions near the head or tail, where headers and directories usually live.
  const edgePos = fc.oneof(pos, fc.nat(Math.min(size - 1, 1024)), fc.nat(Math.min(size - 1, 1024)).map((k) => size - 1 - k));
  const field = fields.length > 0 ? fc.constantFrom(...fields) : edgePos.map((at) => ({ at, be: false }));
  const arbs: fc.Arbitrary<Mutation>[] = [
    edgePos.map((at) => ({ kind: 'truncate', at }) as Mutation),
    fc.tuple(edgePos, fc.nat(255)).map(([at, value]) => ({ kind: 'flip', at, value }) as Mutation),
    fc
      .tuple(field, fc.constantFrom<2 | 4 | 8>(2, 4, 4, 8), fc.constantFrom(...HUGE_VALUES), fc.integer({ min: -2, max: 0 }))
      .map(([f, width, value, shift]) => ({ kind: 'inflate', at: Math.max(0, f.at + shift * 2), width, be: f.be, value }) as Mutation),
    fc
      .tuple(field, fc.constantFrom<4 | 8>(4, 4, 8), fc.constantFrom('eof', 'past', 'self', 'back', 'zero', 'one-less') as fc.Arbitrary<'eof'>)
      .map(([f, width, target]) => ({ kind: 'redirect', at: f.at, width, be: f.be, target }) as Mutation),
    fc.tuple(pos, pos, fc.integer({ min: 1, max: 64 })).map(([from, to, length]) => ({ kind: 'splice', from, to, length }) as Mutation),
  ];
  return fc.oneof(...arbs);
}

/** One to three mutations applied in order. */
export function mutationsArb(seed: Uint8Array, fields = fieldCandidates(seed)): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArb(seed.length, fields), { minLength: 1, maxLength: 3 });
}

function writeUint(buf: Buffer, at: number, width: 2 | 4 | 8, be: boolean, value: number): void {
  if (at < 0 || at + width > buf.length) return;
  if (width === 2) {
    const v = value & 0xffff || 0xffff;
    if (be) buf.writeUInt16BE(v, at);
    else buf.writeUInt16LE(v, at);
  } else if (width === 4) {
    const v = value > 0xffffffff ? 0xffffffff : value >>> 0;
    if (be) buf.writeUInt32BE(v, at);
    else buf.writeUInt32LE(v, at);
  } else if (be) buf.writeBigUInt64BE(BigInt(value), at);
  else buf.writeBigUInt64LE(BigInt(value), at);
}

export function applyMutations(seed: Uint8Array, mutations: Mutation[]): Buffer {
  let buf = Buffer.from(seed);
  for (const m of mutations) {
    switch (m.kind) {
      case 'truncate':
        buf = buf.subarray(0, Math.min(m.at, buf.length));
        break;
      case 'flip':
        if (m.at < buf.length) buf[m.at] = m.value === buf[m.at] ? m.value ^ 0xff : m.value;
        break;
      case 'inflate':
        writeUint(buf, m.at, m.width, m.be, m.value);
        break;
      case 'redirect': {
        const value = { eof: buf.length, past: buf.length + 4096, self: m.at, back: Math.max(0, m.at - 16), zero: 0, 'one-less': Math.max(0, buf.length - 1) }[m.target];
        writeUint(buf, m.at, m.width, m.be, value);
        break;
      }
      case 'splice':
        if (m.from < buf.length && m.to < buf.length) buf.copy(buf, m.to, m.from, Math.min(buf.length, m.from + m.length));
        break;
    }
  }
  return buf;
}

export function describeMutations(mutations: Mutation[]): string {
  return mutations.map((m) => JSON.stringify(m)).join(' ');
}
