/**
 * Builds a CPython-shaped Windows layout (fixtures/src/cpython/layout.json) from our own sources
 * with Debian's MinGW toolchain, then packs it as an embeddable-style zip (bsdtar) or an MSI
 * (wixl). Each binary carries the identification marks its real counterpart has; the versions
 * in layout.json are the tests' ground truth.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../helpers/fixtures.js';
import { run } from '../helpers/tools.js';
import { signingTools, signPe, type TestCa } from './signing.js';

interface LayoutFile {
  path: string;
  kind: 'dll' | 'exe' | 'text' | 'wheel';
  versionInfo?: Record<string, string>;
  strings?: string[];
  /** Layout paths of the DLLs it imports (built first, linked directly). */
  imports?: string[];
  /** Who signs it (the test CA issues a certificate with this CN and O), and the program name it states. */
  signer?: string;
  programName?: string;
  text?: string;
  members?: Record<string, string>;
}

export interface CpythonLayout {
  version: string;
  files: LayoutFile[];
}

export const cpythonLayoutTools = ['x86_64-w64-mingw32-gcc', 'x86_64-w64-mingw32-windres', 'bsdtar', 'wixl', ...signingTools] as const;

export function readLayout(): CpythonLayout {
  return JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'src', 'cpython', 'layout.json'), 'utf8'));
}

function cString(s: string): string {
  return JSON.stringify(s);
}

function numericVersion(v: string | undefined): string {
  const parts = (v ?? '0').match(/\d+/g)?.slice(0, 4).map(Number) ?? [0];
  while (parts.length < 4) parts.push(0);
  return parts.join(',');
}

function rcFor(vi: Record<string, string>): string {
  const values = Object.entries(vi).map(([k, v]) => `      VALUE ${cString(k)}, ${cString(v)}`).join('\n');
  return `1 VERSIONINFO
FILEVERSION ${numericVersion(vi['FileVersion'])}
PRODUCTVERSION ${numericVersion(vi['ProductVersion'] ?? vi['FileVersion'])}
FILEOS 0x40004
FILETYPE 2
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "040904b0"
    BEGIN
${values}
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x409, 1200
  END
END
`;
}

/** The function each fixture DLL exports, named after the file so importers can name theirs. */
function exportName(path: string): string {
  return `fixture_${path.slice(path.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9]/g, '_')}`;
}

function buildBinary(f: LayoutFile, work: string, out: string, stage: string): void {
  const base = join(work, f.path.replace(/[\\/]/g, '_'));
  const strings = (f.strings ?? []).map(cString).join(',\n  ');
  // Each import is a call into the dependency, so the linker writes it into the import table.
  const imports = (f.imports ?? []).map(exportName);
  const decls = imports.map((n) => `__declspec(dllimport) int ${n}(void);\n`).join('');
  const calls = imports.map((n) => ` + ${n}()`).join('');
  // The marks are exported (DLL) or used (EXE) so the linker keeps them in .rdata.
  const c = f.kind === 'exe'
    ? `${decls}const char *const marks[] = {\n  ${strings}${strings ? ',' : ''}\n  0 };\nint main(void) { return (marks[0] != 0)${calls}; }\n`
    : `${decls}__declspec(dllexport) const char *const installer_sbom_marks[] = {\n  ${strings}${strings ? ',' : ''}\n  0 };\n__declspec(dllexport) int ${exportName(f.path)}(void) { return 1${calls}; }\n`;
  writeFileSync(`${base}.c`, c);
  const objs = [`${base}.c`];
  if (f.versionInfo) {
    writeFileSync(`${base}.rc`, rcFor(f.versionInfo));
    run('x86_64-w64-mingw32-windres', ['-O', 'coff', '-i', `${base}.rc`, '-o', `${base}.res.o`]);
    objs.push(`${base}.res.o`);
  }
  // MinGW's linker takes a DLL itself as an import library.
  const deps = (f.imports ?? []).map((p) => join(stage, p));
  run('x86_64-w64-mingw32-gcc', [...(f.kind === 'exe' ? [] : ['-shared']), '-s', '-O0', '-o', out, ...objs, ...deps]);
}

/** Writes the layout's files under `<dir>/stage` and returns that directory. */
export function buildCpythonLayout(dir: string, layout = readLayout()): string {
  const stage = join(dir, 'stage');
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const built = new Set<string>();
  const byPath = new Map(layout.files.map((f) => [f.path, f]));
  const build = (f: LayoutFile): void => {
    if (built.has(f.path)) return;
    built.add(f.path);
    for (const dep of f.imports ?? []) build(byPath.get(dep)!);
    const out = join(stage, f.path);
    mkdirSync(dirname(out), { recursive: true });
    if (f.kind === 'text') writeFileSync(out, f.text ?? '');
    else if (f.kind === 'wheel') {
      const wheelSrc = join(work, 'wheel');
      for (const [name, content] of Object.entries(f.members ?? {})) {
        mkdirSync(dirname(join(wheelSrc, name)), { recursive: true });
        writeFileSync(join(wheelSrc, name), content);
      }
      run('bsdtar', ['-c', '-f', out, '--format', 'zip', '-C', wheelSrc, '.']);
    } else buildBinary(f, work, out, stage);
  };
  for (const f of layout.files) build(f);
  return stage;
}

/**
 * Signs every binary of a built layout as its `signer` would (osslsigncode under a test CA whose
 * leaf certificates carry the signer's name as CN and O), with the program name it states.
 */
export async function signLayout(stage: string, layout: CpythonLayout, ca: TestCa): Promise<void> {
  for (const f of layout.files) {
    if (!f.signer) continue;
    await signPe(join(stage, f.path), { ca, commonName: f.signer, ...(f.programName ? { programName: f.programName } : {}) });
  }
}

/**
 * The embeddable zip's layout (PC/layout preset `embed`): flat, every .pyd and .dll at the root, no
 * Tcl/Tk (nor _tkinter and Tcl's extension DLLs), no pip.
 */
export function embedLayout(layout: CpythonLayout): CpythonLayout {
  const dropped = /(?:^|\/)(?:tcl86t|tk86t|_tkinter)\.|^tcl\/|ensurepip/;
  const flat = (p: string) => (/\.(?:dll|pyd)$/i.test(p) ? p.slice(p.lastIndexOf('/') + 1) : p);
  return {
    ...layout,
    files: layout.files
      .filter((f) => !dropped.test(f.path))
      .map((f) => ({ ...f, path: flat(f.path), ...(f.imports ? { imports: f.imports.map(flat) } : {}) })),
  };
}

export function zipLayout(stage: string, zipPath: string): string {
  run('bsdtar', ['-c', '-f', zipPath, '--format', 'zip', '-C', stage, '.']);
  return zipPath;
}

function guid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** An MSI in CPython's shape (one install directory, embedded cab) holding the layout. */
export function msiLayout(stage: string, layout: CpythonLayout, msiPath: string): string {
  interface Dir { name: string; dirs: Map<string, Dir>; files: string[] }
  const root: Dir = { name: '.', dirs: new Map(), files: [] };
  for (const f of layout.files) {
    const parts = f.path.split('/');
    let d = root;
    for (const p of parts.slice(0, -1)) {
      if (!d.dirs.has(p)) d.dirs.set(p, { name: p, dirs: new Map(), files: [] });
      d = d.dirs.get(p)!;
    }
    d.files.push(f.path);
  }
  let n = 0;
  const refs: string[] = [];
  const emit = (d: Dir, id: string, indent: string): string => {
    const lines = [`${indent}<Directory Id="${id}" Name="${d.name}">`];
    for (const file of d.files) {
      const c = `c${n++}`;
      refs.push(c);
      lines.push(`${indent}  <Component Id="${c}" Guid="${guid(file)}">`);
      lines.push(`${indent}    <File Id="f_${c}" Name="${file.split('/').pop()}" Source="${file}"/>`);
      lines.push(`${indent}  </Component>`);
    }
    for (const sub of d.dirs.values()) lines.push(emit(sub, `d${n++}`, `${indent}  `));
    lines.push(`${indent}</Directory>`);
    return lines.join('\n');
  };
  const tree = emit(root, 'InstallDirectory', '      ');
  const wxs = `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="${guid(`product${layout.version}`)}" Name="Python ${layout.version} Core Interpreter (64-bit)" Language="1033" Version="3.13.122"
           Manufacturer="Python Software Foundation" UpgradeCode="${guid('upgrade')}">
    <Package InstallerVersion="500" Compressed="yes" Description="CPython-shaped fixture"/>
    <Media Id="1" Cabinet="core.cab" EmbedCab="yes"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
${tree}
    </Directory>
    <Feature Id="F" Level="1">
      ${refs.map((r) => `<ComponentRef Id="${r}"/>`).join('')}
    </Feature>
  </Product>
</Wix>
`;
  const wxsPath = `${msiPath}.wxs`;
  writeFileSync(wxsPath, wxs);
  // wixl wants Source paths relative to where it runs.
  run('wixl', ['-a', 'x64', '-o', msiPath, wxsPath], { cwd: stage });
  return msiPath;
}

/**
 * The two CPython-shaped release artifacts as python.org ships them: the installer (an MSI here)
 * and the flat embeddable zip, every binary signed as its signer would sign it. `adjust` changes
 * the layout first (a test's variant), `adjustEmbed` the embeddable zip's.
 */
export async function buildSignedCpythonArtifacts(
  work: string,
  ca: TestCa,
  options: { adjust?: (l: CpythonLayout) => CpythonLayout; adjustEmbed?: (l: CpythonLayout) => CpythonLayout; afterSigning?: (stage: string) => void; embed?: boolean } = {},
): Promise<{ msi: string; embed?: string; stage: string; layout: CpythonLayout }> {
  const layout = (options.adjust ?? ((l) => l))(readLayout());
  const stage = buildCpythonLayout(join(work, 'full'), layout);
  await signLayout(stage, layout, ca);
  options.afterSigning?.(stage);
  const msi = msiLayout(stage, layout, join(work, `python-${layout.version}-amd64.msi`));
  if (options.embed === false) return { msi, stage, layout };
  const embedded = (options.adjustEmbed ?? ((l) => l))(embedLayout(layout));
  const embedStage = buildCpythonLayout(join(work, 'embed'), embedded);
  await signLayout(embedStage, embedded, ca);
  const embed = zipLayout(embedStage, join(work, `python-${layout.version}-embed-amd64.zip`));
  return { msi, embed, stage, layout };
}
