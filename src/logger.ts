import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Paths pino censors wherever they appear (pino matches exactly one level per `*`). */
export const REDACT_PATHS = [
  'token',
  '*.token',
  '*.*.token',
  'authorization',
  '*.authorization',
  '*.*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'databaseUrl',
  '*.databaseUrl',
  'config.pagerdutyToken',
  'config.databaseUrl',
  'routingKey',
  '*.routingKey',
  'routing_key',
  '*.routing_key',
];

/** Hides a password in a connection URL: postgres://u:***@host/db. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}

/** Removes secrets from free text (error messages can embed URLs or headers). */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(/(Token token=)[^\s"',]+/gi, '$1***')
    .replace(/(Bearer )[^\s"',]+/gi, '$1***')
    .replace(/(\/\/[^:/@\s]+:)[^@/\s]+@/g, '$1***@');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

export interface LoggerOptions {
  level?: string;
  /** Pretty output (pino-pretty) instead of JSON lines; default: when stdout is a TTY. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

/** JSON lines by default, pretty on a TTY; secrets redacted by path. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const pretty = opts.pretty ?? (process.stdout.isTTY && !opts.destination);
  const options: pino.LoggerOptions = {
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    base: undefined,
  };
  if (opts.destination) return pino(options, opts.destination);
  if (pretty) {
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' },
      },
    });
  }
  return pino(options);
}
