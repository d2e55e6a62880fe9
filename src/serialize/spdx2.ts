import { createHash } from 'node:crypto';
import { completenessOf, formatParty, NOASSERTION, packagesOf, type Bom, type FileElement, type PackageElement, type Purpose, type RelationType } from '../bom/model.js';
import { canonicalJson } from './canonical-json.js';
import { IdAllocator } from './ids.js';
import { declarationText, declaredAbsentText, describeWithEvidence, knownUnknownText, signatureText } from './statements.js';
import type { SpdxAnnotation, SpdxChecksum, SpdxDocument, SpdxExternalRef, SpdxFile, SpdxPackage, SpdxRelationship } from './spdx2-types.js';

const PURPOSE: Record<Purpose, string> = {
  install: 'INSTALL',
  archive: 'ARCHIVE',
  application: 'APPLICATION',
  library: 'LIBRARY',
  source: 'SOURCE',
  file: 'FILE',
};

const RELATION: Record<RelationType, string> = {
  contains: 'CONTAINS',
  'depends-on': 'DEPENDS_ON',
  'static-link': 'STATIC_LINK',
  'dynamic-link': 'DYNAMIC_LINK',
};

/** SPDX ids for every element of the model: conventions' ids first, then one per element in model order. */
export function spdx2Ids(bom: Bom): Map<string, string> {
  const ids = new IdAllocator();
  const out = new Map<string, string>();
  ids.claim('SPDXRef-DOCUMENT');
  for (const p of packagesOf(bom)) if (p.idHint) out.set(p.ref, ids.claim(p.idHint));
  const fresh = (ref: string, prefix: string, raw: string) => {
    if (!out.has(ref)) out.set(ref, ids.take(prefix, raw));
  };
  fresh(bom.artifact.ref, 'SPDXRef-PACKAGE-', bom.artifact.name);
  for (const c of bom.containers) fresh(c.ref, 'SPDXRef-CONTAINER-', c.path);
  for (const c of bom.components) fresh(c.ref, 'SPDXRef-PACKAGE-', c.version !== undefined ? `${c.componentId}-${c.version}` : c.componentId);
  for (const f of bom.files) fresh(f.ref, 'SPDXRef-FILE-', f.path);
  return out;
}

function checksums(d: { sha1?: string; sha256?: string; sha512?: string } | undefined): SpdxChecksum[] | undefined {
  if (!d) return undefined;
  const out: SpdxChecksum[] = [];
  if (d.sha1) out.push({ algorithm: 'SHA1', checksumValue: d.sha1 });
  if (d.sha256) out.push({ algorithm: 'SHA256', checksumValue: d.sha256 });
  if (d.sha512) out.push({ algorithm: 'SHA512', checksumValue: d.sha512 });
  return out.length > 0 ? out : undefined;
}

/** SPDX 2.3 §7.9: SHA-1 over the sorted, concatenated lower-case SHA-1s of the package's files. */
export function verificationCode(files: readonly FileElement[]): string {
  const sums = files.map((f) => f.digests.sha1.toLowerCase()).sort();
  return createHash('sha1').update(sums.join('')).digest('hex');
}

/**
 * The model as an SPDX 2.3 document. Packages that hold files (the artifact, containers) are
 * `filesAnalyzed: true` with a verification code; components are metadata about code inside
 * files and hold none (§7.8). What could not be seen is a `NOASSERTION` relationship target and a
 * document annotation.
 */
export function toSpdx23(bom: Bom): SpdxDocument {
  const ids = spdx2Ids(bom);
  const id = (ref: string) => ids.get(ref)!;
  const created = bom.document.created;
  const annotator = `Tool: ${bom.document.tool.name}-${bom.document.tool.version}`;
  const annotate = (comment: string): SpdxAnnotation => ({ annotationDate: created, annotationType: 'OTHER', annotator, comment });
  const files = new Map(bom.files.map((f) => [f.ref, f]));
  const filesOf = new Map<string, FileElement[]>();
  for (const r of bom.relationships) {
    const f = r.type === 'contains' ? files.get(r.to) : undefined;
    if (f) filesOf.set(r.from, [...(filesOf.get(r.from) ?? []), f]);
  }

  const packages: SpdxPackage[] = packagesOf(bom).map((p) => packageOf(p, id(p.ref), filesOf.get(p.ref) ?? [], annotate));
  const spdxFiles: SpdxFile[] = bom.files.map((f) => fileOf(f, id(f.ref)));
  const relationships: SpdxRelationship[] = [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: id(bom.artifact.ref) }];
  for (const r of bom.relationships) {
    relationships.push({ spdxElementId: id(r.from), relationshipType: RELATION[r.type], relatedSpdxElement: id(r.to), ...(r.comment ? { comment: r.comment } : {}) });
  }
  // NTIA "known unknowns": NOASSERTION as a relationship target says the list is not complete (SPDX 2.3 §11.1).
  const completeness = completenessOf(bom);
  if (!completeness.dependenciesComplete) {
    relationships.push({ spdxElementId: id(bom.artifact.ref), relationshipType: 'DEPENDS_ON', relatedSpdxElement: NOASSERTION, comment: 'Dependencies are incomplete: see the known unknowns.' });
  }
  for (const scope of completeness.incompleteContainment) {
    relationships.push({ spdxElementId: id(scope), relationshipType: 'CONTAINS', relatedSpdxElement: NOASSERTION, comment: 'Contents are incomplete: see the known unknowns.' });
  }

  const docNotes = [...bom.declaredAbsent.map(declaredAbsentText), ...bom.knownUnknowns.map(knownUnknownText)];
  return {
    SPDXID: 'SPDXRef-DOCUMENT',
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    name: bom.document.name,
    documentNamespace: bom.document.namespace,
    creationInfo: {
      created,
      creators: [annotator, ...bom.document.creators.map(formatParty)],
      licenseListVersion: '3.22',
    },
    ...(bom.knownUnknowns.length > 0 ? { comment: `${bom.knownUnknowns.length} known unknown(s): what could not be opened, decoded, inspected or dated is listed in the document's annotations.` } : {}),
    packages,
    files: spdxFiles,
    relationships,
    ...(docNotes.length > 0 ? { annotations: docNotes.map(annotate) } : {}),
  };
}

function packageOf(p: PackageElement, spdxId: string, files: readonly FileElement[], annotate: (c: string) => SpdxAnnotation): SpdxPackage {
  const refs: SpdxExternalRef[] = p.cpes.map((c) => ({ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: c.cpe, ...(c.comment ? { comment: c.comment } : {}) }));
  if (p.purl) refs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl });
  const notes = p.notes.map((n) => n.text);
  if (p.kind === 'component' && p.declaration) notes.push(declarationText(p.declaration));
  if (p.kind !== 'component') for (const s of p.signatures) notes.push(signatureText(s));
  const comment = p.kind === 'component' ? describeWithEvidence(p.description, p.evidence) : [p.description, ...(p.kind === 'container' ? p.warnings.map((w) => `Warning: ${w}`) : []), propertiesLine(p.properties)].filter(Boolean).join('\n');
  const sums = checksums(p.digests);
  return {
    SPDXID: spdxId,
    name: p.name,
    versionInfo: p.version ?? NOASSERTION,
    ...(p.fileName ? { packageFileName: p.fileName } : {}),
    supplier: formatParty(p.supplier),
    ...(p.originator ? { originator: formatParty(p.originator) } : {}),
    downloadLocation: p.downloadLocation ?? NOASSERTION,
    filesAnalyzed: files.length > 0,
    ...(files.length > 0 ? { packageVerificationCode: { packageVerificationCodeValue: verificationCode(files) } } : {}),
    ...(sums ? { checksums: sums } : {}),
    ...(p.homepage ? { homepage: p.homepage } : {}),
    licenseConcluded: p.licenseConcluded ?? NOASSERTION,
    licenseDeclared: p.licenseDeclared ?? NOASSERTION,
    copyrightText: NOASSERTION,
    ...(refs.length > 0 ? { externalRefs: refs } : {}),
    primaryPackagePurpose: PURPOSE[p.purpose],
    ...(comment ? { comment } : {}),
    ...(notes.length > 0 ? { annotations: notes.map(annotate) } : {}),
  };
}

function propertiesLine(props: Record<string, string>): string {
  const entries = Object.entries(props).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length > 0 ? `Declared: ${entries.map(([k, v]) => `${k}=${v}`).join('; ')}.` : '';
}

function fileOf(f: FileElement, spdxId: string): SpdxFile {
  const types = [...(f.fileKind.executable ? ['BINARY'] : []), ...(f.fileKind.archive ? ['ARCHIVE'] : [])];
  const comment = [
    f.notInspected ? `Not inspected: ${f.notInspected}` : '',
    f.unopened ? `Unopened container (${f.unopened.format}): ${f.unopened.reason}` : '',
    ...f.signatures.map((s) => `Signature: ${signatureText(s)}`),
    ...f.notes.map((n) => n.text),
  ].filter(Boolean);
  return {
    SPDXID: spdxId,
    fileName: `./${f.path}`,
    checksums: checksums(f.digests)!,
    ...(types.length > 0 ? { fileTypes: types } : {}),
    ...(comment.length > 0 ? { comment: comment.join('\n') } : {}),
  };
}

/** Canonical SPDX 2.3 JSON text. */
export function writeSpdx23(bom: Bom): string {
  return canonicalJson(toSpdx23(bom));
}
