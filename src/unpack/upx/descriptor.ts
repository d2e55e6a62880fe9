import { isPe } from '../../inspect/pe/headers.js';
import { readPeLayout } from '../../inspect/pe/index.js';
import type { ByteSource } from '../../io/byte-source.js';
import type { FormatDescriptor, UnopenedFinding } from '../types.js';

/**
 * A PE packed by UPX: its sections are `UPX0` (empty on disk, where the image is unpacked at run
 * time) and `UPX1` (the compressed image and the unpacking stub), so its code, data and strings
 * cannot be read as they are (clamav-testfiles' clam-upx.exe). We do not unpack it: a known
 * unknown, stated with the file. Its resources (`.rsrc`, VERSIONINFO) stay readable.
 */
async function explainUpx(source: ByteSource): Promise<UnopenedFinding | undefined> {
  let names: string[];
  try {
    names = (await readPeLayout(source)).headers.sections.map((s) => s.name);
  } catch {
    // Not a PE we can read: the inspector says why.
    return undefined;
  }
  if (!names.includes('UPX0') || !names.includes('UPX1')) return undefined;
  return { format: 'upx', reason: 'the PE is packed by UPX (sections UPX0, UPX1): its code and data are compressed, so what it holds is not in this SBOM' };
}

export const upxFormat: FormatDescriptor = {
  format: 'upx',
  title: 'UPX-packed executable',
  extensions: ['.exe', '.dll'],
  nameClaims: false,
  purpose: 'archive',
  contains: ['files'],
  magic: isPe,
  explainUnopened: explainUpx,
};
