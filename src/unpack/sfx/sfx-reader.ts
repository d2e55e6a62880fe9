import { InputError } from '../../errors.js';
import { SliceByteSource, type ByteSource } from '../../io/byte-source.js';
import { isPe, readPeFacts } from '../../inspect/pe/index.js';
import { HEAD_BYTES, type ContainerInfo, type ContainerReader, type FormatDescriptor, type OpenedContainer, type UnpackContext } from '../types.js';
import { peOverlay } from './pe-overlay.js';

/** Formats that are PEs themselves and are read as such, never looked for as an overlay. */
export const PE_FORMATS = new Set(['sfx', 'pe-overlay']);

/** The format of the archive a PE's overlay starts with, if it is one we open. */
export async function overlayFormat(source: ByteSource, ctx: UnpackContext): Promise<{ format: FormatDescriptor; slice: SliceByteSource } | undefined> {
  const overlay = await peOverlay(source);
  if (!overlay) return undefined;
  const slice = new SliceByteSource(source, overlay.offset, overlay.size);
  const head = await slice.read(0, HEAD_BYTES);
  // The registry imports this module; by the time a PE is probed it is fully loaded.
  const { recogniseFormat } = await import('../registry.js');
  const found = await recogniseFormat(head, '', slice, ctx, (f) => !PE_FORMATS.has(f.format));
  return found?.format.reader ? { format: found.format, slice } : undefined;
}

/**
 * Self-extracting executables: a PE whose overlay starts with an archive we read (a cabinet, a
 * zip, a 7z, an xz stream, a Burn bundle or an NSIS installer appended to a stub). The overlay
 * is opened with its own reader and its members appear under the executable; the container says
 * where the overlay starts. The stub itself is also listed and inspected as a file (its
 * VERSIONINFO, signature and detections), which the registry asks of the walker.
 */
export const SfxReader: ContainerReader = {
  format: 'sfx',
  canRead: isPe,
  async open(source, ctx) {
    const found = await overlayFormat(source, ctx);
    if (!found) throw new InputError('no archive at the start of the PE overlay', ctx.chain);
    const chain = [...ctx.chain, `overlay at byte ${(found.slice).offset}`];
    const inner = await found.format.reader!.open(found.slice, { ...ctx, chain });
    return wrap(inner, found.format.format, found.slice, source);
  },
};

async function wrap(inner: OpenedContainer, innerFormat: string, slice: SliceByteSource, source: ByteSource): Promise<OpenedContainer> {
  const properties: Record<string, string> = {
    overlayFormat: innerFormat,
    overlayOffset: String(slice.offset),
    overlaySize: String(slice.size),
  };
  for (const [k, v] of Object.entries(inner.info.properties)) properties[`overlay.${k}`] = v;
  const facts = await readPeFacts(source).catch(() => undefined);
  const strings = Object.values(facts?.versionInfo?.strings ?? {})[0];
  const inf = inner.info;
  // Warnings, unknowns and findings are read through, so what the inner reader adds while its
  // entries are listed (an unsupported member) is seen on this container.
  const info: ContainerInfo = {
    format: 'sfx',
    properties,
    get findings() {
      return inf.findings;
    },
    get warnings() {
      return inf.warnings;
    },
    get unknowns() {
      return inf.unknowns;
    },
    get signatures() {
      return inf.signatures;
    },
  };
  const name = inf.name ?? strings?.ProductName;
  const version = inf.version ?? strings?.ProductVersion;
  const manufacturer = inf.manufacturer ?? strings?.CompanyName;
  if (name) info.name = name;
  if (version) info.version = version;
  if (manufacturer) info.manufacturer = manufacturer;
  const opened: OpenedContainer = {
    info,
    entries: () => inner.entries(),
    close: () => inner.close(),
  };
  if (inner.member) opened.member = (path) => inner.member!(path);
  return opened;
}
