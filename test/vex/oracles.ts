/**
 * The official schemas in ../shared/oracles as checkers: OpenVEX 0.2.0 (draft 2020-12) and
 * CycloneDX 1.6 (draft-07, with the schemas it references added first).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { sharedDir } from '../helpers/fixtures.js';

/** idn-email and iri-reference, which CycloneDX uses; the package ships no type declarations. */
const addDraft2019Formats = createRequire(import.meta.url)('ajv-formats-draft2019') as (ajv: Ajv) => Ajv;

const oracle = (...p: string[]) => JSON.parse(readFileSync(join(sharedDir, 'oracles', ...p), 'utf8')) as object;

function errorsOf(validate: ValidateFunction): (doc: unknown) => string[] {
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
}

let openVex: ((doc: unknown) => string[]) | undefined;
let cycloneDx: ((doc: unknown) => string[]) | undefined;
let osv: ((doc: unknown) => string[]) | undefined;

/** OpenVEX's `iri` format: an RFC 3987 IRI; every IRI we write is ASCII, so a valid URI. */
export function openVexSchemaErrors(doc: unknown): string[] {
  if (!openVex) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addFormat('iri', fullFormats.uri as (s: string) => boolean);
    openVex = errorsOf(ajv.compile(oracle('openvex', 'openvex_json_schema.json')));
  }
  return openVex(doc);
}

export function cycloneDx16SchemaErrors(doc: unknown): string[] {
  if (!cycloneDx) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    addDraft2019Formats(ajv);
    for (const s of ['spdx.schema.json', 'jsf-0.82.schema.json', 'cryptography-defs.schema.json']) ajv.addSchema(oracle('cyclonedx', s));
    cycloneDx = errorsOf(ajv.compile(oracle('cyclonedx', 'bom-1.6.schema.json')));
  }
  return cycloneDx(doc);
}

export function osvSchemaErrors(doc: unknown): string[] {
  if (!osv) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    osv = errorsOf(ajv.compile(oracle('osv', 'osv-schema.json')));
  }
  return osv(doc);
}
