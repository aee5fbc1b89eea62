import { simulatorCommand, SIMULATOR_USAGE } from './cli/simulatorCommand.js';
import { UsageError } from './cli/usageError.js';

const USAGE = `usage: pd-warehouse <command> [options]

commands:
  simulator   serve a PagerDuty API look-alike for demos, tests and benchmarks
  help        show this help

Run 'pd-warehouse <command> --help' for a command's options.
`;

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * The composition root: parses argv, runs one command, returns the exit code. User mistakes print one line
 * to stderr and exit 2; anything else is a bug and keeps its stack trace.
 */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'simulator':
        return await simulatorCommand(rest, out);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command '${command}'; run 'pd-warehouse help' for the list`);
    }
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`pd-warehouse: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

export { SIMULATOR_USAGE };
