/**
 * Detections whose identity comes from the data itself rather than from a rule: SBOM data a
 * binary embeds (`.sbat` rows, Go build info, cargo-auditable crates) and what a package's own
 * metadata states (a wheel's METADATA, a .nuspec, pip's vendor.txt pins). Each carries its
 * identity on the Detection, and its evidence names the file and the section or line it came from.
 */
import type { GoModule, PackageMetadataFacts, SbatRow } from '../inspect/types.js';
import type { ComponentIdentity, Detection, Evidence, InspectedFile } from './types.js';

/** Supplier of an identity read from data that names none: stated as unknown, not guessed. */
const UNKNOWN_SUPPLIER = 'NOASSERTION';

/** CPE 2.3 vendor:product of components `.sbat` rows name, where NVD has one. */
const SBAT_CPES: Record<string, { vendor: string; product: string }> = {
  grub: { vendor: 'gnu', product: 'grub2' },
  shim: { vendor: 'redhat', product: 'shim' },
};

export function embeddedDetections(file: InspectedFile): Detection[] {
  const facts = file.facts;
  if (!facts) return [];
  const out: Detection[] = [];
  const e = facts.embedded;
  if (e?.sbat) {
    const rows = e.sbat.rows;
    for (const row of rows) {
      // shim's own row carries `1` where a version would be (shim,4,UEFI shim,shim,1,…): when a
      // vendor row dates the same package (shim.debian,1,Debian,shim,16.1,…), the upstream row's
      // number is not a version and the vendor row is the component; alone, it is identity only.
      const placeholder = !row.component.includes('.') && /^\d+$/.test(row.version);
      if (placeholder && rows.some((r) => r !== row && r.component.startsWith(`${row.component}.`) && r.package === row.package)) continue;
      // Vendor rows of one vendor's package at one version are one component, however many
      // revocation generations name it (grub.debian,5,… and grub.debian12,1,… in Debian's grubx64.efi).
      const same = rows.find((r) => r.component.includes('.') && r.vendor === row.vendor && r.package === row.package && r.version === row.version);
      out.push(...sbatDetection(file.path, e.sbat.section, e.sbat.offset, placeholder ? { ...row, version: '' } : row, same?.component));
    }
  }
  if (e?.goBuildInfo?.info) {
    const { info } = e.goBuildInfo;
    const where = `Go build info in ${e.goBuildInfo.section} at 0x${e.goBuildInfo.offset.toString(16)}`;
    const ev = (text: string, version?: string): Evidence => ({ file: file.path, kind: 'embedded-sbom', text, location: where, ...(version ? { version } : {}) });
    const goVersion = /^go(\d+\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?)/.exec(info.goVersion)?.[1];
    out.push(detection(file.path, 'static-link', goVersion, [ev(info.goVersion, goVersion)], {
      id: 'golang/stdlib',
      name: 'Go standard library',
      supplier: 'Organization: Google LLC',
      originator: 'Organization: The Go Authors',
      cpe: { vendor: 'golang', product: 'go' },
      purl: { type: 'golang', name: 'stdlib' },
      downloadLocation: 'https://go.dev/dl/',
      homepage: 'https://go.dev/',
      licenseDeclared: 'BSD-3-Clause',
    }));
    if (info.main) out.push(goModule(file.path, info.main, 'contains', ev));
    for (const dep of info.deps) out.push(goModule(file.path, dep, 'static-link', ev));
  }
  if (e?.cargoAuditable) {
    const where = `cargo-auditable ${e.cargoAuditable.section} at 0x${e.cargoAuditable.offset.toString(16)}`;
    for (const p of e.cargoAuditable.packages) {
      // Build dependencies (build scripts, proc macros) run at build time; none of their code is in the binary.
      if (p.kind === 'build') continue;
      const version = p.version;
      const crate = p.source === undefined || p.source === 'crates.io';
      out.push(detection(file.path, p.root ? 'contains' : 'static-link', version, [{ file: file.path, kind: 'embedded-sbom', text: `${p.name} ${p.version}${p.source ? ` (${p.source})` : ''}`, location: where, version }], {
        id: `cargo/${p.name}`,
        name: p.name,
        supplier: UNKNOWN_SUPPLIER,
        purl: crate ? { type: 'cargo', name: p.name } : { type: 'generic', name: p.name },
        downloadLocation: crate ? `https://crates.io/api/v1/crates/${p.name}/{version}/download` : 'NOASSERTION',
      }));
    }
  }
  return out;
}

/**
 * What a package metadata file states, as evidence-only detections (relation `evidence`): a
 * wheel's or nupkg's own name, version and authors (`pypi/<name>`, `nuget/<id>`), or one
 * detection per pin of pip's vendor.txt (`pypi/<name>`). Not part of `detectInFile`: which
 * container the statement is about is the model's decision.
 */
export function packageMetadataDetections(file: InspectedFile): Detection[] {
  const m = file.facts?.packageMetadata;
  return m ? metadataDetections(file.path, m) : [];
}

function detection(file: string, relation: Detection['relation'], version: string | undefined, evidence: Evidence[], identity: ComponentIdentity): Detection {
  return { componentId: identity.id, ...(version ? { version } : {}), file, relation, evidence, identity };
}

/** `as`: the row whose component name the detection takes (the first vendor row of the same package). */
function sbatDetection(file: string, section: string, offset: number, row: SbatRow, as = row.component): Detection[] {
  // The first row describes the SBAT format itself (`sbat,1,SBAT Version,sbat,1,…`), not a component.
  if (row.component === 'sbat') return [];
  const vendorRow = row.component.includes('.');
  const text = [row.component, row.generation, row.vendor, row.package, row.version, row.url].join(',');
  const cpe = vendorRow ? undefined : SBAT_CPES[row.package];
  return [
    detection(file, 'contains', row.version || undefined, [{ file, kind: 'embedded-sbom', text, location: `${section} section line ${row.line} (0x${offset.toString(16)})`, ...(row.version ? { version: row.version } : {}) }], {
      id: `sbat/${as}`,
      name: vendorRow ? `${row.package} (${row.vendor})` : row.package,
      supplier: row.vendor ? `Organization: ${row.vendor}` : UNKNOWN_SUPPLIER,
      ...(cpe ? { cpe } : {}),
      purl: vendorRow && /^debian$/i.test(row.vendor) ? { type: 'deb', namespace: 'debian', name: row.package } : { type: 'generic', name: row.package },
      downloadLocation: /^https:\/\//.test(row.url) ? row.url : 'NOASSERTION',
      ...(/^https?:\/\//.test(row.url) ? { homepage: row.url } : {}),
    }),
  ];
}

function goModule(file: string, m: GoModule, relation: Detection['relation'], ev: (text: string, version?: string) => Evidence): Detection {
  const used = m.replace ?? m;
  // `(devel)` is the main module built from a checkout: no release names it.
  const version = used.version && used.version !== '(devel)' ? used.version : undefined;
  const text = `${m.path} ${m.version}${m.replace ? ` => ${m.replace.path} ${m.replace.version}` : ''}`;
  return detection(file, relation, version, [ev(text, version)], {
    id: `golang/${used.path}`,
    name: used.path,
    supplier: goPublisher(used.path),
    purl: { type: 'golang', name: used.path },
    downloadLocation: `https://proxy.golang.org/${used.path.toLowerCase()}/@v/{version}.zip`,
  });
}

/**
 * Who publishes a Go module, as its path says: the owner on a code host (`github.com/evanw`), the
 * Go project for `golang.org/x/…`, otherwise the domain that serves the module.
 */
function goPublisher(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'golang.org' && parts[1] === 'x') return 'Organization: The Go Authors';
  if (/^(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org)$/.test(parts[0]!) && parts[1]) return `Organization: ${parts[0]}/${parts[1]}`;
  return `Organization: ${parts[0]}`;
}

/** PEP 503 normalisation, as pkg:pypi purls use it. */
function pypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function metadataDetections(file: string, m: PackageMetadataFacts): Detection[] {
  if (m.kind === 'pip-vendor') {
    return (m.pins ?? []).map((pin) =>
      detection(file, 'evidence', pin.version, [{ file, kind: 'package-metadata', text: pin.text, location: `vendor.txt line ${pin.line}`, version: pin.version }], {
        id: `pypi/${pypiName(pin.name)}`,
        name: pin.name,
        supplier: UNKNOWN_SUPPLIER,
        purl: { type: 'pypi', name: pypiName(pin.name) },
        downloadLocation: `https://pypi.org/project/${pypiName(pin.name)}/{version}/`,
      }),
    );
  }
  if (!m.name) return [];
  const eco = ECOSYSTEMS[m.kind];
  const author = m.authors?.find((a) => !a.includes('@')) ?? m.authors?.[0];
  const evidence: Evidence[] = [{ file, kind: 'package-metadata', text: `${m.name} ${m.version ?? ''}`.trim(), location: `${eco.where} ${eco.nameField}`, ...(m.version ? { version: m.version } : {}) }];
  if (m.authors?.length) evidence.push({ file, kind: 'package-metadata', text: m.authors.join(', '), location: `${eco.where} ${eco.authorField}` });
  const purl = eco.purl(m.name);
  return [
    detection(file, 'evidence', m.version, evidence, {
      id: `${purl.type}/${purl.namespace ? `${purl.namespace}/` : ''}${purl.name}`.toLowerCase(),
      name: m.name,
      supplier: author ? `${/\b(?:developers|team|project|authority|foundation|inc\.?|llc|ltd|corporation|contributors)\b/i.test(author) ? 'Organization' : 'Person'}: ${author.replace(/\s*<[^>]*>\s*/, ' ').replace(/\s*\((?:https?:\/\/|www\.)[^)]*\)\s*/, ' ').trim() || author}` : UNKNOWN_SUPPLIER,
      purl,
      downloadLocation: eco.download(m.name),
      ...(m.homepage ? { homepage: m.homepage } : {}),
      ...(m.licenseExpression ? { licenseDeclared: m.licenseExpression } : {}),
    }),
  ];
}

/** Where each kind of package metadata names its package, and the ecosystem's purl and download. */
const ECOSYSTEMS: Record<Exclude<PackageMetadataFacts['kind'], 'pip-vendor'>, {
  where: string;
  nameField: string;
  authorField: string;
  purl: (name: string) => ComponentIdentity['purl'];
  download: (name: string) => string;
}> = {
  'python-metadata': { where: 'METADATA', nameField: 'Name/Version', authorField: 'Author', purl: (n) => ({ type: 'pypi', name: pypiName(n) }), download: (n) => `https://pypi.org/project/${pypiName(n)}/{version}/` },
  nuspec: { where: '.nuspec <metadata>', nameField: 'id/version', authorField: 'authors', purl: (n) => ({ type: 'nuget', name: n }), download: (n) => `https://www.nuget.org/api/v2/package/${n}/{version}` },
  // A scoped name (`@img/sharp-libvips-win32-x64`) is the purl's namespace and name; the registry
  // serves a version's tarball as `<name>/-/<unscoped name>-<version>.tgz`.
  'npm-package': {
    where: 'package.json',
    nameField: 'name/version',
    authorField: 'author',
    purl: (n) => {
      const scoped = /^(@[^/]+)\/(.+)$/.exec(n);
      return scoped ? { type: 'npm', namespace: scoped[1]!, name: scoped[2]! } : { type: 'npm', name: n };
    },
    download: (n) => `https://registry.npmjs.org/${n}/-/${n.slice(n.lastIndexOf('/') + 1)}-{version}.tgz`,
  },
  // The control file names no distribution (Debian, Ubuntu, …: the purl's namespace) and no pool
  // path, so neither is guessed.
  'debian-control': { where: 'control', nameField: 'Package/Version', authorField: 'Maintainer', purl: (n) => ({ type: 'deb', name: n }), download: () => 'NOASSERTION' },
};
