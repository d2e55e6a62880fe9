import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import type { PeSection } from '../../inspect/types.js';

/**
 * The `.wixburn` section a WiX Burn stub carries, and the file layout it describes
 * (WiX 3 BurnCommon.cs, burn/engine/section.cpp): little-endian u32 fields
 *   +0 magic 0x00F14300, +4 version 2, +8 bundle GUID, +24 stub size, +28 original checksum,
 *   +32/+36 original signature offset/size, +40 container format (1 = CAB), +44 container count
 *   (UX included), +48 UX container size, +52… one size per attached container.
 */
export const WIXBURN_MAGIC = 0x00f14300;
export const WIXBURN_VERSION = 2;
const FORMAT_CAB = 1;
const FIXED_FIELDS = 52;
/** The stub reserves 512 bytes: 116 attached-container slots after the fixed fields. */
export const MAX_ATTACHED_CONTAINERS = 116;

export interface WixburnSection {
  /** File offset of the section's raw data. */
  offset: number;
  version: number;
  /** The bundle GUID in registry form, `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`. */
  bundleId: string;
  stubSize: number;
  originalChecksum: number;
  originalSignatureOffset: number;
  originalSignatureSize: number;
  containerFormat: number;
  containerCount: number;
  uxSize: number;
  /** Sizes of the attached containers, in AttachedIndex order (1, 2, …). */
  attachedSizes: number[];
}

/** What the PE reader says about the bundle file, against which the section's layout is checked. */
export interface BundleExtent {
  fileSize: number;
  /** End of the stub's headers and section data. */
  imageEnd: number;
  /** The bundle's Authenticode table (PE data directory 4), when signed. */
  certificate?: { offset: number; size: number } | undefined;
}

/** A byte range of the bundle file holding one container. */
export interface ContainerRange {
  /** 0 for the UX container, then the manifest's AttachedIndex (1, 2, …). */
  index: number;
  offset: number;
  size: number;
  /**
   * The container starts at or past the end of the bundle's data (the file's end, or its
   * certificate table): it is not attached to this file. A web installer's bundle is laid out so;
   * a container that starts inside the file but ends past it is a truncated file instead.
   */
  absent?: boolean;
}

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/**
 * File offset and raw size of the `.wixburn` section when the section table lies within `head`;
 * undefined when it does not (or the bytes are not a PE). Cheap enough for `canRead`.
 */
export function findWixburnInHead(head: Uint8Array): { rawOffset: number; rawSize: number } | undefined {
  if (head.length < 64 || head[0] !== 0x4d || head[1] !== 0x5a) return undefined;
  const pe = u32(head, 0x3c);
  if (pe < 4 || pe + 24 > head.length) return undefined;
  if (u32(head, pe) !== 0x4550) return undefined;
  const count = u16(head, pe + 6);
  const table = pe + 24 + u16(head, pe + 20);
  for (let i = 0; i < count; i++) {
    const at = table + i * 40;
    if (at + 40 > head.length) return undefined;
    if (isWixburnName(head.subarray(at, at + 8))) return { rawSize: u32(head, at + 16), rawOffset: u32(head, at + 20) };
  }
  return undefined;
}

function isWixburnName(raw: Uint8Array): boolean {
  const name = '.wixburn';
  for (let i = 0; i < 8; i++) if (raw[i] !== name.charCodeAt(i)) return false;
  return true;
}

/** The GUID as Windows stores it: Data1 u32, Data2 u16, Data3 u16 little-endian, Data4 as bytes. */
export function formatGuid(b: Uint8Array): string {
  const hex = (n: number, w: number): string => n.toString(16).toUpperCase().padStart(w, '0');
  const tail = [...b.subarray(8, 16)].map((x) => hex(x, 2));
  return `{${hex(u32(b, 0), 8)}-${hex(u16(b, 4), 4)}-${hex(u16(b, 6), 4)}-${tail.slice(0, 2).join('')}-${tail.slice(2).join('')}}`;
}

/** Reads and checks the section's header; every field that places bytes is validated later by `containerRanges`. */
export async function readWixburnSection(source: ByteSource, section: PeSection): Promise<WixburnSection> {
  if (section.rawSize < FIXED_FIELDS) {
    throw new InputError(`.wixburn section of ${section.rawSize} bytes is too small for its ${FIXED_FIELDS}-byte header`, [], section.rawOffset);
  }
  const size = Math.min(section.rawSize, FIXED_FIELDS + 4 * MAX_ATTACHED_CONTAINERS);
  const b = await readExactly(source, section.rawOffset, size, '.wixburn section');
  const at = section.rawOffset;
  const magic = u32(b, 0);
  if (magic !== WIXBURN_MAGIC) {
    throw new InputError(`.wixburn section has magic 0x${magic.toString(16).padStart(8, '0')}, not 0x00f14300`, [], at);
  }
  const version = u32(b, 4);
  if (version !== WIXBURN_VERSION) throw new InputError(`.wixburn section version ${version} is not supported (only 2)`, [], at + 4);
  const containerFormat = u32(b, 40);
  const containerCount = u32(b, 44);
  // The unbound engine's section is as compiled, its format field not necessarily set.
  if (containerCount > 0 && containerFormat !== FORMAT_CAB) throw new InputError(`.wixburn container format ${containerFormat} is not 1 (CAB)`, [], at + 40);
  const slots = Math.floor((size - FIXED_FIELDS) / 4);
  // 0 is the engine as the WiX toolset ships it (burn.exe), before any bundle is bound to it.
  if (containerCount - 1 > slots) {
    throw new InputError(`.wixburn declares ${containerCount} containers; the section has room for 1 + ${slots}`, [], at + 44);
  }
  const attachedSizes: number[] = [];
  for (let i = 0; i < containerCount - 1; i++) attachedSizes.push(u32(b, FIXED_FIELDS + 4 * i));
  if (containerCount === 0 && (u32(b, 24) !== 0 || u32(b, 48) !== 0)) {
    throw new InputError('.wixburn declares 0 containers but gives a stub or UX container size', [], at + 44);
  }
  return {
    offset: at,
    version,
    bundleId: formatGuid(b.subarray(8, 24)),
    stubSize: u32(b, 24),
    originalChecksum: u32(b, 28),
    originalSignatureOffset: u32(b, 32),
    originalSignatureSize: u32(b, 36),
    containerFormat,
    containerCount,
    uxSize: u32(b, 48),
    attachedSizes,
  };
}

/**
 * Where each container lies. The UX container starts at the stub size. Attached containers follow
 * the "engine": the stub and UX container, or — when the engine was signed before the bundle was
 * built (WiX's detach/reattach signing) — the end of that original signature (BurnCommon.cs,
 * `EngineSize`). Every range must lie inside the file, before the bundle's own certificate
 * table, and not overlap another; a hostile section cannot make us read outside the file.
 * Attached containers that start where the bundle's data ends are marked absent.
 */
export function containerRanges(s: WixburnSection, file: BundleExtent): ContainerRange[] {
  const { fileSize, imageEnd, certificate } = file;
  const ranges: ContainerRange[] = [];
  const uxEnd = s.stubSize + s.uxSize;
  if (s.uxSize === 0) throw new InputError(`.wixburn UX container size is 0; a bundle always has one`, [], s.offset + 48);
  if (s.stubSize < imageEnd) {
    throw new InputError(`.wixburn stub size ${s.stubSize} ends inside the stub's own image (${imageEnd} bytes): the UX container would overlap it`, [], s.offset + 24);
  }
  ranges.push({ index: 0, offset: s.stubSize, size: s.uxSize });
  let next = uxEnd;
  if (s.originalSignatureOffset > 0) {
    const sigEnd = s.originalSignatureOffset + s.originalSignatureSize;
    if (s.originalSignatureOffset < uxEnd || sigEnd > fileSize) {
      throw new InputError(`.wixburn original signature ${s.originalSignatureOffset}+${s.originalSignatureSize} does not lie between the UX container (ends at ${uxEnd}) and the end of the file (${fileSize})`, [], s.offset + 32);
    }
    next = sigEnd;
  }
  s.attachedSizes.forEach((size, i) => {
    // A zero slot is a container with nothing in it; BurnCommon.cs skips those too.
    if (size === 0) return;
    ranges.push({ index: i + 1, offset: next, size });
    next += size;
  });
  const dataEnd = certificate && certificate.offset >= uxEnd ? certificate.offset : fileSize;
  for (const r of ranges) if (r.index > 0 && r.offset >= dataEnd) r.absent = true;
  const sorted = ranges.filter((r) => !r.absent).sort((a, b) => a.offset - b.offset);
  for (const r of sorted) {
    if (r.offset + r.size > fileSize) {
      throw new InputError(`container ${r.index} (${r.offset}+${r.size}) ends past the end of the file (${fileSize} bytes)`, [], r.offset);
    }
    if (certificate && r.offset < certificate.offset + certificate.size && certificate.offset < r.offset + r.size) {
      throw new InputError(`container ${r.index} (${r.offset}+${r.size}) overlaps the certificate table (${certificate.offset}+${certificate.size})`, [], r.offset);
    }
  }
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.offset < prev.offset + prev.size) {
      throw new InputError(`containers ${prev.index} and ${cur.index} overlap`, [], cur.offset);
    }
  }
  return ranges;
}
