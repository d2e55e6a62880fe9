/**
 * Small hand-made inputs for the model and writer tests: a `Bom` built element by element, and an
 * `Analysis` as unpack → inspect → detect would hand it to resolve. Digests are computed here from
 * the bytes named in the test, so every expected value is derived from the input, never from the
 * program's output.
 */
import { createHash } from 'node:crypto';
import type { Component, Link } from '../../src/detect/engine.js';
import type { ComponentIdentity, Evidence } from '../../src/detect/types.js';
import type { BinaryFacts } from '../../src/inspect/types.js';
import type { ArtifactPackage, Bom, ComponentPackage, ContainerPackage, Digests, FileElement, FileKind } from '../../src/bom/model.js';
import type { Analysis } from '../../src/pipeline.js';
import type { ContainerNode, FileNode } from '../../src/unpack/walk.js';

export const NS = 'https://example.com/spdxdocs/demo';
export const CREATED = '2024-01-02T03:04:05Z';
export const TOOL = { name: 'installer-sbom', version: '9.9.9' };

export function digestsOf(bytes: string): Digests {
  const h = (alg: string) => createHash(alg).update(bytes).digest('hex');
  return { sha1: h('sha1'), sha256: h('sha256'), sha512: h('sha512') };
}

export const sha1Of = (bytes: string) => createHash('sha1').update(bytes).digest('hex');

const PLAIN: FileKind = { executable: false, archive: false, structured: false };

/** A bare model: the artifact `demo.zip` (a zip: an archive whose members are listed) and nothing else. */
export function emptyBom(): Bom {
  const artifact: ArtifactPackage = {
    kind: 'artifact',
    ref: 'artifact',
    name: 'demo.zip',
    fileName: 'demo.zip',
    digests: digestsOf('demo.zip bytes'),
    cpes: [],
    purpose: 'archive',
    format: 'zip',
    properties: {},
    fileKind: { executable: false, archive: true, structured: true },
    signatures: [],
    notes: [],
  };
  return {
    document: { name: 'demo.zip', namespace: NS, serialNumber: 'urn:uuid:3b0c5f4e-1d2a-5b3c-8d4e-5f6a7b8c9d0e', created: CREATED, tool: { ...TOOL }, creators: [] },
    artifact,
    containers: [],
    files: [],
    components: [],
    relationships: [],
    declaredAbsent: [],
    knownUnknowns: [],
  };
}

/** A file of the model whose bytes are `bytes` (default: its path), contained by `container` (a ref). */
export function addFile(bom: Bom, path: string, opts: { container?: string; bytes?: string; kind?: Partial<FileKind>; ref?: string } = {}): FileElement {
  const container = opts.container ?? 'artifact';
  const f: FileElement = {
    ref: opts.ref ?? `file:${path}`,
    path,
    container,
    size: (opts.bytes ?? path).length,
    digests: digestsOf(opts.bytes ?? path),
    fileKind: { ...PLAIN, ...opts.kind },
    signatures: [],
    notes: [],
  };
  bom.files.push(f);
  bom.relationships.push({ from: container, type: 'contains', to: f.ref });
  return f;
}

/** A container (a cab inside the artifact) whose members are listed. */
export function addContainer(bom: Bom, path: string, format = 'cab', parent = 'artifact'): ContainerPackage {
  const c: ContainerPackage = {
    kind: 'container',
    ref: `container:${path}`,
    name: path.split('/').pop()!,
    fileName: path,
    digests: digestsOf(`${path} bytes`),
    cpes: [],
    purpose: 'archive',
    path,
    format,
    chain: ['demo.zip', path],
    size: 100,
    properties: {},
    warnings: [],
    fileKind: { executable: false, archive: true, structured: true },
    signatures: [],
    notes: [],
  };
  bom.containers.push(c);
  bom.relationships.push({ from: parent, type: 'contains', to: c.ref });
  return c;
}

/** A component copy, depended on by the artifact. */
export function addComponent(bom: Bom, id: string, name: string, version: string | undefined, extra: Partial<ComponentPackage> = {}): ComponentPackage {
  const c: ComponentPackage = {
    kind: 'component',
    ref: `component:${id}@${version ?? ''}`,
    componentId: id,
    name,
    ...(version !== undefined ? { version } : {}),
    supplier: { type: 'organization', name: `${name} Project` },
    cpes: version !== undefined ? [{ cpe: `cpe:2.3:a:${id}:${id}:${version}:*:*:*:*:*:*:*` }] : [],
    purl: `pkg:generic/${id}${version !== undefined ? `@${version}` : ''}`,
    purpose: 'library',
    evidence: [],
    archs: [],
    notes: [],
    ...extra,
  };
  bom.components.push(c);
  bom.relationships.push({ from: 'artifact', type: 'depends-on', to: c.ref });
  return c;
}

// ---------------------------------------------------------------------------------------------
// Analysis inputs for resolve and the steps after it.

export function identity(id: string, name = id, extra: Partial<ComponentIdentity> = {}): ComponentIdentity {
  return {
    id,
    name,
    supplier: `Organization: ${name} Project`,
    cpe: { vendor: id, product: id },
    purl: { type: 'generic', name: id },
    downloadLocation: `https://example.org/${id}-{version}.tar.gz`,
    ...extra,
  };
}

export function evidence(file: string, text: string, version?: string): Evidence {
  return { file, kind: 'string', text, location: '0x10 (.rdata, ascii)', ...(version ? { version } : {}) };
}

export function peFacts(imports: string[] = [], isDll = true): BinaryFacts {
  return {
    format: 'pe',
    strings: [],
    pe: { machine: 0x8664, machineName: 'x64', kind: 'PE32+', characteristics: 0, isDll, subsystem: 2, timestamp: 0, sections: [], imports, delayImports: [], clr: false },
  };
}

export interface AnalysisFile {
  path: string;
  container?: string;
  facts?: BinaryFacts;
  absent?: boolean;
}

/**
 * An Analysis of `name` (a zip unless `format` says otherwise) holding `files`, with the given
 * inner containers (key → format), components and links.
 */
export function analysisOf(opts: {
  name?: string;
  format?: string;
  files?: AnalysisFile[];
  containers?: { key: string; format: string; parent?: string; name?: string; version?: string }[];
  components?: Component[];
  links?: Link[];
  unknowns?: Analysis['unknowns'];
}): Analysis {
  const name = opts.name ?? 'demo.zip';
  const root: ContainerNode = {
    key: '',
    name,
    chain: [name],
    depth: 0,
    info: { format: opts.format ?? 'zip', properties: {} },
    membersRoot: '',
    size: 1000,
    digests: digestsOf(`${name} bytes`),
  };
  const containers: ContainerNode[] = [
    root,
    ...(opts.containers ?? []).map((c) => ({
      key: c.key,
      name: c.name ?? c.key.split('/').pop()!,
      parent: c.parent ?? '',
      chain: [name, c.key],
      depth: 1,
      info: { format: c.format, properties: {}, ...(c.version ? { version: c.version } : {}) },
      membersRoot: c.key,
      size: 100,
      digests: digestsOf(`${c.key} bytes`),
    })),
  ];
  const files: FileNode[] = (opts.files ?? []).map((f) => ({
    path: f.path,
    container: f.container ?? '',
    chain: [name],
    kind: 'file',
    size: f.path.length,
    ...(f.absent ? { absent: true } : { digests: digestsOf(f.path) }),
  }));
  const facts = new Map<string, BinaryFacts>();
  for (const f of opts.files ?? []) if (f.facts) facts.set(f.path, f.facts);
  return {
    artifactName: name,
    root,
    containers,
    files,
    facts,
    inspectWarnings: new Map(),
    detections: [],
    components: opts.components ?? [],
    links: opts.links ?? [],
    unknowns: opts.unknowns ?? [],
    warnings: [],
  };
}

/**
 * Keys sorted at every level and lists sorted by their serialised form: written here, apart from
 * src/serialize/canonical-json.ts, so documents can be compared whatever order a writer builds
 * its lists in.
 */
export function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .map(sortedDeep)
      .map((v) => [JSON.stringify(v), v] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, v]) => v);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortedDeep((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// The small models every writer test maps: one per relationship kind and reconciliation status.

/** The zip holds lib/libcrypto-3.dll (an executable), and OpenSSL 3.0.15 is made of it. */
export function opensslModel(): Bom {
  const bom = emptyBom();
  const f = addFile(bom, 'lib/libcrypto-3.dll', { bytes: 'libcrypto', kind: { executable: true } });
  const c = addComponent(bom, 'openssl', 'OpenSSL', '3.0.15');
  bom.relationships.push({ from: c.ref, type: 'contains', to: f.ref });
  return bom;
}

/** A container `data.cab` holding two files with the bytes `aaa` and `bbb`. */
export function cabModel(): Bom {
  const bom = emptyBom();
  const cab = addContainer(bom, 'data.cab');
  addFile(bom, 'data.cab/a.txt', { container: cab.ref, bytes: 'aaa' });
  addFile(bom, 'data.cab/b.txt', { container: cab.ref, bytes: 'bbb' });
  return bom;
}

/** A Burn bundle `setup.exe` inside the zip whose own code (its stub) holds WiX Burn 3.14.1. */
export function burnModel(): Bom {
  const bom = emptyBom();
  const setup = addContainer(bom, 'setup.exe', 'burn');
  const burn = addComponent(bom, 'wix-burn', 'WiX Burn', '3.14.1');
  bom.relationships.push({ from: setup.ref, type: 'contains', to: burn.ref });
  return bom;
}

/** app.exe with zlib 1.3.1 compiled in. */
export function staticLinkModel(): Bom {
  const bom = emptyBom();
  const exe = addFile(bom, 'app.exe', { kind: { executable: true } });
  const zlib = addComponent(bom, 'zlib', 'zlib', '1.3.1');
  bom.relationships.push({ from: exe.ref, type: 'static-link', to: zlib.ref });
  return bom;
}

/** _ctypes.pyd imports libffi-8.dll, which is libffi 3.4.4. */
export function dynamicLinkModel(): Bom {
  const bom = emptyBom();
  const pyd = addFile(bom, '_ctypes.pyd', { kind: { executable: true } });
  const lib = addFile(bom, 'libffi-8.dll', { kind: { executable: true } });
  const ffi = addComponent(bom, 'libffi', 'libffi', '3.4.4');
  bom.relationships.push({ from: ffi.ref, type: 'contains', to: lib.ref });
  bom.relationships.push({ from: pyd.ref, type: 'dynamic-link', to: ffi.ref, comment: 'import: libffi-8.dll' });
  return bom;
}

/** The artifact depends on pip 24.2, and pip on the certifi it vendors (CPython's ids). */
export function pipModel(): Bom {
  const bom = emptyBom();
  const pip = addComponent(bom, 'pypi/pip', 'pip', '24.2', { idHint: 'SPDXRef-PACKAGE-pip' });
  const certifi = addComponent(bom, 'pypi/certifi', 'certifi', '2024.7.4', { idHint: 'SPDXRef-PACKAGE-certifi' });
  bom.relationships = bom.relationships.filter((r) => r.to !== certifi.ref);
  bom.relationships.push({ from: pip.ref, type: 'depends-on', to: certifi.ref });
  return bom;
}

/** One component per reconciliation status with the source SBOM. */
export function reconciledModel(): Bom {
  const bom = emptyBom();
  addComponent(bom, 'openssl', 'openssl', '3.0.15', { declaration: { status: 'corroborated', version: '3.0.15', document: 'externals.spdx.json', note: 'the binaries show 3.0.15 (libcrypto-3.dll)' } });
  addComponent(bom, 'expat', 'expat', '2.7.1', { declaration: { status: 'contradicted', version: '2.6.3', document: 'externals.spdx.json', note: 'the binaries show 2.7.1 (pyexpat.pyd)' } });
  addComponent(bom, 'libffi', 'libffi', '3.4.4', { declaration: { status: 'not-verifiable', version: '3.4.4', document: 'externals.spdx.json', note: 'without a version mark' } });
  addComponent(bom, 'zstd', 'zstd', '1.5.6', { declaration: { status: 'added', note: 'shipped in this artifact; not declared by externals.spdx.json' } });
  return bom;
}

/** What each reconciled component's statement reads, by component name. */
export const RECONCILED_TEXT: Record<string, string> = {
  openssl: 'corroborated (declared 3.0.15 by externals.spdx.json): the binaries show 3.0.15 (libcrypto-3.dll)',
  expat: 'contradicted (declared 2.6.3 by externals.spdx.json): the binaries show 2.7.1 (pyexpat.pyd)',
  libffi: 'not-verifiable (declared 3.4.4 by externals.spdx.json): without a version mark',
  zstd: 'added: shipped in this artifact; not declared by externals.spdx.json',
};

/** Two declarations the artifact does not carry: one not shipped (with its CPE), one not found (with its purl). */
export function declaredAbsentModel(): Bom {
  const bom = emptyBom();
  bom.declaredAbsent.push(
    { name: 'tcl-core', version: '8.6.15.0', document: 'externals.spdx.json', status: 'not-shipped', note: 'the platform manifest says this kind of artifact does not carry it', cpes: ['cpe:2.3:a:tcl_tk:tcl_tk:8.6.15.0:*:*:*:*:*:*:*'] },
    { name: 'mpdecimal', version: '2.5.1', document: 'sbom.spdx.json', status: 'not-found', note: 'nothing in this artifact shows mpdecimal', cpes: [], purl: 'pkg:generic/mpdecimal@2.5.1' },
  );
  return bom;
}

export const DECLARED_ABSENT_TEXT = [
  'not-shipped: tcl-core 8.6.15.0 declared by externals.spdx.json: the platform manifest says this kind of artifact does not carry it\nIdentifiers: cpe:2.3:a:tcl_tk:tcl_tk:8.6.15.0:*:*:*:*:*:*:*',
  'not-found: mpdecimal 2.5.1 declared by sbom.spdx.json: nothing in this artifact shows mpdecimal\nIdentifiers: pkg:generic/mpdecimal@2.5.1',
];

/** One name installed twice with other bytes (`first`, `second`), as an MSI can. */
export function twinFilesModel(): Bom {
  const bom = emptyBom();
  addFile(bom, 'Windows/system32/ATL80.dll', { bytes: 'first' });
  addFile(bom, 'Windows/system32/ATL80.dll', { bytes: 'second', ref: 'file:Windows/system32/ATL80.dll#2' });
  return bom;
}

/** A version no evidence shows: a known unknown that hides no component. */
export function undatedModel(): Bom {
  const bom = emptyBom();
  const z = addComponent(bom, 'zlib', 'zlib', undefined);
  bom.knownUnknowns.push({ kind: 'no-version', subject: 'zlib', reason: 'no evidence in the bytes shows its version', scope: z.ref });
  return bom;
}
