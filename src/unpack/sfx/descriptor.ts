import { isPe } from '../../inspect/pe/index.js';
import type { FormatDescriptor } from '../types.js';
import { explainOverlay } from './overlay-scan.js';
import { overlayFormat, SfxReader } from './sfx-reader.js';

export const sfxFormat: FormatDescriptor = {
  format: 'sfx',
  title: 'self-extracting executable',
  extensions: ['.exe'],
  nameClaims: false,
  purpose: 'installer',
  contains: ['cab', 'zip', '7z', 'xz', 'burn', 'nsis', 'files'],
  magic: isPe,
  probe: async (source, ctx) => (await overlayFormat(source, ctx)) !== undefined,
  reader: SfxReader,
  alsoAFile: true,
};

/**
 * A PE carrying data after its image that no reader above opened: an archive that does not start
 * the overlay, or bytes in no format read here. Recognised, not opened: a known unknown.
 */
export const peOverlayFormat: FormatDescriptor = {
  format: 'pe-overlay',
  title: 'data appended to a PE',
  extensions: ['.exe'],
  nameClaims: false,
  purpose: 'installer',
  contains: ['cab', 'zip', '7z', 'xz', 'installshield-cab', 'files'],
  magic: isPe,
  explainUnopened: (source) => explainOverlay(source),
};
