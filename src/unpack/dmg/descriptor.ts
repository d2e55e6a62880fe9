import type { FormatDescriptor } from '../types.js';
import { DmgReader } from './dmg-reader.js';

export const dmgFormat: FormatDescriptor = {
  format: 'dmg',
  title: 'Apple disk image (UDIF)',
  extensions: ['.dmg'],
  nameClaims: false,
  purpose: 'installer',
  contains: ['files'],
  membersAreData: true,
  magic: (head, name) => DmgReader.canRead(head, name),
  probe: (source, ctx) => DmgReader.probe!(source, ctx),
  reader: DmgReader,
};
