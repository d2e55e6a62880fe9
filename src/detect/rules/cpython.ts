import { anchored, strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

/** Files in which CPython's bare version string is trusted (the interpreter core itself). */
const CPYTHON_CORE_FILES = /(?:^|\/)(?:libpython3\.\d+t?d?\.dylib|PythonT?|python3(?:\.\d+)?t?|python3\d*t?\.dll|python(?:w)?\.exe)$/;
/** `libpython3.12.dylib`, `Versions/3.12/Python`, `python312.dll`: a bare version must agree with it. */
const PATH_MINOR = /(?:libpython|Versions\/|python)(?<prefix>3\.\d+)(?:[td]*\.dylib|\/|$)/;
const PY_VERSION = /^(?<version>3\.\d{1,2}\.\d{1,3}(?:(?:a|b|rc)\d{1,2})?)\+?$/;

/**
 * CPython. On Windows every python.exe, python3X.dll and .pyd carries PC/python_nt.rc: FileVersion
 * = PY_VERSION (`3.13.0rc2`) with CompanyName Python Software Foundation. The fixed-info version
 * is major.minor.(micro*1000+level*10+serial).api and is never used. On macOS the framework binary
 * and libpython carry PY_VERSION as a bare string and the git tag (`tags/v3.12.6`); a bare version
 * counts only inside files named for libpython, next to interpreter-only messages. The Authenticode
 * program name python.org's builds carry (`Built: Release_v3.13.3_20250408.01`) names a build, not
 * a component: no rule reads it.
 */
export const CPythonRule: DetectionRule = {
  identity: {
    id: 'cpython',
    name: 'CPython',
    supplier: 'Organization: Python Software Foundation',
    originator: 'Organization: Python Software Foundation',
    cpe: { vendor: 'python', product: 'python' },
    purl: { type: 'generic', name: 'cpython' },
    downloadLocation: 'https://www.python.org/ftp/python/{base}/Python-{version}.tgz',
    homepage: 'https://www.python.org/',
    licenseDeclared: 'Python-2.0',
    libraryFiles: [/^python3\d*t?(?:_d)?\.dll$/i, /^pythonw?(?:3(?:\.\d+)?)?t?(?:_d)?(?:\.exe)?$/i, /\.pyd$/i, /^libpython3\.\d+t?(?:d)?\.dylib$/, /^PythonT?$/, /\.cpython-3\d+t?-darwin\.so$/],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    versionInfo({
      key: 'FileVersion',
      when: { CompanyName: /^Python Software Foundation$/, ProductName: /^Python$/ },
      pattern: /^(?<version>3\.\d{1,2}\.\d{1,3}(?:(?:a|b|rc)\d{1,2})?)$/,
    }),
    anchored(
      [
        strings({ example: 'Fatal Python error: %s: %s', needle: 'Fatal Python error: ', pattern: /^Fatal Python error: / }),
        strings({ example: 'Py_Initialize: can\'t initialize sys', needle: 'Py_Initialize', pattern: /Py_Initialize/ }),
        strings({ example: 'Python %s', needle: 'Python %s', pattern: /^Python %s$/ }),
      ],
      strings({ example: 'tags/v3.12.6:a4a2d2b', needle: 'tags/v3.', pattern: /^tags\/v(?<version>3\.\d{1,2}\.\d{1,3}(?:(?:a|b|rc)\d{1,2})?)(?::[0-9a-f]+)?$/, encoding: 'ascii' }),
      strings({ example: '3.12.6', needle: '3.', pattern: PY_VERSION, encoding: 'ascii', path: CPYTHON_CORE_FILES, pathVersion: PATH_MINOR }),
    ),
  ],
  importNames: [/^python3\d+t?(?:_d)?\.dll$/i, /^python3t?(?:_d)?\.dll$/i, /^libpython3\.\d+t?d?\.dylib$/, /(?:^|\/)PythonT?$/],
};
