import type { DetectionRule } from '../rule.js';

const VC_FILES = /^(?:vcruntime140(?:_1|_threads)?|msvcp140(?:_1|_2|_atomic_wait|_codecvt_ids)?|concrt140|vccorlib140|vcomp140)\.dll$/i;

/**
 * The Microsoft Visual C++ runtime redistributed beside CPython's python.exe. Identified by its
 * OriginalFilename and ProductName; the version is the four-part FileVersion (14.x), which is what
 * Microsoft's redistributable is versioned by. The file name alone proves nothing: Wine ships its
 * own vcruntime140.dll and msvcp140_1.dll (no VERSIONINFO, or CompanyName "Microsoft Corporation"
 * with ProductName "Wine"), which are not Microsoft's runtime.
 */
export const MsvcRuntimeRule: DetectionRule = {
  identity: {
    id: 'msvc-runtime',
    name: 'Microsoft Visual C++ Runtime',
    supplier: 'Organization: Microsoft Corporation',
    originator: 'Organization: Microsoft Corporation',
    cpe: { vendor: 'microsoft', product: 'visual_c++' },
    purl: { type: 'generic', namespace: 'microsoft', name: 'vcruntime' },
    downloadLocation: 'https://learn.microsoft.com/cpp/windows/latest-supported-vc-redist',
    homepage: 'https://learn.microsoft.com/cpp/windows/latest-supported-vc-redist',
    libraryFiles: [VC_FILES],
  },
  files: { formats: ['pe'] },
  versionInfo: [
    {
      key: 'FileVersion',
      when: { CompanyName: /^Microsoft Corporation$/, OriginalFilename: VC_FILES, ProductName: /Visual Studio/ },
      pattern: /^(?<version>14\.\d+\.\d+(?:\.\d+)?)/,
    },
  ],
  importNames: [VC_FILES],
};
