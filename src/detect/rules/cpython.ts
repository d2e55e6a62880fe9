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
 * counts only inside files named for libpython, next to interpreter-only messages.
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
  versionInfo: [
    {
      key: 'FileVersion',
      when: { CompanyName: /^Python Software Foundation$/, ProductName: /^Python$/ },
      pattern: /^(?<version>3\.\d{1,2}\.\d{1,3}(?:(?:a|b|rc)\d{1,2})?)$/,
    },
  ],
  strings: [
    { pattern: /^tags\/v(?<version>3\.\d{1,2}\.\d{1,3}(?:(?:a|b|rc)\d{1,2})?)(?::[0-9a-f]+)?$/, shows: 'version', encoding: 'ascii' },
    { pattern: PY_VERSION, shows: 'version', encoding: 'ascii', path: CPYTHON_CORE_FILES, pathVersion: PATH_MINOR },
  ],
  anchors: [/^Fatal Python error: /, /Py_Initialize/, /^Python %s$/],
  importNames: [/^python3\d+t?(?:_d)?\.dll$/i, /^python3t?(?:_d)?\.dll$/i, /^libpython3\.\d+t?d?\.dylib$/, /(?:^|\/)PythonT?$/],
};

