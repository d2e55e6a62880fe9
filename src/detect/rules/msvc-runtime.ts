import { versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

/**
 * The Visual C++ runtime DLLs Microsoft redistributes: VC 8–12 (`msvcr80.dll` … `msvcr120.dll`,
 * `msvcp*`, `mfc*`, `mfcm*`, `atl*`, `vcomp*`, `vcamp*`) and VC 14 (`vcruntime140*.dll`,
 * `msvcp140*.dll`, `concrt140.dll`, `vccorlib140.dll`, `vcomp140.dll`, `mfc140*.dll`).
 * The system's own `msvcrt.dll` is not among them.
 */
const VC_FILES =
  /^(?:msvc[rp](?:80|90|100|110|120)|msvcp140(?:_1|_2|_atomic_wait|_codecvt_ids)?|vcruntime140(?:_1|_threads)?|concrt140|vccorlib1[1-4]0|vcomp(?:80|90|100|110|120|140)|vcamp1[1-4]0|mfcm?(?:80|90|100|110|120|140)[ud]?|mfc(?:80|90|100|110|120|140)(?:chs|cht|deu|enu|esn|fra|ita|jpn|kor|rus)|atl(?:80|90|100|110))\.dll$/i;

/**
 * Identified by OriginalFilename, CompanyName and a Visual Studio / Visual C++ ProductName; the
 * version is the four-part FileVersion (`8.00.50727.6195`, `14.40.33810.0`), written without
 * leading zeros as the fixed file info has it (`8.0.50727.6195`). The file name alone proves
 * nothing: Wine ships its own msvcr*.dll, vcruntime140.dll, msvcp140_1.dll (no VERSIONINFO, or
 * CompanyName "Microsoft Corporation" with ProductName "Wine"), which are not Microsoft's runtime.
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
  evidence: [
    versionInfo({
      key: 'FileVersion',
      when: { CompanyName: /^Microsoft Corporation$/, OriginalFilename: VC_FILES, ProductName: /Visual (?:Studio|C\+\+)/ },
      pattern: /^(?<version>(?:8|9|1[0-4])\.\d+\.\d+\.\d+)/,
    }),
  ],
  importNames: [VC_FILES],
  normalizeVersion: (v) => v.split('.').map((p) => String(Number(p))).join('.'),
};
