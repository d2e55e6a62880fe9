import { UsageError } from '../errors.js';
import { analyzeArtifact, type Analysis } from '../pipeline.js';
import type { BinaryFacts, SignatureFacts } from '../inspect/types.js';
import { LIMIT_OPTIONS, LIMITS_HELP, limitsFrom, parseArgs, TRUST_ROOTS_HELP, TRUST_ROOTS_OPTION, trustRootsFrom } from './args.js';
import { resolveBom } from '../bom/resolve.js';
import { printComponents } from './summary.js';

export const INSPECT_HELP = `Usage: installer-sbom inspect <artifact> [--json] [--trust-roots FILE]

Shows the container tree, each binary's facts (PE: machine, VERSIONINFO, imports; Mach-O: slices,
install names, load commands; code signatures checked against the bytes) and each detected
component with all the evidence behind it. Writes nothing.

Options:
  --json     the same as JSON (facts without the raw string runs)
${TRUST_ROOTS_HELP}
${LIMITS_HELP}`;

export async function inspectCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { '--json': {}, ...TRUST_ROOTS_OPTION, ...LIMIT_OPTIONS });
  if (args.positionals.length !== 1) throw new UsageError('inspect needs exactly one artifact');
  const trustRoots = await trustRootsFrom(args);
  const analysis = await analyzeArtifact(args.positionals[0]!, { limits: limitsFrom(args), countStrings: true, ...(trustRoots ? { trustRoots } : {}) });
  if (args.flags.has('--json')) process.stdout.write(`${JSON.stringify(inspectJson(analysis), null, 2)}\n`);
  else printTree(analysis);
  return 0;
}

/** Strings are summarised by count: the evidence that matters is already attached to components. */
function factsJson(f: BinaryFacts): unknown {
  const { strings, stringsFiltered, stringCount, ...rest } = f;
  return { ...rest, stringCount: stringCount ?? strings.length };
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
    for (const s of c.info.signatures ?? []) out.write(`${depth}  ${describeSignature(s)}\n`);
    for (const f of a.files.filter((x) => x.container === c.key)) {
      const facts = a.facts.get(f.path);
      const note = f.absent ? ' (declared, not contained)' : f.linkTarget !== undefined ? ` -> ${f.linkTarget}` : facts ? `  ${describeFacts(facts)}` : '';
      out.write(`${depth}  ${f.path}${note}\n`);
      for (const line of facts ? signatureLines(facts) : []) out.write(`${depth}    ${line}\n`);
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

function signatureLines(f: BinaryFacts): string[] {
  if (f.pe) return (f.pe.signatures ?? []).map(describeSignature);
  if (f.macho) return f.macho.slices.flatMap((s) => (s.signature ? [`${s.arch}: ${describeSignature(s.signature)}`] : []));
  return [];
}

/** One line: who signed, whether the bytes still match, and what the signature states. */
function describeSignature(s: SignatureFacts): string {
  const who = s.signer ? `"${s.signer.commonName ?? s.signer.subject}"` : s.status === 'ad-hoc' ? 'no signer' : 'signer unknown';
  const parts = [`${s.kind}${s.style ? ` ${s.style}` : ''} signature: ${who}, ${s.status.replace(/-/g, ' ')}`];
  if (s.digestAlgorithm) parts.push(s.digestAlgorithm);
  if (s.programName !== undefined) parts.push(`program "${s.programName}"`);
  if (s.identifier !== undefined) parts.push(`identifier ${s.identifier}${s.teamId ? ` team ${s.teamId}` : ''}`);
  if (s.signingTime) parts.push(`signed ${s.signingTime}${s.timestampedBy ? ' (timestamped)' : ''}`);
  if (s.chain && s.chain !== 'not-checked') parts.push(`chain ${s.chain}`);
  if (s.problem) parts.push(`problem: ${s.problem}`);
  return parts.join(', ');
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
  if (f.notInspected) return `${f.format === 'elf' ? 'ELF' : 'WebAssembly'} binary, not inspected`;
  if (f.plist) return `plist ${String(f.plist['CFBundleIdentifier'] ?? '')} ${String(f.plist['CFBundleShortVersionString'] ?? f.plist['CFBundleVersion'] ?? '')}`;
  return `${f.strings.length} version line(s)`;
}
