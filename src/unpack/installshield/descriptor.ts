import type { FormatDescriptor } from '../types.js';

/** "ISc(": InstallShield's own cabinet format (data1.cab, data1.hdr), unrelated to MSCF. */
const ISC_MAGIC = [0x49, 0x53, 0x63, 0x28];

export const installShieldCabFormat: FormatDescriptor = {
  format: 'installshield-cab',
  title: 'InstallShield cabinet',
  extensions: ['.hdr'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files'],
  magic: (head) => head.length >= 4 && ISC_MAGIC.every((b, i) => head[i] === b),
  unopenedReason: 'InstallShield cabinets are recognised but not opened',
};
