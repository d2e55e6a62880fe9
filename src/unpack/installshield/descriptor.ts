import type { FormatDescriptor } from '../types.js';
import { readCommonHeader } from './cabinet-header.js';
import { InstallShieldCabinetReader } from './cabinet-reader.js';
import { InstallShieldSetupReader } from './setup-reader.js';

/** "ISc(": InstallShield's own cabinet format (data1.cab, data1.hdr), unrelated to MSCF. */
export const installShieldCabFormat: FormatDescriptor = {
  format: 'installshield-cab',
  title: 'InstallShield cabinet',
  extensions: ['.hdr'],
  nameClaims: true,
  purpose: 'archive',
  contains: ['files'],
  magic: (head, name) => InstallShieldCabinetReader.canRead(head, name),
  reader: InstallShieldCabinetReader,
  // data2.cab and the like: volumes whose files the header (data1.hdr) lists.
  partOfSet: (head) => readCommonHeader(head) !== undefined,
};

/** An InstallShield `Setup.exe`: a PE whose overlay carries the launcher's files and cabinets. */
export const installShieldSetupFormat: FormatDescriptor = {
  format: 'installshield',
  title: 'InstallShield setup',
  extensions: ['.exe'],
  nameClaims: false,
  purpose: 'installer',
  contains: ['cab', 'installshield-cab', 'msi', 'files'],
  magic: (head, name) => InstallShieldSetupReader.canRead(head, name),
  probe: (source, ctx) => InstallShieldSetupReader.probe!(source, ctx),
  reader: InstallShieldSetupReader,
};
