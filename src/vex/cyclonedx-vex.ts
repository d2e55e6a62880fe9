import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import type { Justification, VexComponent, VexDocument, VexStatement, VexStatus } from './model.js';
import { contentUuid } from './openvex.js';

/** CycloneDX 1.6 `analysis.state` for each OpenVEX status (CycloneDX's own VEX mapping). */
export const CDX_STATE: Record<VexStatus, string> = {
  affected: 'exploitable',
  fixed: 'resolved',
  not_affected: 'not_affected',
  under_investigation: 'in_triage',
};

/** CycloneDX has no "component not present": code_not_present is its nearest justification. */
const CDX_JUSTIFICATION: Record<Justification, string> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

const AFFECTED_STATUS: Record<VexStatus, string> = { affected: 'affected', fixed: 'unaffected', not_affected: 'unaffected', under_investigation: 'unknown' };

/** Where an id is published, for `source` and `references[].source`. */
function sourceOf(id: string): { name: string; url: string } {
  if (/^CVE-/i.test(id)) return { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${id}` };
  if (/^GHSA-/i.test(id)) return { name: 'GitHub', url: `https://github.com/advisories/${id}` };
  if (/^PSF-/i.test(id)) return { name: 'PSF', url: 'https://github.com/psf/advisory-database' };
  return { name: 'OSV', url: `https://osv.dev/vulnerability/${id}` };
}

function rootType(purpose: string | undefined): string {
  if (purpose === 'library') return 'library';
  return purpose === 'application' || purpose === 'install' ? 'application' : 'file';
}

function componentJson(c: VexComponent): Record<string, unknown> {
  const cpe = c.cpes.find((x) => x.startsWith('cpe:2.3:')) ?? c.cpes[0];
  return {
    type: 'library',
    'bom-ref': c.ref,
    name: c.name,
    ...(c.version ? { version: c.version } : {}),
    ...(cpe ? { cpe } : {}),
    ...(c.purl ? { purl: c.purl } : {}),
    ...(c.shipped ? {} : { properties: [{ name: `${TOOL_NAME}:shipped`, value: 'false' }] }),
  };
}

function vulnerabilityJson(doc: VexDocument, s: VexStatement): Record<string, unknown> {
  const v = s.vulnerability;
  const ref = s.component?.ref ?? doc.product.ref;
  const version = s.component ? s.component.version : doc.product.version;
  const detail = [s.impactStatement, s.statusNotes].filter(Boolean).join(' ');
  return {
    id: v.name,
    source: sourceOf(v.name),
    ...(v.aliases.length > 0 ? { references: v.aliases.map((id) => ({ id, source: sourceOf(id) })) } : {}),
    ...(v.summary ? { description: v.summary } : {}),
    ...(s.actionStatement ? { recommendation: s.actionStatement } : {}),
    analysis: {
      state: CDX_STATE[s.status],
      ...(s.justification ? { justification: CDX_JUSTIFICATION[s.justification] } : {}),
      ...(s.status === 'affected' && /\bupdate to\b/i.test(s.actionStatement ?? '') ? { response: ['update'] } : {}),
      ...(detail ? { detail } : {}),
    },
    affects: [{ ref, ...(version ? { versions: [{ version, status: AFFECTED_STATUS[s.status] }] } : {}) }],
  };
}

/**
 * A CycloneDX 1.6 VEX: the artifact as `metadata.component`, the components the statements are
 * about (with the purl and CPE the SBOM gives them, so a consumer can join the two), and one
 * `vulnerabilities[]` entry per statement.
 */
export function toCycloneDxVex(doc: VexDocument): string {
  const p = doc.product;
  const components = [...new Map(doc.statements.filter((s) => s.component).map((s) => [s.component!.ref, componentJson(s.component!)])).values()];
  components.sort((a, b) => (String(a['bom-ref']) < String(b['bom-ref']) ? -1 : 1));
  const vulnerabilities = doc.statements.map((s) => vulnerabilityJson(doc, s));
  const cpe = p.cpes.find((x) => x.startsWith('cpe:2.3:'));
  const metadata = {
    timestamp: doc.timestamp,
    tools: { components: [{ type: 'application', name: TOOL_NAME, version: TOOL_VERSION }] },
    ...(doc.author !== doc.tooling ? { authors: [{ name: doc.author }] } : {}),
    component: {
      type: rootType(p.purpose),
      'bom-ref': p.ref,
      name: p.name,
      ...(p.version ? { version: p.version } : {}),
      ...(p.sha256 ? { hashes: [{ alg: 'SHA-256', content: p.sha256 }] } : {}),
      ...(cpe ? { cpe } : {}),
      ...(p.purl ? { purl: p.purl } : {}),
    },
  };
  const serialNumber = contentUuid(JSON.stringify({ author: doc.author, metadata: metadata.component, components, vulnerabilities }));
  const bom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber,
    version: 1,
    metadata,
    ...(components.length > 0 ? { components } : {}),
    vulnerabilities,
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}
