import { strings, versionInfo } from '../matchers.js';
import type { DetectionRule } from '../rule.js';

/**
 * Node.js: node.exe and bin/node of the official builds, and the programs made from them by
 * bundlers such as pkg (pnpm.exe is node.exe 18.5.0 with a script appended). Every official build
 * carries process.release's URLs, sourceUrl among them:
 * `https://nodejs.org/download/release/v18.19.1/node-v18.19.1.tar.gz`. node.exe's VERSIONINFO
 * names the product `Node.js` with its ProductVersion. Electron builds its own Node and carries
 * neither (its release URLs are Electron's).
 */
export const NodeJsRule: DetectionRule = {
  identity: {
    id: 'nodejs',
    name: 'Node.js',
    supplier: 'Organization: OpenJS Foundation',
    originator: 'Organization: OpenJS Foundation',
    cpe: { vendor: 'nodejs', product: 'node.js' },
    purl: { type: 'generic', name: 'node' },
    downloadLocation: 'https://nodejs.org/dist/v{version}/node-v{version}.tar.gz',
    homepage: 'https://nodejs.org/',
    licenseDeclared: 'MIT',
    libraryFiles: [/^node(?:\.exe)?$/i, /^libnode\.\d+\.(?:dll|dylib)$/],
  },
  files: { formats: ['pe', 'macho'] },
  evidence: [
    strings({
      example: 'https://nodejs.org/download/release/v18.19.1/node-v18.19.1.tar.gz',
      needle: 'nodejs.org/download/release/v',
      pattern: /^https:\/\/nodejs\.org\/download\/release\/v(?<version>\d+\.\d+\.\d+)\/node-v\k<version>\.tar\.gz$/,
      encoding: 'ascii',
    }),
    versionInfo({ key: 'ProductVersion', when: { ProductName: /^Node\.js$/ } }),
  ],
  importNames: [/^libnode\.\d+\.(?:dll|dylib)$/],
};
