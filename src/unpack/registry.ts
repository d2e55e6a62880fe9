import type { ByteSource } from '../io/byte-source.js';
import type { ContainerReader, UnpackContext } from './types.js';
import { BurnReader } from './burn/burn-reader.js';
import { NsisReader } from './nsis/nsis-reader.js';
import { ZipReader } from './zip/zip-reader.js';
import { MsiReader } from './msi/msi-reader.js';
import { CabReader } from './cab/cab-reader.js';
import { PkgReader } from './pkg/pkg-reader.js';
import { XarReader } from './xar/xar-reader.js';
import { GzipReader } from './gzip/gzip-reader.js';
import { PbzxReader } from './pbzx/pbzx-reader.js';
import { CpioReader } from './cpio/cpio-reader.js';
import { DmgReader } from './dmg/dmg-reader.js';
import { MsixReader } from './msix/msix-reader.js';
import { InnoSetupReader } from './inno/inno-reader.js';
import { InstallShieldSetupReader } from './installshield/setup-reader.js';
import { InstallShieldCabinetReader } from './installshield/cabinet-reader.js';

/**
 * Every container format, in the order they are tried. A reader is chosen by magic bytes (its
 * `canRead` on the head, then `probe` when it has one); the entry name is only a tie-break
 * inside `canRead`. Adding a format = one folder under src/unpack/ and one line here.
 * More specific formats come first (a Burn bundle and an NSIS installer are also PE files).
 */
export const READERS: readonly ContainerReader[] = [
  BurnReader,
  NsisReader,
  InnoSetupReader,
  InstallShieldSetupReader,
  InstallShieldCabinetReader,
  MsiReader,
  CabReader,
  MsixReader,
  ZipReader,
  PkgReader,
  XarReader,
  GzipReader,
  PbzxReader,
  CpioReader,
  DmgReader,
];

/** The reader for these bytes, or undefined when they are not a container we open. */
export async function pickReader(
  head: Uint8Array,
  name: string,
  source: ByteSource,
  ctx: UnpackContext,
): Promise<ContainerReader | undefined> {
  for (const reader of READERS) {
    if (!reader.canRead(head, name)) continue;
    if (reader.probe && !(await reader.probe(source, ctx))) continue;
    return reader;
  }
  return undefined;
}
