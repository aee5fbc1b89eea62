import { dbCommand } from './cli/dbCommand.js';
import { demoCommand } from './cli/demoCommand.js';
import { processIo, type CliIo } from './cli/io.js';
import { migrateCommand } from './cli/migrateCommand.js';
import { reportCommand } from './cli/reportCommand.js';
import { simulatorCommand, SIMULATOR_USAGE } from './cli/simulatorCommand.js';
import { statusCommand } from './cli/statusCommand.js';
import { syncCommand } from './cli/syncCommand.js';
import { UsageError } from './cli/usageError.js';
import { workerCommand } from './cli/workerCommand.js';
import { databaseFailure, parseConnectionTarget } from './db/connectionError.js';
import { ConfigError, SyncError } from './errors.js';
import { scrub } from './logger.js';

const USAGE = `usage: pd-warehouse <command> [options]

commands:
  demo        sync a simulated account into an embedded database and show MTTA/MTTR (nothing to install)
  sync        sync the PagerDuty account into the database (incrementally)
  worker      sync on a schedule (SYNC_SCHEDULE) until stopped; for long-running deployments
  migrate     create the schema and apply database migrations
  status      show each resource's cursor, rows and lag, and the last run
  report      MTTA/MTTR by service and ISO week: a terminal table, JSON, CSV or an HTML page with charts
  db serve    serve the embedded database over the Postgres wire protocol (psql, Metabase, Grafana)
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
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'simulator':
        return await simulatorCommand(rest, out);
      case 'sync':
        return await syncCommand(rest, io);
      case 'worker':
        return await workerCommand(rest, io);
      case 'migrate':
        return await migrateCommand(rest, io);
      case 'status':
        return await statusCommand(rest, io);
      case 'report':
        return await reportCommand(rest, io);
      case 'demo':
        return await demoCommand(rest, io);
      case 'db':
        return await dbCommand(rest, io);
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
    if (err instanceof UsageError || err instanceof ConfigError || isParseArgsError(err)) {
      io.err(`pd-warehouse: ${err.message}`);
      return 2;
    }
    // A database that refuses writes (read-only, no privilege, disk full) or went away mid-command: one
    // line with what to do. A SyncError already says what it was doing, unless a refusal lies beneath it.
    const refused = databaseFailure(err, secrets(io.env), !(err instanceof SyncError));
    if (refused) {
      io.err(`pd-warehouse: ${scrub(refused.message, secrets(io.env))}`);
      return 1;
    }
    if (err instanceof SyncError) {
      // A problem the user can act on (database unreachable, token rejected…): one line, no stack.
      io.err(`pd-warehouse: ${scrub(err.message, secrets(io.env))}`);
      return 1;
    }
    throw err;
  }
}

function isParseArgsError(err: unknown): err is TypeError {
  return err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS');
}

function secrets(env: Record<string, string | undefined>): string[] {
  return [
    env.PAGERDUTY_TOKEN,
    env.PAGERDUTY_OAUTH_TOKEN,
    env.PAGERDUTY_CLIENT_SECRET,
    env.PAGERDUTY_ROUTING_KEY,
    ...databasePassword(env.DATABASE_URL),
  ].filter((s): s is string => Boolean(s));
}

/** The DATABASE_URL's password (as written and decoded), when it parses. */
function databasePassword(url: string | undefined): string[] {
  if (!url?.trim()) return [];
  try {
    return parseConnectionTarget(url.trim()).secrets;
  } catch {
    return [];
  }
}

export { SIMULATOR_USAGE };
