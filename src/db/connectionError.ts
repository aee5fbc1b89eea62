/**
 * Turns a driver's connection failure into one line a user can act on, without the password:
 * "cannot connect to Postgres at 127.0.0.1:5999 (ECONNREFUSED): check DATABASE_URL".
 */
import { SyncError } from '../errors.js';

/** Where a connection string points, for messages (never the password). */
export interface ConnectionTarget {
  host: string;
  port: string;
  database: string | undefined;
  user: string | undefined;
  /** The password as written in the URL and decoded: only to scrub it from driver messages. */
  secrets: string[];
}

/** Parses a postgres:// URL; throws a SyncError that does not echo the URL when it is not one. */
export function parseConnectionTarget(url: string): ConnectionTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new SyncError(
      'DATABASE_URL is not a valid URL: expected postgres://user:password@host:5432/database',
      {},
      { cause: error instanceof Error ? new Error(error.name) : undefined },
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new SyncError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//)`,
    );
  }
  const decode = (value: string): string | undefined => (value ? safeDecode(value) : undefined);
  return {
    // A socket directory may come as ?host=/var/run/postgresql with an empty authority.
    host: parsed.hostname || parsed.searchParams.get('host') || 'localhost',
    port: parsed.port || parsed.searchParams.get('port') || '5432',
    database: decode(parsed.pathname.replace(/^\//, '')),
    user: decode(parsed.username),
    secrets: parsed.password ? [...new Set([parsed.password, safeDecode(parsed.password)])] : [],
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Node system errors (ECONNREFUSED…) carry `code`; Postgres errors carry a SQLSTATE `code`. */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A short reason: a system error code, the server's message, or the driver's. */
function reason(error: unknown): string {
  const code = errorCode(error);
  const text = errorText(error);
  if (code && /^E[A-Z_]+$/.test(code)) return code;
  if (/connection timeout|timeout expired/i.test(text)) return 'timed out';
  // SQLSTATE class 28 = bad credentials / pg_hba; 3D000 = no such database; others: the server's text.
  return code ? `${text} [${code}]` : text;
}

/** Replaces every occurrence of each secret (the password, encoded and decoded) with `***`. */
export function scrubPassword(message: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret) => (secret ? text.replaceAll(secret, '***') : text), message);
}

/** The one-line SyncError for a failed connect or first query; `cause` keeps the driver's error. */
export function connectionError(error: unknown, target: ConnectionTarget): SyncError {
  const where = `${target.host}:${target.port}${target.database ? `/${target.database}` : ''}`;
  const who = target.user ? ` as ${target.user}` : '';
  const line = `cannot connect to Postgres at ${where}${who} (${reason(error)}): check DATABASE_URL`;
  const message = scrubPassword(line.replace(/\s*\n\s*/g, ' '), target.secrets);
  return new SyncError(
    message,
    { host: target.host, port: target.port, code: errorCode(error) },
    {
      cause: error,
    },
  );
}

/**
 * What to do about a Postgres error a user (not the code) has to fix, by SQLSTATE. Read-only servers
 * (a hot standby, `default_transaction_read_only`), missing privileges, a full disk and memory or
 * connection-slot exhaustion all surface mid-command as a raw driver error; these turn them into one line.
 */
const REFUSALS: Readonly<Record<string, readonly [what: string, fix: string]>> = {
  '25006': [
    'the database refused writes: it is read-only',
    'point DATABASE_URL at the primary server (not a replica) or turn off default_transaction_read_only for its user',
  ],
  '42501': [
    'the database refused writes: permission denied',
    'grant the DATABASE_URL user USAGE and CREATE on the DATABASE_SCHEMA schema and SELECT, INSERT, UPDATE, DELETE on its tables (or connect as their owner)',
  ],
  '53100': [
    'the database server is out of disk space',
    'free space or grow its volume, then run sync again (committed windows are kept)',
  ],
  '53200': [
    'the database server is out of memory',
    'lower its load or raise its memory, then run sync again (committed windows are kept)',
  ],
  '53300': [
    'the database server has no free connection slots',
    'raise max_connections or close idle sessions, then run sync again',
  ],
};

/** SQLSTATE class 08 (connection exception) and 57P0x (the server shut down or ended the session). */
const LOST_CODES = /^(08\d{3}|57P0[1-3]|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT)$/;
const LOST_TEXT = /connection terminated|connection ended|server closed the connection/i;

/** The driver error inside drizzle's or our own wrapping: the first error in the `cause` chain with a code. */
function rootCause(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (errorCode(current) !== undefined) return current;
    current = current.cause;
  }
  return error;
}

/**
 * One actionable line for a database error a user has to fix, or undefined when it is none of those.
 * `includeLost`: also map a lost connection (server restarted, session terminated); callers that
 * already know they were connecting use connectionError instead.
 */
export function databaseFailure(
  error: unknown,
  secrets: readonly string[] = [],
  includeLost = true,
): SyncError | undefined {
  const inner = rootCause(error);
  const code = errorCode(inner);
  const text = errorText(inner).split('\n')[0] ?? '';
  const advice = code ? REFUSALS[code] : undefined;
  let line: string | undefined;
  if (advice) {
    const [what, fix] = advice;
    line = `${what} (${text} [${code}]): ${fix}`;
  } else if (includeLost && ((code && LOST_CODES.test(code)) || LOST_TEXT.test(text))) {
    const why = code ? `${text} [${code}]` : text;
    line = `lost the connection to the database (${why}): the run stopped; what it committed is kept, run sync again once the server answers`;
  }
  if (!line) return undefined;
  return new SyncError(scrubPassword(line.replace(/\s*\n\s*/g, ' '), secrets), { code }, { cause: error });
}
