import { sevenZipFamilyReader } from '../sevenzip/seven-zip-reader.js';
import type { FormatDescriptor } from '../types.js';

/**
 * ISO 9660 (ECMA-119 §8): the volume descriptors start at sector 16, each a type byte then the
 * standard identifier "CD001". Boot images that El Torito's catalogue points at are listed by
 * 7-Zip as `[BOOT]/…` members: the firmware loads them, so they are read too.
 */
const CD001 = [0x43, 0x44, 0x30, 0x30, 0x31];
const isIsoHead = (head: Uint8Array): boolean => head.length >= 0x8006 && CD001.every((b, i) => head[0x8001 + i] === b);

export const isoFormat: FormatDescriptor = {
  format: 'iso',
  title: 'ISO 9660 image',
  extensions: ['.iso'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files', 'fat'],
  membersAreData: true,
  magic: isIsoHead,
  reader: sevenZipFamilyReader({ format: 'iso', type: 'Iso', what: 'ISO 9660 image', canRead: isIsoHead }),
};
