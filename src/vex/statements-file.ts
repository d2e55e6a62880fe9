import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { readJsonFile, schemaErrors, schemaValidator } from './json-input.js';
import type { ValidateFunction } from 'ajv';

export type VexStatus = 'not_affected' | 'affected' | 'fixed' | 'under_investigation';

/** OpenVEX 0.2.0 justifications (CISA's VEX status justifications). */
export type Justification =
  | 'component_not_present'
  | 'vulnerable_code_not_present'
  | 'vulnerable_code_not_in_execute_path'
  | 'vulnerable_code_cannot_be_controlled_by_adversary'
  | 'inline_mitigations_already_exist';

export const JUSTIFICATIONS: readonly Justification[] = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
];

/** A statement the security team keeps by hand; it overrides the one derived from the evidence. */
export interface HumanStatement {
  /** CVE, PSF, GHSA … id; matched against advisory ids and aliases. */
  vulnerability: string;
  /** Which component (any of name, purl, cpe identifies it); absent: the product itself. */
  component?: { name?: string; purl?: string; cpe?: string };
  /** Applies only when the artifact ships this version of the component. */
  version?: string;
  /** Applies only to this artifact: its file name or its SHA-256. */
  artifact?: string;
  status: VexStatus;
  justification?: Justification;
  impact_statement?: string;
  action_statement?: string;
  status_notes?: string;
  /** Where it was read (`team.json #3`): file name only, so output does not depend on where the file lives. */
  origin: string;
}

const TEXT = { type: 'string', minLength: 1 };

/** The `--statements` file format; the OpenVEX rules for not_affected and affected included. */
const STATEMENTS_SCHEMA = {
  type: 'object',
  required: ['statements'],
  additionalProperties: false,
  properties: {
    statements: {
      type: 'array',
      items: {
        type: 'object',
        required: ['vulnerability', 'status'],
        additionalProperties: false,
        properties: {
          vulnerability: TEXT,
          component: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            properties: { name: TEXT, purl: { type: 'string', pattern: '^pkg:' }, cpe: { type: 'string', pattern: '^cpe:' } },
          },
          version: TEXT,
          artifact: TEXT,
          status: { enum: ['not_affected', 'affected', 'fixed', 'under_investigation'] },
          justification: { enum: JUSTIFICATIONS },
          impact_statement: TEXT,
          action_statement: TEXT,
          status_notes: TEXT,
        },
        allOf: [
          { if: { properties: { status: { const: 'not_affected' } } }, then: { anyOf: [{ required: ['justification'] }, { required: ['impact_statement'] }] } },
          { if: { properties: { status: { const: 'affected' } } }, then: { required: ['action_statement'] } },
          { if: { required: ['justification'] }, then: { properties: { status: { const: 'not_affected' } } } },
        ],
      },
    },
  },
};

let validate: ValidateFunction | undefined;

export function parseStatements(doc: unknown, file: string): HumanStatement[] {
  validate ??= schemaValidator(STATEMENTS_SCHEMA);
  if (!validate(doc)) throw new InputError(`not a statements file: ${schemaErrors(validate)}`, [file]);
  return (doc as { statements: Omit<HumanStatement, 'origin'>[] }).statements.map((s, i) => ({ ...s, origin: `${basename(file)} #${i + 1}` }));
}

export async function loadStatements(path: string): Promise<HumanStatement[]> {
  return parseStatements(await readJsonFile(path), path);
}
