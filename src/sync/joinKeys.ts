import type { KeySource } from '../config.js';
import type { Queryable } from '../db/client.js';
import { slugKey } from '../resources/fields.js';

/**
 * Join keys shared with other tools' tables: `services.service_key` and `teams.team_key`. Each is the first
 * configured source that has a value (SERVICE_KEY_SOURCE / TEAM_KEY_SOURCE, e.g. `tag:service` or
 * `custom_field:service_key`), else a normalised slug of the name. Resolved after the reference data of a
 * run is in, because the sources live in other tables (entity_tags, service_custom_fields). Only keys that
 * change are written.
 */

interface Candidate {
  id: string;
  value: string | null;
}

/** SQL per source kind, for services: the first value (lowest) a service has from that source. */
const SERVICE_SOURCES: Record<KeySource['kind'], string> = {
  tag: `SELECT s.id, min(et.tag_value) AS value FROM services s
          JOIN entity_tags et ON et.entity_type = 'escalation_policies' AND et.entity_id = s.escalation_policy_id
         WHERE et.tag_key = $1 AND nullif(btrim(et.tag_value), '') IS NOT NULL GROUP BY s.id`,
  custom_field: `SELECT service_id AS id, min(value_text) AS value FROM service_custom_fields
                  WHERE field_name = $1 AND nullif(btrim(value_text), '') IS NOT NULL GROUP BY service_id`,
};

const TEAM_SOURCES: Partial<Record<KeySource['kind'], string>> = {
  tag: `SELECT entity_id AS id, min(tag_value) AS value FROM entity_tags
         WHERE entity_type = 'teams' AND tag_key = $1 AND nullif(btrim(tag_value), '') IS NOT NULL
         GROUP BY entity_id`,
};

async function resolve(
  db: Queryable,
  table: 'services' | 'teams',
  column: 'service_key' | 'team_key',
  sources: readonly KeySource[],
  sql: Partial<Record<KeySource['kind'], string>>,
): Promise<number> {
  const entities = await db.query<{ id: string; name: string; key: string }>(
    `SELECT id, name, ${column} AS key FROM ${table}`,
  );
  const found: Map<string, string>[] = [];
  for (const source of sources) {
    const query = sql[source.kind];
    if (query === undefined) continue;
    const rows = await db.query<Candidate>(query, [source.name]);
    found.push(new Map(rows.flatMap((r) => (r.value === null ? [] : [[r.id, r.value.trim()] as const]))));
  }
  const ids: string[] = [];
  const keys: string[] = [];
  for (const e of entities) {
    const key = found.map((m) => m.get(e.id)).find((v) => v !== undefined) ?? slugKey(e.name);
    if (key !== e.key) {
      ids.push(e.id);
      keys.push(key);
    }
  }
  if (ids.length === 0) return 0;
  const updated = await db.query<{ n: number }>(
    `WITH u AS (UPDATE ${table} t SET ${column} = v.key, synced_at = now()
       FROM unnest($1::text[], $2::text[]) AS v(id, key) WHERE t.id = v.id RETURNING 1)
     SELECT count(*)::int AS n FROM u`,
    [ids, keys],
  );
  return updated[0]?.n ?? 0;
}

/** Resolves both keys; returns how many rows of each table changed. */
export async function resolveJoinKeys(
  db: Queryable,
  sources: { service: readonly KeySource[]; team: readonly KeySource[] },
): Promise<{ services: number; teams: number }> {
  return {
    services: await resolve(db, 'services', 'service_key', sources.service, SERVICE_SOURCES),
    teams: await resolve(db, 'teams', 'team_key', sources.team, TEAM_SOURCES),
  };
}
