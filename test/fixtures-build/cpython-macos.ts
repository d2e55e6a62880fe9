/**
 * Builds a CPython-shaped macOS installer (fixtures/src/cpython-macos/layout.json): universal2
 * Mach-O files from our own C sources (clang + ld64.lld for arm64 and x86_64, llvm-lipo), Info.plists
 * (XML, and binary through python's plistlib), wrapped as Python_Framework.pkg with a gzip or pbzx
 * cpio payload inside a product archive written by bsdtar's xar writer.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../helpers/fixtures.js';
import { debianPython, run } from '../helpers/tools.js';
import { llvmTool } from './macho.js';
import { cpioOf, pbzxOf, xarOf } from './pkg-fixtures.js';

interface MacFile {
  path: string;
  layout?: 'framework' | 'lib';
  installName?: string;
  /** Layout paths of dylibs it loads (LC_LOAD_DYLIB), built before it. */
  links?: string[];
  strings?: string[];
  plist?: 'xml' | 'binary';
  plistValues?: Record<string, string>;
  text?: string;
}

export interface MacLayout {
  version: string;
  /** Rule id → the version the layout's binaries carry (the tests' ground truth). */
  expected: Record<string, string>;
  files: MacFile[];
}

export const cpythonMacosTools = ['clang', 'bsdtar'] as const;

export function readMacLayout(): MacLayout {
  return JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'src', 'cpython-macos', 'layout.json'), 'utf8'));
}

const TBD = join(repoRoot, 'fixtures', 'src', 'macho', 'libSystem.tbd');
const TARGETS = ['arm64-apple-macos11', 'x86_64-apple-macos10.13'];

const thinBase = (work: string, path: string) => join(work, path.replace(/[\\/]/g, '_'));

function machO(f: MacFile, work: string, out: string): void {
  const base = thinBase(work, f.path);
  const strings = (f.strings ?? []).map((s) => JSON.stringify(s)).join(', ');
  writeFileSync(`${base}.c`, `__attribute__((used, visibility("default"))) const char *const installer_sbom_marks[] = { ${strings}${strings ? ', ' : ''}0 };\n`);
  const thin = TARGETS.map((triple) => {
    const arch = triple.split('-')[0];
    const o = `${base}-${arch}`;
    const kind = f.installName ? ['-shared', `-Wl,-install_name,${f.installName}`] : ['-bundle'];
    const deps = (f.links ?? []).map((l) => `${thinBase(work, l)}-${arch}`);
    run('clang', [`--target=${triple}`, '-fuse-ld=lld', '-nostdlib', TBD, ...deps, ...kind, '-o', o, `${base}.c`]);
    return o;
  });
  run(llvmTool('llvm-lipo')!, ['-create', ...thin, '-output', out]);
}

function plist(f: MacFile, out: string): void {
  const values = JSON.stringify(f.plistValues ?? {});
  const fmt = f.plist === 'binary' ? 'FMT_BINARY' : 'FMT_XML';
  run(debianPython, ['-c', `import plistlib,sys,json; open(sys.argv[1],'wb').write(plistlib.dumps(json.loads(sys.argv[2]), fmt=plistlib.${fmt}))`, out, values]);
}

/** The framework payload tree for one Tcl/Tk layout, under `<dir>/framework-<layout>`. */
export function buildMacFramework(dir: string, layout: 'framework' | 'lib', spec = readMacLayout()): string {
  const root = join(dir, `framework-${layout}`);
  const work = join(dir, `work-${layout}`);
  mkdirSync(work, { recursive: true });
  for (const f of spec.files) {
    if (f.layout && f.layout !== layout) continue;
    const out = join(root, f.path);
    mkdirSync(dirname(out), { recursive: true });
    if (f.plist) plist(f, out);
    else if (f.text !== undefined) writeFileSync(out, f.text);
    else machO(f, work, out);
  }
  return root;
}

/** A product archive holding Python_Framework.pkg with the given framework tree as its payload. */
export function buildMacPkg(dir: string, framework: string, name: string, payload: 'gzip' | 'pbzx', version: string): string {
  const stage = join(dir, `${name}.stage`);
  const series = version.split('.').slice(0, 2).join('.');
  const fw = join(stage, 'Python_Framework.pkg');
  mkdirSync(fw, { recursive: true });
  const cpio = cpioOf(framework, 'odc');
  writeFileSync(join(fw, 'Payload'), payload === 'gzip' ? gzipSync(cpio) : pbzxOf(cpio, 256 * 1024));
  writeFileSync(join(fw, 'Bom'), Buffer.concat([Buffer.from('BOMStore'), Buffer.alloc(24)]));
  writeFileSync(
    join(fw, 'PackageInfo'),
    `<?xml version="1.0" encoding="utf-8"?>\n<pkg-info format-version="2" identifier="org.python.Python.PythonFramework-${series}" version="${version}" install-location="/Library/Frameworks/Python.framework" auth="root">\n    <payload numberOfFiles="${readMacLayout().files.length}" installKBytes="512"/>\n</pkg-info>\n`,
  );
  writeFileSync(
    join(stage, 'Distribution'),
    `<?xml version="1.0" encoding="utf-8" standalone="no"?>\n<installer-gui-script minSpecVersion="2">\n    <title>Python</title>\n    <product id="org.python.Python.${series}" version="${version}"/>\n    <options customize="always" hostArchitectures="arm64,x86_64"/>\n    <choices-outline><line choice="org.python.Python.PythonFramework-${series}"/></choices-outline>\n    <choice id="org.python.Python.PythonFramework-${series}" title="Python Framework"><pkg-ref id="org.python.Python.PythonFramework-${series}"/></choice>\n    <pkg-ref id="org.python.Python.PythonFramework-${series}" version="${version}" installKBytes="512" auth="Root">#Python_Framework.pkg</pkg-ref>\n</installer-gui-script>\n`,
  );
  return xarOf(stage, ['Distribution', 'Python_Framework.pkg'], join(dir, `${name}.pkg`));
}
