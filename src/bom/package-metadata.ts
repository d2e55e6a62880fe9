import { basename } from 'node:path';
import type { Component } from '../detect/engine.js';
import { packageMetadataDetections } from '../detect/embedded.js';
import type { Evidence } from '../detect/types.js';
import type { PackageMetadataFacts } from '../inspect/types.js';
import type { Analysis } from '../pipeline.js';
import type { ContainerNode } from '../unpack/walk.js';
import { componentPackage } from './component-package.js';
import { ARTIFACT_REF, containerRef } from './resolve.js';
import { parseParty, type Bom, type ComponentPackage, type Relationship } from './model.js';

/** PEP 427: `{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl`. */
const WHEEL_NAME = /^(?<name>[A-Za-z0-9_.]+)-(?<version>[A-Za-z0-9_.!+]+)(?:-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/;

const PYPA = 'Organization: Python Packaging Authority';

/** PEP 503 normalised project name, as purls and PyPI use it. */
export function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** What a package's own metadata does not say: pip is PyPA's, and NVD knows it as `pypa:pip`. */
const KNOWN: Record<string, { supplier: string; cpe: string; homepage: string }> = {
  'pypi/pip': { supplier: PYPA, cpe: 'cpe:2.3:a:pypa:pip:{version}:*:*:*:*:*:*:*', homepage: 'https://pip.pypa.io/' },
};

/** Where each kind of package metadata sits in its package: a wheel's, a nupkg's, an npm tarball's. */
const OWN_METADATA: Partial<Record<PackageMetadataFacts['kind'], RegExp>> = {
  'python-metadata': /^[^/]+\.dist-info\/METADATA$/,
  nuspec: /^[^/]+\.nuspec$/i,
  'npm-package': /^package\/package\.json$/,
  // Inside the .deb's control tarball, one level down.
  'debian-control': /^control\.tar(?:\.[a-z0-9]+)?\/control$/,
};

/** A package's own metadata file directly inside a container (`x-1.0.dist-info/METADATA`, `x.nuspec`, `package/package.json`). */
function metadataOf(analysis: Analysis, c: ContainerNode): { path: string; facts: PackageMetadataFacts } | undefined {
  for (const f of analysis.files) {
    const m = analysis.facts.get(f.path)?.packageMetadata;
    const nested = m?.kind === 'debian-control' && analysis.containers.some((x) => x.key === f.container && x.parent === c.key);
    if (!m || (f.container !== c.key && !nested)) continue;
    const inner = f.path.slice(c.membersRoot.length + (c.membersRoot ? 1 : 0));
    if (OWN_METADATA[m.kind]?.test(inner)) return { path: f.path, facts: m };
  }
  return undefined;
}

/** A wheel without readable METADATA is still named and versioned by its file name (PEP 427). */
function wheelNameDetection(c: ContainerNode): Component | undefined {
  const m = WHEEL_NAME.exec(c.name)?.groups;
  if (!m) return undefined;
  const name = pypiName(m['name']!);
  return {
    identity: { id: `pypi/${name}`, name, supplier: 'NOASSERTION', purl: { type: 'pypi', name }, downloadLocation: `https://pypi.org/project/${name}/{version}/` },
    version: m['version']!,
    carriers: [],
    evidence: [{ file: c.key || c.name, kind: 'file-name', text: c.name, location: 'wheel file name (PEP 427)', version: m['version']! }],
    archs: [],
  };
}

/**
 * Packages the artifact states itself: a wheel, nupkg or npm tarball is a component, named,
 * versioned and supplied by its own metadata (`*.dist-info/METADATA`, `*.nuspec`,
 * `package/package.json`; a wheel's file name when METADATA is missing), made of that container; pip's vendored projects come from the wheel's own
 * `pip/_vendor/vendor.txt`, each made of its directory under `pip/_vendor/` and depended on by pip.
 * Offline: nothing is looked up on PyPI, NuGet or npm.
 */
export function addPackageMetadata(bom: Bom, analysis: Analysis): void {
  const used = new Set(bom.components.map((c) => c.ref));
  for (const c of analysis.containers) {
    const meta = metadataOf(analysis, c);
    const fromMeta = meta ? packageMetadataDetections({ path: meta.path, size: 0, sha256: '', facts: { format: 'other', strings: [], packageMetadata: meta.facts } })[0] : undefined;
    const copy: Component | undefined = fromMeta
      ? { identity: fromMeta.identity!, ...(fromMeta.version ? { version: fromMeta.version } : {}), carriers: [], evidence: fromMeta.evidence, archs: [] }
      : wheelNameDetection(c);
    if (!copy) continue;
    const pkg = packageOf(copy, used);
    bom.components.push(pkg);
    const holder = c.key === '' ? ARTIFACT_REF : containerRef(c.key);
    // The wheel, nupkg or tarball states its own version and author: its package says so too.
    const own = c.key === '' ? bom.artifact : bom.containers.find((x) => x.ref === holder);
    if (own) {
      own.version ??= pkg.version;
      if (pkg.supplier) own.supplier ??= pkg.supplier;
    }
    bom.relationships.push({ from: ARTIFACT_REF, type: 'depends-on', to: pkg.ref });
    // The artifact itself is the package (a .whl given as the artifact): it contains the component.
    bom.relationships.push(c.key === '' ? { from: ARTIFACT_REF, type: 'contains', to: pkg.ref } : { from: pkg.ref, type: 'contains', to: holder });
    if (pkg.componentId === 'pypi/pip') bom.relationships.push(...vendored(bom, analysis, c, pkg, holder, used));
  }
}

function packageOf(copy: Component, used: Set<string>): ComponentPackage {
  const pkg = componentPackage(copy, used);
  const known = KNOWN[pkg.componentId];
  if (known) {
    pkg.supplier = parseParty(known.supplier)!;
    pkg.originator ??= pkg.supplier;
    pkg.homepage ??= known.homepage;
    if (pkg.version !== undefined) pkg.cpes = [{ cpe: known.cpe.replace('{version}', pkg.version) }];
  }
  // CPython's release tooling names pip and its vendored projects `SPDXRef-PACKAGE-{name}`.
  if (pkg.componentId.startsWith('pypi/')) pkg.idHint = `SPDXRef-PACKAGE-${pkg.componentId.slice(5)}`;
  return pkg;
}

function vendored(bom: Bom, analysis: Analysis, wheel: ContainerNode, pip: ComponentPackage, wheelRef: string, used: Set<string>): Relationship[] {
  const under = (p: string) => (wheel.membersRoot ? `${wheel.membersRoot}/${p}` : p);
  const vendorTxt = under('pip/_vendor/vendor.txt');
  const pins = analysis.facts.get(vendorTxt)?.packageMetadata?.pins ?? [];
  const rels: Relationship[] = [];
  for (const pin of pins) {
    const name = pypiName(pin.name);
    const evidence: Evidence = { file: vendorTxt, kind: 'package-metadata', text: pin.text, location: `pip/_vendor/vendor.txt line ${pin.line} of ${basename(wheel.key || wheel.name)}`, version: pin.version };
    const pkg = packageOf(
      {
        identity: { id: `pypi/${name}`, name, supplier: 'NOASSERTION', purl: { type: 'pypi', name }, downloadLocation: `https://pypi.org/project/${name}/{version}/` },
        version: pin.version,
        carriers: [],
        evidence: [evidence],
        archs: [],
      },
      used,
    );
    // Vendored and distributed inside pip by pip's maintainers.
    pkg.supplier = pip.supplier ?? parseParty(PYPA)!;
    pkg.description = `Vendored in pip ${pip.version}: ${pin.text.trim()} in pip/_vendor/vendor.txt.`;
    bom.components.push(pkg);
    rels.push({ from: pip.ref, type: 'depends-on', to: pkg.ref });
    // Its code is the directory (or module) vendor.txt's name maps to under pip/_vendor/.
    const dir = under(`pip/_vendor/${pin.name.toLowerCase().replace(/-/g, '_')}`);
    const files = bom.files.filter((f) => f.path.startsWith(`${dir}/`) || f.path === `${dir}.py`);
    if (files.length > 0) for (const f of files) rels.push({ from: pkg.ref, type: 'contains', to: f.ref });
    else rels.push({ from: wheelRef, type: 'contains', to: pkg.ref });
  }
  return rels;
}
