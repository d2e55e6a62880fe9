import { PackageURL } from 'packageurl-js';
import type { Component } from '../detect/engine.js';
import type { ComponentIdentity } from '../detect/types.js';
import { TOOL_NAME } from '../version.js';
import { formatCpe } from './cpe.js';
import { parseParty, type ComponentPackage } from './model.js';

/** The version CPEs and purls carry: three parts where a tag has a fourth `.0` (`3.45.3.0` → `3.45.3`). */
export function normalizedVersion(v: string): string {
  return /^\d+\.\d+\.\d+\.0$/.test(v) ? v.replace(/\.0$/, '') : v;
}

/** purl of a component identity at a version (none: a purl without version, never a wildcard). */
export function purlOf(identity: Pick<ComponentIdentity, 'purl'>, version: string | undefined): string {
  const p = identity.purl;
  return new PackageURL(p.type, p.namespace ?? null, p.name, version ?? null, null, null).toString();
}

/**
 * CPE of a component at a version. A CPE without a version would read as "every version" to a
 * scanner (`cpe:2.3:a:openssl:openssl:*`), so a component without a version gets none.
 */
export function cpeOf(identity: Pick<ComponentIdentity, 'cpe'>, version: string | undefined): string | undefined {
  return identity.cpe && version !== undefined ? formatCpe(identity.cpe.vendor, identity.cpe.product, version) : undefined;
}

function downloadFor(identity: ComponentIdentity, version: string | undefined): string | undefined {
  if (!version || !identity.downloadLocation) return undefined;
  const base = version.replace(/^(\d+\.\d+\.\d+).*$/, '$1');
  return identity.downloadLocation.replaceAll('{version}', version).replaceAll('{base}', base);
}

/** Model ref of a component copy: `component:<id>@<version>`, unique in the model. */
function refFor(c: Component, used: Set<string>): string {
  const stem = `component:${c.identity.id}@${c.version ?? ''}`;
  let ref = stem;
  for (let n = 2; used.has(ref); n++) ref = `${stem}#${n}`;
  used.add(ref);
  return ref;
}

/** One detected component copy as a package of the model. */
export function componentPackage(c: Component, usedRefs: Set<string>): ComponentPackage {
  const id = c.identity;
  const version = c.version;
  const cpe = cpeOf(id, version === undefined ? undefined : normalizedVersion(version));
  const supplier = parseParty(id.supplier);
  const originator = parseParty(id.originator);
  const download = downloadFor(id, version);
  const archs = c.archs.length > 0 ? ` Architectures: ${c.archs.join(', ')}.` : '';
  return {
    kind: 'component',
    ref: refFor(c, usedRefs),
    componentId: id.id,
    name: id.name,
    ...(version !== undefined ? { version } : {}),
    ...(supplier ? { supplier } : {}),
    ...(originator ? { originator } : {}),
    ...(download ? { downloadLocation: download } : {}),
    ...(id.homepage ? { homepage: id.homepage } : {}),
    ...(id.licenseDeclared ? { licenseDeclared: id.licenseDeclared } : {}),
    cpes: cpe ? [{ cpe }] : [],
    purl: purlOf(id, version === undefined ? undefined : normalizedVersion(version)),
    purpose: 'library',
    description: `Detected by ${TOOL_NAME}${version !== undefined ? ` at version ${version}` : '; no evidence shows its version'}.${archs}`,
    evidence: c.evidence,
    archs: c.archs,
    notes: [],
  };
}
