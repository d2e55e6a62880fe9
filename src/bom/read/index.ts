import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import type { Bom } from '../model.js';
import type { BomFormat, BomView } from '../view.js';
import { toSpdx23 } from '../../serialize/spdx2.js';
import { viewOfCycloneDx } from './cyclonedx.js';
import { viewOfSpdx2 } from './spdx2.js';
import { viewOfSpdx3 } from './spdx3.js';

/** A parsed SBOM document: its format, the JSON as read, and the neutral view of it. */
export interface ReadBom {
  format: BomFormat;
  json: Record<string, unknown>;
  view: BomView;
}

/** Which SBOM format a JSON document is, by the fields each format requires. */
export function formatOf(json: Record<string, unknown>): BomFormat | undefined {
  if (typeof json['spdxVersion'] === 'string' && json['spdxVersion'].startsWith('SPDX-2.')) return 'spdx-2.3';
  if (typeof json['@context'] === 'string' && json['@context'].includes('spdx.org/rdf/3.') && Array.isArray(json['@graph'])) return 'spdx-3.0.1';
  if (json['bomFormat'] === 'CycloneDX') return json['specVersion'] === '1.7' ? 'cyclonedx-1.7' : 'cyclonedx-1.6';
  return undefined;
}

/**
 * Reads SPDX 2.x, SPDX 3.0.1 JSON-LD or CycloneDX JSON (ours or another tool's) into the neutral
 * view. Only the shape is checked here: odd values are for `validate` to report, because verify,
 * diff and report must still read such documents.
 */
export function parseBom(text: string, name: string): ReadBom {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(`not readable as JSON: ${(err as Error).message.split('\n')[0]}`, [name]);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new InputError('not an SBOM (the JSON is not an object)', [name]);
  const obj = json as Record<string, unknown>;
  const format = formatOf(obj);
  if (!format) throw new InputError('not an SBOM this tool reads (SPDX 2.x JSON, SPDX 3.0.1 JSON-LD or CycloneDX JSON)', [name]);
  for (const list of format === 'spdx-2.3' ? ['packages', 'files', 'relationships'] : format === 'spdx-3.0.1' ? ['@graph'] : ['components', 'dependencies']) {
    if (obj[list] !== undefined && !Array.isArray(obj[list])) throw new InputError(`"${list}" is not a list`, [name]);
  }
  const view = format === 'spdx-2.3' ? viewOfSpdx2(obj) : format === 'spdx-3.0.1' ? viewOfSpdx3(obj) : viewOfCycloneDx(obj);
  return { format, json: obj, view };
}

export async function readBomFile(path: string): Promise<ReadBom> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, [basename(path)]);
  }
  return parseBom(text, basename(path));
}

/**
 * The neutral view of a model, read back through the SPDX 2.3 writer: verify, report and vex see
 * a model built just now exactly as they would see the document `build` writes for it.
 */
export function viewOfBom(bom: Bom): BomView {
  return viewOfSpdx2(toSpdx23(bom) as unknown as Record<string, unknown>);
}
