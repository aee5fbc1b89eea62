import { z } from 'zod';
import type { PgTable } from 'drizzle-orm/pg-core';
import { incidentCustomFields, serviceCustomFields } from '../db/schema/account.js';
import type { ChildDef, TableRows } from './define.js';

const fieldValue = z
  .object({
    id: z.string().min(1).max(255),
    name: z.string(),
    data_type: z.string(),
    field_type: z.string(),
    value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]).optional(),
  })
  .loose();
type FieldValue = z.infer<typeof fieldValue>;

/** `value_text`: the scalar as text, or the array joined with ", "; cut at 1,000 characters (it is indexed; `value` keeps it whole). */
export function valueText(value: string | number | boolean | string[]): string {
  return (Array.isArray(value) ? value.join(', ') : String(value)).slice(0, 1000);
}

function rows(table: PgTable, parent: Record<string, string>, v: FieldValue, syncedAt: Date): TableRows[] {
  // Unset fields (null) have no row; the parent's set replace removes a value that was cleared.
  if (v.value === null || v.value === undefined) return [];
  const row = {
    ...parent,
    fieldId: v.id,
    fieldName: v.name,
    fieldType: v.field_type,
    dataType: v.data_type,
    value: v.value,
    valueText: valueText(v.value),
    syncedAt,
  };
  return [{ table, rows: [row] }];
}

/**
 * Custom field values, opt-in (SYNC_CUSTOM_FIELDS=true): one unpaginated GET per parent id, every defined
 * field listed with `value: null` when unset. A parent's rows are replaced as a set (see `replaces`).
 */
export type CustomFieldValues = ChildDef<string, typeof fieldValue>;

export const incidentCustomFieldValues: CustomFieldValues = {
  path: (id) => `/incidents/${encodeURIComponent(id)}/custom_fields/values`,
  dataKey: 'custom_fields',
  schema: fieldValue,
  replaces: { table: incidentCustomFields, column: 'incident_id' },
  toRows: (id, v, ctx) => rows(incidentCustomFields, { incidentId: id }, v, ctx.syncedAt),
};

export const serviceCustomFieldValues: CustomFieldValues = {
  path: (id) => `/services/${encodeURIComponent(id)}/custom_fields/values`,
  dataKey: 'custom_fields',
  schema: fieldValue,
  replaces: { table: serviceCustomFields, column: 'service_id' },
  toRows: (id, v, ctx) => rows(serviceCustomFields, { serviceId: id }, v, ctx.syncedAt),
};
