import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageMetadataDetections } from '../../../src/detect/embedded.js';
import { readPackageMetadata } from '../../../src/inspect/package/index.js';
import { parseNuspec } from '../../../src/inspect/package/nuspec.js';
import { textLines } from '../../../src/inspect/strings.js';
import { debFixture, npmFixture, requireFixture } from '../../helpers/fixtures.js';
import { requireTool, run } from '../../helpers/tools.js';

const WHEEL = join(debFixture('python3-pip-whl'), 'usr/share/python-wheels/pip-23.0.1-py3-none-any.whl');

test("Debian's pip wheel: METADATA names pip, vendor.txt pins every vendored package, comments and all", (t) => {
  if (!requireFixture(t, WHEEL) || !requireTool(t, 'unzip')) return;
  const metadata = run('unzip', ['-p', WHEEL, 'pip-23.0.1.dist-info/METADATA']);
  const m = readPackageMetadata('pip-23.0.1-py3-none-any.whl/pip-23.0.1.dist-info/METADATA', Buffer.from(metadata));
  // Oracle: the .deb's version and the headers as unzip prints them.
  const header = (k: string) => new RegExp(`^${k}: (.*)$`, 'm').exec(metadata)![1];
  assert.deepEqual([m?.name, m?.version, m?.license, m?.homepage], [header('Name'), header('Version'), header('License'), header('Home-page')]);
  assert.equal(m?.version, /_(\d+\.\d+\.\d+)/.exec(readFileSync(join(debFixture('python3-pip-whl'), '.complete'), 'utf8'))![1]);
  assert.deepEqual(m?.authors, [header('Author'), header('Author-email')]);
  assert.equal(m?.projectUrls?.['Source'], 'https://github.com/pypa/pip');

  const vendor = run('unzip', ['-p', WHEEL, 'pip/_vendor/vendor.txt']);
  const pins = readPackageMetadata('pip-23.0.1-py3-none-any.whl/pip/_vendor/vendor.txt', Buffer.from(vendor))?.pins ?? [];
  const expected = vendor.split('\n').filter((l) => l.includes('==')).map((l) => l.split('#')[0]!.trim().split('=='));
  assert.equal(pins.length, expected.length);
  assert.ok(pins.length >= 23);
  assert.deepEqual(pins.map((p) => [p.name, p.version]), expected);
  assert.deepEqual(pins[0], { name: 'CacheControl', version: '0.12.11', line: 1, text: vendor.split('\n')[0]!.trim() });

  // As detections: evidence only (the files state the packages, they are not their code), pkg:pypi.
  const ds = packageMetadataDetections({ path: 'pip.whl/pip/_vendor/vendor.txt', size: 1, sha256: '', facts: { format: 'other', strings: textLines(Buffer.from(vendor), 'text'), packageMetadata: { kind: 'pip-vendor', pins } } });
  const cc = ds.find((d) => d.componentId === 'pypi/cachecontrol');
  assert.deepEqual([cc?.version, cc?.relation, cc?.identity?.purl], ['0.12.11', 'evidence', { type: 'pypi', name: 'cachecontrol' }]);
  assert.equal(ds.filter((d) => d.componentId.startsWith('pypi/')).length, pins.length);
  const pip = packageMetadataDetections({ path: 'pip.whl/pip-23.0.1.dist-info/METADATA', size: 1, sha256: '', facts: { format: 'other', strings: [], packageMetadata: m! } }).find((d) => d.componentId === 'pypi/pip');
  assert.deepEqual([pip?.version, pip?.relation, pip?.identity?.supplier], ['23.0.1', 'evidence', 'Organization: The pip developers']);
});

test('a .nuspec rendered from electron-winstaller\'s Squirrel template', (t) => {
  const template = join(npmFixture('electron-winstaller@5.4.4'), 'template.nuspectemplate');
  if (!requireFixture(t, template)) return;
  const values: Record<string, string> = { name: 'MyApp', title: 'My App', version: '1.2.3', authors: 'Jane Doe, ACME &amp; Co', owners: 'ACME', iconUrl: 'https://example.org/i.ico', description: 'An app', copyright: '2026', exe: 'MyApp.exe' };
  const xml = readFileSync(template, 'utf8').replace(/<%-\s*(\w+)\s*%>/g, (_, k: string) => values[k] ?? '').replace(/<%[\s\S]*?%>/g, '');
  const m = parseNuspec(xml);
  assert.deepEqual([m.name, m.version, m.authors, m.summary], ['MyApp', '1.2.3', ['Jane Doe', 'ACME & Co'], 'An app']);
  assert.deepEqual(parseNuspec('<package><metadata><id>X</id><version>1.0.0</version><license type="expression">MIT OR Apache-2.0</license></metadata></package>').licenseExpression, 'MIT OR Apache-2.0');
});

test('package.json: name, version, author as a string or an object, and what its licence field says', () => {
  const read = (json: unknown) => readPackageMetadata('x.tgz/package/package.json', Buffer.from(JSON.stringify(json)));
  assert.deepEqual(read({ name: '@img/sharp', version: '0.33.5', author: 'Lovell Fuller <npm@lovell.info>', license: 'Apache-2.0', homepage: 'https://sharp.pixelplumbing.com' }), {
    kind: 'npm-package',
    name: '@img/sharp',
    version: '0.33.5',
    authors: ['Lovell Fuller <npm@lovell.info>'],
    licenseExpression: 'Apache-2.0',
    homepage: 'https://sharp.pixelplumbing.com',
  });
  assert.deepEqual(read({ name: 'a', author: { name: 'Ann', email: 'ann@example.org' }, license: 'SEE LICENSE IN EULA.md' }), { kind: 'npm-package', name: 'a', authors: ['Ann'], licenseFiles: ['EULA.md'] });
  // Not SPDX expressions: kept as free text, never declared.
  assert.deepEqual(read({ name: 'b', license: 'UNLICENSED' }), { kind: 'npm-package', name: 'b', license: 'UNLICENSED' });
  assert.deepEqual(read({ name: 'c', license: 'BSD style', homepage: 'javascript:alert(1)' }), { kind: 'npm-package', name: 'c', license: 'BSD style' });
  assert.equal(read({ name: 'd', license: '(MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0)' })?.licenseExpression, '(MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0)');
  // Not a JSON object, or not JSON: nothing is stated.
  assert.equal(read(['x']), undefined);
  assert.equal(readPackageMetadata('x.tgz/package/package.json', Buffer.from('{"name": "broken"')), undefined);
  // Only npm pack's layout: a package.json elsewhere is no package manifest here.
  assert.equal(readPackageMetadata('app/package.json', Buffer.from('{"name":"x","version":"1.0.0"}')), undefined);

  const [d] = packageMetadataDetections({ path: 'x.tgz/package/package.json', size: 1, sha256: '', facts: { format: 'other', strings: [], packageMetadata: read({ name: '@img/sharp', version: '0.33.5', author: 'Lovell Fuller <npm@lovell.info> (https://lovell.info)' })! } });
  assert.deepEqual([d?.componentId, d?.version, d?.identity?.supplier, d?.identity?.purl, d?.identity?.downloadLocation], ['npm/@img/sharp', '0.33.5', 'Person: Lovell Fuller', { type: 'npm', namespace: '@img', name: 'sharp' }, 'https://registry.npmjs.org/@img/sharp/-/sharp-{version}.tgz']);
});
