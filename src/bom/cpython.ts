import type { Analysis } from '../pipeline.js';
import type { SourceSboms } from './source-sbom.js';
import { parseParty, type Bom, type ComponentPackage } from './model.js';
import { sameVersion } from './read/keys.js';

export const PSF = 'Organization: Python Software Foundation';

/** `python-3.13.0rc2-amd64.exe`, `python-3.12.6-embed-win32.zip`, `python-3.13.0-macos11.pkg` (release-tools' regex, plus .msi and .pkg). */
const ARTIFACT_NAME = /^python-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)t?(?:-|\.exe$|\.zip$|\.msi$|\.pkg$)/;

/** The CPython version of the artifact: from its file name (release naming) or a source-release SBOM. */
export function cpythonVersionOf(artifactName: string, sources?: SourceSboms): string | undefined {
  return ARTIFACT_NAME.exec(artifactName)?.[1] ?? sources?.cpythonVersion;
}

/** What the binaries say about CPython itself, for the gate: the copies and whether they agree with the artifact's version. */
export interface CpythonCheck {
  version: string;
  /** Versions the binaries show (python3XY.dll VERSIONINFO, libpython strings …). */
  shown: string[];
  where: string[];
  /** False when no binary shows CPython at all. */
  found: boolean;
  agrees: boolean;
}

/**
 * CPython's release-tools conventions (python/release-tools sbom.py), applied to the model so every
 * format carries them: the artifact is `SPDXRef-PACKAGE-cpython` named CPython at the release's
 * version, PSF-2.0, with CPython's CPE and python.org download location; the document is "CPython
 * SBOM" in python.org's namespace; the PSF supplies what it ships (containers that name no one
 * else, and the copies of third-party code it builds in); the CPython copies the binaries show
 * become evidence on the artifact instead of a second CPython package.
 */
export function applyCpythonConventions(bom: Bom, analysis: Analysis, version: string, options: { namespace?: string; documentName?: string }): CpythonCheck {
  const base = /^(\d+\.\d+\.\d+)/.exec(version)![1]!;
  const artifact = analysis.artifactName;
  const psf = parseParty(PSF)!;
  const download = `https://www.python.org/ftp/python/${base}/${artifact}`;
  const root = bom.artifact;
  Object.assign(root, {
    idHint: 'SPDXRef-PACKAGE-cpython',
    name: 'CPython',
    version,
    supplier: psf,
    originator: psf,
    licenseConcluded: 'PSF-2.0',
    licenseDeclared: 'PSF-2.0',
    downloadLocation: download,
    homepage: 'https://www.python.org/',
    cpes: [{ cpe: `cpe:2.3:a:python:python:${version}:*:*:*:*:*:*:*` }],
    purl: `pkg:generic/cpython@${version}?download_url=${encodeURIComponent(download)}`,
  });

  const copies = bom.components.filter((c) => c.componentId === 'cpython');
  const shown = copies.map((c) => c.version).filter((v): v is string => v !== undefined);
  const where = [...new Set(copies.flatMap((c) => c.evidence.map((e) => e.file)))];
  const agrees = shown.every((v) => sameVersion(v, version));
  for (const c of copies) {
    root.notes.push({
      text: c.version !== undefined && !sameVersion(c.version, version) ? `contradicted: the binaries show CPython ${c.version} (${evidenceFiles(c)})` : `corroborated by the binaries: CPython ${c.version ?? '(no version mark)'} (${evidenceFiles(c)})`,
    });
  }
  const removed = new Set(copies.map((c) => c.ref));
  bom.components = bom.components.filter((c) => !removed.has(c.ref));
  bom.relationships = bom.relationships.filter((r) => !removed.has(r.from) && !removed.has(r.to));
  bom.knownUnknowns = bom.knownUnknowns.filter((u) => !removed.has(u.scope));

  for (const c of bom.containers) c.supplier ??= psf;
  for (const c of bom.components) {
    // pip's vendored projects keep the supplier that vendored them; everything else in a CPython artifact is built and shipped by the PSF.
    if (c.componentId.startsWith('pypi/') && c.componentId !== 'pypi/pip') continue;
    c.originator ??= c.supplier;
    c.supplier = psf;
  }
  bom.document.name = options.documentName ?? 'CPython SBOM';
  bom.document.namespace = options.namespace ?? `https://www.python.org/ftp/python/${base}/${artifact}.spdx.json`;
  return { version, shown, where, found: copies.length > 0, agrees };
}

function evidenceFiles(c: ComponentPackage): string {
  const files = [...new Set(c.evidence.map((e) => e.file))];
  return files.slice(0, 3).join(', ') + (files.length > 3 ? ` +${files.length - 3}` : '');
}
