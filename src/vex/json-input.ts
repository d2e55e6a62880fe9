import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { InputError } from '../errors.js';
import { packagePath } from '../package-root.js';

const uri = fullFormats.uri as (s: string) => boolean;

/**
 * RFC 3987 §3.1: an IRI is valid when the URI it maps to is. Validators that also demand an
 * IANA-registered scheme would reject `pkg:` (purl) and `cpe:`, which OpenVEX uses for `@id`.
 */
export function isIri(value: string): boolean {
  return uri(value.replace(/[^\x00-\x7f]/gu, (c) => encodeURIComponent(c)));
}

/** Ajv for draft 2020-12 schemas (OSV, OpenVEX, ours), with the string formats they use. */
export function schemaValidator(schema: object): ValidateFunction {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('iri', isIri);
  return ajv.compile(schema);
}

/** A schema shipped in data/ (read once per process). */
export function dataSchema(name: string): object {
  return JSON.parse(readFileSync(packagePath('data', name), 'utf8')) as object;
}

/** The first few schema errors, one line: where and what. */
export function schemaErrors(validate: ValidateFunction): string {
  const errors = validate.errors ?? [];
  const shown = errors.slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return shown.join('; ') + (errors.length > 3 ? `; and ${errors.length - 3} more` : '');
}

/** Advisories, statements and tag maps are small; a database of them is many files, never one this big. */
const MAX_JSON_BYTES = 16 << 20;

/** A JSON input file (advisory, statements, tag map); unreadable, oversized or malformed → InputError naming it. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    if ((await stat(path)).size > MAX_JSON_BYTES) throw new InputError(`larger than ${MAX_JSON_BYTES} bytes`, [path]);
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, [path]);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new InputError(`not readable as JSON: ${(err as Error).message.split('\n')[0]}`, [path]);
  }
}
