import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type CodeOptions, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import addDraft2019Formats from 'ajv-formats-draft2019';
import type { BomFormat } from '../bom/view.js';
import { packagePath } from '../package-root.js';

const SCHEMAS = packagePath('data', 'schemas');

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMAS, name), 'utf8')) as Record<string, unknown>;
}

const compiled = new Map<BomFormat, ValidateFunction>();

/** Every format with a schema, as the build precompiles them. */
export const SCHEMA_FORMATS: readonly BomFormat[] = ['spdx-2.3', 'spdx-3.0.1', 'cyclonedx-1.6', 'cyclonedx-1.7'];

/**
 * Where `npm run build` writes each schema's validator as standalone code (scripts/
 * compile-schemas.mjs): compiling the SPDX 3.0.1 or CycloneDX schema takes ajv most of a second,
 * on every run; loading the code it generated takes a few milliseconds.
 */
export function precompiledPath(format: BomFormat): string {
  return packagePath('dist', 'schemas', `${format}.cjs`);
}

/**
 * The ajv instance and schema for a format. SPDX 2.3 compiles in strict mode as published;
 * SPDX 3.0.1 is draft 2020-12; the CycloneDX schemas `$ref` the SPDX licence list, JSF and (1.7)
 * cryptography definitions by their `$id`, which are added first, and use `format` keywords
 * (`date-time`, `iri-reference`, `idn-email`) that ajv-formats and ajv-formats-draft2019 check.
 * `code` is ajv's code option (the build asks for standalone source).
 */
export function schemaCompiler(format: BomFormat, code?: CodeOptions): { ajv: Ajv; schema: Record<string, unknown> } {
  const options = { allErrors: true, ...(code ? { code } : {}) };
  if (format === 'spdx-2.3') return { ajv: new Ajv({ strict: true, ...options }), schema: load('spdx-2.3.schema.json') };
  if (format === 'spdx-3.0.1') {
    const ajv = new Ajv2020({ strict: false, ...options });
    addFormats.default(ajv);
    return { ajv, schema: load('spdx-3.0.1.schema.json') };
  }
  const ajv = new Ajv({ strict: false, ...options });
  addFormats.default(ajv);
  // `iri-reference` and `idn-email` are draft 2019-09 formats, outside ajv-formats.
  addDraft2019Formats(ajv);
  for (const ref of ['spdx.schema.json', 'jsf-0.82.schema.json', 'cryptography-defs.schema.json']) ajv.addSchema(load(ref));
  return { ajv, schema: load(format === 'cyclonedx-1.7' ? 'bom-1.7.schema.json' : 'bom-1.6.schema.json') };
}

/** The official schema of each format, loaded precompiled where the build left it, else compiled; once. */
export function schemaValidator(format: BomFormat): ValidateFunction {
  let v = compiled.get(format);
  if (v) return v;
  const path = precompiledPath(format);
  if (existsSync(path)) v = createRequire(import.meta.url)(path) as ValidateFunction;
  else {
    const { ajv, schema } = schemaCompiler(format);
    v = ajv.compile(schema);
  }
  compiled.set(format, v);
  return v;
}
