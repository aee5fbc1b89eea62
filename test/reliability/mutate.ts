/**
 * Schema-valid variations of real payloads, for property tests of the row mappers. A sample item (as the
 * simulator serves it, PagerDuty's shape) is changed by a random plan of edits to any node: a new string
 * (unicode, empty, very long), a timestamp with another zone, a number, null, [] or {}, or the key removed.
 * An edit is kept only when the resource's zod schema still accepts the item, so every item produced is one
 * the engine would hand to the mapper, while reaching every null, empty and odd value the schema allows.
 */
import fc from 'fast-check';
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

/** Marks an edit that removes the key (or array element) instead of setting it. */
export const REMOVE = Symbol('remove');
type Replacement = Json | typeof REMOVE;

const isoWithOffset = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+05:30');

const replacement: fc.Arbitrary<Replacement> = fc.oneof(
  fc.constant(null),
  fc.constant(REMOVE),
  fc.constant(''),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('Ünïcödé ☃ 日本語 🚨', 'ⓘ\u200b\u202e', ' ', 'x'.repeat(400), 'a:b:c', ':'),
  fc
    .date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .chain((d) => fc.constantFrom(d.toISOString(), isoWithOffset(d), d.toISOString().replace('.000', ''))),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
);

export interface Edit {
  at: number;
  value: Replacement;
}

/** A plan of edits: `at` picks a node (modulo the nodes there are when the edit is applied). */
export const editPlan: fc.Arbitrary<Edit[]> = fc.array(fc.record({ at: fc.nat(), value: replacement }), {
  maxLength: 16,
});

/** Every node below the root, parents before children. */
function nodes(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((v, i): [number, Json] => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...nodes(v, [...prefix, k])]);
}

function edited(root: Json, path: Path, value: Replacement): Json {
  const copy = structuredClone(root);
  let parent: Json = copy;
  for (const key of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return root;
    parent = Array.isArray(parent) ? (parent[Number(key)] ?? null) : (parent[String(key)] ?? null);
  }
  const last = path.at(-1);
  if (parent === null || typeof parent !== 'object' || last === undefined) return root;
  if (Array.isArray(parent)) {
    if (value === REMOVE) parent.splice(Number(last), 1);
    else parent[Number(last)] = value;
  } else if (value === REMOVE) delete parent[String(last)];
  else parent[String(last)] = value;
  return copy;
}

/** Applies the plan to `sample`, keeping each edit only if `schema` still accepts the item. */
export function applyPlan(schema: z.ZodType, sample: Json, plan: readonly Edit[]): Json {
  let item = sample;
  for (const edit of plan) {
    const all = nodes(item);
    const path = all[edit.at % Math.max(1, all.length)];
    if (!path) continue;
    const candidate = edited(item, path, edit.value);
    if (schema.safeParse(candidate).success) item = candidate;
  }
  return item;
}

/** One column of a table's key: its drizzle property name, and whether the key lets it be NULL. */
export interface KeyField {
  field: string;
  nullable: boolean;
}

/**
 * The columns identifying a row of `table`: its primary key (one column or composite), else its first
 * unique constraint (`oncalls`: a NULLS NOT DISTINCT natural key whose schedule and start may be NULL).
 */
export function keyFields(table: PgTable): KeyField[] {
  const config = getTableConfig(table);
  const composite = config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name));
  const unique = config.uniqueConstraints[0]?.columns.map((c) => c.name) ?? [];
  const columns = Object.entries(getTableColumns(table));
  const primary = columns.filter(([, c]) => c.primary).map(([, c]) => c.name);
  const names = new Set(primary.length > 0 ? primary : composite.length > 0 ? composite : unique);
  return columns.filter(([, c]) => names.has(c.name)).map(([field, c]) => ({ field, nullable: !c.notNull }));
}

/** Why a key value is unusable, or null: strings non-empty, dates valid, NULL only where the key allows it. */
export function badKeyValue(value: unknown, nullable: boolean): string | null {
  if (value === null || value === undefined) return nullable ? null : 'missing';
  if (typeof value === 'string') return value.length > 0 ? null : 'an empty string';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'a non-finite number';
  return `a ${typeof value} value`;
}
