import { strings } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

const ZLIB_NG_FILE = /^(?:libz-ng|zlib-ng)(?:\d|\.\d)*\.(?:dll|dylib)$/i;

/**
 * zlib-ng. Its own version shows as ` zlib-ng 2.3.3` beside the (verbatim) zlib copyright lines;
 * in zlib-compat builds, code compiled against its zlib.h carries ZLIB_VERSION `1.3.1.zlib-ng`,
 * which identifies zlib-ng but dates only the zlib API it mimics, so it is identity evidence.
 */
export const ZlibNgRule: DetectionRule = {
  identity: {
    id: 'zlib-ng',
    name: 'zlib-ng',
    supplier: 'Organization: zlib-ng',
    originator: 'Organization: zlib-ng',
    cpe: { vendor: 'zlib-ng', product: 'zlib-ng' },
    purl: { type: 'github', namespace: 'zlib-ng', name: 'zlib-ng' },
    downloadLocation: 'https://github.com/zlib-ng/zlib-ng/archive/refs/tags/{version}.tar.gz',
    homepage: 'https://github.com/zlib-ng/zlib-ng',
    licenseDeclared: 'Zlib',
    libraryFiles: [ZLIB_NG_FILE],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({ example: ' zlib-ng 2.3.3', needle: 'zlib-ng ', pattern: /(?:^|\s)zlib-ng (?<version>2\.\d+\.\d+(?:\.\d+)?)\s*$/ }),
    strings({ example: '1.3.1.zlib-ng', needle: '.zlib-ng', pattern: /^1\.\d+\.\d+(?:\.\d+)?\.zlib-ng$/ }),
  ],
  importNames: [ZLIB_NG_FILE],
};
