/**
 * `--service` / `--team` selection over the `service_keys` view's rows. Pure, so the matching rules are
 * unit-tested: a value matches a service by key or id (case-insensitive), a team by team_key or team_id.
 * Values within one flag add up; --service and --team together narrow (services in both).
 */
import type { ServiceRef } from './types.js';

/** A row of the `service_keys` view (only the columns the report uses). */
export interface ServiceKeyRow extends ServiceRef {
  team_id: string | null;
  team_key: string | null;
}

export interface Selection {
  /** Null when no filter was given (every service). */
  selected: ServiceRef[] | null;
  /** Values that matched nothing, with their flag. */
  unmatched: { flag: '--service' | '--team'; value: string }[];
}

const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();

/** `a,b` and repeated flags alike → trimmed, non-empty values. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export function selectServices(
  all: readonly ServiceKeyRow[],
  filters: { services: readonly string[]; teams: readonly string[] },
): Selection {
  const unmatched: Selection['unmatched'] = [];
  const pick = (
    flag: '--service' | '--team',
    values: readonly string[],
    match: (r: ServiceKeyRow, v: string) => boolean,
  ) => {
    const ids = new Set<string>();
    for (const value of values) {
      const hits = all.filter((r) => match(r, value));
      if (hits.length === 0) unmatched.push({ flag, value });
      for (const h of hits) ids.add(h.service_id);
    }
    return ids;
  };
  const byService = pick(
    '--service',
    filters.services,
    (r, v) => same(r.service_key, v) || same(r.service_id, v),
  );
  const byTeam = pick('--team', filters.teams, (r, v) => same(r.team_key, v) || same(r.team_id, v));
  if (filters.services.length === 0 && filters.teams.length === 0) return { selected: null, unmatched };
  const keep = (id: string) =>
    (filters.services.length === 0 || byService.has(id)) && (filters.teams.length === 0 || byTeam.has(id));
  const selected = new Map<string, ServiceRef>();
  for (const r of all) {
    if (keep(r.service_id) && !selected.has(r.service_id)) {
      selected.set(r.service_id, {
        service_id: r.service_id,
        service_key: r.service_key,
        service_name: r.service_name,
      });
    }
  }
  return {
    selected: [...selected.values()].sort((a, b) => a.service_name.localeCompare(b.service_name)),
    unmatched,
  };
}

/** Distinct values of one key column, sorted, for the "valid keys include …" hint. */
export function knownKeys(all: readonly ServiceKeyRow[], column: 'service_key' | 'team_key'): string[] {
  return [...new Set(all.map((r) => r[column]).filter((v): v is string => v !== null))].sort();
}
