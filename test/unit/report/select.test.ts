import { describe, expect, it } from 'vitest';
import { knownKeys, selectServices, splitList, type ServiceKeyRow } from '../../../src/report/select.js';

const ALL: ServiceKeyRow[] = [
  {
    service_id: 'P1',
    service_key: 'checkout-api',
    service_name: 'Checkout API',
    team_id: 'T1',
    team_key: 'payments',
  },
  { service_id: 'P2', service_key: 'billing', service_name: 'Billing', team_id: 'T1', team_key: 'payments' },
  { service_id: 'P3', service_key: 'search', service_name: 'Search', team_id: 'T2', team_key: 'discovery' },
  { service_id: 'P4', service_key: 'orphan', service_name: 'Orphan', team_id: null, team_key: null },
];
const ids = (s: ReturnType<typeof selectServices>) => s.selected?.map((x) => x.service_id);

describe('--service / --team selection', () => {
  it('selects everything without filters', () => {
    expect(selectServices(ALL, { services: [], teams: [] })).toEqual({ selected: null, unmatched: [] });
  });

  it('matches services by key or id, case-insensitively, and teams by key or id', () => {
    expect(ids(selectServices(ALL, { services: ['CHECKOUT-API', 'p3'], teams: [] }))).toEqual(['P1', 'P3']);
    expect(ids(selectServices(ALL, { services: [], teams: ['payments'] }))).toEqual(['P2', 'P1']);
    expect(ids(selectServices(ALL, { services: [], teams: ['T2'] }))).toEqual(['P3']);
  });

  it('narrows when both flags are given', () => {
    expect(ids(selectServices(ALL, { services: ['billing', 'search'], teams: ['payments'] }))).toEqual([
      'P2',
    ]);
  });

  it('reports each value that matched nothing', () => {
    const s = selectServices(ALL, { services: ['nope', 'billing'], teams: ['ghosts'] });
    expect(s.unmatched).toEqual([
      { flag: '--service', value: 'nope' },
      { flag: '--team', value: 'ghosts' },
    ]);
  });

  it('reads repeated flags and comma lists alike', () => {
    expect(splitList(['a,b', ' c ', ',,'])).toEqual(['a', 'b', 'c']);
    expect(splitList(undefined)).toEqual([]);
    expect(knownKeys(ALL, 'team_key')).toEqual(['discovery', 'payments']);
  });
});
