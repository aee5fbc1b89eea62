import { describe, expect, it } from 'vitest';
import { assertSchemaName, quoteIdentifier } from '../../../src/db/identifiers.js';
import { ConfigError } from '../../../src/errors.js';

describe('assertSchemaName', () => {
  it('accepts plain lower-case identifiers up to 63 characters', () => {
    for (const name of ['pagerduty', 'pd_acme', '_x', 'a1', 'a'.repeat(63), 'public']) {
      expect(assertSchemaName(name)).toBe(name);
    }
  });

  it('rejects anything else with a ConfigError naming DATABASE_SCHEMA', () => {
    for (const name of [
      '',
      'PagerDuty',
      'pager-duty',
      '1st',
      'a b',
      'a"b',
      'a'.repeat(64),
      'pg_temp',
      'information_schema',
    ]) {
      expect(() => assertSchemaName(name)).toThrow(ConfigError);
      expect(() => assertSchemaName(name)).toThrow(/DATABASE_SCHEMA/);
    }
  });
});

describe('quoteIdentifier', () => {
  it('double-quotes and doubles embedded quotes', () => {
    expect(quoteIdentifier('incidents')).toBe('"incidents"');
    expect(quoteIdentifier('a"b; DROP TABLE x')).toBe('"a""b; DROP TABLE x"');
  });
});
