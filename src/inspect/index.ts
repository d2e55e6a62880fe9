import type { ByteSource } from '../io/byte-source.js';
import { isMacho, readMachoFacts, readMachoSignatures } from './macho/index.js';
import { isPe, readPeFacts, readPeHeaders } from './pe/index.js';
import { isPlist, readPlist } from './plist/index.js';
import { readEmbeddedSbom } from './embedded/index.js';
import { readPackageMetadata } from './package/index.js';
import type { StringFilter } from './string-filter.js';
import { textLines } from './strings.js';
import { ByteWork, type RunsFound } from '../parallel/byte-work.js';
import type { TrustRoots } from './signing/trust.js';
import type { BinaryFacts, MachoFacts, PeSection, StringRun } from './types.js';

export type { BinaryFacts } from './types.js';
export { LiteralAutomaton } from './literals.js';
export { StringFilter, type StringFilterSpec } from './string-filter.js';
export { loadTrustRoots, parseTrustRoots, type TrustRoots } from './signing/trust.js';

export interface InspectOptions {
  /** Roots to check signers' certificate chains against (`--trust-roots`); without them chains are not judged. */
  trustRoots?: TrustRoots;
  /**
   * Keep only the string runs this filter keeps (those the detection rules' string matchers can
   * match). Without it every run is kept.
   */
  keepStrings?: StringFilter;
  /** With `keepStrings`, count the runs it drops too, in `stringCount` (what `inspect` shows). */
  countStrings?: boolean;
}

/** Bytes read per window when scanning a section for strings; windows overlap so no run is cut. */
const WINDOW = 4 << 20;
const OVERLAP = 4096;
/** Text files whose lines carry versions (Tcl's init.tcl, pip's vendor.txt, patchlevel headers, package manifests). */
const VERSION_TEXT = /(?:^|\/)(?:init\.tcl|pkgIndex\.tcl|vendor\.txt|patchlevel\.h|[^/]*\.dist-info\/METADATA|PKG-INFO|[^/]+\.nuspec|package\/package\.json|control\.tar(?:\.[a-z0-9]+)?\/control)$/i;
const TEXT_MAX = 1 << 20;

// PE: IMAGE_SCN_MEM_EXECUTE. Strings live in data sections (.rdata, .data); code is skipped.
const PE_EXECUTE = 0x20000000;
const PE_UNINITIALIZED = 0x00000080;
const MACHO_CODE_SECTIONS = new Set(['__text', '__stubs', '__stub_helper', '__auth_stubs', '__unwind_info', '__eh_frame', '__got', '__la_symbol_ptr', '__nl_symbol_ptr', '__auth_got', '__bss', '__common', '__thread_bss', '__mod_init_func', '__init_offsets']);

/**
 * Facts about one file: its format, its structure (PE, Mach-O, plist) and printable strings from
 * its data sections. Returns undefined for files that are none of these and carry no version text.
 */
export async function inspectFile(src: ByteSource, path: string, options: InspectOptions = {}): Promise<BinaryFacts | undefined> {
  const head = await src.read(0, 4096);
  const signatures = options.trustRoots ? { trustRoots: options.trustRoots } : {};
  const runs = new RunCollector(src, options.keepStrings, options.countStrings ?? false);
  // The data sections' windows are queued to the workers first, so they are scanned while the
  // signatures are checked (which hashes the whole image).
  if (isPe(head)) {
    const headers = await readPeHeaders(src).catch(() => undefined);
    if (headers) peStrings(headers.sections, runs);
    const pe = await readPeFacts(src, { signatures });
    return withEmbedded(src, { format: 'pe', pe, ...(await runs.facts()) });
  }
  if (isMacho(head)) {
    const macho = await readMachoFacts(src);
    machoStrings(macho, runs);
    await readMachoSignatures(src, macho, signatures);
    return withEmbedded(src, { format: 'macho', macho, ...(await runs.facts()) });
  }
  const other = otherBinary(head);
  if (other) return { format: other.format, strings: [], notInspected: other.reason };
  if (isPlist(head) && src.size <= TEXT_MAX) {
    const bytes = await src.read(0, src.size);
    return { format: 'plist', plist: readPlist(bytes), strings: [] };
  }
  if (VERSION_TEXT.test(path) && src.size <= TEXT_MAX) {
    const bytes = await src.read(0, src.size);
    const packageMetadata = readPackageMetadata(path, bytes);
    return { format: 'other', strings: textLines(bytes, 'text'), ...(packageMetadata ? { packageMetadata } : {}) };
  }
  return undefined;
}

/**
 * Binaries of formats whose code is not read here: an ELF object (`\x7fELF`, a relocatable,
 * executable, shared object or core file: Linux and BSD prebuilds in npm packages) and a
 * WebAssembly module (`\0asm`, version 1). They are binaries, and what they hold is not seen.
 */
function otherBinary(head: Uint8Array): { format: 'elf' | 'wasm'; reason: string } | undefined {
  const at = (i: number) => head[i] ?? -1;
  const unread = 'installer-sbom reads the code of PE and Mach-O binaries only, so what this one holds is not in this SBOM';
  if (at(0) === 0x7f && at(1) === 0x45 && at(2) === 0x4c && at(3) === 0x46 && (at(4) === 1 || at(4) === 2)) {
    // e_type, in the byte order EI_DATA names: 1 relocatable, 2 executable, 3 shared object, 4 core.
    const type = at(5) === 2 ? (at(16) << 8) | at(17) : at(16) | (at(17) << 8);
    if (type >= 1 && type <= 4) return { format: 'elf', reason: `an ELF binary: ${unread}` };
  }
  if (at(0) === 0 && at(1) === 0x61 && at(2) === 0x73 && at(3) === 0x6d && at(4) === 1 && at(5) === 0 && at(6) === 0 && at(7) === 0) {
    return { format: 'wasm', reason: `a WebAssembly module: ${unread}` };
  }
  return undefined;
}

async function withEmbedded(src: ByteSource, facts: BinaryFacts): Promise<BinaryFacts> {
  const embedded = await readEmbeddedSbom(src, facts);
  return embedded ? { ...facts, embedded } : facts;
}

/**
 * The string runs of one file's data sections, as kept, and how many there were. Sections are cut
 * into overlapping windows that are scanned in parallel on ByteWork's workers; results are joined
 * in window order, so the runs come out as one thread scanning in order would find them.
 */
class RunCollector {
  private readonly windows: Promise<RunsFound>[] = [];

  constructor(
    private readonly src: ByteSource,
    private readonly keep: StringFilter | undefined,
    private readonly count: boolean,
  ) {}

  /** Queues the windows of [offset, offset+size); `where` names the section. */
  add(offset: number, size: number, where: string): void {
    const end = Math.min(this.src.size, offset + size);
    let seen = offset;
    for (let o = offset; o < end; o += WINDOW) {
      const len = Math.min(WINDOW + OVERLAP, end - o);
      // Runs starting inside the previous window's overlap were already taken.
      const window = ByteWork.get().strings(this.src, [o, o + len], where, seen - o, this.keep, this.count, 'inspect');
      window.catch(() => undefined);
      this.windows.push(window);
      seen = o + len - OVERLAP;
      if (len < WINDOW + OVERLAP) break;
    }
  }

  async facts(): Promise<Pick<BinaryFacts, 'strings' | 'stringsFiltered' | 'stringCount'>> {
    const strings: StringRun[] = [];
    let count = 0;
    for (const w of await Promise.all(this.windows)) {
      for (const r of w.runs) strings.push(r);
      count += w.count ?? 0;
    }
    if (!this.keep) return { strings };
    return { strings, stringsFiltered: true, ...(this.count ? { stringCount: count } : {}) };
  }
}

function peStrings(sections: readonly PeSection[], runs: RunCollector): void {
  // Delphi (the linker that writes `.itext`) keeps string constants inside the code section.
  const delphi = sections.some((s) => s.name === '.itext');
  for (const s of sections) {
    if (s.characteristics & PE_UNINITIALIZED || s.rawSize === 0) continue;
    if (s.characteristics & PE_EXECUTE && !(delphi && s.name === '.text')) continue;
    if (s.name === '.reloc' || s.name === '.pdata' || s.name === '.xdata') continue;
    runs.add(s.rawOffset, s.rawSize, s.name);
  }
}

function machoStrings(macho: MachoFacts, runs: RunCollector): void {
  for (const slice of macho.slices) {
    for (const seg of slice.segments) {
      for (const sec of seg.sections) {
        if (MACHO_CODE_SECTIONS.has(sec.name) || sec.offset === 0 || sec.size === 0) continue;
        runs.add(sec.offset, sec.size, `${slice.arch}:${sec.segment},${sec.name}`);
      }
    }
  }
}
