import { sevenZipFamilyReader } from '../sevenzip/seven-zip-reader.js';
import type { FormatDescriptor } from '../types.js';

/**
 * A UEFI firmware volume (PI specification vol. 3, §3.2.1 EFI_FIRMWARE_VOLUME_HEADER): 16 zero
 * bytes, the file system GUID, the volume's length, then the signature "_FVH" at 0x28. Its files
 * hold the firmware's drivers and applications, PE32 images in (often LZMA-compressed) sections,
 * which 7-Zip names by their GUIDs. Only a volume in the firmware file system (FFS v1–v3) holds
 * files: a variable store (OVMF_VARS.fd, the NV data GUID) is the same header around UEFI
 * variables, and stays a plain file.
 */
const FVH = [0x5f, 0x46, 0x56, 0x48];
/** EFI_FIRMWARE_FILE_SYSTEM{,2,3}_GUID as stored (the first three fields little-endian). */
const FFS_GUIDS = ['d954937a68044a4481ce0bf617d890df', '78e58c8c3d8a1c4f9935896185c32dd3', '7ac07354cb3dca4dbd6f1e9689e7349a'];
function isFirmwareVolumeHead(head: Uint8Array): boolean {
  if (head.length < 0x48 || !FVH.every((b, i) => head[0x28 + i] === b) || !head.subarray(0, 16).every((b) => b === 0)) return false;
  return FFS_GUIDS.includes(Buffer.from(head.subarray(16, 32)).toString('hex'));
}

export const uefiFormat: FormatDescriptor = {
  format: 'uefi-fv',
  title: 'UEFI firmware volume',
  extensions: ['.fd', '.fv'],
  nameClaims: false,
  purpose: 'archive',
  contains: ['files'],
  magic: isFirmwareVolumeHead,
  reader: sevenZipFamilyReader({ format: 'uefi-fv', type: 'UEFIf', what: 'UEFI firmware volume', canRead: isFirmwareVolumeHead }),
};
