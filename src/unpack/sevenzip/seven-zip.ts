import { lstat, readdir, readlink, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { InputError } from '../../errors.js';

/**
 * In-process 7-Zip (the `7z-wasm` Emscripten build of 7zz 24.09) for the formats we do not
 * decode ourselves: LZX and Quantum cabinets, NSIS.
 *
 * 7-Zip 24.09 predates fixes for path-traversal bugs, and NODEFS writes to the real disk, so
 * every call works on a directory the caller owns and every extracted path is checked after.
 */

interface EmscriptenFs {
  mkdir(path: string): void;
  mount(type: unknown, opts: { root: string }, mountpoint: string): void;
  unmount(mountpoint: string): void;
  rmdir(path: string): void;
  chmod(path: string, mode: number, dontFollow?: boolean): void;
}

interface SevenZipModule {
  FS: EmscriptenFs;
  NODEFS: unknown;
  callMain(args: string[]): number;
}

type SevenZipFactory = (opts: {
  stdout: (byte: number | null) => void;
  printErr: (s: string) => void;
}) => Promise<SevenZipModule>;

let modulePromise: Promise<SevenZipModule> | undefined;
let stderrLines: string[] = [];
/**
 * Where 7-Zip's stdout bytes go during the current run. Emscripten hands them over one byte at a
 * time; `-so` extraction writes member data there, so the bytes are binary, never lines.
 */
let stdoutSink: (byte: number) => void = () => undefined;
let mountCounter = 0;
/** callMain is synchronous, but calls are serialised anyway so captures never interleave. */
let queue: Promise<unknown> = Promise.resolve();

async function loadModule(): Promise<SevenZipModule> {
  if (!modulePromise) {
    modulePromise = (async () => {
      // The UMD build works under both module systems; its default export is the factory.
      const require = createRequire(import.meta.url);
      const factory = require('7z-wasm') as SevenZipFactory;
      const mod = await factory({
        stdout: (byte) => {
          if (byte !== null) stdoutSink(byte);
        },
        printErr: (s) => stderrLines.push(s),
      });
      // 7-Zip sets mode 000 on some extracted entries (tar, cab); that would make directories
      // untraversable on the host, so a zero mode is ignored (as 7z-wasm's own CLI does).
      const chmod = mod.FS.chmod.bind(mod.FS);
      mod.FS.chmod = (path, mode, dontFollow) => {
        if (!mode) return;
        chmod(path, mode, dontFollow);
      };
      return mod;
    })();
  }
  return modulePromise;
}

export interface SevenZipRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs 7zz with `hostDirs` mounted; `args` refer to them as `/m/<index>/...`. The result is
 * returned whatever the exit code (1 = warnings, 2 = fatal error in 7-Zip's convention).
 */
export async function run7z(hostDirs: readonly string[], args: (mounts: readonly string[]) => string[]): Promise<SevenZipRun> {
  const out = new ByteCollector();
  const res = await run7zTo(hostDirs, args, (chunk) => out.push(chunk));
  return { ...res, stdout: out.text() };
}

/** Chunk size in which `-so` output reaches the caller. */
const STDOUT_CHUNK = 1 << 20;

/**
 * Runs 7zz and hands its stdout to `onChunk` in chunks as it is written (`-so` member data). When
 * `onChunk` throws (a budget limit), 7-Zip sees a write error and stops; the error is rethrown
 * here, so decompression never runs past what the caller allows.
 */
export async function run7zTo(
  hostDirs: readonly string[],
  args: (mounts: readonly string[]) => string[],
  onChunk: (chunk: Uint8Array) => void,
): Promise<{ exitCode: number; stderr: string }> {
  const job = queue.then(async () => {
    const mod = await loadModule();
    const mounts: string[] = [];
    const id = ++mountCounter;
    let buf = new Uint8Array(STDOUT_CHUNK);
    let at = 0;
    let refused: unknown;
    const flush = (): void => {
      if (at === 0 || refused !== undefined) return;
      const chunk = buf.subarray(0, at);
      buf = new Uint8Array(STDOUT_CHUNK);
      at = 0;
      try {
        onChunk(chunk);
      } catch (err) {
        refused = err;
        throw err;
      }
    };
    try {
      for (const dir of hostDirs) {
        const point = `/m${id}_${mounts.length}`;
        mod.FS.mkdir(point);
        mod.FS.mount(mod.NODEFS, { root: resolve(dir) }, point);
        mounts.push(point);
      }
      stderrLines = [];
      stdoutSink = (byte) => {
        if (refused !== undefined) throw refused;
        buf[at++] = byte;
        if (at === STDOUT_CHUNK) flush();
      };
      let exitCode: number;
      // Emscripten's exit path sets process.exitCode to 7-Zip's status; a failed listing must
      // not turn into the exit status of the whole Node process.
      const savedExitCode = process.exitCode;
      try {
        exitCode = mod.callMain(args(mounts));
        flush();
      } catch (err) {
        if (refused !== undefined) throw refused;
        // An abort inside the WASM heap (hostile input) ends this run, not the process.
        const msg = err instanceof Error ? err.message : String(err);
        return { exitCode: 255, stderr: `${stderrLines.join('\n')}\n${msg}` };
      } finally {
        process.exitCode = savedExitCode;
        stdoutSink = () => undefined;
      }
      if (refused !== undefined) throw refused;
      return { exitCode: exitCode ?? 0, stderr: stderrLines.join('\n') };
    } finally {
      for (const point of mounts) {
        try {
          mod.FS.unmount(point);
          mod.FS.rmdir(point);
        } catch {
          // best effort: a failed unmount leaves only an empty in-memory mount point
        }
      }
    }
  });
  queue = job.catch(() => undefined);
  return job;
}

/** Listing output, collected as bytes and decoded once (names may be UTF-8). */
class ByteCollector {
  private readonly parts: Uint8Array[] = [];
  push(chunk: Uint8Array): void {
    this.parts.push(chunk);
  }
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

export interface SevenZipOptions {
  /** 7-Zip archive type (`-t`), e.g. 'Cab', 'Nsis'. Omit to let 7-Zip detect. */
  type?: string;
  /** Origin chain for error messages. */
  chain?: readonly string[];
}

/** The first error line 7-Zip printed, for a one-line InputError. */
function firstError(run: SevenZipRun): string {
  const lines = `${run.stderr}\n${run.stdout}`.split('\n').map((l) => l.trim());
  const hit = lines.find((l) => /^(ERROR|Error|Can not open|Cannot open|Unexpected end|Data Error|CRC Failed|Headers Error)/i.test(l) && l !== 'Errors:');
  return hit ?? lines.filter((l) => l !== '').slice(-1)[0] ?? `exit code ${run.exitCode}`;
}

function typeArgs(opts: SevenZipOptions): string[] {
  return opts.type ? [`-t${opts.type}`] : [];
}

/**
 * Extracts every member of `archivePath` into `destDir` (which must be a fresh directory the
 * caller owns), then checks that nothing landed outside it. Failures become InputError.
 */
export async function extractWith7z(archivePath: string, destDir: string, opts: SevenZipOptions = {}): Promise<void> {
  const chain = opts.chain ?? [];
  const abs = resolve(archivePath);
  const res = await run7z([dirname(abs), destDir], ([src, dst]) => [
    'x',
    '-y',
    '-bd',
    // Never ask: passwords (there are none we could know) and overwrites.
    '-p',
    '-aou',
    ...typeArgs(opts),
    `-o${dst}`,
    `${src}/${abs.split(sep).pop()}`,
  ]);
  await assertInside(destDir, chain);
  if (res.exitCode !== 0) {
    throw new InputError(`7-Zip could not extract the archive: ${firstError(res)}`, chain);
  }
}

/**
 * Decodes every member of `archivePath` to stdout (`-so`), in archive order, and hands the bytes
 * to `onChunk` (which may throw to stop 7-Zip: see run7zTo). Nothing is written to disk by 7-Zip,
 * so no member name can reach the file system. Failures become InputError.
 */
export async function streamWith7z(archivePath: string, onChunk: (chunk: Uint8Array) => void, opts: SevenZipOptions = {}): Promise<void> {
  const chain = opts.chain ?? [];
  const abs = resolve(archivePath);
  const res = await run7zTo([dirname(abs)], ([src]) => ['e', '-so', '-y', '-bd', '-p', ...typeArgs(opts), `${src}/${abs.split(sep).pop()}`], onChunk);
  if (res.exitCode !== 0) {
    throw new InputError(`7-Zip could not decode the archive: ${firstError({ ...res, stdout: '' })}`, chain);
  }
}

/** One member as `7z l -slt` reports it: its key/value block, e.g. Path, Size, Method. */
export type SevenZipListEntry = Record<string, string>;

export interface SevenZipListing {
  /** Properties of the archive itself (Type, Physical Size, Method, SubType …). */
  archive: Record<string, string>;
  entries: SevenZipListEntry[];
}

/** Lists `archivePath` with `l -slt` (technical listing). Failures become InputError. */
export async function list7z(archivePath: string, opts: SevenZipOptions = {}): Promise<SevenZipListing> {
  const chain = opts.chain ?? [];
  const abs = resolve(archivePath);
  const res = await run7z([dirname(abs)], ([src]) => ['l', '-slt', '-p', ...typeArgs(opts), `${src}/${abs.split(sep).pop()}`]);
  if (res.exitCode !== 0) {
    throw new InputError(`7-Zip could not list the archive: ${firstError(res)}`, chain);
  }
  return parseSltListing(res.stdout);
}

/**
 * `-slt` prints the archive block after a `--` line and one block per member after `----------`,
 * blocks separated by blank lines, each line `Key = Value`.
 */
export function parseSltListing(stdout: string): SevenZipListing {
  const lines = stdout.split('\n');
  const archive: Record<string, string> = {};
  const entries: SevenZipListEntry[] = [];
  let section: 'pre' | 'archive' | 'entries' = 'pre';
  let current: SevenZipListEntry | undefined;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (section === 'pre') {
      if (line === '--') section = 'archive';
      continue;
    }
    if (line.startsWith('----------')) {
      section = 'entries';
      continue;
    }
    const m = /^([^=]+?) = (.*)$/.exec(line);
    if (section === 'archive') {
      if (m) archive[m[1]!] = m[2]!;
      continue;
    }
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (!m) continue;
    if (!current) {
      current = {};
      entries.push(current);
    }
    current[m[1]!] = m[2]!;
  }
  return { archive, entries };
}

/**
 * Walks `dir` and refuses anything that resolves outside it: symlinks whose target leaves the
 * directory (or is absolute), and special files. Hard links cannot be told apart after the
 * fact; 7-Zip does not create them for the formats we hand it.
 */
export async function assertInside(dir: string, chain: readonly string[] = []): Promise<void> {
  const root = await realpath(dir);
  const stack = [root];
  while (stack.length > 0) {
    const cur = stack.pop()!;
    for (const name of await readdir(cur)) {
      const p = join(cur, name);
      const st = await lstat(p);
      if (st.isSymbolicLink()) {
        const target = await readlink(p);
        const where = resolve(dirname(p), target);
        const rel = relative(root, where);
        if (isAbsolute(target) || rel.startsWith('..') || isAbsolute(rel)) {
          throw new InputError(`archive member ${JSON.stringify(relative(root, p))} links outside the extraction directory`, chain);
        }
      } else if (st.isDirectory()) {
        stack.push(p);
      } else if (!st.isFile()) {
        throw new InputError(`archive member ${JSON.stringify(relative(root, p))} is not a regular file`, chain);
      }
    }
  }
}
