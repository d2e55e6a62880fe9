import { InputError } from '../../errors.js';
import { decoderFor } from './string-pool.js';

/**
 * `\x05SummaryInformation`: an OLE property set ([MS-OLEPS] 2.21) with one section. MSI gives
 * some properties its own meaning ([MS-OLEPS]; Windows Installer gives PIDs 9, 14, 15 its own meaning).
 */
export const PID_CODEPAGE = 1;
export const PID_TITLE = 2;
export const PID_SUBJECT = 3;
export const PID_AUTHOR = 4;
export const PID_KEYWORDS = 5;
export const PID_COMMENTS = 6;
/** Template: `platform;languages`, e.g. `x64;1033`. */
export const PID_TEMPLATE = 7;
/** Revision number: the PackageCode GUID in MSI. */
export const PID_REVNUMBER = 9;
/** Page count: the minimum installer version. */
export const PID_PAGECOUNT = 14;
/** Word count: source flags (bit 0 short names, 1 compressed, 2 admin image, 3 no elevation). */
export const PID_WORDCOUNT = 15;
export const PID_APPNAME = 18;
export const PID_SECURITY = 19;

const VT_I2 = 2;
const VT_I4 = 3;
const VT_LPSTR = 30;
const VT_FILETIME = 64;

export type SummaryValue = string | number | bigint;

export function readSummaryInformation(bytes: Uint8Array, chain: readonly string[], warn: (m: string) => void): Map<number, SummaryValue> {
  const out = new Map<number, SummaryValue>();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (what: string, at: number): never => {
    throw new InputError(`SummaryInformation: ${what}`, chain, at);
  };
  if (bytes.length < 48 || dv.getUint16(0, true) !== 0xfffe) fail('bad property-set header', 0);
  const sections = dv.getUint32(24, true);
  if (sections < 1) return out;
  const sec = dv.getUint32(44, true);
  if (sec + 8 > bytes.length) fail('section offset past the end', 44);
  const count = dv.getUint32(sec + 4, true);
  if (sec + 8 + count * 8 > bytes.length) fail(`${count} properties do not fit`, sec + 4);
  const props: { pid: number; at: number }[] = [];
  for (let i = 0; i < count; i++) {
    props.push({ pid: dv.getUint32(sec + 8 + i * 8, true), at: sec + dv.getUint32(sec + 12 + i * 8, true) });
  }
  // Strings are in the set's code page (PID 1), so that one is read first.
  let codepage = 0;
  const cp = props.find((p) => p.pid === PID_CODEPAGE);
  if (cp && cp.at + 6 <= bytes.length && dv.getUint32(cp.at, true) === VT_I2) codepage = dv.getUint16(cp.at + 4, true);
  // 1200 (UTF-16) is not used with VT_LPSTR in MSI files; treat it and 0 as neutral.
  const dec = decoderFor(codepage === 1200 ? 0 : codepage, warn);
  for (const { pid, at } of props) {
    if (at + 4 > bytes.length) fail(`property ${pid} lies past the end`, at);
    const vt = dv.getUint32(at, true);
    const need = (n: number): void => {
      if (at + 4 + n > bytes.length) fail(`property ${pid} is truncated`, at);
    };
    switch (vt) {
      case VT_I2:
        need(2);
        out.set(pid, dv.getInt16(at + 4, true));
        break;
      case VT_I4:
        need(4);
        out.set(pid, dv.getInt32(at + 4, true));
        break;
      case VT_LPSTR: {
        need(4);
        const len = dv.getUint32(at + 4, true);
        need(4 + len);
        let s = bytes.subarray(at + 8, at + 8 + len);
        const nul = s.indexOf(0);
        if (nul >= 0) s = s.subarray(0, nul);
        out.set(pid, dec.decode(s));
        break;
      }
      case VT_FILETIME:
        need(8);
        out.set(pid, dv.getBigUint64(at + 4, true));
        break;
      default:
        warn(`SummaryInformation property ${pid} has unsupported type ${vt}`);
    }
  }
  return out;
}
