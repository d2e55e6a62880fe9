import { CheckFailed, InputError, UsageError } from '../errors.js';
import { TOOL_NAME } from '../version.js';

/** The exit code an error ends a command with (see the README's exit codes). */
export function exitCodeOf(err: unknown): 1 | 2 | 3 | 4 {
  if (err instanceof UsageError) return 2;
  if (err instanceof InputError) return 3;
  if (err instanceof CheckFailed) return 1;
  return 4;
}

/** The error's one line, as the user sees it on standard error (without the tool's name). */
export function failureLine(err: unknown): string {
  if (err instanceof InputError) return err.describe();
  const msg = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return exitCodeOf(err) === 4 ? `internal error: ${msg}` : msg;
}

/** Prints what a failed command says on standard error; returns its exit code. */
export function reportFailure(err: unknown, debug: boolean): number {
  const code = exitCodeOf(err);
  process.stderr.write(`${TOOL_NAME}: ${failureLine(err)}\n`);
  if (code === 2) process.stderr.write(`Run "${TOOL_NAME} --help" for usage.\n`);
  if (code === 4) {
    process.stderr.write(`This is a bug; please report it with the input if you can.${debug ? '' : ' Run with --debug for the stack.'}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  }
  return code;
}
