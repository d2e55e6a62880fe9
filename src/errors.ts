/**
 * Errors that decide the exit code. Anything else escaping a command is a bug (exit 4).
 * The exit codes are in the README ("Exit codes").
 */

/** Exit 2: the command line is wrong. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Exit 3: an input is unreadable, corrupt, hostile or unsupported.
 * `chain` is the origin chain, outermost first (artifact › core.msi › core.cab › file).
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
  constructor(
    message: string,
    readonly chain: readonly string[] = [],
    readonly offset?: number,
  ) {
    super(message);
  }

  /** The one line printed for the user. */
  describe(): string {
    const where = this.chain.length > 0 ? this.chain.join(' › ') : '(input)';
    const at = this.offset !== undefined ? ` at byte ${this.offset}` : '';
    return `${where}: ${this.message}${at}`;
  }

  /** The same error, placed inside a container chain (outer readers prepend theirs). */
  within(chain: readonly string[]): InputError {
    if (this.chain.length > 0 && chain.length > 0 && this.chain[0] === chain[0]) return this;
    const err = new InputError(this.message, [...chain, ...this.chain], this.offset);
    return err;
  }
}

/** Exit 3 as well: a safety limit was reached. Names the limit and the flag that raises it. */
export class LimitError extends InputError {
  override readonly name = 'LimitError';
  constructor(
    readonly limit: string,
    readonly flag: string,
    readonly detail: string,
    chain: readonly string[] = [],
  ) {
    super(`limit ${limit} reached (${detail}); raise it with ${flag} if the input is trusted`, chain);
  }

  override within(chain: readonly string[]): InputError {
    if (this.chain.length > 0 && chain.length > 0 && this.chain[0] === chain[0]) return this;
    // The detail, not the message: the message already carries the limit and flag wording.
    return new LimitError(this.limit, this.flag, this.detail, [...chain, ...this.chain]);
  }
}

/** Exit 1: the work was done but a check failed (validation, gate, verify). */
export class CheckFailed extends Error {
  override readonly name = 'CheckFailed';
}

/**
 * Puts an error into its container chain. Failures that come from the bytes (our InputErrors, a
 * RangeError from reading past a buffer, zlib/xz data errors, XML parse errors) become InputError
 * (exit 3); anything else is a bug and is returned unchanged so it exits 4.
 */
export function asInputError(err: unknown, chain: readonly string[], what: string): unknown {
  if (err instanceof InputError) return err.within(chain);
  if (isDataError(err)) {
    const msg = (err as Error).message.split('\n')[0];
    return new InputError(`${what}: ${msg}`, chain);
  }
  return err;
}

function isDataError(err: unknown): boolean {
  if (err instanceof RangeError) return true;
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return code.startsWith('Z_') || code === 'ERR_OUT_OF_RANGE' || code === 'ERR_BUFFER_OUT_OF_BOUNDS' || code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR';
}
