import { describe, expect, it } from 'vitest';
import { connectionError, parseConnectionTarget, scrubPassword } from '../../../src/db/connectionError.js';
import { SyncError } from '../../../src/errors.js';

function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('parseConnectionTarget', () => {
  it('reads host, port, database and user, decoding them', () => {
    expect(parseConnectionTarget('postgresql://an%40alyst:p%2Fw@db.example.com:6543/ware%20house')).toEqual({
      host: 'db.example.com',
      port: '6543',
      database: 'ware house',
      user: 'an@alyst',
      secrets: ['p%2Fw', 'p/w'],
    });
    expect(parseConnectionTarget('postgres:///pd?host=/var/run/postgresql')).toMatchObject({
      host: '/var/run/postgresql',
      port: '5432',
      database: 'pd',
      user: undefined,
    });
  });

  it('refuses a non-URL or another scheme without echoing it', () => {
    expect(() => parseConnectionTarget('host=db password=hunter2')).toThrow(SyncError);
    expect(() => parseConnectionTarget('host=db password=hunter2')).not.toThrow(/hunter2/);
    expect(() => parseConnectionTarget('mysql://u:hunter2@db/x')).toThrow(/postgres:\/\//);
    expect(() => parseConnectionTarget('mysql://u:hunter2@db/x')).not.toThrow(/hunter2/);
  });
});

describe('connectionError', () => {
  const target = parseConnectionTarget('postgres://pd:Secret%21Pw@10.0.0.5:5433/warehouse');

  it('names a system error by its code', () => {
    const error = connectionError(systemError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.5:5433'), target);
    expect(error.message).toBe(
      'cannot connect to Postgres at 10.0.0.5:5433/warehouse as pd (ECONNREFUSED): check DATABASE_URL',
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("keeps the server's reason and SQLSTATE, one line, password scrubbed", () => {
    const error = connectionError(
      systemError('28P01', 'password authentication failed for user "pd"\nSecret!Pw Secret%21Pw'),
      target,
    );
    expect(error.message).toBe(
      'cannot connect to Postgres at 10.0.0.5:5433/warehouse as pd (password authentication failed for user "pd" *** *** [28P01]): check DATABASE_URL',
    );
  });

  it('reports a timeout as such', () => {
    const error = connectionError(new Error('Connection terminated due to connection timeout'), target);
    expect(error.message).toContain('(timed out)');
  });

  it('scrubPassword leaves messages alone when there is no password', () => {
    expect(scrubPassword('nothing to hide', [])).toBe('nothing to hide');
  });
});
