import { sevenZipFamilyReader } from '../sevenzip/seven-zip-reader.js';
import type { FormatDescriptor } from '../types.js';

const ascii = (head: Uint8Array, at: number, text: string): boolean => [...text].every((c, i) => head[at + i] === c.charCodeAt(0));

/**
 * A FAT file system image (the EFI system partition image of a bootable ISO, a floppy image): a
 * boot sector ending 55 AA whose BIOS parameter block holds a power-of-two sector size and names
 * its type, "FAT12"/"FAT16"/"FAT" at 0x36 or "FAT32" at 0x52 (Microsoft's FAT specification,
 * §3.2–3.3). The names are informational, but every formatter writes them, and they keep a bare
 * MBR or boot sector from passing for a file system.
 */
function isFatHead(head: Uint8Array): boolean {
  if (head.length < 512 || head[510] !== 0x55 || head[511] !== 0xaa) return false;
  const bytesPerSector = head[11]! | (head[12]! << 8);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector) || head[13] === 0) return false;
  return ascii(head, 0x36, 'FAT12') || ascii(head, 0x36, 'FAT16') || ascii(head, 0x36, 'FAT     ') || ascii(head, 0x52, 'FAT32');
}

export const fatFormat: FormatDescriptor = {
  format: 'fat',
  title: 'FAT file system image',
  extensions: ['.img'],
  // Disk images named .img are as often raw MBR disks or other file systems.
  nameClaims: false,
  purpose: 'archive',
  contains: ['files'],
  magic: isFatHead,
  reader: sevenZipFamilyReader({ format: 'fat', type: 'FAT', what: 'FAT file system image', canRead: isFatHead }),
};
