import type { ByteSource } from '../io/byte-source.js';
import type { ContainerReader, FormatDescriptor, UnopenedFinding, UnpackContext } from './types.js';
import { burnFormat } from './burn/descriptor.js';
import { nsisFormat } from './nsis/descriptor.js';
import { msiFormat } from './msi/descriptor.js';
import { cabFormat } from './cab/descriptor.js';
import { installShieldCabFormat, installShieldSetupFormat } from './installshield/descriptor.js';
import { innoSetupFormat } from './inno/descriptor.js';
import { msixFormat } from './msix/descriptor.js';
import { zipFormat } from './zip/descriptor.js';
import { pkgFormat } from './pkg/descriptor.js';
import { xarFormat } from './xar/descriptor.js';
import { gzipFormat } from './gzip/descriptor.js';
import { pbzxFormat } from './pbzx/descriptor.js';
import { cpioFormat } from './cpio/descriptor.js';
import { dmgFormat } from './dmg/descriptor.js';
import { peOverlayFormat, sfxFormat } from './sfx/descriptor.js';
import { sevenZipFormat } from './sevenzip/descriptor.js';
import { tarFormat } from './tar/descriptor.js';
import { xzFormat } from './xz/descriptor.js';
import { bzip2Format } from './bzip2/descriptor.js';
import { zstdFormat } from './zstd/descriptor.js';
import { szddFormat } from './szdd/descriptor.js';
import { isoFormat } from './iso/descriptor.js';
import { fatFormat } from './fat/descriptor.js';
import { uefiFormat } from './uefi/descriptor.js';
import { upxFormat } from './upx/descriptor.js';
import { arFormat } from './ar/descriptor.js';
import { debFormat } from './deb/descriptor.js';

/**
 * Every container format, in the order they are tried: the one list of formats. `--batch`, the
 * SBOM's package purpose and the report read it (through `describeFormat`) rather than keeping
 * lists of their own. Adding a format = one folder under src/unpack/ exporting a descriptor, and
 * one line here. More specific formats come first (a Burn bundle and an NSIS installer are also
 * PE files; a pkg is also a xar).
 */
export const FORMATS: readonly FormatDescriptor[] = [
  burnFormat,
  nsisFormat,
  innoSetupFormat,
  installShieldSetupFormat,
  sfxFormat,
  peOverlayFormat,
  upxFormat,
  msiFormat,
  cabFormat,
  installShieldCabFormat,
  msixFormat,
  zipFormat,
  sevenZipFormat,
  isoFormat,
  fatFormat,
  uefiFormat,
  pkgFormat,
  xarFormat,
  // Before the compressions: a UDIF image's data starts with its first chunk (`BZh` for bzip2
  // chunks), and only its trailer, which the probe reads, says it is a disk image.
  dmgFormat,
  gzipFormat,
  xzFormat,
  bzip2Format,
  zstdFormat,
  pbzxFormat,
  cpioFormat,
  szddFormat,
  // A .deb is an ar archive whose first member is debian-binary.
  debFormat,
  arFormat,
  tarFormat,
];

/** The readers of the formats that are opened, in registry order. */
export const READERS: readonly ContainerReader[] = FORMATS.flatMap((f) => (f.reader ? [f.reader] : []));

const BY_FORMAT = new Map(FORMATS.map((f) => [f.format, f]));

/** What the registry declares about a format (`ContainerInfo.format`), or undefined. */
export function describeFormat(format: string): FormatDescriptor | undefined {
  return BY_FORMAT.get(format);
}

/** What the registry makes of some bytes: their format, and for one we do not open, why. */
export interface Recognised {
  format: FormatDescriptor;
  /** Set when the format is recognised but not opened. */
  unopened?: UnopenedFinding;
}

/**
 * The format these bytes are, by magic (the name is only a tie-break), or undefined. `among`
 * narrows the formats tried (a PE overlay is never itself read as a self-extractor).
 */
export async function recogniseFormat(
  head: Uint8Array,
  name: string,
  source: ByteSource,
  ctx: UnpackContext,
  among: (format: FormatDescriptor) => boolean = () => true,
): Promise<Recognised | undefined> {
  for (const format of FORMATS) {
    if (!among(format) || !format.magic(head, name)) continue;
    if (format.probe && !(await format.probe(source, ctx, name))) continue;
    if (format.reader) return { format };
    if (format.explainUnopened) {
      const unopened = await format.explainUnopened(source, ctx);
      if (unopened) return { format, unopened };
      continue;
    }
    return { format, unopened: { format: format.format, reason: format.unopenedReason ?? `${format.title} is recognised but not opened` } };
  }
  return undefined;
}

/** The reader for these bytes, or undefined when they are not a container we open. */
export async function pickReader(head: Uint8Array, name: string, source: ByteSource, ctx: UnpackContext): Promise<ContainerReader | undefined> {
  return (await recogniseFormat(head, name, source, ctx))?.format.reader;
}

/** Formats whose names `name` carries (`.msi` → msi): for a file whose bytes turned out to be none. */
export function formatsClaimedByName(name: string): FormatDescriptor[] {
  const lower = name.toLowerCase();
  return FORMATS.filter((f) => f.nameClaims && f.extensions.some((ext) => lower.endsWith(ext)));
}

/** File name endings of every format we open: what `build --batch` takes from a release directory. */
export const ARTIFACT_EXTENSIONS: readonly string[] = [...new Set(FORMATS.filter((f) => f.reader).flatMap((f) => f.extensions))].sort();

/** True when `name` ends like an artifact we open (`build --batch`). */
export function isArtifactName(name: string): boolean {
  const lower = name.toLowerCase();
  return ARTIFACT_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
