import { UsageError } from '../errors.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { BUILD_HELP, buildCommand } from './build.js';
import { INSPECT_HELP, inspectCommand } from './inspect.js';
import { VALIDATE_HELP, validateCommand } from './validate.js';
import { VERIFY_HELP, verifyCommand } from './verify.js';
import { DIFF_HELP, diffCommand } from './diff.js';
import { REPORT_HELP, reportCommand } from './report.js';
import { VEX_HELP, vexCommand } from './vex.js';
import { reportFailure } from './failure.js';
import { markCommandStart } from '../stage-timings.js';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string }> = {
  build: { run: buildCommand, help: BUILD_HELP },
  inspect: { run: inspectCommand, help: INSPECT_HELP },
  validate: { run: validateCommand, help: VALIDATE_HELP },
  verify: { run: verifyCommand, help: VERIFY_HELP },
  diff: { run: diffCommand, help: DIFF_HELP },
  report: { run: reportCommand, help: REPORT_HELP },
  vex: { run: vexCommand, help: VEX_HELP },
};

const MAIN_HELP = `${TOOL_NAME} ${TOOL_VERSION}: what is inside a Windows or macOS installer, with evidence, as SPDX 2.3.

Usage: installer-sbom <command> [options]
       installer-sbom --version | --help

Commands:
  build <artifact>...     write <artifact>.spdx.json for each artifact
  inspect <artifact>      show the container tree, binary facts and detections with evidence
  validate <sbom>         check an SPDX 2.3 JSON document (schema, integrity, NTIA)
  verify <artifact> <sbom>  check that an SBOM (ours or another tool's) matches the artifact
  diff <old> <new>        what changed between two SBOMs; --markdown for release notes
  report <artifact|sbom>  one self-contained HTML (or --markdown) page for people
  vex <artifact|sbom> --advisories PATH   which advisories apply, as OpenVEX or CycloneDX VEX

Options:
  -V, --version           print the version and exit
  -h, --help              this help; after a command, that command's options
  --debug                 with any command: the stack of an internal error

Run "installer-sbom <command> --help" for a command's options.
Exit codes: 0 ok, 1 a check failed, 2 usage, 3 unreadable/corrupt/unsupported input, 4 internal error.`;

/** Runs one command line and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  markCommandStart();
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(`${MAIN_HELP}\n`);
      return name ? 0 : 2;
    }
    if (name === '--version' || name === '-V') {
      process.stdout.write(`${TOOL_VERSION}\n`);
      return 0;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command "${name}"`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(`${command.help}\n`);
      return 0;
    }
    return await command.run(rest);
  } catch (err) {
    return reportFailure(err, debug);
  }
}
