import { UsageError } from '../errors.js';
import { analyzeArtifact, type Analysis } from '../pipeline.js';
import type { BinaryFacts } from '../inspect/types.js';
import { LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs } from './args.js';
import { resolveBom } from '../bom/resolve.js';
import { printComponents } from './summary.js';

export const INSPECT_HELP = `Usage: installer-sbom inspect <artifact> [--json]

Shows the container tree, each binary's facts (PE: machine, VERSIONINFO, imports; Mach-O: slices,
install names, load commands) and each detected component with all the evidence behind it.
Writes nothing.

Options:
  --json     the same as JSON (facts without the raw string runs)
${LIMITS_HELP}`;

export async function inspectCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, ...LIMIT_OPTIONS });
  if (args.positionals.length !== 1) throw new UsageError('inspect needs exactly one artifact');
  const analysis = await analyzeArtifact(args.positionals[0]!, { limits: limitsFrom(args) });
  if (args.flags.has('--json')) process.stdout.write(`${JSON.stringify(inspectJson(analysis), null, 2)}\n`);
  else printTree(analysis);
  return 0;
}

/** Strings are summarised by count: the evidence that matters is already attached to components. */
function factsJson(f: BinaryFacts): unknown {
  const { strings, ...rest } = f;
  return { ...rest, stringCount: strings.length };
}

export function inspectJson(a: Analysis): unknown {
  return {
    artifact: a.artifactName,
    containers: a.containers.map((c) => ({
      path: c.key,
      name: c.name,
      chain: c.chain,
      format: c.info.format,
      info: c.info,
      ...(c.hints ? { hints: c.hints } : {}),
      size: c.size,
      ...(c.digests ? { sha256: c.digests.sha256 } : {}),
    })),
    files: a.files.map((f) => ({
      path: f.path,
      chain: f.chain,
      kind: f.kind,
      size: f.size,
      ...(f.digests ? { sha1: f.digests.sha1, sha256: f.digests.sha256 } : {}),
      ...(f.linkTarget !== undefined ? { linkTarget: f.linkTarget } : {}),
      ...(f.absent ? { absent: true } : {}),
      ...(f.declared ? { declared: f.declared } : {}),
      ...(a.facts.has(f.path) ? { facts: factsJson(a.facts.get(f.path)!) } : {}),
      ...(a.inspectWarnings.has(f.path) ? { warning: a.inspectWarnings.get(f.path) } : {}),
    })),
    components: a.components.map((c) => ({
      id: c.identity.id,
      name: c.identity.name,
      version: c.version ?? null,
      archs: c.archs,
      carriers: c.carriers,
      evidence: c.evidence,
    })),
    links: a.links,
  };
}

function printTree(a: Analysis): void {
  const out = process.stdout;
  for (const c of a.containers) {
    const depth = '  '.repeat(c.depth);
    const label = [c.info.format, c.info.name, c.info.version].filter(Boolean).join(' ');
    out.write(`${depth}${c.key === '' ? a.artifactName : c.key}  [${label}]\n`);
    for (const f of a.files.filter((x) => x.container === c.key)) {
      const facts = a.facts.get(f.path);
      const note = f.absent ? ' (declared, not contained)' : f.linkTarget !== undefined ? ` -> ${f.linkTarget}` : facts ? `  ${describeFacts(facts)}` : '';
      out.write(`${depth}  ${f.path}${note}\n`);
    }
  }
  out.write('\ncomponents:\n');
  // The same component copies build writes, so inspect and build count alike.
  const bom = resolveBom(a);
  printComponents(bom);
  for (const comp of bom.components) {
    out.write(`\n${comp.name} ${comp.version ?? 'NOASSERTION'}\n`);
    for (const e of comp.evidence) out.write(`  ${e.file}: ${e.kind} "${e.text}" at ${e.location}${e.arch ? ` [${e.arch}]` : ''}${e.version ? ` → ${e.version}` : ''}\n`);
  }
}

function describeFacts(f: BinaryFacts): string {
  if (f.pe) {
    const vi = f.pe.versionInfo ? Object.values(f.pe.versionInfo.strings)[0] : undefined;
    const version = vi?.['FileVersion'] ? ` FileVersion ${vi['FileVersion']}` : '';
    return `PE ${f.pe.kind} ${f.pe.machineName}${f.pe.isDll ? ' DLL' : ''}${version}; imports ${f.pe.imports.join(', ') || '-'}`;
  }
  if (f.macho) {
    const s = f.macho.slices;
    const id = s[0]?.idDylib ? ` id ${s[0].idDylib.name}` : '';
    return `Mach-O ${f.macho.fat ? 'universal ' : ''}${s.map((x) => x.arch).join('+')} ${s[0]?.fileType ?? ''}${id}`;
  }
  if (f.plist) return `plist ${String(f.plist['CFBundleIdentifier'] ?? '')} ${String(f.plist['CFBundleShortVersionString'] ?? f.plist['CFBundleVersion'] ?? '')}`;
  return `${f.strings.length} version line(s)`;
}
