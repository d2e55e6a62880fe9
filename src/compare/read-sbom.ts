import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import type { SpdxDocument } from '../sbom/model.js';

/**
 * Reads an SPDX 2.x JSON document written by any tool. Only the shape is checked here (an object
 * with `spdxVersion`); odd values (CPython's prototype wrote `created` as `…+00:00Z`) are left for
 * validate to report, because verify and diff must still read such documents.
 */
export async function readSpdxJson(path: string): Promise<SpdxDocument> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, [basename(path)]);
  }
  return parseSpdxJson(text, basename(path));
}

export function parseSpdxJson(text: string, name: string): SpdxDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new InputError(`not readable as JSON: ${(err as Error).message.split('\n')[0]}`, [name]);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError('not an SPDX JSON document (not an object)', [name]);
  const d = doc as Record<string, unknown>;
  if (typeof d['spdxVersion'] !== 'string' || !d['spdxVersion'].startsWith('SPDX-2.')) {
    throw new InputError('not an SPDX 2.x JSON document (no spdxVersion "SPDX-2.x")', [name]);
  }
  for (const list of ['packages', 'files', 'relationships'] as const) {
    if (d[list] !== undefined && !Array.isArray(d[list])) throw new InputError(`"${list}" is not a list`, [name]);
  }
  return doc as SpdxDocument;
}
