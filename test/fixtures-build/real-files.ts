/** Paths of real third-party files in the `unpack` fixture set (scripts/fetch-fixtures.mjs). */
import { join } from 'node:path';
import { debFixture } from '../helpers/fixtures.js';

/** Debian clamav-testfiles: ClamAV's scanner test corpus, one small file per container format. */
export const clamav = (name: string): string => join(debFixture('clamav-testfiles'), 'usr', 'share', 'clamav-testfiles', name);

/** Debian libgcab-tests: libgcab's test cabinets, the CVE reproducers among them. */
export const gcabTest = (name: string): string => join(debFixture('libgcab-tests'), 'usr', 'libexec', 'installed-tests', 'libgcab-1.0', name);

/** Debian win32-loader: the Debian-Installer loader for Windows, an NSIS installer. */
export const win32Loader = join(debFixture('win32-loader'), 'usr', 'share', 'win32', 'win32-loader.exe');
