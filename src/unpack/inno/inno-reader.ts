import { asInputError, InputError } from '../../errors.js';
import { readExactly, type ByteSource } from '../../io/byte-source.js';
import type { Evidence } from '../../detect/types.js';
import { isPe, readPeHeaders, readPeLayout } from '../../inspect/pe/index.js';
import { pathInArtifact } from '../paths.js';
import type { ContainerFinding, ContainerInfo, ContainerReader, OpenedContainer, UnpackContext } from '../types.js';
import { findTableIn, readOffsetTable, type OffsetTable } from './loader-table.js';

/** setup-0 starts with a 64-byte, NUL-padded identifier naming the setup data format version. */
const SETUP_ID_SIZE = 64;
const SETUP_ID = /^(Inno Setup|My Inno Setup Extensions) Setup Data \((\d+\.\d+\.\d+(?:\.\d+)?)\)(?: \(([uU])\))?$/;

/**
 * Inno Setup installers, recognised through the loader's offset table and the setup data
 * identifier it points at (`Inno Setup Setup Data (6.4.0.1)`). Inno Setup is the installer
 * component; the identifier names the format of the setup data, which outlives releases (Inno
 * Setup 6.4.1 still writes 6.4.0.1), so it is kept as a property and as evidence, not as the
 * component's version. Nothing else in an installer names the release: the loader's
 * VERSIONINFO is the application's.
 *
 * The files themselves are not listed yet: the setup header and entries that name them are
 * LZMA-compressed and laid out differently in every Inno Setup release, and no decoder for them
 * is part of this reader. The installer's contents are therefore a known unknown, stated as
 * such, with the offsets the table gives.
 */
export const InnoSetupReader: ContainerReader = {
  format: 'inno-setup',
  canRead(head: Uint8Array): boolean {
    return isPe(head);
  },
  async probe(source: ByteSource): Promise<boolean> {
    try {
      const { headers, imageEnd } = await readPeLayout(source);
      // setup-0 is appended to the loader: a PE without an overlay is not an installer.
      if (imageEnd >= source.size) return false;
      return (await findTableIn(source, headers.sections)) !== undefined;
    } catch {
      return false;
    }
  },
  async open(source: ByteSource, ctx: UnpackContext): Promise<OpenedContainer> {
    try {
      const at = await findTableIn(source, (await readPeHeaders(source)).sections);
      if (at === undefined) throw new InputError('no Inno Setup offset table in the loader', ctx.chain);
      const table = await readOffsetTable(source, at);
      const info = await describe(source, table, ctx);
      return { info, async *entries() {}, async close() {} };
    } catch (err) {
      throw asInputError(err, ctx.chain, 'unreadable Inno Setup installer');
    }
  },
};

async function describe(source: ByteSource, table: OffsetTable, ctx: UnpackContext): Promise<ContainerInfo> {
  if (table.offset0 + SETUP_ID_SIZE > source.size) {
    throw new InputError(`truncated Inno Setup installer: setup-0 at ${table.offset0} lies past the end (${source.size} bytes)`, ctx.chain, table.at);
  }
  if (table.offset1 > source.size) throw new InputError(`truncated Inno Setup installer: setup-1 at ${table.offset1} lies past the end`, ctx.chain, table.at);
  const raw = await readExactly(source, table.offset0, SETUP_ID_SIZE, 'Inno Setup setup data identifier');
  const id = Buffer.from(raw).toString('latin1').replace(/\0+$/, '');
  const m = SETUP_ID.exec(id);
  if (!m) throw new InputError(`setup-0 does not start with an Inno Setup data identifier (found ${JSON.stringify(id.slice(0, 40))})`, ctx.chain, table.offset0);
  const version = m[2]!;
  const file = ctx.chain[ctx.chain.length - 1] ?? '';
  const evidence: Evidence[] = [
    { file, kind: 'container', text: `offset table revision ${table.revision}`, location: `0x${table.at.toString(16)} (loader resource)` },
    { file, kind: 'string', text: id, location: `0x${table.offset0.toString(16)} (setup-0 identifier, ascii)` },
  ];
  const finding: ContainerFinding = { componentId: 'inno-setup', evidence };
  const properties: Record<string, string> = {
    setupDataVersion: version,
    offsetTableRevision: String(table.revision),
    setupProgramOffset: String(table.offsetExe),
    setup0Offset: String(table.offset0),
    setup1Offset: String(table.offset1),
  };
  if (m[1] !== 'Inno Setup') properties.variant = m[1]!;
  // Before 6.0 the identifier marks Unicode builds with "(u)"; 6.x builds are all Unicode.
  properties.unicode = m[3] || Number(version.split('.')[0]) >= 6 ? 'yes' : 'no';
  if (table.offset1 === 0) properties.dataFiles = 'external';
  return {
    format: 'inno-setup',
    properties,
    findings: [finding],
    warnings: [],
    unknowns: [
      {
        kind: 'unopened-container',
        path: pathInArtifact(ctx.chain, ''),
        format: 'inno-setup',
        reason: `the files of this Inno Setup installer (setup data ${version}) are not listed: its setup header and file entries are not decoded by this version of the tool`,
        declared: { setup0Offset: String(table.offset0), setup1Offset: String(table.offset1) },
      },
    ],
  };
}
