import { anchored, fileName, installName, strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const OPENSSL_FILE = [/^lib(?:crypto|ssl)(?:-\d+(?:_\d+)?)?(?:-x64|-arm64)?\.dll$/i, /^(?:libeay32|ssleay32)\.dll$/i, /^lib(?:crypto|ssl)(?:\.\d+)*\.dylib$/];
/** `1.0.2k`, `1.1.1w`, `3.0.13`, `3.5.0-beta1`: the letter is part of the release. */
const VERSION = String.raw`(?<version>\d+\.\d+\.\d+(?:[a-z]{1,2}|-(?:alpha|beta)\d+)?)`;

/**
 * OpenSSL. The version text `OpenSSL 3.0.13 30 Jan 2024` (OPENSSL_VERSION_TEXT) is also compiled
 * into dependents (`_ssl.pyd`, libssh …), so it counts only in a file holding strings that exist
 * only in libcrypto itself, and not beside a dependent's "compiled with … headers" message: OpenSSL_version()'s `OPENSSLDIR: "…"` and build info, OpenSSLDie's message,
 * ERR_error_string_n()'s format,
 * and in 1.0.x each module's `X.509 part of OpenSSL 1.0.2k  26 Jan 2017` (which dates it too; a
 * static 1.0.2 copy such as shim's may keep nothing else).
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
    libraryFiles: [...OPENSSL_FILE, /^lib(?:crypto|ssl)\.so(?:\.\d+)*$/],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    anchored(
      [
        strings({ example: 'OPENSSLDIR: "/usr/local/ssl"', needle: 'OPENSSLDIR: "', pattern: /^OPENSSLDIR: "/ }),
        strings({ example: 'ENGINESDIR: "/usr/local/lib/engines-3"', needle: 'ENGINESDIR: "', pattern: /^ENGINESDIR: "/ }),
        strings({ example: 'MODULESDIR: "/usr/local/lib/ossl-modules"', needle: 'MODULESDIR: "', pattern: /^MODULESDIR: "/ }),
        strings({ example: 'built on: Tue Jan 30 12:00:00 2024 UTC', needle: 'built on: ', pattern: /^built on: / }),
        strings({ example: 'compiler: cl /Z7 /Fdossl_static.pdb', needle: 'compiler: ', pattern: /^compiler: / }),
        // OpenSSLDie: 1.0.x `%s(%d): OpenSSL internal error, assertion failed: %s`, 1.1.x and 3.x
        // `%s:%d: OpenSSL internal error: %s`.
        strings({ example: '%s(%d): OpenSSL internal error, assertion failed: %s', needle: 'OpenSSL internal error', pattern: /^%s(?:\(%d\)|:%d):? OpenSSL internal error[,:]/ }),
        // ERR_error_string_n()'s format, in libcrypto's err.c since 0.9.x.
        strings({ example: 'error:%08lX:%s:%s:%s', needle: 'error:%08lX:', pattern: /^error:%08lX:%s:%s:%s$/ }),
        strings({ example: 'X.509 part of OpenSSL 1.0.2k  26 Jan 2017', needle: ' part of OpenSSL ', pattern: new RegExp(String.raw` part of OpenSSL ${VERSION} +\d{1,2} [A-Z][a-z]{2} \d{4}`) }),
      ],
      strings({
        example: 'OpenSSL 1.1.1w  11 Sep 2023',
        needle: 'OpenSSL ',
        pattern: new RegExp(String.raw`(?<![A-Za-z])OpenSSL ${VERSION}(?:[+-][\w.+-]*)? +\d{1,2} [A-Z][a-z]{2} \d{4}`),
        // A dependent that logs the headers it was built against keeps its own copy of the text
        // beside that message: libssh in @ffprobe-installer/win32-x64 5.1.0 (`OpenSSL 3.0.7 1 Nov
        // 2022`, then `libssh compiled with %s headers, currently running with %s.`), whose
        // libcrypto is 3.0.8.
        notNear: { needle: 'headers', pattern: /compiled (?:with|against) .*headers/i, distance: 0x40 },
      }),
    ),
    // util/mkrc.pl writes ProductName "The OpenSSL Toolkit" and FileVersion = the full version
    // text (`1.1.1w`): the default leading-number pattern would drop the letter.
    versionInfo({ key: 'FileVersion', when: { ProductName: /^(?:The )?OpenSSL(?: Toolkit)?$/i }, pattern: /^(?<version>\d+\.\d+\.\d+[a-z]{0,2})(?:\s|$)/ }),
    fileName(/^lib(?:crypto|ssl)-\d+(?:_\d+)?(?:-x64|-arm64)?\.dll$/i),
    fileName(/^(?:libeay32|ssleay32)\.dll$/i),
    fileName(/^lib(?:crypto|ssl)\.\d+(?:\.\d+)*\.dylib$/),
    installName(/(?:^|\/)lib(?:crypto|ssl)\.\d+(?:\.\d+)*\.dylib$/),
  ],
  importNames: OPENSSL_FILE,
};
