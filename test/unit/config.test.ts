import { describe, expect, it } from 'vitest';
import { describeConfig, parseConfig, parseDuration } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

const NOW = Date.UTC(2026, 10, 28);
const base = { PAGERDUTY_TOKEN: 'u+abcdef123456' };

function error(env: Record<string, string>, flags = {}): string {
  try {
    parseConfig(env, flags, NOW);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('has the documented defaults', () => {
    const c = parseConfig(base, {}, NOW);
    expect(c.pagerduty).toEqual({
      apiUrl: 'https://api.pagerduty.com',
      auth: { kind: 'token', token: 'u+abcdef123456' },
      maxRpm: 900,
    });
    expect(c.database).toEqual({ url: undefined, dataDir: './.pd-warehouse', schema: 'pagerduty' });
    expect(c.sync.start).toBe(NOW - 365 * 86_400_000);
    expect(c.sync.resources).toEqual([
      'users',
      'teams',
      'escalation_policies',
      'schedules',
      'priorities',
      'tags',
      'services',
      'incidents',
      'log_entries',
      'oncalls',
    ]);
    expect(c.sync.detailRefreshMs).toBe(6 * 3_600_000);
    expect(Object.isFrozen(c.pagerduty)).toBe(true);
  });

  it('reads every variable', () => {
    const c = parseConfig(
      {
        PAGERDUTY_OAUTH_TOKEN: 'pdus+_0XBP',
        PAGERDUTY_API_URL: 'https://api.eu.pagerduty.com/',
        DATABASE_URL: 'postgres://w:secret@db:5432/wh',
        DATABASE_SCHEMA: 'acme_eu',
        SYNC_START: '2025-01-01T00:00:00Z',
        PAGERDUTY_MAX_RPM: '600',
        SYNC_RESOURCES: 'services,oncalls',
      },
      {},
      NOW,
    );
    expect(c.pagerduty.auth).toEqual({ kind: 'oauth', token: 'pdus+_0XBP' });
    expect(c.pagerduty.apiUrl).toBe('https://api.eu.pagerduty.com');
    expect(c.database.schema).toBe('acme_eu');
    expect(c.sync.start).toBe(Date.UTC(2025, 0, 1));
    expect(c.sync.resources).toEqual(['services', 'oncalls']);
    expect(JSON.stringify(describeConfig(c))).not.toContain('secret');
    expect(JSON.stringify(describeConfig(c))).not.toContain('pdus+_0XBP');
  });

  it('selecting incidents brings what it needs along (services, the log feed); --since means a re-read', () => {
    const c = parseConfig({ ...base }, { resources: 'incidents', since: '30d' }, NOW);
    expect(c.sync.resources).toEqual(['services', 'incidents', 'log_entries']);
    expect(c.sync.full).toBe(true);
    expect(c.sync.start).toBe(NOW - 30 * 86_400_000);
  });

  it('dependencies resolve transitively, in run order; custom fields bring services and incidents', () => {
    expect(parseConfig({ ...base, SYNC_RESOURCES: 'log_entries' }, {}, NOW).sync.resources).toEqual([
      'services',
      'incidents',
      'log_entries',
    ]);
    expect(parseConfig({ ...base, SYNC_RESOURCES: 'tags,teams' }, {}, NOW).sync.resources).toEqual([
      'teams',
      'tags',
    ]);
    const cf = parseConfig({ ...base, SYNC_RESOURCES: 'users', SYNC_CUSTOM_FIELDS: 'true' }, {}, NOW);
    expect(cf.sync.resources).toEqual(['users', 'services', 'incidents', 'log_entries']);
    const an = parseConfig({ ...base, SYNC_RESOURCES: 'users', SYNC_ANALYTICS: 'TRUE' }, {}, NOW);
    expect(an.sync).toMatchObject({ resources: ['users'], analytics: true, customFields: false });
  });

  it('join key sources parse in order of precedence', () => {
    const c = parseConfig(
      { ...base, SERVICE_KEY_SOURCE: 'custom_field:service_key, tag:service', TEAM_KEY_SOURCE: 'tag:team' },
      {},
      NOW,
    );
    expect(c.joinKeys).toEqual({
      service: [
        { kind: 'custom_field', name: 'service_key' },
        { kind: 'tag', name: 'service' },
      ],
      team: [{ kind: 'tag', name: 'team' }],
    });
    expect(parseConfig({ ...base }, {}, NOW).joinKeys).toEqual({ service: [], team: [] });
  });

  it.each([
    [
      { ...base, SERVICE_KEY_SOURCE: 'label:service' },
      /SERVICE_KEY_SOURCE entry 'label:service' is not tag:<name> or custom_field:<name>/,
    ],
    [
      { ...base, TEAM_KEY_SOURCE: 'custom_field:x' },
      /TEAM_KEY_SOURCE entry 'custom_field:x' is not tag:<name>/,
    ],
    [{ ...base, SERVICE_KEY_SOURCE: 'tag:' }, /SERVICE_KEY_SOURCE entry 'tag:'/],
    [{ ...base, SYNC_ANALYTICS: 'yes' }, /SYNC_ANALYTICS must be true or false \(got 'yes'\)/],
    [{}, /PAGERDUTY_TOKEN is not set/],
    [{ PAGERDUTY_TOKEN: '' }, /PAGERDUTY_TOKEN is empty/],
    [{ PAGERDUTY_TOKEN: 'abc\ndef' }, /PAGERDUTY_TOKEN contains spaces or a line break/],
    [{ PAGERDUTY_TOKEN: 'Token token=abc' }, /PAGERDUTY_TOKEN contains spaces/],
    [{ ...base, PAGERDUTY_OAUTH_TOKEN: 'x' }, /set only one of PAGERDUTY_TOKEN, PAGERDUTY_OAUTH_TOKEN/],
    [{ PAGERDUTY_CLIENT_ID: 'app' }, /PAGERDUTY_CLIENT_SECRET is not set/],
    [
      { PAGERDUTY_CLIENT_ID: 'app', PAGERDUTY_CLIENT_SECRET: 's' },
      /PAGERDUTY_SUBDOMAIN must be the account's subdomain/,
    ],
    [
      {
        PAGERDUTY_CLIENT_ID: 'app',
        PAGERDUTY_CLIENT_SECRET: 's',
        PAGERDUTY_SUBDOMAIN: 'acme',
        PAGERDUTY_REGION: 'asia',
      },
      /PAGERDUTY_REGION must be us or eu/,
    ],
    [{ ...base, PAGERDUTY_CLIENT_ID: 'app' }, /set only one of PAGERDUTY_TOKEN, PAGERDUTY_CLIENT_ID/],
    [{ ...base, PAGERDUTY_API_URL: 'api.pagerduty.com' }, /PAGERDUTY_API_URL is not a URL/],
    [{ ...base, PAGERDUTY_API_URL: 'ftp://x' }, /PAGERDUTY_API_URL must start with https: or http:/],
    [{ ...base, DATABASE_URL: 'mysql://x/y' }, /DATABASE_URL must start with postgres:/],
    [{ ...base, DATABASE_SCHEMA: 'pd"; drop' }, /DATABASE_SCHEMA .* is not a plain lower-case identifier/],
    [{ ...base, DATABASE_SCHEMA: 'Pager' }, /DATABASE_SCHEMA/],
    [{ ...base, SYNC_START: 'yesterday' }, /SYNC_START 'yesterday' is neither a duration/],
    [{ ...base, SYNC_START: '2030-01-01T00:00:00Z' }, /SYNC_START .* is in the future/],
    [{ ...base, SYNC_START: '2025-01-01T00:00:00' }, /SYNC_START/],
    [{ ...base, PAGERDUTY_MAX_RPM: '0' }, /PAGERDUTY_MAX_RPM must be a whole number/],
    [{ ...base, PAGERDUTY_MAX_RPM: '-5' }, /PAGERDUTY_MAX_RPM/],
    [{ ...base, PAGERDUTY_MAX_RPM: '1e9' }, /PAGERDUTY_MAX_RPM/],
    [{ ...base, PAGERDUTY_MAX_RPM: '100001' }, /from 1 to 100000/],
    [{ ...base, PAGERDUTY_MAX_RPM: 'fast' }, /PAGERDUTY_MAX_RPM/],
    [{ ...base, SYNC_RESOURCES: 'incidents,alerts' }, /unknown resource 'alerts'/],
    [{ ...base, LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [
      { ...base, SYNC_DETAIL_REFRESH: 'daily' },
      /SYNC_DETAIL_REFRESH must be a duration like 6h.*\(got 'daily'\)/,
    ],
    [{ ...base, SYNC_DETAIL_REFRESH: '6' }, /SYNC_DETAIL_REFRESH must be a duration/],
    [{ ...base, SYNC_DETAIL_REFRESH: '-1h' }, /SYNC_DETAIL_REFRESH/],
    [{ ...base, SYNC_DETAIL_REFRESH: '91d' }, /SYNC_DETAIL_REFRESH .*at most 90d/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    const m = error(env);
    expect(m).toMatch(message);
    expect(m.split('\n')).toHaveLength(1);
  });

  it('rejects a bad --since flag naming the flag', () => {
    expect(error(base, { since: 'soon' })).toMatch(/^--since 'soon'/);
  });

  it('parses durations', () => {
    expect(parseDuration('90d')).toBe(90 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('5w')).toBeNull();
  });

  it('SYNC_DETAIL_REFRESH takes a duration, or 0 for every run', () => {
    const refresh = (v: string) =>
      parseConfig({ ...base, SYNC_DETAIL_REFRESH: v }, {}, NOW).sync.detailRefreshMs;
    expect(refresh('30m')).toBe(30 * 60_000);
    expect(refresh(' 1d ')).toBe(86_400_000);
    expect(refresh('0')).toBe(0);
    expect(refresh('0h')).toBe(0);
    expect(refresh('90d')).toBe(90 * 86_400_000);
  });

  it('SYNC_CUSTOM_FIELDS is off by default, true or false, anything else a one-line error', () => {
    expect(parseConfig(base, {}, NOW).sync.customFields).toBe(false);
    expect(parseConfig({ ...base, SYNC_CUSTOM_FIELDS: 'true' }, {}, NOW).sync.customFields).toBe(true);
    expect(parseConfig({ ...base, SYNC_CUSTOM_FIELDS: 'false' }, {}, NOW).sync.customFields).toBe(false);
    const message = error({ ...base, SYNC_CUSTOM_FIELDS: 'yes' });
    expect(message).toBe("SYNC_CUSTOM_FIELDS must be true or false (got 'yes')");
    expect(message).not.toContain('\n');
  });
});
