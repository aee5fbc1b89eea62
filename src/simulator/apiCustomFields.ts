import type { Account } from './account.js';
import { findIncident } from './apiIncidents.js';
import type { CustomFieldDef, FieldValues } from './customFields.js';
import { notFound, type ApiReply } from './errors.js';
import { API_BASE, type Json } from './render.js';
import { formatTime } from './time.js';

/*
 * Custom fields, as PagerDuty serves them:
 *  GET /incidents/custom_fields[?include[]=field_options]   → { fields: [...] }   (type "field")
 *  GET /incidents/custom_fields/{field_id}                  → { field }
 *  GET /incidents/{id}/custom_fields/values                 → { custom_fields: [...] } (type "field_value")
 *  GET /services/custom_fields[?include[]=field_options]    → { fields: [...] }   (type "custom_fields_field")
 *  GET /services/custom_fields/{field_id}                   → { field }
 *  GET /services/{id}/custom_fields/values                  → { custom_fields: [...] }
 * None is paginated. Definition times are always UTC (these routes take no time_zone). Every defined field
 * is listed in the values, with `value: null` when unset; multi-value fields hold arrays.
 * Quirks kept from the spec's examples: an incident field's `summary` is its name, a service field's is its
 * display name; service fields are typed "custom_fields_field" (the schema says "field") and carry
 * `enabled` but no `default_value`.
 */

function utc(ms: number): string {
  return formatTime(ms, 'UTC');
}

function renderOptions(f: CustomFieldDef): Json[] {
  return f.options.map((o) => ({
    id: o.id,
    type: 'field_option',
    data: { data_type: 'string', value: o.value },
    created_at: utc(f.createdAt),
    updated_at: utc(f.createdAt),
  }));
}

export function renderFieldDefinition(f: CustomFieldDef, withOptions: boolean): Json {
  const incident = f.scope === 'incident';
  const out: Json = {
    id: f.id,
    type: incident ? 'field' : 'custom_fields_field',
    summary: incident ? f.name : f.displayName,
    self: `${API_BASE}/${incident ? 'incidents' : 'services'}/custom_fields/${f.id}`,
    data_type: f.dataType,
    name: f.name,
    display_name: f.displayName,
    description: f.description,
    field_type: f.fieldType,
    created_at: utc(f.createdAt),
    updated_at: utc(f.updatedAt),
  };
  if (incident) out.default_value = f.defaultValue;
  else out.enabled = true;
  // As in the spec's example, only fixed-option fields carry field_options.
  if (withOptions && f.fieldType.endsWith('_fixed')) out.field_options = renderOptions(f);
  return out;
}

export function renderFieldValues(fields: readonly CustomFieldDef[], values: FieldValues): Json[] {
  return fields.map((f) => ({
    id: f.id,
    type: 'field_value',
    name: f.name,
    display_name: f.displayName,
    description: f.description,
    data_type: f.dataType,
    field_type: f.fieldType,
    value: values.get(f.id) ?? null,
  }));
}

/** Routes the custom-field paths under /incidents and /services; null when the path is not one of them. */
export function routeCustomFields(
  account: Account,
  parts: readonly string[],
  include: ReadonlySet<string>,
): ApiReply | null {
  const [first, second, third, fourth] = parts;
  if (first !== 'incidents' && first !== 'services') return null;
  const cf = account.customFields;
  const scope = first === 'incidents' ? 'incident' : 'service';
  const defs = scope === 'incident' ? cf.incidentFields : cf.serviceFields;
  const withOptions = include.has('field_options');
  if (second === 'custom_fields' && fourth === undefined) {
    if (third === undefined)
      return { status: 200, body: { fields: defs.map((f) => renderFieldDefinition(f, withOptions)) } };
    const f = cf.field(scope, third);
    if (!f) throw notFound();
    return { status: 200, body: { field: renderFieldDefinition(f, withOptions) } };
  }
  if (second === undefined || third !== 'custom_fields' || fourth !== 'values' || parts.length !== 4)
    return null;
  if (scope === 'incident') {
    const inc = findIncident(account, second);
    return { status: 200, body: { custom_fields: renderFieldValues(defs, cf.incidentValues(inc)) } };
  }
  const s = account.byId.services.get(second);
  if (!s || s.deletedAt !== null) throw notFound();
  return { status: 200, body: { custom_fields: renderFieldValues(defs, cf.serviceValues(s)) } };
}
