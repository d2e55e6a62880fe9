#!/usr/bin/env node
// Bundles the compiled CLI (dist/bin, dist/src) into dist/bundle/: one file per entry point (the
// CLI and the three worker scripts, under the names the code opens them by) and shared chunks.
// Node's module loader spends about 0.25 s resolving and compiling the ~250 modules of the
// compiled tree and its dependencies on every run; the bundle loads in a fraction of that.
// Run after `tsc` (`npm run build` does both). The library entry (dist/src/index.js) is unbundled.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const outdir = join(dist, 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    'installer-sbom': join(dist, 'bin', 'installer-sbom.js'),
    // Opened as `new URL('./<name>.js', import.meta.url)` from the chunk that starts them, which
    // lies in the same folder.
    'byte-worker': join(dist, 'src', 'parallel', 'byte-worker.js'),
    'mszip-worker': join(dist, 'src', 'unpack', 'cab', 'mszip-worker.js'),
    'xz-chunk-worker': join(dist, 'src', 'unpack', 'pbzx', 'xz-chunk-worker.js'),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // 7z-wasm finds its .wasm file next to its own script: it is loaded from node_modules.
  external: ['7z-wasm'],
  // CommonJS dependencies (ajv) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __installerSbomRequire } from 'node:module'; const require = __installerSbomRequire(import.meta.url);" },
  logLevel: 'warning',
});
