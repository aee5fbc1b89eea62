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
