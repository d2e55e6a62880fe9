import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../helpers/fixtures.js';
import { verifySbom } from '../../src/compare/verify.js';
import { cpeVendorProduct, purlName } from '../../src/bom/read/keys.js';
import { viewOfSpdx2 } from '../../src/bom/read/spdx2.js';
import type { SpdxDocument, SpdxPackage } from '../../src/serialize/spdx2-types.js';

const v = (doc: SpdxDocument) => viewOfSpdx2(doc as unknown as Record<string, unknown>);
const externals = (version: string) => JSON.parse(readFileSync(join(sharedDir, 'cpython-sbom-inputs', version, 'externals.spdx.json'), 'utf8')) as SpdxDocument;

/** A document shaped like installer-sbom's own: root, components with CPE + purl, files. */
function ours(components: [string, string, string, string][], files: Record<string, string> = {}): SpdxDocument {
  const pkgs: SpdxPackage[] = components.map(([name, version, cpe, purl]) => ({
    SPDXID: `SPDXRef-PACKAGE-${name}-${version}`,
    name,
    versionInfo: version,
    downloadLocation: 'NOASSERTION',
    primaryPackagePurpose: 'LIBRARY',
    externalRefs: [
      { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: `cpe:2.3:a:${cpe}:${version}:*:*:*:*:*:*:*` },
      { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: `pkg:generic/${purl}@${version}` },
    ],
  }));
  return {
    SPDXID: 'SPDXRef-DOCUMENT', spdxVersion: 'SPDX-2.3', dataLicense: 'CC0-1.0', name: 'a.zip', documentNamespace: 'https://example.com/a',
    creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: installer-sbom-0.1.0'] },
    packages: [{ SPDXID: 'SPDXRef-PACKAGE-a.zip', name: 'a.zip', packageFileName: 'a.zip', downloadLocation: 'NOASSERTION', checksums: [{ algorithm: 'SHA256', checksumValue: 'ab'.repeat(32) }] }, ...pkgs],
    files: Object.entries(files).map(([p, h], i) => ({ SPDXID: `SPDXRef-FILE-${i}`, fileName: `./${p}`, checksums: [{ algorithm: 'SHA256', checksumValue: h }] })),
    relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-PACKAGE-a.zip' }],
  };
}

test('identifiers: CPE vendor:product and purl names are read as written', () => {
  assert.equal(cpeVendorProduct('cpe:2.3:a:tcl_tk:tcl_tk:8.6.14.0:*:*:*:*:*:*:*'), 'tcl_tk:tcl_tk');
  assert.equal(cpeVendorProduct('cpe:2.3:a:hacl-star:hacl-star:bb3d:*:*:*:*:*:*:*'), 'hacl-star:hacl-star');
  assert.equal(cpeVendorProduct('cpe:/a:openssl:openssl:1.1.1'), 'openssl:openssl');
  assert.equal(purlName('pkg:pypi/macholib@1.0'), 'pypi/macholib');
  assert.equal(purlName('pkg:npm/%40img/sharp@1'), 'npm/@img/sharp');
});

test("CPython's externals match installer-sbom's names by CPE/purl; tcl-core and tk are told apart; SQLite's 4-part version is one version", () => {
  // What installer-sbom calls these components (src/detect/rules), at the versions CPython 3.13.0rc2 declares.
  const derived = ours([
    ['OpenSSL', '3.0.15', 'openssl:openssl', 'openssl'],
    ['SQLite', '3.45.3', 'sqlite:sqlite', 'sqlite'],
    ['Tcl', '8.6.14', 'tcl_tk:tcl_tk', 'tcl'],
    ['Tk', '8.6.14', 'tcl_tk:tcl_tk', 'tk'],
    ['libffi', '3.4.4', 'libffi_project:libffi', 'libffi'],
    ['bzip2', '1.0.8', 'bzip:bzip2', 'bzip2'],
    ['xz', '5.2.5', 'tukaani:xz', 'xz'],
    ['zlib', '1.3.1', 'zlib:zlib', 'zlib'],
    ['mpdecimal', '4.0.0', 'bytereef:mpdecimal', 'mpdecimal'],
  ]);
  const r = verifySbom(v(derived), v(externals('3.13.0rc2')));
  assert.deepEqual(r.findings, []);
  assert.equal(r.checked.components, 9);
  assert.equal(r.ok, true);
  assert.match(r.unchecked.join('\n'), /describes no package/);
  assert.match(r.unchecked.join('\n'), /lists no files/);
});

test('a version that differs is a finding with both versions; a second stated version without evidence is missing', () => {
  const derived = ours([['OpenSSL', '3.0.13', 'openssl:openssl', 'openssl'], ['mpdecimal', '4.0.0', 'bytereef:mpdecimal', 'mpdecimal']]);
  const stated = externals('3.13.0rc2');
  stated.packages = stated.packages!.filter((p) => p.name === 'openssl' || p.name === 'mpdecimal');
  stated.packages.push({ ...stated.packages.find((p) => p.name === 'mpdecimal')!, SPDXID: 'SPDXRef-PACKAGE-mpdecimal-2.5.1', versionInfo: '2.5.1' });
  const r = verifySbom(v(derived), v(stated));
  assert.deepEqual(
    r.findings.map((f) => [f.kind, f.subject, f.stated, f.found]),
    [
      ['component-missing', 'mpdecimal', '2.5.1', undefined],
      ['component-version-differs', 'openssl', '3.0.15', '3.0.13'],
    ],
  );
  assert.match(r.findings[0]!.message, /shows only mpdecimal 4\.0\.0/);
});

test('files: changed, missing and extra are told apart; SHA-1 is used when SHA-256 is absent', () => {
  const derived = ours([], { 'a.dll': '11'.repeat(32), 'b.dll': '22'.repeat(32), 'new.txt': '33'.repeat(32) });
  const stated = ours([], { 'a.dll': '11'.repeat(32), 'b.dll': 'ff'.repeat(32), 'gone.txt': '44'.repeat(32) });
  const r = verifySbom(v(derived), v(stated));
  assert.deepEqual(r.findings.map((f) => `${f.kind} ${f.subject}`), ['file-extra new.txt', 'file-hash-differs b.dll', 'file-missing gone.txt']);
  assert.equal(r.checked.files, 2);

  derived.files![0]!.checksums.push({ algorithm: 'SHA1', checksumValue: 'aa'.repeat(20) });
  const sha1Only = ours([], {});
  sha1Only.files = [{ SPDXID: 'SPDXRef-F', fileName: 'a.dll', checksums: [{ algorithm: 'SHA1', checksumValue: 'AA'.repeat(20) }] }];
  const r2 = verifySbom(v(derived), v(sha1Only));
  assert.equal(r2.checked.files, 1);
  assert.deepEqual(r2.findings.map((f) => f.kind).sort(), ['file-extra', 'file-extra']);
});

test('the artifact checksum: a differing root SHA-256 is a finding; an extra detected component is one too', () => {
  const derived = ours([['zlib', '1.3.1', 'zlib:zlib', 'zlib']]);
  const stated = ours([]);
  stated.packages![0]!.checksums = [{ algorithm: 'SHA256', checksumValue: 'cd'.repeat(32) }];
  const r = verifySbom(v(derived), v(stated));
  assert.deepEqual(r.findings.map((f) => f.kind).sort(), ['component-extra', 'root-hash-differs']);
  assert.equal(v(stated).root?.id, 'SPDXRef-PACKAGE-a.zip');
});
