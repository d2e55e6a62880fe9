import { parseBom } from '../bom/read/index.js';
import type { BomFormat, BomView } from '../bom/view.js';
import type { Finding } from './findings.js';
import { integrityFindings } from './integrity.js';
import { bsiFindings, ntiaFindings, type Profile } from './profiles.js';
import { schemaValidator } from './schemas.js';

export type { Finding } from './findings.js';
export type { Profile } from './profiles.js';

export interface ValidationReport {
  format: BomFormat;
  profile: Profile;
  valid: boolean;
  errors: Finding[];
  /** Worth fixing, not failing. */
  warnings: Finding[];
}

/**
 * The checks users hold an SBOM to, in any of the three formats: its official schema, what the
 * schema cannot express (ids, references, SPDX 2.3 §7.8), and a minimum-element profile: NTIA
 * (default) or BSI TR-03183-2 v2.1.
 */
export function validateDocument(json: Record<string, unknown>, view: BomView, profile: Profile = 'ntia'): ValidationReport {
  const findings: Finding[] = [];
  const validate = schemaValidator(view.format);
  if (!validate(json)) {
    for (const e of validate.errors ?? []) findings.push({ severity: 'error', check: 'schema', element: e.instancePath || '/', message: `${e.message ?? 'invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}` });
  }
  findings.push(...integrityFindings(view.format, json));
  findings.push(...(profile === 'bsi' ? bsiFindings(view) : ntiaFindings(view)));
  const errors = findings.filter((f) => f.severity === 'error');
  return { format: view.format, profile, valid: errors.length === 0, errors, warnings: findings.filter((f) => f.severity === 'warning') };
}

/** Validates SBOM text (any format). */
export function validateText(text: string, name: string, profile: Profile = 'ntia'): ValidationReport {
  const read = parseBom(text, name);
  return validateDocument(read.json, read.view, profile);
}
