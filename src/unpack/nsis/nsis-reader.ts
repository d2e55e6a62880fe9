import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { asInputError, InputError } from '../../errors.js';
import { FileByteSource, writeSourceTo, type ByteSource } from '../../io/byte-source.js';
import { isPe, readPeFacts, readPeLayout } from '../../inspect/pe/index.js';
import type { Evidence } from '../../detect/types.js';
import type { PeFacts } from '../../inspect/types.js';
import { extractWith7z, list7z, type SevenZipListing } from '../sevenzip/seven-zip.js';
import { safeEntryPath } from '../paths.js';
import type { ContainerFinding, ContainerInfo, ContainerReader, Entry, OpenedContainer, UnpackContext } from '../types.js';
import { findFirstHeader, type NsisFirstHeader } from './first-header.js';

/** The exehead's embedded manifest names its release (`v3.08`, Debian: `v3.08-3+deb12u1`). */
const EXEHEAD_DESCRIPTION = /<description>Nullsoft Install System v(\d+\.\d+(?:\.\d+)?)[^<]*<\/description>/;
/** The stub is about 100 KB; the manifest is looked for in its first bytes only. */
const STUB_SCAN_LIMIT = 8 * 1024 * 1024;

/**
 * NSIS installers. The file list lives in NSIS bytecode, so listing and extraction are 7-Zip's
 * (7z-wasm); this reader finds the firstheader, checks its lengths
 * against the file, and hands 7-Zip a private copy of the installer.
 *
 * Names: 7-Zip prints paths relative to `$INSTDIR` (`DLLs/zlib1.dll`) — the installed layout, which
 * is what entries should show. Files an installer writes elsewhere keep the NSIS variable as their
 * first segment (`$PLUGINSDIR/System.dll`, `$SYSDIR/foo.dll`), so they never mix with `$INSTDIR`'s
 * files and say where they would go. The uninstaller that `WriteUninstaller` generates is listed
 * by 7-Zip under its target name and is itself an NSIS installer (opened in turn).
 */
export const NsisReader: ContainerReader = {
  format: 'nsis',
  canRead(head: Uint8Array): boolean {
    return isPe(head);
  },
  async probe(source: ByteSource): Promise<boolean> {
    try {
      const end = (await readPeLayout(source)).imageEnd;
      if (end >= source.size) return false;
      return (await findFirstHeader(source, end)) !== undefined;
    } catch {
      // A PE too broken to locate its image end is not opened as an installer; the inspect
      // stage reports what is wrong with it.
      return false;
    }
  },
  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    try {
      return await openNsis(source, ctx);
    } catch (err) {
      throw asInputError(err, ctx.chain, 'unreadable NSIS installer');
    }
  },
};

async function openNsis(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
  const facts = await readPeFacts(source);
  const { imageEnd } = await readPeLayout(source);
  const fh = await findFirstHeader(source, imageEnd);
  if (!fh) throw new InputError('no NSIS firstheader after the PE image', ctx.chain);
  checkLengths(fh, source.size, ctx.chain);

  const work = await mkdtemp(join(await ctx.tempDir(), 'nsis-'));
  const archive = join(work, 'installer.exe');
  await writeSourceTo(source, archive);
  const listing = await list7z(archive, { type: 'Nsis', chain: ctx.chain }).catch((err: unknown) => {
    throw sevenZipFailure(err, 'cannot open the NSIS data (corrupt or unsupported)', ctx.chain);
  });
  if (listing.archive.Type !== 'Nsis') throw new InputError(`7-Zip did not read it as NSIS (Type = ${listing.archive.Type ?? 'none'})`, ctx.chain);
  for (const e of listing.entries) {
    const size = Number(e.Size);
    if (e.Size && Number.isFinite(size)) ctx.budget.checkEntry(size, e['Packed Size'] ? Number(e['Packed Size']) : undefined, ctx.chain);
  }
  const dest = await mkdtemp(join(work, 'x-'));
  await extractWith7z(archive, dest, { type: 'Nsis', chain: ctx.chain }).catch((err: unknown) => {
    throw sevenZipFailure(err, 'cannot extract the NSIS data (corrupt)', ctx.chain);
  });
  const stubFinding = await nsisFinding(source, fh, listing, ctx);
  return new OpenedNsis(dest, listing, describe(facts, fh, listing, stubFinding), ctx);
}

/**
 * 7-Zip's own first error line names our private copy by its in-WASM mount path, which means
 * nothing to a user; the failure is restated about the installer.
 */
function sevenZipFailure(err: unknown, what: string, chain: readonly string[]): unknown {
  if (!(err instanceof InputError)) return err;
  const detail = err.message.replace(/\/m\d+_\d+\/installer\.exe( : \/m\d+_\d+\/installer\.exe)?/g, '').replace(/^7-Zip could not (list|extract) the archive: /, '').trim();
  const useful = detail !== '' && !/^ERROR:?$/.test(detail);
  return new InputError(`${what}${useful ? `: 7-Zip says ${detail}` : ''}`, chain);
}

/** The firstheader's lengths place the data; a file shorter than they say was cut short. */
function checkLengths(fh: NsisFirstHeader, fileSize: number, chain: readonly string[]): void {
  if (fh.archiveLength < 28 || fh.headerLength === 0) {
    throw new InputError(`NSIS firstheader lengths (header ${fh.headerLength}, data ${fh.archiveLength}) are impossible`, chain, fh.offset);
  }
  if (fh.offset + fh.archiveLength > fileSize) {
    throw new InputError(`truncated NSIS installer: its data needs ${fh.offset + fh.archiveLength} bytes, the file has ${fileSize}`, chain, fh.offset + 24);
  }
}

async function nsisFinding(source: ByteSource, fh: NsisFirstHeader, listing: SevenZipListing, ctx: UnpackContext): Promise<ContainerFinding> {
  const file = ctx.chain[ctx.chain.length - 1] ?? '';
  const evidence: Evidence[] = [
    { file, kind: 'container', text: 'NSIS firstheader 0xDEADBEEF "NullsoftInst"', location: `firstheader at 0x${fh.offset.toString(16)}` },
  ];
  if (listing.archive.SubType) evidence.push({ file, kind: 'container', text: `SubType = ${listing.archive.SubType}`, location: '7-Zip listing' });
  const finding: ContainerFinding = { componentId: 'nsis', evidence };
  const stub = await source.read(0, Math.min(fh.offset, STUB_SCAN_LIMIT));
  const text = Buffer.from(stub.buffer, stub.byteOffset, stub.length).toString('latin1');
  const m = EXEHEAD_DESCRIPTION.exec(text);
  if (m) {
    finding.version = m[1]!;
    evidence.push({ file, kind: 'string', text: m[0], location: `0x${m.index.toString(16)} (exehead manifest, ascii)`, version: m[1]! });
  }
  return finding;
}

function describe(facts: PeFacts, fh: NsisFirstHeader, listing: SevenZipListing, finding: ContainerFinding): ContainerInfo {
  const a = listing.archive;
  const properties: Record<string, string> = {
    firstHeaderOffset: String(fh.offset),
    firstHeaderFlags: `0x${fh.flags.toString(16)}`,
    stubSize: a['Embedded Stub Size'] ?? String(fh.offset),
  };
  if (a.SubType) properties.subType = a.SubType;
  if (a.Method) properties.method = a.Method;
  if (a.Solid) properties.solid = a.Solid === '+' ? 'yes' : 'no';
  // FH_FLAGS_UNINSTALL: the data is an uninstaller's, written by WriteUninstaller.
  if (fh.flags & 1) properties.uninstaller = 'yes';
  const info: ContainerInfo = { format: 'nsis', properties, findings: [finding], warnings: [] };
  const strings = Object.values(facts.versionInfo?.strings ?? {})[0];
  if (strings?.ProductName) info.name = strings.ProductName;
  const version = strings?.ProductVersion ?? facts.versionInfo?.fixed?.productVersion;
  if (version) info.version = version;
  if (strings?.CompanyName) info.manufacturer = strings.CompanyName;
  return info;
}

class OpenedNsis implements OpenedContainer {
  constructor(
    private readonly dest: string,
    private readonly listing: SevenZipListing,
    readonly info: ContainerInfo,
    private readonly ctx: UnpackContext,
  ) {}

  async *entries(): AsyncIterable<Entry> {
    const warnings = (this.info.warnings ??= []);
    const seen = new Set<string>();
    for (const item of this.listing.entries) {
      if (item.Folder === '+' || (item.Attributes ?? '').startsWith('D')) continue;
      const path = safeEntryPath(item.Path ?? '', this.ctx.chain);
      if (path === '') throw new InputError('an NSIS member has an empty name', this.ctx.chain);
      if (seen.has(path)) {
        // The script writes the same path twice; 7-Zip keeps the later copy under a new name.
        warnings.push(`${path} is written more than once; later copies are listed under 7-Zip's renamed names`);
        continue;
      }
      seen.add(path);
      const entry = await this.entryFor(path, item);
      if (entry) yield entry;
      else warnings.push(`${path}: listed by 7-Zip but not extracted`);
    }
    for (const path of await filesUnder(this.dest)) {
      if (seen.has(path)) continue;
      seen.add(path);
      warnings.push(`${path}: extracted by 7-Zip but not in its listing`);
      const entry = await this.entryFor(path, {});
      if (entry) yield entry;
    }
  }

  private async entryFor(path: string, item: Record<string, string>): Promise<Entry | undefined> {
    const onDisk = join(this.dest, ...path.split('/'));
    const st = await stat(onDisk).catch(() => undefined);
    if (!st?.isFile()) return undefined;
    const packed = item['Packed Size'] ? Number(item['Packed Size']) : undefined;
    this.ctx.budget.checkEntry(st.size, packed, this.ctx.chain);
    this.ctx.budget.countBytes(st.size, this.ctx.chain);
    const declared: Record<string, string> = {};
    if (item.Method) declared['nsis.method'] = item.Method;
    if (item.Modified) declared['nsis.modified'] = item.Modified;
    const entry: Entry = { path, kind: 'file', size: st.size, declared, open: () => FileByteSource.open(onDisk) };
    if (packed !== undefined && Number.isFinite(packed) && packed > 0) entry.storedSize = packed;
    return entry;
  }

  async close(): Promise<void> {}
}

/** Regular files under `dir` as '/'-joined relative paths (assertInside has already vetted them). */
export async function filesUnder(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const p = join(dir, name);
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    const st = await stat(p);
    if (st.isDirectory()) out.push(...(await filesUnder(p, rel)));
    else if (st.isFile()) out.push(rel);
  }
  return out;
}
