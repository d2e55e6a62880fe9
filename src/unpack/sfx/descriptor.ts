import { isPe } from '../../inspect/pe/index.js';
import type { FormatDescriptor } from '../types.js';
import { archiveInsideOverlay } from './overlay-scan.js';
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

/** A PE carrying an archive in its overlay that is not at its start: recognised, not opened. */
export const peOverlayArchiveFormat: FormatDescriptor = {
  format: 'pe-overlay',
  title: 'archive inside a PE overlay',
  extensions: ['.exe'],
  nameClaims: false,
  purpose: 'installer',
  contains: ['cab', 'zip', '7z', 'xz', 'installshield-cab', 'files'],
  magic: isPe,
  explainUnopened: (source) => archiveInsideOverlay(source),
};
