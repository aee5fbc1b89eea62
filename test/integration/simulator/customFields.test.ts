import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createClient, expectError, NOW, parsePage, type SimClient } from './simHttp.js';

const DATA_TYPES = ['string', 'integer', 'float', 'boolean', 'datetime', 'url'] as const;
const FIELD_TYPES = ['single_value', 'single_value_fixed', 'multi_value', 'multi_value_fixed'] as const;
const UTC_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

const optionSchema = z.object({
  id: z.string(),
  type: z.literal('field_option'),
  data: z.object({ data_type: z.literal('string'), value: z.string() }),
  created_at: z.string().regex(UTC_SECONDS),
  updated_at: z.string().regex(UTC_SECONDS),
});
const definitionSchema = z.object({
  id: z.string(),
  type: z.string(),
  summary: z.string(),
  self: z.string(),
  name: z.string().regex(/^[a-z0-9_]+$/),
  display_name: z.string().max(50),
  description: z.string().nullable(),
  data_type: z.enum(DATA_TYPES),
  field_type: z.enum(FIELD_TYPES),
  created_at: z.string().regex(UTC_SECONDS),
  updated_at: z.string().regex(UTC_SECONDS),
  field_options: z.array(optionSchema).optional(),
});
type Definition = z.infer<typeof definitionSchema>;
const valueSchema = z.object({
  id: z.string(),
  type: z.literal('field_value'),
  name: z.string(),
  display_name: z.string(),
  description: z.string().nullable(),
  data_type: z.enum(DATA_TYPES),
  field_type: z.enum(FIELD_TYPES),
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]),
});
type FieldValue = z.infer<typeof valueSchema>;
const valuesBody = z.object({ custom_fields: z.array(valueSchema) });

/** Every rule a value must obey given its definition; returns the broken ones. */
function violations(v: FieldValue, defs: Map<string, Definition>): string[] {
  const d = defs.get(v.id);
  if (!d) return [`${v.name}: no definition ${v.id}`];
  const out: string[] = [];
  for (const k of ['name', 'display_name', 'description', 'data_type', 'field_type'] as const)
    if (v[k] !== d[k]) out.push(`${v.name}.${k} differs from the definition`);
  const x = v.value;
  if (x === null) return out;
  const options = new Set((d.field_options ?? []).map((o) => o.data.value));
  const scalar = (s: unknown) => {
    switch (d.data_type) {
      case 'string':
        return typeof s === 'string';
      case 'integer':
        return Number.isInteger(s);
      case 'float':
        return typeof s === 'number';
      case 'boolean':
        return typeof s === 'boolean';
      case 'datetime':
        return typeof s === 'string' && !Number.isNaN(Date.parse(s));
      case 'url':
        return typeof s === 'string' && URL.canParse(s);
    }
  };
  if (d.field_type.startsWith('multi_value')) {
    if (!Array.isArray(x) || x.length === 0)
      return [...out, `${v.name}: multi-value must be a non-empty array`];
    if (new Set(x).size !== x.length) out.push(`${v.name}: repeated items`);
    if (!x.every(scalar)) out.push(`${v.name}: item of the wrong data type`);
    if (d.field_type === 'multi_value_fixed' && !x.every((i) => options.has(i)))
      out.push(`${v.name}: not an option`);
  } else {
    if (Array.isArray(x) || !scalar(x)) out.push(`${v.name}: ${JSON.stringify(x)} is not a ${d.data_type}`);
    if (d.field_type === 'single_value_fixed' && !options.has(String(x)))
      out.push(`${v.name}: not an option`);
  }
  return out;
}

describe('custom fields', () => {
  let sim: Simulator;
  let twin: Simulator;
  let client: SimClient;
  let incidentDefs: Map<string, Definition>;

  const definitions = async (path: string) => {
    const reply = await client.get(path, { 'include[]': 'field_options' });
    expect(reply.status, reply.text).toBe(200);
    return z.object({ fields: z.array(definitionSchema) }).parse(reply.json).fields;
  };
  const values = async (path: string) => {
    const reply = await client.get(path);
    expect(reply.status, reply.text).toBe(200);
    return valuesBody.parse(reply.json).custom_fields;
  };

  beforeAll(async () => {
    const opts = { seed: 17, now: NOW, preset: 'large', incidents: 160, days: 15, rpm: 100_000 } as const;
    sim = await startSimulator(opts);
    twin = await startSimulator(opts);
    client = createClient(sim.url);
    incidentDefs = new Map((await definitions('/incidents/custom_fields')).map((d) => [d.id, d]));
  });
  afterAll(async () => {
    await client.close();
    await Promise.all([sim.close(), twin.close()]);
  });

  it('GET /incidents/custom_fields defines the common fields; field_options only on request', async () => {
    const defs = [...incidentDefs.values()];
    const names = defs.map((d) => d.name);
    for (const n of ['service', 'component', 'customer', 'severity', 'runbook']) expect(names).toContain(n);
    expect(defs.some((d) => d.field_type === 'multi_value_fixed')).toBe(true);
    expect(new Set(defs.map((d) => d.data_type))).toEqual(new Set(DATA_TYPES));
    for (const d of defs) {
      expect(d.type).toBe('field');
      expect(d.self).toBe(`https://api.pagerduty.com/incidents/custom_fields/${d.id}`);
      expect(d.field_options !== undefined).toBe(d.field_type.endsWith('_fixed'));
      if (d.field_options) expect(d.field_options.length).toBeGreaterThan(1);
    }
    const plain = z
      .object({ fields: z.array(definitionSchema) })
      .parse((await client.get('/incidents/custom_fields')).json);
    expect(plain.fields.map((d) => d.id)).toEqual(defs.map((d) => d.id));
    expect(plain.fields.every((d) => d.field_options === undefined)).toBe(true);
    const one = await client.get(`/incidents/custom_fields/${defs[0]?.id ?? ''}`);
    expect(z.object({ field: definitionSchema }).parse(one.json).field.id).toBe(defs[0]?.id);
    expectError(await client.get('/incidents/custom_fields/PNOSUCH'), 404, 2100);
  });

  it('every incident lists every field once, with values its definition allows; not every value is set', async () => {
    const visible = sim.account.incidents.filter((i) => i.revealed > 0);
    const setCount = new Map<string, number>();
    for (const inc of visible) {
      const list = await values(`/incidents/${inc.id}/custom_fields/values`);
      expect(list.map((v) => v.id).sort()).toEqual([...incidentDefs.keys()].sort());
      expect(list.flatMap((v) => violations(v, incidentDefs))).toEqual([]);
      for (const v of list) if (v.value !== null) setCount.set(v.name, (setCount.get(v.name) ?? 0) + 1);
    }
    const partial = [...setCount.values()].filter((n) => n > 0 && n < visible.length);
    expect(partial.length).toBeGreaterThanOrEqual(5);
    expect(setCount.get('severity')).toBe(visible.length); // has a default value
  });

  it('values are deterministic: the same seed serves the same values, request after request', async () => {
    const twinClient = createClient(twin.url);
    try {
      for (const inc of sim.account.incidents.filter((i) => i.revealed > 0).slice(-25)) {
        const path = `/incidents/${inc.id}/custom_fields/values`;
        const a = await client.get(path);
        expect((await client.get(path)).text).toBe(a.text);
        expect((await twinClient.get(path)).text).toBe(a.text);
      }
    } finally {
      await twinClient.close();
    }
  });

  it('GET /incidents/{id}?include[]=custom_fields embeds the values; unknown incidents answer 404', async () => {
    const inc = sim.account.incidents.filter((i) => i.revealed > 0).at(-1);
    if (!inc) throw new Error('no incidents');
    const list = await values(`/incidents/${inc.id}/custom_fields/values`);
    const withFields = await client.get(`/incidents/${inc.id}`, { 'include[]': 'custom_fields' });
    const embedded = z
      .object({ incident: z.object({ custom_fields: z.array(valueSchema) }) })
      .parse(withFields.json);
    expect(embedded.incident.custom_fields).toEqual(list);
    const plain = z
      .object({ incident: z.looseObject({}) })
      .parse((await client.get(`/incidents/${inc.id}`)).json);
    expect(plain.incident).not.toHaveProperty('custom_fields');
    expectError(await client.get('/incidents/QNOSUCHINCIDENT/custom_fields/values'), 404, 2100);
  });

  it('service fields and values follow the same rules; a deleted service answers 404', async () => {
    const defs = await definitions('/services/custom_fields');
    const byId = new Map(defs.map((d) => [d.id, d]));
    expect(defs.some((d) => d.field_type === 'multi_value_fixed')).toBe(true);
    for (const d of defs) {
      expect(d.type).toBe('custom_fields_field');
      expect(d.self).toBe(`https://api.pagerduty.com/services/custom_fields/${d.id}`);
    }
    const services = parsePage(
      await client.get('/services', { limit: 100 }),
      'services',
      z.object({ id: z.string() }),
    );
    let set = 0;
    for (const s of services.items) {
      const list = await values(`/services/${s.id}/custom_fields/values`);
      expect(list.map((v) => v.id).sort()).toEqual([...byId.keys()].sort());
      expect(list.flatMap((v) => violations(v, byId))).toEqual([]);
      set += list.filter((v) => v.value !== null).length;
    }
    expect(set).toBeGreaterThan(0);
    expect(set).toBeLessThan(services.items.length * defs.length);
    const report = sim.advance(30, { deleteService: true, newIncidents: 0, priorityChanges: 0 });
    const deleted = report.deletedServiceIds[0];
    if (!deleted) throw new Error('no service deleted');
    expectError(await client.get(`/services/${deleted}/custom_fields/values`), 404, 2100);
    expect(sim.truth().tables.service_custom_fields.some((r) => r.service_id === deleted)).toBe(false);
  });

  it('an edit on advance changes the value, writes a custom_field_value_change log entry and shows in the truth', async () => {
    const report = sim.advance(60, { customFieldChanges: 6, newIncidents: 0, priorityChanges: 0 });
    expect(report.customFieldChanges).toHaveLength(6);
    const truth = sim.truth().tables.incident_custom_fields;
    for (const c of report.customFieldChanges) {
      expect(c.to).not.toEqual(c.from);
      expect(report.changedIncidentIds).toContain(c.incidentId);
      const list = await values(`/incidents/${c.incidentId}/custom_fields/values`);
      expect(list.find((v) => v.name === c.field)?.value).toEqual(c.to);
      expect(list.flatMap((v) => violations(v, incidentDefs))).toEqual([]);
      const row = truth.find((r) => r.incident_id === c.incidentId && r.field_name === c.field);
      expect(row?.value ?? null).toEqual(c.to);
      const log = z
        .object({
          log_entries: z.array(
            z.looseObject({ type: z.string(), changeset: z.array(z.string()).optional() }),
          ),
        })
        .parse((await client.get(`/incidents/${c.incidentId}/log_entries`)).json).log_entries;
      const entry = log.find((e) => e.type === 'custom_field_value_change_log_entry');
      expect(entry?.changeset?.[0]).toMatch(new RegExp(`^Updated ${c.field} to `));
    }
  });

  it('the truth holds one row per set value, matching what the API serves', async () => {
    const rows = sim.truth().tables.incident_custom_fields;
    for (const inc of sim.account.incidents.filter((i) => i.revealed > 0).slice(0, 40)) {
      const served = (await values(`/incidents/${inc.id}/custom_fields/values`)).filter(
        (v) => v.value !== null,
      );
      const mine = rows.filter((r) => r.incident_id === inc.id);
      expect(mine.map((r) => [r.field_id, r.field_name, r.field_type, r.value])).toEqual(
        served.map((v) => [v.id, v.name, v.field_type, v.value]),
      );
      for (const r of mine)
        expect(r.value_text).toBe(Array.isArray(r.value) ? r.value.join(', ') : String(r.value));
    }
  });
});
