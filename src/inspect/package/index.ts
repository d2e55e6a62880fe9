import type { PackageMetadataFacts } from '../types.js';
import { parseDebianControl } from './debian-control.js';
import { parseNpmPackage } from './npm-package.js';
import { parseNuspec } from './nuspec.js';
import { parsePipVendor } from './pip-vendor.js';
import { parsePythonMetadata } from './python-metadata.js';

/** The statements of a package metadata file, chosen by its path; undefined for other files. */
export function readPackageMetadata(path: string, bytes: Uint8Array): PackageMetadataFacts | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8');
  if (/(?:^|\/)[^/]*\.dist-info\/METADATA$|(?:^|\/)PKG-INFO$/.test(path)) return parsePythonMetadata(text);
  if (/\.nuspec$/i.test(path)) return parseNuspec(text);
  if (/(?:^|\/)pip\/_vendor\/vendor\.txt$/.test(path)) return parsePipVendor(text);
  // `npm pack` puts every file of the package under `package/`.
  if (/(?:^|\/)package\/package\.json$/.test(path)) return parseNpmPackage(text);
  // A .deb's control.tar.* holds `control` (a `./control` member, as dpkg-deb writes it).
  if (/(?:^|\/)control\.tar(?:\.[a-z0-9]+)?\/control$/.test(path)) return parseDebianControl(text);
  return undefined;
}
