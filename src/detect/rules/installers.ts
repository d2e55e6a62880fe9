import type { DetectionRule } from '../rule.js';

/**
 * The WiX Burn engine: the stub PE of a bundle (`python-3.13.1-amd64.exe`). Its `.wixburn` section
 * identifies it. Its VERSIONINFO is not the engine's: WiX's binder rewrites it with the bundle's
 * Name, Manufacturer and Version, so reading it would report Python's version as Burn's. The engine
 * version is left NOASSERTION unless a known-build hash dates the stub. The Burn container reader
 * emits its own findings under this id.
 */
export const WixBurnRule: DetectionRule = {
  identity: {
    id: 'wix-burn',
    name: 'WiX Toolset Burn engine',
    supplier: 'Organization: WiX Toolset (.NET Foundation)',
    originator: 'Organization: WiX Toolset (.NET Foundation)',
    cpe: { vendor: 'wixtoolset', product: 'wix_toolset' },
    purl: { type: 'github', namespace: 'wixtoolset', name: 'wix3' },
    downloadLocation: 'https://github.com/wixtoolset/wix3/releases',
    homepage: 'https://wixtoolset.org/',
    licenseDeclared: 'MS-RL',
  },
  files: { formats: ['pe'] },
  peSections: [/^\.wixburn$/],
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
  strings: [{ pattern: /<description>Nullsoft Install System v(?<version>\d+\.\d+(?:\.\d+)?)[^<]*<\/description>/, shows: 'version', encoding: 'ascii' }],
  anchors: [/name="Nullsoft\.NSIS\.exehead"/],
};
