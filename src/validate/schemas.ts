import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { _, Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import addDraft2019Formats from 'ajv-formats-draft2019';
import type { BomFormat } from '../bom/view.js';
import { packagePath } from '../package-root.js';

function load(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(packagePath('data', 'schemas', name), 'utf8')) as Record<string, unknown>;
}

/**
 * ajv's code option for standalone source: the generated code finds the formats schemaCompiler
 * registers (ajv-formats' full set, then ajv-formats-draft2019's over it) at load time.
 */
const STANDALONE = {
  source: true,
  formats: _`Object.assign({}, require("ajv-formats/dist/formats").fullFormats, require("ajv-formats-draft2019/formats"))`,
};

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
 * `standalone`: compile to source the build writes out (scripts/compile-schemas.mjs).
 */
export function schemaCompiler(format: BomFormat, standalone = false): { ajv: Ajv; schema: Record<string, unknown> } {
  const options = { allErrors: true, ...(standalone ? { code: STANDALONE } : {}) };
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
