/**
 * The official schemas in ../shared/oracles as checkers, the tests' independent copies (the product
 * validates with its own in data/schemas/): SPDX 2.3 (draft-07, strict), SPDX 3.0.1 (draft
 * 2020-12), CycloneDX 1.6 and 1.7 (draft-07, with the schemas they reference added first),
 * OpenVEX 0.2.0 (draft 2020-12) and OSV.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { sharedDir } from './fixtures.js';

/** idn-email and iri-reference, which CycloneDX uses; the package ships no type declarations. */
const addDraft2019Formats = createRequire(import.meta.url)('ajv-formats-draft2019') as (ajv: Ajv) => Ajv;

const oracle = (...p: string[]) => JSON.parse(readFileSync(join(sharedDir, 'oracles', ...p), 'utf8')) as object;

function errorsOf(validate: ValidateFunction): (doc: unknown) => string[] {
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
}

/**
 * `npm run mutation` runs the unit tests once per mutant; compiling the official schemas costs
 * seconds each time, so that run skips them (every writer test also compares with a document
 * written by hand). Everywhere else the schemas are checked.
 */
const skipSchemas = !!process.env['INSTALLER_SBOM_MUTATION'];

let openVex: ((doc: unknown) => string[]) | undefined;
const cycloneDx = new Map<string, (doc: unknown) => string[]>();
let osv: ((doc: unknown) => string[]) | undefined;
let spdx23: ((doc: unknown) => string[]) | undefined;
let spdx3: ((doc: unknown) => string[]) | undefined;

export function spdx23SchemaErrors(doc: unknown): string[] {
  if (skipSchemas) return [];
  spdx23 ??= errorsOf(new Ajv({ strict: true, allErrors: true }).compile(oracle('spdx-2.3', 'spdx-schema.json')));
  return spdx23(doc);
}

export function spdx3SchemaErrors(doc: unknown): string[] {
  if (skipSchemas) return [];
  if (!spdx3) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    spdx3 = errorsOf(ajv.compile(oracle('spdx-3.0.1', 'spdx-json-schema.json')));
  }
  return spdx3(doc);
}

/** Errors of an SBOM against its format's schema, the format told by the fields each requires. */
export function sbomSchemaErrors(doc: Record<string, unknown>): string[] {
  if (typeof doc['spdxVersion'] === 'string') return spdx23SchemaErrors(doc);
  if (typeof doc['@context'] === 'string') return spdx3SchemaErrors(doc);
  if (doc['bomFormat'] === 'CycloneDX') return cycloneDxSchemaErrors(doc, doc['specVersion'] === '1.7' ? '1.7' : '1.6');
  return ['not an SBOM in a known format'];
}

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

export function cycloneDxSchemaErrors(doc: unknown, version: '1.6' | '1.7' = '1.6'): string[] {
  if (skipSchemas) return [];
  let check = cycloneDx.get(version);
  if (!check) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    addDraft2019Formats(ajv);
    for (const s of ['spdx.schema.json', 'jsf-0.82.schema.json', 'cryptography-defs.schema.json']) ajv.addSchema(oracle('cyclonedx', s));
    check = errorsOf(ajv.compile(oracle('cyclonedx', `bom-${version}.schema.json`)));
    cycloneDx.set(version, check);
  }
  return check(doc);
}

export function cycloneDx16SchemaErrors(doc: unknown): string[] {
  return cycloneDxSchemaErrors(doc, '1.6');
}

export function osvSchemaErrors(doc: unknown): string[] {
  if (!osv) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    osv = errorsOf(ajv.compile(oracle('osv', 'osv-schema.json')));
  }
  return osv(doc);
}
