import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import addDraft2019Formats from 'ajv-formats-draft2019';
import type { BomFormat } from '../bom/view.js';

const SCHEMAS = new URL('../../../data/schemas/', import.meta.url);

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, SCHEMAS), 'utf8')) as Record<string, unknown>;
}

const compiled = new Map<BomFormat, ValidateFunction>();

/**
 * The official schema of each format, compiled once. SPDX 2.3 compiles in strict mode as
 * published; SPDX 3.0.1 is draft 2020-12; the CycloneDX schemas `$ref` the SPDX licence list,
 * JSF and (1.7) cryptography definitions by their `$id`, which are added first, and use
 * `format` keywords (`date-time`, `iri-reference`, `idn-email`) that ajv-formats and
 * ajv-formats-draft2019 check.
 */
export function schemaValidator(format: BomFormat): ValidateFunction {
  let v = compiled.get(format);
  if (v) return v;
  if (format === 'spdx-2.3') {
    v = new Ajv({ strict: true, allErrors: true }).compile(load('spdx-2.3.schema.json'));
  } else if (format === 'spdx-3.0.1') {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    v = ajv.compile(load('spdx-3.0.1.schema.json'));
  } else {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats.default(ajv);
    // `iri-reference` and `idn-email` are draft 2019-09 formats, outside ajv-formats.
    addDraft2019Formats(ajv);
    for (const ref of ['spdx.schema.json', 'jsf-0.82.schema.json', 'cryptography-defs.schema.json']) ajv.addSchema(load(ref));
    v = ajv.compile(load(format === 'cyclonedx-1.7' ? 'bom-1.7.schema.json' : 'bom-1.6.schema.json'));
  }
  compiled.set(format, v);
  return v;
}
