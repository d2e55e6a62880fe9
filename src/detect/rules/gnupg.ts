import { strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const GCRYPT_FILE = [/^libgcrypt(?:-\d+)?\.dll$/i, /^libgcrypt(?:\.\d+)*\.dylib$/];
const GPG_ERROR_FILE = [/^libgpg-error(?:-\d+)?\.dll$/i, /^libgpg-error(?:\.\d+)*\.dylib$/];
const G10 = { supplier: 'Organization: g10 Code GmbH', originator: 'Organization: g10 Code GmbH' } as const;

/**
 * Libgcrypt. gcry_check_version("\001\001") returns the blurb `This is Libgcrypt 1.10.1 - The GNU
 * Crypto Library`, library text present in every copy (Debian's libgcrypt-20.dll, and statically in
 * gpgv-win32's gpgv.exe). The DLL's FileVersion is the ABI (`24.4.1.0000000`); its ProductVersion
 * is the release. A bare `1.46` beside it is the libgpg-error it was compiled against, not a copy.
 */
export const LibgcryptRule: DetectionRule = {
  identity: {
    id: 'libgcrypt',
    name: 'Libgcrypt',
    ...G10,
    cpe: { vendor: 'gnupg', product: 'libgcrypt' },
    purl: { type: 'generic', name: 'libgcrypt' },
    downloadLocation: 'https://gnupg.org/ftp/gcrypt/libgcrypt/libgcrypt-{version}.tar.bz2',
    homepage: 'https://gnupg.org/software/libgcrypt/',
    licenseDeclared: 'LGPL-2.1-or-later',
    libraryFiles: GCRYPT_FILE,
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({ example: 'This is Libgcrypt 1.10.1 - The GNU Crypto Library', needle: 'This is Libgcrypt ', pattern: /^This is Libgcrypt (?<version>\d+\.\d+\.\d+)(?:-[\w.-]+)? - The GNU Crypto Library/ }),
    versionInfo({ key: 'ProductVersion', when: { ProductName: /^libgcrypt$/i, CompanyName: /^g10 Code GmbH$/ }, pattern: /^(?<version>\d+\.\d+\.\d+)/ }),
  ],
  importNames: GCRYPT_FILE,
};

/** libgpg-error (gpgrt): `This is Libgpg-error 1.46 - A runtime library`, as Libgcrypt's blurb. */
export const LibgpgErrorRule: DetectionRule = {
  identity: {
    id: 'libgpg-error',
    name: 'libgpg-error',
    ...G10,
    cpe: { vendor: 'gnupg', product: 'libgpg-error' },
    purl: { type: 'generic', name: 'libgpg-error' },
    downloadLocation: 'https://gnupg.org/ftp/gcrypt/libgpg-error/libgpg-error-{version}.tar.bz2',
    homepage: 'https://gnupg.org/software/libgpg-error/',
    licenseDeclared: 'LGPL-2.1-or-later',
    libraryFiles: GPG_ERROR_FILE,
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({ example: 'This is Libgpg-error 1.46 - A runtime library', needle: 'This is Libgpg-error ', pattern: /^This is Libgpg-error (?<version>\d+\.\d+(?:\.\d+)?)(?:-[\w.-]+)? - / }),
    versionInfo({ key: 'ProductVersion', when: { ProductName: /^libgpg-error$/i, CompanyName: /^g10 Code GmbH$/ }, pattern: /^(?<version>\d+\.\d+(?:\.\d+)?)$/ }),
  ],
  importNames: GPG_ERROR_FILE,
};

/**
 * GnuPG's programs (gpg.exe, gpgv.exe, gpg-agent.exe …): VERSIONINFO ProductName "GNU Privacy
 * Guard (GnuPG)", ProductVersion `2.2.40` (FileVersion appends the commit and build host).
 */
export const GnupgRule: DetectionRule = {
  identity: {
    id: 'gnupg',
    name: 'GnuPG',
    ...G10,
    cpe: { vendor: 'gnupg', product: 'gnupg' },
    purl: { type: 'generic', name: 'gnupg' },
    downloadLocation: 'https://gnupg.org/ftp/gcrypt/gnupg/gnupg-{version}.tar.bz2',
    homepage: 'https://gnupg.org/',
    licenseDeclared: 'GPL-3.0-or-later',
    libraryFiles: [/^(?:gpg|gpgv|gpg-agent|gpgsm|gpgconf|gpg-connect-agent|dirmngr|scdaemon|keyboxd|gpgtar|gpg-wks-client)\.exe$/i],
  },
  files: { formats: ['pe'] },
  evidence: [versionInfo({ key: 'ProductVersion', when: { ProductName: /^GNU Privacy Guard \(GnuPG\)$/ }, pattern: /^(?<version>\d+\.\d+\.\d+)$/ })],
};
