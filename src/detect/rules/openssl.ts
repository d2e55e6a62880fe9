import type { DetectionRule } from '../rule.js';

/**
 * OpenSSL. The version text `OpenSSL 3.0.13 30 Jan 2024` (OPENSSL_VERSION_TEXT) is also compiled
 * into dependents (`_ssl.pyd`, libssh …), so string matches count only next to strings that exist
 * only in libcrypto itself (OpenSSL_version(OPENSSL_DIR) → `OPENSSLDIR: "…"`, and the build info).
 */
export const OpenSslRule: DetectionRule = {
  identity: {
    id: 'openssl',
    name: 'OpenSSL',
    supplier: 'Organization: OpenSSL Software Foundation',
    originator: 'Organization: OpenSSL Software Foundation',
    cpe: { vendor: 'openssl', product: 'openssl' },
    purl: { type: 'generic', name: 'openssl' },
    downloadLocation: 'https://github.com/openssl/openssl/releases/download/openssl-{version}/openssl-{version}.tar.gz',
    homepage: 'https://www.openssl.org/',
    libraryFiles: [/^lib(?:crypto|ssl)(?:-\d+(?:_\d+)?)?(?:-x64|-arm64)?\.dll$/i, /^(?:libeay32|ssleay32)\.dll$/i, /^lib(?:crypto|ssl)(?:\.\d+)*\.dylib$/, /^lib(?:crypto|ssl)\.so(?:\.\d+)*$/],
  },
  files: { formats: ['pe', 'macho'] },
  strings: [
    {
      pattern: /(?:^|[^A-Za-z])OpenSSL (?<version>\d+\.\d+\.\d+(?:[a-z]{1,2}|-(?:alpha|beta)\d+)?)(?:[+-][\w.+-]*)? +\d{1,2} [A-Z][a-z]{2} \d{4}/,
      shows: 'version',
    },
  ],
  anchors: [/^OPENSSLDIR: "/, /^ENGINESDIR: "/, /^MODULESDIR: "/, /^built on: /, /^compiler: /],
  // mkrc.pl writes the full version text (`1.1.1w`): the default pattern would drop the letter.
  // OpenSSL's util/mkrc.pl writes ProductName "The OpenSSL Toolkit" and FileVersion = the full version.
  versionInfo: [{ key: 'FileVersion', when: { ProductName: /^(?:The )?OpenSSL(?: Toolkit)?$/i }, pattern: /^(?<version>\d+\.\d+\.\d+[a-z]{0,2})(?:\s|$)/ }],
  fileNames: [
    { pattern: /^lib(?:crypto|ssl)-\d+(?:_\d+)?(?:-x64|-arm64)?\.dll$/i, kind: 'abi-name' },
    { pattern: /^(?:libeay32|ssleay32)\.dll$/i, kind: 'abi-name' },
    { pattern: /^lib(?:crypto|ssl)\.\d+(?:\.\d+)*\.dylib$/, kind: 'abi-name' },
  ],
  installNames: [/(?:^|\/)lib(?:crypto|ssl)\.\d+(?:\.\d+)*\.dylib$/],
  importNames: [/^lib(?:crypto|ssl)(?:-\d+(?:_\d+)?)?(?:-x64|-arm64)?\.dll$/i, /^(?:libeay32|ssleay32)\.dll$/i, /^lib(?:crypto|ssl)(?:\.\d+)*\.dylib$/],
};
