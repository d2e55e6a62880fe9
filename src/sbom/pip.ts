import type { Analysis } from '../pipeline.js';
import type { SpdxPackage } from './model.js';
import { sanitizeIdPart } from './model.js';

const PIP_WHEEL = /(?:^|\/)ensurepip\/_bundled\/pip-(\d+(?:\.\d+)*(?:(?:a|b|rc)\d+)?)-py3-none-any\.whl$/;
/** pip/_vendor/vendor.txt pins, as release-tools reads them. */
const VENDOR_LINE = /^([a-zA-Z0-9_.-]+)==([0-9.]*[0-9])$/;
const PSF = 'Organization: Python Software Foundation';

export interface PipPackages {
  pip: SpdxPackage;
  vendored: SpdxPackage[];
}

/**
 * pip and its vendored packages, read offline from the wheel inside the artifact
 * (`Lib/ensurepip/_bundled/pip-*.whl`): the wheel's own name and SHA-256, and
 * `pip/_vendor/vendor.txt`. Undefined when the artifact ships no pip wheel.
 */
export function pipPackagesOf(analysis: Analysis): PipPackages | undefined {
  const wheel = analysis.containers.find((c) => PIP_WHEEL.test(c.key));
  if (!wheel) return undefined;
  const version = PIP_WHEEL.exec(wheel.key)![1]!;
  const vendorTxt = analysis.facts.get(`${wheel.membersRoot}/pip/_vendor/vendor.txt`);
  const pip: SpdxPackage = {
    SPDXID: 'SPDXRef-PACKAGE-pip',
    name: 'pip',
    versionInfo: version,
    supplier: PSF,
    originator: 'Organization: Python Packaging Authority',
    downloadLocation: `https://files.pythonhosted.org/packages/py3/p/pip/pip-${version}-py3-none-any.whl`,
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    externalRefs: [
      { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: `cpe:2.3:a:pypa:pip:${version}:*:*:*:*:*:*:*` },
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:pypi/pip@${version}` },
    ],
    primaryPackagePurpose: 'LIBRARY',
    comment: `Read from the wheel shipped in this artifact: ${wheel.key}.`,
    ...(wheel.digests ? { checksums: [{ algorithm: 'SHA256', checksumValue: wheel.digests.sha256 }] } : {}),
  };
  const vendored: SpdxPackage[] = [];
  for (const run of vendorTxt?.strings ?? []) {
    const m = VENDOR_LINE.exec(run.text.trim());
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    vendored.push({
      SPDXID: `SPDXRef-PACKAGE-${sanitizeIdPart(name)}`,
      name,
      versionInfo: m[2]!,
      supplier: PSF,
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseConcluded: 'NOASSERTION',
      externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:pypi/${name}@${m[2]}` }],
      primaryPackagePurpose: 'LIBRARY',
      comment: `Vendored in pip ${version}: pip/_vendor/vendor.txt line ${JSON.stringify(run.text.trim())}.`,
    });
  }
  return { pip, vendored };
}
