import { basename } from 'node:path';
import type { Evidence } from '../detect/types.js';
import type { Analysis } from '../pipeline.js';
import { ARTIFACT_REF, containerRef } from './resolve.js';
import { sanitizeIdPart } from '../serialize/ids.js';
import { parseParty, type Bom, type ComponentPackage, type Relationship } from './model.js';

/** PEP 427: `{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl`. */
const WHEEL_NAME = /^(?<name>[A-Za-z0-9_.]+)-(?<version>[A-Za-z0-9_.!+]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/;

/** A `vendor.txt` pin: `name==version`, optionally followed by a comment (`CacheControl==0.12.11  # Make sure…`). */
const VENDOR_PIN = /^(?<name>[A-Za-z0-9][A-Za-z0-9_.-]*)==(?<version>[0-9][0-9A-Za-z.!+-]*)\s*(?:#.*)?$/;

const PYPA = 'Organization: Python Packaging Authority';

/** PEP 503 normalised project name, as purls and PyPI use it. */
export function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Facts about Python projects beyond what a wheel states: pip's maintainers and its NVD CPE. */
const KNOWN: Record<string, { supplier: string; cpe?: string; homepage: string }> = {
  pip: { supplier: PYPA, cpe: 'cpe:2.3:a:pypa:pip:{version}:*:*:*:*:*:*:*', homepage: 'https://pip.pypa.io/' },
};

function pypiComponent(name: string, version: string, evidence: Evidence, ref: string): ComponentPackage {
  const norm = pypiName(name);
  const known = KNOWN[norm];
  const supplier = parseParty(known?.supplier);
  return {
    kind: 'component',
    ref,
    // CPython's release tooling names pip and its vendored projects `SPDXRef-PACKAGE-{name}`.
    idHint: `SPDXRef-PACKAGE-${sanitizeIdPart(norm)}`,
    componentId: `pypi:${norm}`,
    name: norm,
    version,
    ...(supplier ? { supplier, originator: supplier } : {}),
    downloadLocation: `https://pypi.org/project/${norm}/${version}/`,
    ...(known ? { homepage: known.homepage } : {}),
    cpes: known?.cpe ? [{ cpe: known.cpe.replace('{version}', version) }] : [],
    purl: `pkg:pypi/${norm}@${encodeURIComponent(version)}`,
    purpose: 'library',
    description: `Python project ${norm} ${version}, read from the artifact (${evidence.location}).`,
    evidence: [evidence],
    archs: [],
    notes: [],
  };
}

/**
 * Python packages the artifact states itself: every wheel is a component named and versioned by
 * its file name (PEP 427), made of that wheel; pip's vendored projects come from the wheel's own
 * `pip/_vendor/vendor.txt`, each made of its directory under `pip/_vendor/` and depended on by pip.
 * Offline: nothing is looked up on PyPI.
 */
export function addPythonPackages(bom: Bom, analysis: Analysis): void {
  const wheels = analysis.containers.filter((c) => WHEEL_NAME.test(c.name));
  const used = new Set(bom.components.map((c) => c.ref));
  const take = (stem: string) => {
    let ref = stem;
    for (let n = 2; used.has(ref); n++) ref = `${stem}#${n}`;
    used.add(ref);
    return ref;
  };
  for (const wheel of wheels) {
    const m = WHEEL_NAME.exec(wheel.name)!.groups!;
    const name = pypiName(m['name']!);
    const version = m['version']!;
    const wheelRef = wheel.key === '' ? ARTIFACT_REF : containerRef(wheel.key);
    const pkg = pypiComponent(name, version, { file: wheel.key || wheel.name, kind: 'file-name', text: wheel.name, location: 'wheel file name (PEP 427)', version }, take(`component:pypi:${name}@${version}`));
    bom.components.push(pkg);
    const rels: Relationship[] = [{ from: ARTIFACT_REF, type: 'depends-on', to: pkg.ref }, wheel.key === '' ? { from: ARTIFACT_REF, type: 'contains', to: pkg.ref } : { from: pkg.ref, type: 'contains', to: wheelRef }];
    if (name === 'pip') rels.push(...vendored(bom, analysis, wheel.membersRoot, pkg, wheelRef, take));
    bom.relationships.push(...rels);
  }
}

function vendored(bom: Bom, analysis: Analysis, root: string, pip: ComponentPackage, wheelRef: string, take: (stem: string) => string): Relationship[] {
  const vendorTxt = `${root}/pip/_vendor/vendor.txt`;
  const lines = analysis.facts.get(vendorTxt)?.strings ?? [];
  const rels: Relationship[] = [];
  for (const run of lines) {
    const m = VENDOR_PIN.exec(run.text.trim())?.groups;
    if (!m) continue;
    const evidence: Evidence = { file: vendorTxt, kind: 'declared', text: run.text.trim(), location: `pip/_vendor/vendor.txt of ${basename(root)}`, version: m['version']! };
    const pkg = pypiComponent(m['name']!, m['version']!, evidence, take(`component:pypi:${pypiName(m['name']!)}@${m['version']}`));
    pkg.supplier = pip.supplier ?? parseParty(PYPA)!;
    delete pkg.originator;
    pkg.description = `Vendored in pip ${pip.version}: ${evidence.text} in pip/_vendor/vendor.txt.`;
    bom.components.push(pkg);
    rels.push({ from: pip.ref, type: 'depends-on', to: pkg.ref });
    // Its code is the directory (or module) vendor.txt's name maps to under pip/_vendor/.
    const dir = `${root}/pip/_vendor/${m['name']!.toLowerCase().replace(/-/g, '_')}`;
    const files = bom.files.filter((f) => f.path.startsWith(`${dir}/`) || f.path === `${dir}.py`);
    if (files.length > 0) for (const f of files) rels.push({ from: pkg.ref, type: 'contains', to: f.ref });
    else rels.push({ from: wheelRef, type: 'contains', to: pkg.ref });
  }
  return rels;
}
