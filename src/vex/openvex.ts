import { createHash } from 'node:crypto';
import type { VexComponent, VexDocument, VexProduct, VexStatement } from './model.js';

/** The normative OpenVEX 0.2.0 context IRI. */
export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

/**
 * `urn:uuid:` from a content hash, shaped as a name-based UUID (RFC 9562 §5.5): the same statements
 * about the same artifact always get the same document id.
 */
export function contentUuid(content: string): string {
  const h = createHash('sha256').update(content).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The product's `@id`: its purl as the SBOM gives it; without one, a generic purl carrying the
 * artifact's SHA-256 (purl-spec `checksum` qualifier), which names those exact bytes.
 */
export function productIri(p: VexProduct): string {
  if (p.purl) return p.purl;
  const name = encodeURIComponent(p.fileName ?? p.name);
  return p.sha256 ? `pkg:generic/${name}?checksum=sha256:${p.sha256}` : `pkg:generic/${name}`;
}

/** A component's `@id`: purl, else its first CPE, else its SBOM element id under the product. */
export function componentIri(c: VexComponent, product: VexProduct): string {
  return c.purl ?? c.cpes[0] ?? `${productIri(product)}#${encodeURIComponent(c.ref)}`;
}

function identifiers(purl: string | undefined, cpes: readonly string[]): Record<string, string> | undefined {
  const cpe23 = cpes.find((c) => c.startsWith('cpe:2.3:'));
  const cpe22 = cpes.find((c) => c.startsWith('cpe:/'));
  const out = { ...(purl ? { purl } : {}), ...(cpe22 ? { cpe22 } : {}), ...(cpe23 ? { cpe23 } : {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

function productJson(doc: VexDocument, s: VexStatement): Record<string, unknown> {
  const p = doc.product;
  const ids = identifiers(p.purl, p.cpes);
  const out: Record<string, unknown> = { '@id': productIri(p), ...(ids ? { identifiers: ids } : {}), ...(p.sha256 ? { hashes: { 'sha-256': p.sha256 } } : {}) };
  if (s.component) {
    const cids = identifiers(s.component.purl, s.component.cpes);
    out['subcomponents'] = [{ '@id': componentIri(s.component, p), ...(cids ? { identifiers: cids } : {}) }];
  }
  return out;
}

function statementJson(doc: VexDocument, s: VexStatement): Record<string, unknown> {
  const v = s.vulnerability;
  return {
    vulnerability: { name: v.name, ...(v.summary ? { description: v.summary } : {}), ...(v.aliases.length > 0 ? { aliases: v.aliases } : {}) },
    products: [productJson(doc, s)],
    status: s.status,
    ...(s.justification ? { justification: s.justification } : {}),
    ...(s.impactStatement ? { impact_statement: s.impactStatement } : {}),
    ...(s.actionStatement ? { action_statement: s.actionStatement } : {}),
    ...(s.statusNotes ? { status_notes: s.statusNotes } : {}),
  };
}

/** OpenVEX 0.2.0 JSON: one statement per vulnerability and component, the document id from its content. */
export function toOpenVex(doc: VexDocument): string {
  // The schema wants unique statements; two SBOM elements with the same identifiers would repeat one.
  const statements = [...new Map(doc.statements.map((s) => statementJson(doc, s)).map((j) => [JSON.stringify(j), j])).values()];
  const id = contentUuid(JSON.stringify({ author: doc.author, statements }));
  const out = { '@context': OPENVEX_CONTEXT, '@id': id, author: doc.author, timestamp: doc.timestamp, version: 1, tooling: doc.tooling, statements };
  return `${JSON.stringify(out, null, 2)}\n`;
}
