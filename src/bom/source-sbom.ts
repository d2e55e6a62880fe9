import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { sanitizeIdPart } from '../serialize/ids.js';
import type { SpdxPackage } from '../serialize/spdx2-types.js';

/** Where a declared package comes from, which decides the SPDX id CPython's tooling gives it. */
export type DeclaredOrigin = 'externals' | 'source-tree';

/** A package a source SBOM declares, copied as CPython's release tooling copies it. */
export interface DeclaredPackage {
  origin: DeclaredOrigin;
  /** The source document's file name (for annotations). */
  document: string;
  /** The package as declared, files dropped, with the id CPython's Windows SBOMs give it. */
  pkg: SpdxPackage;
  /** Packages this one DEPENDS_ON in the source document (pip → its vendored packages). */
  dependsOn: string[];
}

export interface SourceSboms {
  packages: DeclaredPackage[];
  /** CPython's version when a source-release SBOM (Python-X.Y.Z.tgz.spdx.json) was given. */
  cpythonVersion?: string;
}

/** release-tools `spdx_id`: runs of anything but letters, digits, `.` and `-` become `-`. */
export function cpythonSpdxId(raw: string): string {
  return `SPDXRef-${sanitizeIdPart(raw.replace(/^SPDXRef-/, ''))}`;
}

function isCPython(p: SpdxPackage): boolean {
  return p.name === 'CPython';
}

/**
 * Reads CPython's source SBOMs tolerantly: `Misc/externals.spdx.json` (Windows build inputs; ids
 * kept as `SPDXRef-PACKAGE-openssl`), `Misc/sbom.spdx.json` and the source-release SBOM (packages
 * re-identified `SPDXRef-PACKAGE-{name}-{version}`, files dropped). Real-world quirks such as a
 * `created` of `2023-10-03T18:46:54+00:00Z` or a missing creationInfo are not errors here: only
 * the packages are used.
 */
export async function readSourceSboms(paths: readonly string[]): Promise<SourceSboms> {
  const out: SourceSboms = { packages: [] };
  for (const path of paths) {
    const name = basename(path);
    let doc: { packages?: unknown; relationships?: unknown };
    try {
      doc = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new InputError(`source SBOM is not readable JSON: ${(err as Error).message.split('\n')[0]}`, [name]);
    }
    if (!doc || !Array.isArray(doc.packages)) throw new InputError('source SBOM has no packages array', [name]);
    const packages = (doc.packages as SpdxPackage[]).filter((p) => p && typeof p.name === 'string' && typeof p.SPDXID === 'string');
    const rels = Array.isArray(doc.relationships) ? (doc.relationships as { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[]) : [];
    const cpython = packages.find(isCPython);
    if (cpython?.versionInfo) out.cpythonVersion = cpython.versionInfo;
    // externals.spdx.json: packages fetched from cpython-source-deps, ids without versions.
    const externals = packages.every((p) => /cpython-source-deps/.test(p.downloadLocation ?? ''));
    const newId = new Map<string, string>();
    for (const p of packages) {
      if (isCPython(p)) continue;
      const id = externals ? p.SPDXID : cpythonSpdxId(`SPDXRef-PACKAGE-${p.name}-${p.versionInfo ?? ''}`);
      newId.set(p.SPDXID, id);
    }
    for (const p of packages) {
      if (isCPython(p)) continue;
      const copy: SpdxPackage = structuredClone(p);
      copy.SPDXID = newId.get(p.SPDXID)!;
      delete copy['hasFiles'];
      delete copy['packageVerificationCode'];
      // The source SBOM lists files of the source tree; the installer has other files.
      if (copy.filesAnalyzed) copy.filesAnalyzed = false;
      const dependsOn = rels
        .filter((r) => r.spdxElementId === p.SPDXID && r.relationshipType === 'DEPENDS_ON' && newId.has(r.relatedSpdxElement))
        .map((r) => newId.get(r.relatedSpdxElement)!);
      out.packages.push({ origin: externals ? 'externals' : 'source-tree', document: name, pkg: copy, dependsOn });
    }
  }
  return out;
}
