import { chmod, lstat, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { fstatSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError, UsageError } from '../errors.js';

/** `-o -`: the document goes to standard output, and nothing else does. */
export const STDOUT = '-';

/**
 * Whether `target` is standard output: `-`, or a name for the very file standard output is
 * (`/dev/stdout`, `/dev/fd/1`, the file the shell redirected to). Then the document owns standard
 * output and what people read goes to standard error.
 */
export function isStdout(target: string | undefined): boolean {
  if (target === undefined) return false;
  if (target === STDOUT) return true;
  try {
    const out = fstatSync(1);
    const st = statSync(target);
    return out.dev === st.dev && out.ino === st.ino && out.ino !== 0;
  } catch {
    return false;
  }
}

/** Exit 3: the output could not be written although the path given is a sensible one. */
export class OutputError extends InputError {
  override readonly name = 'OutputError';
  constructor(
    readonly target: string,
    reason: string,
  ) {
    super(reason, [target]);
  }

  override describe(): string {
    return `cannot write ${this.target}: ${this.message}`;
  }
}

/** What the path given was wrong about (exit 2), or why the system refused (exit 3). */
const BAD_PATH: Record<string, string> = {
  ENOENT: 'its directory does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'the name is too long',
  EINVAL: 'the name is not valid here',
};
const REFUSED: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENXIO: 'nothing reads from it',
  EBUSY: 'it is busy',
};

/** The user's path and a reason, never a temporary name: the errno code decides exit 2 or 3. */
const badPath = (target: string, code: string) => new UsageError(`cannot write ${target}: ${BAD_PATH[code]}`);

function failure(target: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (BAD_PATH[code]) return badPath(target, code);
  if (REFUSED[code]) return new OutputError(target, REFUSED[code]!);
  if (code) return new OutputError(target, code);
  return err as Error;
}

async function statOrUndefined(path: string, target: string, how: typeof stat | typeof lstat = stat): Promise<Stats | undefined> {
  try {
    return await how(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw failure(target, err);
  }
}

/**
 * A device, a FIFO, a socket, or an alias of an open descriptor (`/dev/stdout` resolves to the
 * file the shell redirected to, `/proc/self/fd/N`): written into, as `cat > x` would, never
 * renamed over. Replacing it would turn `/dev/stdout` into a regular file.
 */
function writesInto(resolved: string, st: Stats): boolean {
  if (!st.isFile()) return true;
  return sep === '/' && (resolved.startsWith('/dev/') || resolved.startsWith('/proc/'));
}

/**
 * Writes a command's document to the path the user gave (`target`, as typed; `-` is standard
 * output). A regular file is replaced through a temporary file beside it and a rename, so a failure
 * leaves the old file (or nothing) behind; a symbolic link to one keeps pointing at it. A read-only
 * file is not overwritten. A device or FIFO is written into. Errors name `target`: exit 2 for a path
 * that cannot be a file to write (missing directory, a directory, a dangling link), exit 3 when the
 * system refuses (permissions, read-only, disk full). Returns where it went: `-` or the absolute path.
Standard output under another name is written through process.stdout, in order with the rest.
 */
export async function writeOutput(target: string, content: string): Promise<string> {
  if (isStdout(target)) {
    await new Promise<void>((res, rej) => process.stdout.write(content, (err) => (err ? rej(err) : res())));
    return STDOUT;
  }
  const path = resolve(target);
  const st = await statOrUndefined(path, target);
  if (st?.isDirectory()) throw badPath(target, 'EISDIR');
  if (st && writesInto(path, st)) {
    await writeInto(path, target, content);
    return path;
  }
  if (st) {
    // No write bit at all: read-only even for root, who passes every access() check.
    if ((st.mode & 0o222) === 0) throw new OutputError(target, 'it is read-only; not overwritten');
    await replaceFile(await realpath(path), target, content, st.mode & 0o7777);
    return path;
  }
  if ((await statOrUndefined(path, target, lstat))?.isSymbolicLink()) throw new UsageError(`cannot write ${target}: it is a symbolic link to nothing`);
  const dir = await statOrUndefined(dirname(path), target);
  if (!dir) throw badPath(target, 'ENOENT');
  if (!dir.isDirectory()) throw badPath(target, 'ENOTDIR');
  await replaceFile(path, target, content);
  return path;
}

async function writeInto(path: string, target: string, content: string): Promise<void> {
  try {
    await writeFile(path, content, { flag: 'w' });
  } catch (err) {
    throw failure(target, err);
  }
}

async function replaceFile(path: string, target: string, content: string, mode?: number): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    // Exclusive: a file (or a planted link) already at the temporary name is never written through.
    await writeFile(tmp, content, { flag: 'wx' });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {});
    throw failure(target, err);
  }
}
