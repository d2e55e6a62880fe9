import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { packagePath } from '../package-root.js';

/** Where a component's expected version comes from. */
export type ExpectedVersion = { from: 'artifact' } | { from: 'source-sbom'; name: string } | { literal: string };

export interface ManifestComponent {
  /** Rule id (src/detect/rules): openssl, tcl, msvc-runtime … */
  component: string;
  required: boolean;
  /** Files that must be present: suffixes of a file's path inside the artifact (`DLLs/libssl-3.dll`). */
  files: string[];
  expectedVersion?: ExpectedVersion;
  note?: string;
}

export interface ManifestArtifact {
  kind: string;
  arch: string;
  /** Matches the artifact's file name (release naming). */
  namePattern: string;
  components: ManifestComponent[];
  /** Components this kind of artifact does not carry although a source SBOM may declare them. */
  notShipped: string[];
  shipsPip: boolean;
  /** Who must have signed what; absent: signatures are recorded, not gated. */
  signing?: SigningExpectations;
}

/**
 * Expected signers. A binary (PE or Mach-O) is checked against the first rule whose glob matches
 * its path (a glob without `/` matches the file name; `*` stays within a name, `**` crosses
 * directories); binaries no rule names are not gated, except that a signature whose digest no
 * longer matches the bytes always fails the gate.
 */
export interface SigningExpectations {
  $comment?: string;
  rules: SigningRule[];
  /** Binaries that may ship unsigned although a rule names them. */
  allowUnsigned?: string[];
  /** Signers the artifact's own signature must name (a .pkg's TOC signature, a bundle's Authenticode). */
  artifact?: string[];
}

export interface SigningRule {
  files: string[];
  /** Accepted signers: a case-insensitive substring of the signing certificate's subject (CN or O). */
  signers: string[];
  note?: string;
}

export interface PlatformManifest {
  product: string;
  series: string;
  platform: string;
  artifacts: ManifestArtifact[];
}

/** The platform-manifests/ folder shipped with the tool. */
export const MANIFEST_DIR = packagePath('platform-manifests');

export async function readManifest(path: string): Promise<PlatformManifest> {
  let doc: PlatformManifest;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InputError(`platform manifest is not readable JSON: ${(err as Error).message.split('\n')[0]}`, [basename(path)]);
  }
  if (!doc || !Array.isArray(doc.artifacts) || doc.artifacts.some((a) => typeof a.namePattern !== 'string' || !Array.isArray(a.components))) {
    throw new InputError('platform manifest needs artifacts[] with namePattern and components[]', [basename(path)]);
  }
  return doc;
}

/** The manifest entry for this artifact name, from one manifest file or from every shipped one. */
export async function selectManifest(artifactName: string, manifestPath?: string): Promise<{ manifest: PlatformManifest; artifact: ManifestArtifact } | undefined> {
  const paths = manifestPath ? [manifestPath] : (await readdir(MANIFEST_DIR)).filter((f) => f.endsWith('.json')).sort().map((f) => join(MANIFEST_DIR, f));
  for (const p of paths) {
    const manifest = await readManifest(p);
    const artifact = manifest.artifacts.find((a) => new RegExp(a.namePattern).test(artifactName));
    if (artifact) return { manifest, artifact };
  }
  if (manifestPath) {
    throw new UsageError(`no artifact kind in ${basename(manifestPath)} matches the name ${artifactName}`);
  }
  return undefined;
}

/** Every artifact kind the shipped manifests describe, one line each (for a `no-manifest` finding). */
export async function knownManifests(): Promise<string[]> {
  const out: string[] = [];
  for (const f of (await readdir(MANIFEST_DIR)).filter((x) => x.endsWith('.json')).sort()) {
    const m = await readManifest(join(MANIFEST_DIR, f));
    for (const a of m.artifacts) out.push(`${f}: ${m.product} ${m.series} ${m.platform} ${a.kind} ${a.arch} (${a.namePattern})`);
  }
  return out;
}
