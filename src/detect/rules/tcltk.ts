import type { DetectionRule } from '../rule.js';

/**
 * Tcl/Tk as CPython ships them: Windows `tcl86t.dll`/`tk86t.dll` (Tcl 9: `tcl90.dll`,
 * `tcl9tk90.dll`), macOS `libtcl8.6.dylib` or `Tcl.framework/Versions/8.6/Tcl`, plus the script
 * library's `init.tcl`. win/tcl.rc writes FileVersion = TCL_PATCH_LEVEL with CompanyName
 * "ActiveState Corporation": that is a historical packager, not the supplier, so identity comes from
 * ProductName/OriginalFilename and the supplier is the Tcl Core Team. Install names and framework
 * paths carry only `8.6`, never the patch level, so they identify without dating.
 */
const TCL_CORE = { id: 'tcl', name: 'Tcl', supplier: 'Organization: Tcl Core Team', originator: 'Organization: Tcl Core Team' } as const;

/** TCL_PATCH_LEVEL: `8.6.15`, `9.0.1`, `8.6b2` never ships in CPython. */
const PATCH_LEVEL = /^(?<version>(?:8\.[4-7]|9\.\d)\.\d{1,2})$/;

export const TclRule: DetectionRule = {
  identity: {
    ...TCL_CORE,
    // CPython's externals.spdx.json vocabulary (an old NVD product; tcl:tcl is the current one).
    cpe: { vendor: 'tcl_tk', product: 'tcl_tk' },
    purl: { type: 'generic', name: 'tcl' },
    downloadLocation: 'https://prdownloads.sourceforge.net/tcl/tcl{version}-src.tar.gz',
    homepage: 'https://www.tcl-lang.org/',
    licenseDeclared: 'TCL',
    libraryFiles: [/^tcl\d{2}t?g?\.dll$/i, /^libtcl\d\.\d+\.dylib$/, /^Tcl$/, /^init\.tcl$/],
  },
  files: { formats: ['pe', 'macho', 'plist', 'other'] },
  versionInfo: [
    { key: 'FileVersion', when: { ProductName: /^Tcl \d+\.\d+ for Windows$/ } },
    { key: 'FileVersion', when: { OriginalFilename: /^tcl\d{2}t?g?\.dll$/i } },
  ],
  strings: [
    // Tcl_Init's script and the tcl_patchLevel variable are set from TCL_PATCH_LEVEL in one function.
    { pattern: PATCH_LEVEL, shows: 'version', encoding: 'ascii', path: /(?:^|\/)(?:tcl\d{2}t?g?\.dll|libtcl\d\.\d+\.dylib|Tcl)$/i, near: { pattern: /^tcl_patchLevel$/, distance: 0x4000 } },
    // init.tcl: `package require -exact Tcl 8.6.15`.
    { pattern: /^\s*package require -exact Tcl (?<version>\d+\.\d+\.\d+)\s*$/, shows: 'version', path: /(?:^|\/)init\.tcl$/ },
  ],
  plist: [{ when: { CFBundleIdentifier: /^com\.tcltk\.tcllibrary$/ }, versionKey: 'CFBundleShortVersionString' }],
  installNames: [/(?:^|\/)(?:libtcl\d\.\d+\.dylib|Tcl\.framework\/Versions\/[\d.]+\/Tcl)$/],
  fileNames: [{ pattern: /^tcl\d{2}t?g?\.dll$/i, kind: 'abi-name' }],
  importNames: [/^tcl\d{2}t?g?\.dll$/i, /^libtcl\d\.\d+\.dylib$/, /^Tcl$/],
};

export const TkRule: DetectionRule = {
  identity: {
    id: 'tk',
    name: 'Tk',
    supplier: TCL_CORE.supplier,
    originator: TCL_CORE.originator,
    cpe: { vendor: 'tcl_tk', product: 'tcl_tk' },
    purl: { type: 'generic', name: 'tk' },
    downloadLocation: 'https://prdownloads.sourceforge.net/tcl/tk{version}-src.tar.gz',
    homepage: 'https://www.tcl-lang.org/',
    licenseDeclared: 'TCL',
    libraryFiles: [/^(?:tcl\d)?tk\d{2}t?g?\.dll$/i, /^libtk\d\.\d+\.dylib$/, /^Tk$/],
  },
  files: { formats: ['pe', 'macho', 'plist'] },
  versionInfo: [
    { key: 'FileVersion', when: { ProductName: /^Tk \d+\.\d+ for Windows$/ } },
    { key: 'FileVersion', when: { OriginalFilename: /^(?:tcl\d)?tk\d{2}t?g?\.dll$/i } },
  ],
  strings: [
    { pattern: PATCH_LEVEL, shows: 'version', encoding: 'ascii', path: /(?:^|\/)(?:(?:tcl\d)?tk\d{2}t?g?\.dll|libtk\d\.\d+\.dylib|Tk)$/i, near: { pattern: /^tk_patchLevel$/, distance: 0x4000 } },
  ],
  plist: [{ when: { CFBundleIdentifier: /^com\.tcltk\.tklibrary$/ }, versionKey: 'CFBundleShortVersionString' }],
  installNames: [/(?:^|\/)(?:libtk\d\.\d+\.dylib|Tk\.framework\/Versions\/[\d.]+\/Tk)$/],
  fileNames: [{ pattern: /^(?:tcl\d)?tk\d{2}t?g?\.dll$/i, kind: 'abi-name' }],
  importNames: [/^(?:tcl\d)?tk\d{2}t?g?\.dll$/i, /^libtk\d\.\d+\.dylib$/, /^Tk$/],
};

/**
 * Tix (CPython ≤ 3.12 on Windows: `tcl/tix8.4.3/tix84.dll`). The DLL's name carries only `84`; the
 * directory Tcl loads it from is named for the exact release. CPython's SBOM files it under the
 * Tcl/Tk CPE (a different product, kept for continuity with CPython's SBOMs).
 */
export const TixRule: DetectionRule = {
  identity: {
    id: 'tix',
    name: 'Tix',
    supplier: 'Organization: Tix Project',
    originator: 'Organization: Tix Project',
    cpe: { vendor: 'tcl_tk', product: 'tcl_tk' },
    purl: { type: 'generic', name: 'tix' },
    downloadLocation: 'https://sourceforge.net/projects/tix/files/tix/{version}/Tix{version}-src.tar.gz',
    homepage: 'https://tix.sourceforge.net/',
    libraryFiles: [/^tix\d{2}g?\.dll$/i],
  },
  files: { formats: ['pe'] },
  paths: [{ pattern: /(?:^|\/)tix(?<version>\d+\.\d+\.\d+)\/tix\d{2}g?\.dll$/i, kind: 'file-name' }],
  fileNames: [{ pattern: /^tix\d{2}g?\.dll$/i, kind: 'abi-name' }],
};

/**
 * libtommath, a separate DLL beside Tcl 9 on Windows (CPython 3.14). It has no version API and no
 * version string; the name identifies it, a known-build hash can date it.
 */
export const LibTomMathRule: DetectionRule = {
  identity: {
    id: 'libtommath',
    name: 'libtommath',
    supplier: 'Organization: LibTom Projects',
    originator: 'Organization: LibTom Projects',
    cpe: { vendor: 'libtom', product: 'libtommath' },
    purl: { type: 'github', namespace: 'libtom', name: 'libtommath' },
    downloadLocation: 'https://github.com/libtom/libtommath/releases/download/v{version}/ltm-{version}.tar.xz',
    homepage: 'https://www.libtom.net/LibTomMath/',
    licenseDeclared: 'Unlicense',
    libraryFiles: [/^(?:lib)?tommath\.dll$/i, /^libtommath(?:\.\d+)*\.dylib$/],
  },
  files: { formats: ['pe', 'macho'] },
  versionInfo: [{ key: 'FileVersion', when: { ProductName: /tommath/i } }],
  fileNames: [
    { pattern: /^(?:lib)?tommath\.dll$/i, kind: 'abi-name' },
    { pattern: /^libtommath(?:\.\d+)*\.dylib$/, kind: 'abi-name' },
  ],
  importNames: [/^(?:lib)?tommath\.dll$/i, /^libtommath(?:\.\d+)*\.dylib$/],
};
