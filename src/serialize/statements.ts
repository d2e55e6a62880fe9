/**
 * The sentences installer-sbom writes where a format has no field of its own (SPDX annotations
 * and comments, CycloneDX annotations), and their parsers for the readers. Writing and reading
 * live together so the two cannot drift apart.
 */
import type { Evidence } from '../detect/types.js';
import type { SignatureFacts } from '../inspect/types.js';
import type { DeclaredAbsent, Declaration, KnownUnknown } from '../bom/model.js';

/** `file: kind "text" at location [arch] → version` */
export function evidenceLine(e: Evidence): string {
  const v = e.version ? ` → ${e.version}` : '';
  const arch = e.arch ? ` [${e.arch}]` : '';
  return `${e.file}: ${e.kind} "${e.text}" at ${e.location}${arch}${v}`;
}

const EVIDENCE_HEADER = 'Evidence:';

/** A component's description followed by its evidence, one `- ` line each (SPDX 2.3 package comment). */
export function describeWithEvidence(description: string | undefined, evidence: readonly Evidence[]): string {
  const lines = [description ?? ''];
  if (evidence.length > 0) lines.push(EVIDENCE_HEADER, ...evidence.map((e) => `- ${evidenceLine(e)}`));
  return lines.filter((l) => l !== '').join('\n');
}

/** The evidence lines of a comment written by describeWithEvidence (other tools' comments give none). */
export function evidenceLinesOf(comment: unknown): string[] {
  if (typeof comment !== 'string') return [];
  // The header is the comment's first line when the component has no description.
  const lines = comment.split('\n');
  const at = lines.indexOf(EVIDENCE_HEADER);
  if (at < 0) return [];
  return lines
    .slice(at + 1)
    .filter((l) => l.startsWith('- '))
    .map((l) => l.slice(2));
}

/** `contradicted (declared 3.0.15 by externals.spdx.json): the binaries show 3.0.16 (libcrypto-3.dll)` */
export function declarationText(d: Declaration): string {
  const declared = d.version !== undefined ? ` (declared ${d.version} by ${d.document ?? 'the source SBOM'})` : '';
  return `${d.status}${declared}: ${d.note}`;
}

const DECLARATION = /^(corroborated|contradicted|not-verifiable|added)(?: \(declared (.+?) by (.+?)\))?: ([\s\S]*)$/;

export function parseDeclarationText(text: string): Declaration | undefined {
  const m = DECLARATION.exec(text);
  if (!m) return undefined;
  return {
    status: m[1] as Declaration['status'],
    ...(m[2] !== undefined ? { version: m[2] } : {}),
    ...(m[3] !== undefined ? { document: m[3] } : {}),
    note: m[4]!,
  };
}

/** `not-shipped: tcl-core 8.6.15.0 declared by externals.spdx.json: … Identifiers: cpe:2.3:… pkg:…` */
export function declaredAbsentText(d: DeclaredAbsent): string {
  const ids = [...d.cpes, ...(d.purl ? [d.purl] : [])];
  return `${d.status}: ${d.name}${d.version !== undefined ? ` ${d.version}` : ''} declared by ${d.document}: ${d.note}${ids.length > 0 ? `\nIdentifiers: ${ids.join(' ')}` : ''}`;
}

const DECLARED_ABSENT = /^(not-shipped|not-found): (\S+)(?: (\S+))? declared by (.+?): ([^\n]*)(?:\nIdentifiers: (.*))?$/;

export function parseDeclaredAbsentText(text: string): DeclaredAbsent | undefined {
  const m = DECLARED_ABSENT.exec(text);
  if (!m) return undefined;
  const ids = (m[6] ?? '').split(' ').filter(Boolean);
  const purl = ids.find((i) => i.startsWith('pkg:'));
  return {
    status: m[1] as DeclaredAbsent['status'],
    name: m[2]!,
    ...(m[3] !== undefined ? { version: m[3] } : {}),
    document: m[4]!,
    note: m[5]!,
    cpes: ids.filter((i) => i.startsWith('cpe:')),
    ...(purl ? { purl } : {}),
  };
}

/** `known unknown (unopened-container): Tools/extra.7z: a 7z archive is not opened` */
export function knownUnknownText(u: KnownUnknown): string {
  return `known unknown (${u.kind}): ${u.subject}: ${u.reason}`;
}

export function isKnownUnknownText(text: string): boolean {
  return text.startsWith('known unknown (');
}

/** `signed by CN (O); valid-digest; program "…"; at 2024-…` — one line per signature. */
export function signatureText(s: SignatureFacts): string {
  const who = s.signer ? `${s.signer.commonName ?? s.signer.subject}${s.signer.organization && s.signer.organization !== s.signer.commonName ? ` (${s.signer.organization})` : ''}` : s.status === 'ad-hoc' ? 'ad hoc' : 'no signer';
  const parts = [`${s.kind} signature${s.slice ? ` of the ${s.slice} slice` : ''} by ${who}`, s.status];
  if (s.digestAlgorithm) parts.push(s.digestAlgorithm);
  if (s.programName) parts.push(`program "${s.programName}"`);
  if (s.signingTime) parts.push(`signed ${s.signingTime}`);
  if (s.problem) parts.push(s.problem);
  return parts.join('; ');
}
