import { describe, expect, it } from 'vitest';
import { databaseFailure } from '../../../src/db/connectionError.js';

/** What node-postgres throws for a server error: an Error with the SQLSTATE in `code`. */
function pgError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

describe('databaseFailure', () => {
  // Proves each refusal a user must fix becomes one line: what happened, the server's words, what to do.
  it.each([
    [
      '53100',
      'could not extend file "base/16384/2619": No space left on device',
      /out of disk space.*free space/,
    ],
    ['53200', 'out of memory', /out of memory.*raise its memory/],
    ['53300', 'sorry, too many clients already', /no free connection slots.*max_connections/],
    ['25006', 'cannot execute INSERT in a read-only transaction', /refused writes: it is read-only.*primary/],
    ['42501', 'permission denied for table sync_runs', /refused writes: permission denied.*grant/],
  ])('SQLSTATE %s', (code, message, expected) => {
    const mapped = databaseFailure(pgError(message, code));
    expect(mapped?.message).toMatch(expected);
    expect(mapped?.message).toContain(`(${message} [${code}])`);
    expect(mapped?.message).not.toContain('\n');
    expect(mapped?.cause).toBeInstanceOf(Error);
  });

  // Proves the driver error is found under drizzle's and our own wrappers (the `cause` chain).
  it('looks through wrappers', () => {
    const wrapped = new Error('migrating schema "x" failed', {
      cause: new Error('Failed query: INSERT …', { cause: pgError('No space left on device', '53100') }),
    });
    expect(databaseFailure(wrapped)?.message).toMatch(/^the database server is out of disk space/);
  });

  // Proves a lost session or server is one line saying the committed work is kept, and only when asked.
  it('maps a lost connection unless told not to', () => {
    const terminated = pgError('terminating connection due to administrator command', '57P01');
    expect(databaseFailure(terminated)?.message).toMatch(
      /^lost the connection to the database .*run sync again/,
    );
    expect(databaseFailure(new Error('Connection terminated unexpectedly'))?.message).toMatch(
      /^lost the connection/,
    );
    expect(databaseFailure(terminated, [], false)).toBeUndefined();
  });

  // Proves other errors are left alone (a bug keeps its stack) and a password never survives.
  it('leaves other errors alone and scrubs secrets', () => {
    expect(databaseFailure(new TypeError('x is undefined'))).toBeUndefined();
    expect(databaseFailure(pgError('syntax error at or near "x"', '42601'))).toBeUndefined();
    const leaky = pgError('permission denied for user s3cretpw', '42501');
    expect(databaseFailure(leaky, ['s3cretpw'])?.message).not.toContain('s3cretpw');
  });
});
