import { InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import { u16, u32 } from '../../io/little-endian.js';

/**
 * The files an InstallShield `Setup.exe` launcher carries after its PE image. Two layouts:
 *
 * - plain (InstallShield up to 12, and later "uncompressed" builds): records of four
 *   NUL-terminated ASCII fields `name`, `path` (`Disk1\data1.cab`), `version`, decimal `size`,
 *   then `size` bytes, back to back up to the end of the file or the Authenticode table;
 * - `InstallShield\0` / `ISSetupStream\0` (InstallShield 12 to 2016+): a 46-byte header with the
 *   file count, then per file a header (a 260-byte name, or a UTF-16 name whose length is given)
 *   and data that is XOR-encoded with a key derived from the name, and zlib-deflated when the
 *   header says so. This is how MSI-based setups ship their .msi and setup.ini.
 */
export interface LauncherFile {
  name: string;
  /** The path the plain layout records (`Disk1\data1.cab`); the name otherwise. */
  path: string;
  version?: string;
  /** Where its stored bytes start in the setup, and how many. */
  offset: number;
  size: number;
  /** Encoded layouts only. */
  encoding?: { key: Uint8Array; keyPeriod: number | undefined; deflated: boolean; flags: number };
}

export interface LauncherPayload {
  layout: 'plain' | 'InstallShield' | 'ISSetupStream';
  /** Where the payload starts (the overlay, or the signature inside it). */
  offset: number;
  /** Where it must stop: the Authenticode table, or the end of the file. */
  end: number;
}

const MAX_NAME = 260;
const MAX_SIZE_DIGITS = 15;
const ENCODED_HEADER = 46;
const V1_FILE_HEADER = 312;
const V2_FILE_HEADER = 24;
/** The encoded layout's signature sits after the launcher's debug data, near the image end. */
const SIGNATURE_WINDOW = 64 * 1024;
const MAX_FILES = 65_535;
const NAME_KEY = [0x13, 0x35, 0x86, 0x07];

function cString(b: Uint8Array, at: number, max: number): { text: string; next: number } | undefined {
  const end = b.indexOf(0, at);
  if (end < 0 || end - at > max) return undefined;
  for (let i = at; i < end; i++) if (b[i]! < 0x20 || b[i]! > 0x7e) return undefined;
  return { text: Buffer.from(b.subarray(at, end)).toString('latin1'), next: end + 1 };
}

/** One plain record at `at`, or undefined when the bytes there are not one. */
function plainRecord(b: Uint8Array, at: number): { name: string; path: string; version: string; size: number; headerLength: number } | undefined {
  const name = cString(b, at, MAX_NAME);
  if (!name || name.text === '') return undefined;
  const path = cString(b, name.next, MAX_NAME);
  // The launcher writes each file to its path (`Disk1\data1.cab`): never empty. A COFF symbol
  // table (".file", two empty fields, a digit) otherwise reads as a record.
  if (!path || path.text === '') return undefined;
  const version = cString(b, path.next, 64);
  if (!version) return undefined;
  const size = cString(b, version.next, MAX_SIZE_DIGITS);
  if (!size || !/^\d+$/.test(size.text)) return undefined;
  return { name: name.text, path: path.text, version: version.text, size: Number(size.text), headerLength: size.next - at };
}

/**
 * Where the payload of a launcher whose image ends at `imageEnd` starts, or undefined when its
 * overlay holds neither layout (an ordinary PE). Only the first record or the signature is
 * looked at, so that a damaged payload is still recognised and then reported as damaged.
 */
export async function findLauncherPayload(src: ByteSource, imageEnd: number, end: number): Promise<LauncherPayload | undefined> {
  if (imageEnd >= end) return undefined;
  const head = await src.read(imageEnd, Math.min(SIGNATURE_WINDOW, end - imageEnd));
  if (plainRecord(head, 0)) return { layout: 'plain', offset: imageEnd, end };
  const text = Buffer.from(head.buffer, head.byteOffset, head.length).toString('latin1');
  for (const layout of ['InstallShield', 'ISSetupStream'] as const) {
    const at = text.indexOf(`${layout}\0`);
    if (at >= 0) return { layout, offset: imageEnd + at, end };
  }
  return undefined;
}

/** Every file of the payload, checked to lie inside it. */
export function readLauncherFiles(src: ByteSource, payload: LauncherPayload): Promise<LauncherFile[]> {
  return payload.layout === 'plain' ? plainFiles(src, payload.offset, payload.end) : encodedFiles(src, payload.offset, payload.end, payload.layout);
}

async function plainFiles(src: ByteSource, start: number, end: number): Promise<LauncherFile[]> {
  const files: LauncherFile[] = [];
  let at = start;
  while (at < end) {
    const bytes = await src.read(at, Math.min(4 * (MAX_NAME + 1), end - at));
    const rec = plainRecord(bytes, 0);
    if (!rec) {
      // The launcher reads records to the end; anything else there is damage, not padding.
      throw new InputError(`InstallShield launcher: no file record where record ${files.length + 1} should start`, [], at);
    }
    const offset = at + rec.headerLength;
    if (offset + rec.size > end) throw new InputError(`InstallShield launcher: ${rec.name} needs ${rec.size} bytes, ${end - offset} remain`, [], at);
    files.push({ name: rec.name, path: rec.path, version: rec.version, offset, size: rec.size });
    if (files.length > MAX_FILES) throw new InputError('InstallShield launcher: more than 65535 file records', [], at);
    at = offset + rec.size;
  }
  return files;
}

function keyFor(name: string): Uint8Array {
  const bytes = Buffer.from(name, 'utf8');
  return Uint8Array.from(bytes, (c, i) => c ^ NAME_KEY[i % 4]!);
}

async function encodedFiles(src: ByteSource, start: number, end: number, layout: 'InstallShield' | 'ISSetupStream'): Promise<LauncherFile[]> {
  const header = await readExactly(src, start, ENCODED_HEADER, 'InstallShield launcher header');
  const count = u16(header, 14);
  const files: LauncherFile[] = [];
  let at = start + ENCODED_HEADER;
  for (let i = 0; i < count; i++) {
    let name: string;
    let flags: number;
    let size: number;
    let deflated: boolean;
    if (layout === 'InstallShield') {
      const h = await readExactly(src, at, V1_FILE_HEADER, 'InstallShield launcher file header');
      const end0 = h.indexOf(0);
      name = Buffer.from(h.subarray(0, end0 < 0 || end0 > MAX_NAME ? MAX_NAME : end0)).toString('utf8');
      flags = u32(h, 260);
      size = u32(h, 268);
      deflated = u16(h, 280) !== 0;
      at += V1_FILE_HEADER;
    } else {
      const h = await readExactly(src, at, V2_FILE_HEADER, 'InstallShield launcher file header');
      const nameLength = u32(h, 0);
      flags = u32(h, 4);
      size = u32(h, 10);
      deflated = u16(h, 22) !== 0;
      if (nameLength > 2 * 4096) throw new InputError(`InstallShield launcher: a file name of ${nameLength} bytes`, [], at);
      const n = await readExactly(src, at + V2_FILE_HEADER, nameLength, 'InstallShield launcher file name');
      name = Buffer.from(n).toString('utf16le').replace(/\0+$/, '');
      at += V2_FILE_HEADER + nameLength;
    }
    if (name === '') throw new InputError(`InstallShield launcher: file ${i + 1} has no name`, [], at);
    if (at + size > end) throw new InputError(`InstallShield launcher: ${name} needs ${size} bytes, ${end - at} remain`, [], at);
    // Flag 4: the key restarts every 1024 bytes.
    files.push({ name, path: name, offset: at, size, encoding: { key: keyFor(name), keyPeriod: flags & 4 ? 1024 : undefined, deflated, flags } });
    at += size;
  }
  return files;
}

/** Decodes `data`, which starts `position` bytes into the file's stored bytes. */
export function decodeLauncherBytes(data: Uint8Array, position: number, enc: NonNullable<LauncherFile['encoding']>): Uint8Array {
  const out = new Uint8Array(data.length);
  const key = enc.key;
  if (key.length === 0) return out.fill(0xff);
  for (let i = 0; i < data.length; i++) {
    const pos = position + i;
    const k = key[(enc.keyPeriod ? pos % enc.keyPeriod : pos) % key.length]!;
    const b = data[i]!;
    out[i] = ~(k ^ (((b << 4) | (b >> 4)) & 0xff)) & 0xff;
  }
  return out;
}
