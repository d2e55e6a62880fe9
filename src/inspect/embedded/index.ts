/**
 * SBOM data binaries carry about themselves: UEFI `.sbat` rows, Go build info, cargo-auditable's
 * `.dep-v0`. Found by section name (and, for Go on PE, by the header's magic at the start of a
 * data section, where the Go linker puts it); every read is bounded.
 */
import type { ByteSource } from '../../io/byte-source.js';
import type { BinaryFacts, EmbeddedSbomFacts } from '../types.js';
import { parseCargoAuditable } from './cargo-auditable.js';
import { findGoBuildInfo, parseGoBuildInfo } from './go-buildinfo.js';
import { parseSbat } from './sbat.js';

const MAX_SBAT = 64 << 10;
const MAX_DEP = 4 << 20;
/** Go build info: the header plus two strings; module lists of large programs stay well under this. */
const MAX_GO = 1 << 20;
/** How far into a PE data section the Go header is looked for. */
const GO_SEARCH = 64 << 10;
const PE_EXECUTE = 0x20000000;
const PE_UNINITIALIZED = 0x00000080;

interface Place {
  section: string;
  offset: number;
  size: number;
}

export async function readEmbeddedSbom(src: ByteSource, facts: BinaryFacts): Promise<EmbeddedSbomFacts | undefined> {
  const places: Place[] = [];
  for (const s of facts.pe?.sections ?? []) {
    if (s.rawSize > 0 && !(s.characteristics & PE_UNINITIALIZED)) places.push({ section: s.name, offset: s.rawOffset, size: Math.min(s.rawSize, src.size - s.rawOffset) });
  }
  for (const slice of facts.macho?.slices ?? []) {
    for (const seg of slice.segments) {
      for (const sec of seg.sections) {
        if (sec.offset > 0 && sec.size > 0) places.push({ section: `${facts.macho!.fat ? `${slice.arch}:` : ''}${sec.segment},${sec.name}`, offset: sec.offset, size: sec.size });
      }
    }
  }
  const out: EmbeddedSbomFacts = {};
  const named = (name: string): Place | undefined => places.find((p) => p.section === name || p.section.endsWith(`,${name}`));

  const sbat = named('.sbat');
  if (sbat) out.sbat = { section: sbat.section, offset: sbat.offset, rows: parseSbat(await src.read(sbat.offset, Math.min(sbat.size, MAX_SBAT))) };

  const dep = named('.dep-v0');
  if (dep) {
    out.cargoAuditable = { section: dep.section, offset: dep.offset, packages: [] };
    if (dep.size > MAX_DEP) out.cargoAuditable.problem = `section of ${dep.size} bytes exceeds ${MAX_DEP}`;
    else {
      try {
        out.cargoAuditable.packages = parseCargoAuditable(await src.read(dep.offset, dep.size));
      } catch (err) {
        out.cargoAuditable.problem = `not cargo-auditable data: ${(err as Error).message}`;
      }
    }
  }

  const go = named('__go_buildinfo') ?? named('.go.buildinfo');
  const dataSections = new Set((facts.pe?.sections ?? []).filter((s) => !(s.characteristics & PE_EXECUTE)).map((s) => s.name));
  const candidates = go ? [go] : places.filter((p) => dataSections.has(p.section));
  for (const place of candidates) {
    const head = await src.read(place.offset, Math.min(place.size, GO_SEARCH));
    const at = findGoBuildInfo(head);
    if (at === -1) continue;
    const bytes = await src.read(place.offset + at, Math.min(place.size - at, MAX_GO));
    const info = parseGoBuildInfo(bytes);
    out.goBuildInfo = { section: place.section, offset: place.offset + at, ...(info ? { info } : { problem: 'build info in the pre-Go 1.18 pointer form, or unreadable' }) };
    break;
  }
  return out.sbat || out.cargoAuditable || out.goBuildInfo ? out : undefined;
}
