import { strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const G10 = { supplier: 'Organization: g10 Code GmbH', originator: 'Organization: g10 Code GmbH' } as const;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A library of the GnuPG project. Each has a check-version call that returns a blurb,
 * `This is <Name> <version> - <what it is>`, library text present in every copy (Debian's MinGW
 * DLLs, and statically in gpgv-win32's gpgv.exe); g10 Code's VERSIONINFO names the product and
 * its release in ProductVersion (FileVersion is the ABI: libgcrypt-20.dll's `24.4.1.0000000`).
 */
function g10Library(o: {
  /** Also the file name stem (`libgcrypt-20.dll`, `libgcrypt.20.dylib`), gnupg.org's FTP folder and homepage path. */
  id: string;
  name: string;
  /** `This is <Id, capitalised> 1.2.3 - <blurbTail>` */
  blurbTail: string;
  example: string;
  productName: RegExp;
  license: string;
}): DetectionRule {
  const blurbName = o.id[0]!.toUpperCase() + o.id.slice(1);
  const files = [new RegExp(`^${escape(o.id)}(?:-\\d+)?\\.dll$`, 'i'), new RegExp(`^${escape(o.id)}(?:\\.\\d+)*\\.dylib$`)];
  return {
    identity: {
      id: o.id,
      name: o.name,
      ...G10,
      cpe: { vendor: 'gnupg', product: o.id },
      purl: { type: 'generic', name: o.id },
      downloadLocation: `https://gnupg.org/ftp/gcrypt/${o.id}/${o.id}-{version}.tar.bz2`,
      homepage: `https://gnupg.org/software/${o.id}/`,
      licenseDeclared: o.license,
      libraryFiles: files,
    },
    files: { formats: ['pe', 'macho'] },
    evidence: [
      strings({
        example: o.example,
        needle: `This is ${blurbName} `,
        pattern: new RegExp(`^This is ${escape(blurbName)} (?<version>\\d+\\.\\d+(?:\\.\\d+)?)(?:-[\\w.-]+)? - ${escape(o.blurbTail)}`),
      }),
      versionInfo({ key: 'ProductVersion', when: { ProductName: o.productName, CompanyName: /^g10 Code GmbH$/ }, pattern: /^(?<version>\d+\.\d+(?:\.\d+)?)(?:$|-)/ }),
    ],
    importNames: files,
  };
}

/** Libgcrypt. A bare `1.46` beside its blurb is the libgpg-error it was compiled against, not a copy. */
export const LibgcryptRule = g10Library({
  id: 'libgcrypt',
  name: 'Libgcrypt',
  blurbTail: 'The GNU Crypto Library',
  example: 'This is Libgcrypt 1.10.1 - The GNU Crypto Library',
  productName: /^libgcrypt$/i,
  license: 'LGPL-2.1-or-later',
});

/** libgpg-error (gpgrt), whose releases have two parts (`1.46`). */
export const LibgpgErrorRule = g10Library({
  id: 'libgpg-error',
  name: 'libgpg-error',
  blurbTail: 'A runtime library',
  example: 'This is Libgpg-error 1.46 - A runtime library',
  productName: /^libgpg-error$/i,
  license: 'LGPL-2.1-or-later',
});

/** Libassuan, GnuPG's IPC library (libassuan-0.dll, whose VERSIONINFO ProductName is "Assuan"). */
export const LibassuanRule = g10Library({
  id: 'libassuan',
  name: 'Libassuan',
  blurbTail: 'The GnuPG IPC Library',
  example: 'This is Libassuan 2.5.5 - The GnuPG IPC Library',
  productName: /^(?:Assuan|libassuan)$/i,
  license: 'LGPL-2.1-or-later',
});

/** Libksba, GnuPG's X.509 and CMS library (libksba-8.dll). */
export const LibksbaRule = g10Library({
  id: 'libksba',
  name: 'Libksba',
  blurbTail: 'An X.509 and CMS Library',
  example: 'This is Libksba 1.6.3 - An X.509 and CMS Library',
  productName: /^libksba$/i,
  license: 'LGPL-3.0-or-later OR GPL-2.0-or-later',
});

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
