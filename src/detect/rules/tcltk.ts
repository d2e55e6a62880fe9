import { fileName, installName, pathName, plist, signatureProgram, strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

/**
 * Tcl/Tk as CPython ships them: Windows `tcl86t.dll`/`tk86t.dll` (Tcl 9: `tcl90.dll`,
 * `tcl9tk90.dll`), the shells `tclsh86t.exe`/`wish86t.exe`, the `dde` and `registry` extension
 * DLLs (`tcldde14.dll`, `tclreg13.dll`), macOS `libtcl8.6.dylib` or `Tcl.framework/Versions/8.6/Tcl`,
 * plus the script library's `init.tcl`. Tcl's .rc files write ProductName "Tcl 8.6 for Windows" and
 * ProductVersion = TCL_PATCH_LEVEL (FileVersion is the extension's own version in dde/registry),
 * with CompanyName "ActiveState Corporation": a historical packager, not the supplier, which is the
 * Tcl Core Team. Install names and framework paths carry only `8.6`, never the patch level.
 * CPython's builds of the extension DLLs have no VERSIONINFO; their Authenticode program name
 * (`Tcl/Tk for Python (tcl-core-8.6.15.0)`) names the Tcl release they were built from.
 */
const TCL_CORE = { supplier: 'Organization: Tcl Core Team', originator: 'Organization: Tcl Core Team' } as const;

/** TCL_PATCH_LEVEL: `8.6.15`, `9.0.1`; `8.6b2` never ships in CPython. */
const PATCH_LEVEL = /^(?<version>(?:8\.[4-7]|9\.\d)\.\d{1,2})$/;
const TCL_LIB = /^tcl\d{2}t?g?\.dll$/i;
const TCL_FILES = [TCL_LIB, /^tclsh\d{2}t?g?\.exe$/i, /^tcl(?:dde|reg)\d{2}t?g?\.dll$/i, /^libtcl\d\.\d+\.dylib$/, /^Tcl$/];
const TK_FILES = [/^(?:tcl\d)?tk\d{2}t?g?\.dll$/i, /^wish\d{2}t?g?\.exe$/i, /^libtk\d\.\d+\.dylib$/, /^Tk$/];

export const TclRule: DetectionRule = {
  identity: {
    id: 'tcl',
    name: 'Tcl',
    ...TCL_CORE,
    // CPython's externals.spdx.json vocabulary (an old NVD product; tcl:tcl is the current one).
    cpe: { vendor: 'tcl_tk', product: 'tcl_tk' },
    purl: { type: 'generic', name: 'tcl' },
    downloadLocation: 'https://prdownloads.sourceforge.net/tcl/tcl{version}-src.tar.gz',
    homepage: 'https://www.tcl-lang.org/',
    licenseDeclared: 'TCL',
    libraryFiles: TCL_FILES,
  },
  files: { formats: ['pe', 'macho', 'plist', 'other'] },
  evidence: [
    versionInfo({ key: 'ProductVersion', when: { ProductName: /^Tcl \d+\.\d+ for Windows$/ }, pattern: /^(?<version>\d+\.\d+\.\d+)$/ }),
    versionInfo({ key: 'FileVersion', when: { OriginalFilename: TCL_LIB }, pattern: /^(?<version>\d+\.\d+\.\d+)$/ }),
    // Tcl_Init's script and the tcl_patchLevel variable are set from TCL_PATCH_LEVEL in one function.
    strings({
      example: '8.6.15',
      needle: '.',
      pattern: PATCH_LEVEL,
      encoding: 'ascii',
      path: /(?:^|\/)(?:tcl\d{2}t?g?\.dll|libtcl\d\.\d+\.dylib|Tcl)$/i,
      near: { needle: 'tcl_patchLevel', pattern: /^tcl_patchLevel$/, distance: 0x4000 },
    }),
    strings({ example: 'package require -exact Tcl 8.6.15', needle: 'package require -exact Tcl ', pattern: /^\s*package require -exact Tcl (?<version>\d+\.\d+\.\d+)\s*$/, path: /(?:^|\/)init\.tcl$/ }),
    signatureProgram({ example: 'Tcl/Tk for Python (tcl-core-8.6.15.0)', needle: '(tcl-core-', pattern: /\(tcl-core-(?<version>\d+\.\d+\.\d+)(?:\.\d+)?\)$/ }),
    plist({ when: { CFBundleIdentifier: /^com\.tcltk\.tcllibrary$/ }, versionKey: 'CFBundleShortVersionString' }),
    installName(/(?:^|\/)(?:libtcl\d\.\d+\.dylib|Tcl\.framework\/Versions\/[\d.]+\/Tcl)$/),
    fileName(TCL_LIB),
    fileName(/^tcl(?:dde|reg)\d{2}t?g?\.dll$/i),
  ],
  importNames: [TCL_LIB, /^libtcl\d\.\d+\.dylib$/, /^Tcl$/],
};

export const TkRule: DetectionRule = {
  identity: {
    id: 'tk',
    name: 'Tk',
    ...TCL_CORE,
    cpe: { vendor: 'tcl_tk', product: 'tcl_tk' },
    purl: { type: 'generic', name: 'tk' },
    downloadLocation: 'https://prdownloads.sourceforge.net/tcl/tk{version}-src.tar.gz',
    homepage: 'https://www.tcl-lang.org/',
    licenseDeclared: 'TCL',
    libraryFiles: TK_FILES,
  },
  files: { formats: ['pe', 'macho', 'plist'] },
  evidence: [
    versionInfo({ key: 'ProductVersion', when: { ProductName: /^Tk \d+\.\d+ for Windows$/ }, pattern: /^(?<version>\d+\.\d+\.\d+)$/ }),
    versionInfo({ key: 'FileVersion', when: { OriginalFilename: /^(?:tcl\d)?tk\d{2}t?g?\.dll$/i }, pattern: /^(?<version>\d+\.\d+\.\d+)$/ }),
    strings({
      example: '8.6.15',
      needle: '.',
      pattern: PATCH_LEVEL,
      encoding: 'ascii',
      path: /(?:^|\/)(?:(?:tcl\d)?tk\d{2}t?g?\.dll|libtk\d\.\d+\.dylib|Tk)$/i,
      near: { needle: 'tk_patchLevel', pattern: /^tk_patchLevel$/, distance: 0x4000 },
    }),
    signatureProgram({ example: 'Tcl/Tk for Python (tk-8.6.15.0)', needle: '(tk-', pattern: /\(tk-(?<version>\d+\.\d+\.\d+)(?:\.\d+)?\)$/ }),
    plist({ when: { CFBundleIdentifier: /^com\.tcltk\.tklibrary$/ }, versionKey: 'CFBundleShortVersionString' }),
    installName(/(?:^|\/)(?:libtk\d\.\d+\.dylib|Tk\.framework\/Versions\/[\d.]+\/Tk)$/),
    fileName(/^(?:tcl\d)?tk\d{2}t?g?\.dll$/i),
  ],
  importNames: [/^(?:tcl\d)?tk\d{2}t?g?\.dll$/i, /^libtk\d\.\d+\.dylib$/, /^Tk$/],
};

/**
 * Tix (CPython ≤ 3.12 on Windows: `tcl/tix8.4.3/tix84.dll`). The DLL's name carries only `84`; the
 * directory Tcl loads it from is named for the exact release, and Tix_Init sets `tix_patchLevel`
 * from TIX_PATCH_LEVEL, whose bare `8.4.3` the compiler places beside that name (0x2f bytes apart
 * in Debian's libTix8.4.3.so). CPython's SBOM files it under the Tcl/Tk CPE (a different product,
 * kept for continuity with CPython's SBOMs).
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
    libraryFiles: [/^tix\d{2}g?\.dll$/i, /^libTix\d\.\d+(?:\.\d+)?\.(?:dylib|so(?:\.\d+)*)$/],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    pathName(/(?:^|\/)tix(?<version>\d+\.\d+\.\d+)\/tix\d{2}g?\.dll$/i),
    strings({ example: '8.4.3', needle: '.', pattern: /^(?<version>[4-9]\.\d\.\d{1,2})$/, encoding: 'ascii', near: { needle: 'tix_patchLevel', pattern: /^tix_patchLevel$/, distance: 0x400 } }),
    fileName(/^tix\d{2}g?\.dll$/i),
  ],
  importNames: [/^tix\d{2}g?\.dll$/i],
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
  evidence: [versionInfo({ key: 'FileVersion', when: { ProductName: /tommath/i } }), fileName(/^(?:lib)?tommath\.dll$/i), fileName(/^libtommath(?:\.\d+)*\.dylib$/)],
  importNames: [/^(?:lib)?tommath\.dll$/i, /^libtommath(?:\.\d+)*\.dylib$/],
};
