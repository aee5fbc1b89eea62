import type { DestinationStream } from 'pino';

/** What a command may touch of its surroundings: injected so tests can run commands in-process. */
export interface CliIo {
  env: Record<string, string | undefined>;
  out(line: string): void;
  err(line: string): void;
  isTTY: boolean;
  /** Rewrites the one-line progress display (TTY only). */
  status?(line: string): void;
  clearLine?(): void;
  /** Where JSON logs go; default stdout. */
  logDestination?: DestinationStream;
  /** Pretty log lines instead of JSON (stderr is a terminal). */
  prettyLogs?: boolean;
}

export function processIo(): CliIo {
  const tty = process.stdout.isTTY;
  return {
    env: process.env,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    isTTY: tty,
    status: tty ? (line) => process.stdout.write(`\r\x1b[2K${line}`) : undefined,
    clearLine: tty ? () => process.stdout.write('\r\x1b[2K') : undefined,
    // JSON log lines go to stderr, so stdout stays the human summary (and pipes cleanly).
    logDestination: process.stderr,
    prettyLogs: process.stderr.isTTY,
  };
}
