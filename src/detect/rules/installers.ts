import { allOf, anchored, peSection, strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

/** Who makes the WiX toolset and its Burn engine (one project, one release train). */
const WIX = {
  supplier: 'Organization: WiX Toolset (.NET Foundation)',
  originator: 'Organization: WiX Toolset (.NET Foundation)',
  cpe: { vendor: 'wixtoolset', product: 'wix_toolset' },
  purl: { type: 'github', namespace: 'wixtoolset', name: 'wix3' },
  downloadLocation: 'https://github.com/wixtoolset/wix3/releases',
  homepage: 'https://wixtoolset.org/',
  licenseDeclared: 'MS-RL',
} as const;

/**
 * The WiX Burn engine: the stub PE of a bundle (`python-3.13.1-amd64.exe`), or the bare engine
 * (`burn.exe` of a WiX toolset, nothing attached). Its `.wixburn` section identifies it. In a
 * bundle the VERSIONINFO is not the engine's: WiX's binder rewrites it with the bundle's Name,
 * Manufacturer and Version, so reading it would report Python's version as Burn's; that engine's
 * version stays NOASSERTION unless a known-build hash dates the stub. Only the bare engine keeps
 * WiX's own VERSIONINFO (ProductName "Windows Installer XML Toolset" in WiX 3, "WiX Toolset"
 * later), which dates it. The Burn container reader emits its own findings under this id.
 */
export const WixBurnRule: DetectionRule = {
  identity: { id: 'wix-burn', name: 'WiX Toolset Burn engine', ...WIX },
  files: { formats: ['pe'] },
  evidence: [
    peSection(/^\.wixburn$/),
    allOf(peSection(/^\.wixburn$/), versionInfo({ key: 'FileVersion', when: { ProductName: /^(?:Windows Installer XML Toolset|WiX Toolset)$/ } })),
  ],
};

/**
 * The WiX toolset's own binaries (candle.exe, light.exe, wix.dll, its extensions), as Squirrel
 * and electron-winstaller ship them: ProductName "Windows Installer XML Toolset" (WiX 3) or
 * "WiX Toolset", with the toolset release as FileVersion (`3.10.0.2103`). A bare Burn engine is
 * the Burn component above, not this one.
 */
export const WixToolsetRule: DetectionRule = {
  identity: {
    id: 'wix-toolset',
    name: 'WiX Toolset',
    ...WIX,
    libraryFiles: [/^(?:candle|light|lit|dark|heat|insignia|melt|pyro|smoke|torch|shine|retina|wix|wconsole|winterop|mergemod|Wix\w*Extension|Microsoft\.Deployment\.\w+(?:\.\w+)*)\.(?:exe|dll)$/i],
  },
  files: { formats: ['pe'] },
  evidence: [
    versionInfo({ key: 'FileVersion', when: { ProductName: /^(?:Windows Installer XML Toolset|WiX Toolset)$/, OriginalFilename: /^(?!burn\.exe$)/i } }),
  ],
};

/**
 * The NSIS installer stub (exehead). makensis embeds a manifest naming `Nullsoft.NSIS.exehead`
 * whose description is `Nullsoft Install System v3.08` (a distribution may append its package
 * revision: Debian's reads `v3.08-3+deb12u1`); the release is the leading dotted number.
 */
export const NsisRule: DetectionRule = {
  identity: {
    id: 'nsis',
    name: 'NSIS (Nullsoft Scriptable Install System)',
    supplier: 'Organization: NSIS Project',
    originator: 'Organization: Nullsoft',
    cpe: { vendor: 'nullsoft', product: 'nullsoft_scriptable_install_system' },
    purl: { type: 'generic', name: 'nsis' },
    downloadLocation: 'https://sourceforge.net/projects/nsis/files/NSIS%203/{version}/nsis-{version}-src.tar.bz2',
    homepage: 'https://nsis.sourceforge.io/',
    licenseDeclared: 'Zlib',
  },
  files: { formats: ['pe'] },
  evidence: [
    anchored(
      [strings({ example: 'name="Nullsoft.NSIS.exehead"', needle: 'Nullsoft.NSIS.exehead', pattern: /name="Nullsoft\.NSIS\.exehead"/ })],
      strings({
        example: '<description>Nullsoft Install System v3.08-3+deb12u1</description>',
        needle: 'Nullsoft Install System v',
        pattern: /<description>Nullsoft Install System v(?<version>\d+\.\d+(?:\.\d+)?)[^<]*<\/description>/,
        encoding: 'ascii',
      }),
    ),
  ],
};

/**
 * Inno Setup. Its setup stub (Setup.e32, and so every installer it builds) names its data and
 * message formats, `Inno Setup Setup Data (6.4.0.1)` and `Inno Setup Messages (6.4.0) (u)`:
 * format versions that outlive releases (6.4.1 keeps 6.4.0.1), so they identify without dating.
 * The compiler (ISCmplr.dll) keeps the release as a Delphi constant right after its title
 * (`Inno Setup`, then `6.4.1`, 12 bytes apart in the innosetup npm package's 6.4.1). The stub
 * logs its release when setup starts, `Setup version: Inno Setup version 6.4.1` (UTF-16LE in
 * Setup.e32 6.3.1 and 6.4.1), so it dates the runtime inside every installer built with it. An
 * installer's own VERSIONINFO is the application's, never Inno Setup's; Inno's own programs
 * (unins000.exe) name it, with a placeholder FileVersion (`51.1052.0.0` in 6.3.1) under
 * CompanyName `jrsoftware.org` and the release as ProductVersion.
 */
export const InnoSetupRule: DetectionRule = {
  identity: {
    id: 'inno-setup',
    name: 'Inno Setup',
    supplier: 'Organization: JR Software',
    originator: 'Person: Jordan Russell',
    cpe: { vendor: 'jrsoftware', product: 'inno_setup' },
    purl: { type: 'github', namespace: 'jrsoftware', name: 'issrc' },
    downloadLocation: 'https://jrsoftware.org/isdl.php',
    homepage: 'https://jrsoftware.org/isinfo.php',
    libraryFiles: [/^(?:ISCmplr|ISPP)\.dll$/i, /^(?:ISCC|Compil32)\.exe$/i, /^Setup(?:Ldr)?\.e(?:32|64)$/i],
  },
  files: { formats: ['pe'] },
  evidence: [
    strings({ example: 'Inno Setup Setup Data (6.4.0.1)', needle: 'Inno Setup Setup Data (', pattern: /^Inno Setup Setup Data \(\d+\.\d+\.\d+(?:\.\d+)?\)(?: \(u\))?$/ }),
    strings({ example: 'Inno Setup Messages (6.4.0) (u)', needle: 'Inno Setup Messages (', pattern: /^Inno Setup Messages \(\d+\.\d+\.\d+(?:\.\d+)?\)(?: \(u\))?$/ }),
    strings({ example: '6.4.1', needle: '.', pattern: /^(?<version>[5-9]\.\d{1,2}\.\d{1,2})$/, encoding: 'ascii', near: { needle: 'Inno Setup', pattern: /^Inno Setup$/, distance: 0x20 } }),
    strings({ example: 'Setup version: Inno Setup version 6.4.1', needle: 'Inno Setup version ', pattern: /^(?:Setup version: )?Inno Setup version (?<version>\d+\.\d+\.\d+)(?: \(u\))?$/ }),
    versionInfo({ key: 'FileVersion', when: { ProductName: /^Inno Setup$/, CompanyName: /^Jordan Russell$/ }, pattern: /^(?<version>[1-9]\d*\.\d+\.\d+)/ }),
    versionInfo({ key: 'ProductVersion', when: { ProductName: /^Inno Setup$/, CompanyName: /^jrsoftware\.org$/ }, pattern: /^(?<version>[1-9]\d*\.\d+\.\d+)/ }),
  ],
};

/**
 * InstallShield's setup engine and its launcher (`setup.exe`, `ISSetup.dll`): ProductName
 * "InstallShield" with the engine's release as FileVersion. Identity also from the engine's own
 * text (`InstallShield Wizard`, `InstallShield(R) Setup Launcher`). The custom action DLLs an
 * InstallShield 2010 MSI carries in its Binary table (clamav-testfiles' clam_ISmsi_*.exe) write
 * one release two ways, `16.0.0.328` (ISSELFREG.DLL) and `16.0.328` (SetAllUsers.dll): the
 * three-part form is the one kept.
 */
export const InstallShieldRule: DetectionRule = {
  identity: {
    id: 'installshield',
    name: 'InstallShield',
    supplier: 'Organization: Flexera Software LLC',
    originator: 'Organization: Flexera Software LLC',
    cpe: { vendor: 'flexera', product: 'installshield' },
    purl: { type: 'generic', namespace: 'flexera', name: 'installshield' },
    downloadLocation: 'https://www.revenera.com/install/products/installshield',
    homepage: 'https://www.revenera.com/install/products/installshield',
  },
  files: { formats: ['pe'] },
  evidence: [
    versionInfo({ key: 'FileVersion', when: { ProductName: /^InstallShield(?:\(R\)|®)?(?: \w+)*$/, CompanyName: /^(?:Flexera Software|InstallShield Software|Macrovision|Acresso Software)/ } }),
    strings({ example: 'InstallShield(R) Setup Launcher', needle: 'InstallShield', pattern: /^InstallShield(?:\(R\)|®)? (?:Setup Launcher|Wizard)$/ }),
  ],
  normalizeVersion: (v) => v.replace(/^(\d+)\.(\d+)\.0\.(\d+)$/, '$1.$2.$3'),
};

/**
 * Squirrel.Windows: Update.exe (ProductName "Squirrel", CompanyName "GitHub", ProductVersion
 * `2.0.1+eef37460ae`; in 1.x ProductName "Update") dates it; the C++ Setup.exe stub that Squirrel packs apps into says so
 * in UTF-16 text (`SquirrelTemp`, `%s\SquirrelSetup.log`), and its VERSIONINFO is usually the
 * application's (rewritten by rcedit), so the stub only identifies.
 */
export const SquirrelRule: DetectionRule = {
  identity: {
    id: 'squirrel',
    name: 'Squirrel.Windows',
    supplier: 'Organization: GitHub',
    originator: 'Organization: GitHub',
    purl: { type: 'github', namespace: 'squirrel', name: 'squirrel.windows' },
    downloadLocation: 'https://github.com/Squirrel/Squirrel.Windows/releases/tag/{version}',
    homepage: 'https://github.com/Squirrel/Squirrel.Windows',
    licenseDeclared: 'MIT',
    libraryFiles: [/^(?:Update|Squirrel|Squirrel-Mono|Update-Mono|SyncReleases|Setup|StubExecutable)\.exe$/i],
  },
  files: { formats: ['pe'] },
  evidence: [
    versionInfo({ key: 'ProductVersion', when: { ProductName: /^Squirrel$/, CompanyName: /^GitHub$/ }, pattern: /^(?<version>\d+\.\d+\.\d+)/ }),
    // Squirrel 1.x named each program for itself (electron-winstaller 4.0.2's Update.exe:
    // ProductName "Update", ProductVersion `1.9.1.0`, "Copyright © GitHub 2013-2015"; its Mono
    // build Squirrel-Mono.exe is OriginalFilename Update-Mono.exe).
    versionInfo({
      key: 'ProductVersion',
      when: { ProductName: /^(?:Update|SyncReleases)$/, OriginalFilename: /^(?:Update|Update-Mono|SyncReleases)\.exe$/i, CompanyName: /^GitHub$/, LegalCopyright: /GitHub 2013/ },
      pattern: /^(?<version>\d+\.\d+\.\d+)/,
    }),
    // Not Setup.exe's VERSIONINFO ("Squirrel-based application" 1.9.1.0): Squirrel 2.0.1 still
    // ships its stub so (electron-winstaller 4.0.2), so it dates no release.
    strings({ example: '%s\\SquirrelSetup.log', needle: 'SquirrelSetup.log', pattern: /\\SquirrelSetup\.log$/, encoding: 'utf16le' }),
  ],
};

/**
 * 7-Zip (7z.exe, 7za.exe, 7z.dll, 7zFM.exe, 7-Zip's SFX stubs). VERSIONINFO: CompanyName
 * "Igor Pavlov", ProductName "7-Zip", version `21.07` or `20.02 alpha`; the console banner
 * `7-Zip (a) 21.07 (x64) : Copyright (c) 1999-2021 Igor Pavlov : 2021-12-26` says the same.
 * 7-Zip's own codecs (LZMA, xz, deflate, bzip2) are 7-Zip, not liblzma, zlib or bzip2.
 */
export const SevenZipRule: DetectionRule = {
  identity: {
    id: '7-zip',
    name: '7-Zip',
    supplier: 'Person: Igor Pavlov',
    originator: 'Person: Igor Pavlov',
    cpe: { vendor: '7-zip', product: '7-zip' },
    purl: { type: 'generic', name: '7-zip' },
    downloadLocation: 'https://www.7-zip.org/download.html',
    homepage: 'https://www.7-zip.org/',
    libraryFiles: [/^7z(?:a|r|g|fm|-\w+)?\.(?:exe|dll)$/i, /^7z(?:Con)?\.sfx$/i],
  },
  files: { formats: ['pe'] },
  evidence: [
    versionInfo({ key: 'FileVersion', when: { ProductName: /^7-Zip$/, CompanyName: /^Igor Pavlov$/ }, pattern: /^(?<version>\d+\.\d+(?: (?:alpha|beta))?)$/ }),
    strings({ example: '7-Zip (a) 21.07 (x64) : Copyright (c) 1999-2021 Igor Pavlov : 2021-12-26', needle: ' Igor Pavlov', pattern: /^7-Zip(?: \([a-z]\))? (?<version>\d+\.\d+(?: (?:alpha|beta))?)(?: \(\w+\))? : Copyright \(c\) 1999-\d{4} Igor Pavlov/ }),
  ],
};
