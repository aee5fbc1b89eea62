import type { Account } from './account.js';
import type { CustomFieldValue, IncidentRec, ServiceRec } from './model.js';
import { IdFactory, Random } from './random.js';
import { slugify } from './reference.js';
import { DAY, SECOND, formatTime } from './time.js';

export type CustomFieldDataType = 'string' | 'integer' | 'float' | 'boolean' | 'datetime' | 'url';
export type CustomFieldType = 'single_value' | 'single_value_fixed' | 'multi_value' | 'multi_value_fixed';

/** One custom field definition: on incidents (the base incident type) or on services. */
export interface CustomFieldDef {
  id: string;
  scope: 'incident' | 'service';
  name: string;
  displayName: string;
  description: string | null;
  dataType: CustomFieldDataType;
  fieldType: CustomFieldType;
  defaultValue: CustomFieldValue;
  options: { id: string; value: string }[];
  createdAt: number;
  updatedAt: number;
}

type Spec = [
  name: string,
  display: string,
  description: string | null,
  dataType: CustomFieldDataType,
  fieldType: CustomFieldType,
  options?: readonly string[],
  defaultValue?: CustomFieldValue,
];

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1'] as const;
const COMPONENTS = ['api', 'database', 'frontend', 'queue', 'cache', 'network', 'auth'] as const;
const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
const CUSTOMERS = ['Initech', 'Globex', 'Umbrella Corp', 'Société Générale', 'Wayne Enterprises', 'Hooli'];

const INCIDENT_FIELDS: readonly Spec[] = [
  ['service', 'Service', 'Impacted service, as the responder names it', 'string', 'single_value'],
  ['component', 'Component', 'Failing component', 'string', 'single_value_fixed', COMPONENTS],
  ['customer', 'Customer', 'Customer that reported the issue', 'string', 'single_value'],
  ['severity', 'Severity', 'Business severity', 'string', 'single_value_fixed', SEVERITIES, 'sev3'],
  ['runbook', 'Runbook', null, 'url', 'single_value'],
  ['affected_regions', 'Affected Regions', 'Regions with impact', 'string', 'multi_value_fixed', REGIONS],
  ['customers_affected', 'Customers Affected', 'Estimated number of customers', 'integer', 'single_value'],
  ['postmortem_required', 'Postmortem Required', null, 'boolean', 'single_value', undefined, false],
  ['detected_at', 'Detected At', 'When monitoring first saw the problem', 'datetime', 'single_value'],
  ['revenue_impact', 'Revenue Impact (USD)', null, 'float', 'single_value'],
];

const SERVICE_FIELDS: readonly Spec[] = [
  ['tier', 'Tier', 'Service tier', 'string', 'single_value_fixed', ['tier-1', 'tier-2', 'tier-3']],
  ['supported_regions', 'Supported Regions', 'Deployed regions', 'string', 'multi_value_fixed', REGIONS],
  ['team_owner', 'Team Owner', 'The team that owns this service', 'string', 'single_value'],
  ['repository', 'Repository', null, 'url', 'single_value'],
  ['pci_scope', 'PCI Scope', 'Handles card data', 'boolean', 'single_value', undefined, false],
  ['slo_target', 'SLO Target (%)', null, 'float', 'single_value'],
];

export type FieldValues = ReadonlyMap<string, CustomFieldValue>;

/**
 * The account's custom fields: definitions for incidents and services, and their values, all derived from
 * the seed. An incident's values are its generated base values, overlaid by its revealed
 * custom_field_value_change log entries; a service's values never change.
 */
export class CustomFields {
  readonly incidentFields: CustomFieldDef[];
  readonly serviceFields: CustomFieldDef[];
  private readonly slugs = new Map<string, string>();
  private readonly baseCache = new Map<string, FieldValues>();
  private readonly serviceValuesById = new Map<string, FieldValues>();

  constructor(private readonly account: Account) {
    const rng = Random.derive(account.seed, 'custom-fields');
    const ids = new IdFactory(Random.derive(account.seed, 'custom-field-ids'));
    const start = account.now - account.spec.days * DAY;
    const define = (scope: CustomFieldDef['scope'], s: Spec): CustomFieldDef => {
      const createdAt = start - rng.int(30, 400) * DAY - rng.int(0, 86399) * SECOND;
      return {
        id: ids.next(),
        scope,
        name: s[0],
        displayName: s[1],
        description: s[2],
        dataType: s[3],
        fieldType: s[4],
        options: (s[5] ?? []).map((value) => ({ id: ids.next(), value })),
        defaultValue: s[6] ?? null,
        createdAt,
        updatedAt: createdAt + rng.int(0, 20) * DAY,
      };
    };
    this.incidentFields = INCIDENT_FIELDS.map((s) => define('incident', s));
    this.serviceFields = SERVICE_FIELDS.map((s) => define('service', s));
    // Names as they were when values were set: later renames do not rewrite stored field values.
    for (const s of account.services) this.slugs.set(s.id, slugify(s.name) || s.id.toLowerCase());
    account.services.forEach((s, i) => this.serviceValuesById.set(s.id, this.generateService(s, i)));
  }

  field(scope: CustomFieldDef['scope'], id: string): CustomFieldDef | undefined {
    return (scope === 'incident' ? this.incidentFields : this.serviceFields).find((f) => f.id === id);
  }

  /** A value `field` could hold, drawn from `rng`; `inc` gives context for the free-text fields. */
  draw(field: CustomFieldDef, rng: Random, inc: IncidentRec): CustomFieldValue {
    const slug = this.slugs.get(inc.serviceId) ?? 'unknown';
    switch (field.name) {
      case 'service':
        return slug;
      case 'customer':
        return rng.pick(CUSTOMERS);
      case 'runbook':
        return `https://wiki.acme.example/runbooks/${slug}`;
      case 'customers_affected':
        return rng.int(1, 5000);
      case 'postmortem_required':
        return rng.chance(0.3);
      case 'detected_at':
        return formatTime(inc.createdAt - rng.int(0, 900) * SECOND, 'UTC');
      case 'revenue_impact':
        return rng.int(100, 2_000_000) / 100;
      default:
        return drawOption(field, rng);
    }
  }

  /** The values an incident was created with (fields without a value: null, or the field's default). */
  private base(inc: IncidentRec): FieldValues {
    let values = this.baseCache.get(inc.id);
    if (values) return values;
    const rng = Random.derive(this.account.seed, `custom-field-values/${inc.number}`);
    const chance: Record<string, number> = {
      service: 0.55,
      component: 0.7,
      customer: 0.35,
      runbook: 0.4,
      affected_regions: 0.5,
      customers_affected: 0.3,
      detected_at: 0.45,
      revenue_impact: 0.15,
    };
    const priorities = this.account.priorities;
    const rank = priorities.findIndex((p) => p.id === inc.initialPriorityId);
    const severity = rank < 0 ? null : (SEVERITIES[Math.min(rank, SEVERITIES.length - 1)] ?? null);
    const out = new Map<string, CustomFieldValue>();
    for (const f of this.incidentFields) {
      let v: CustomFieldValue;
      if (f.name === 'severity') v = severity ?? f.defaultValue;
      else if (f.name === 'postmortem_required') v = severity === 'sev1' || rng.chance(0.1);
      else v = rng.chance(chance[f.name] ?? 0.5) ? this.draw(f, rng, inc) : f.defaultValue;
      out.set(f.id, v);
    }
    values = out;
    // Lazy mode may serve a million incidents: it recomputes rather than remember them all.
    if (!this.account.lazy) this.baseCache.set(inc.id, values);
    return values;
  }

  /** The incident's values at the clock: base values, then each revealed change in order. */
  incidentValues(inc: IncidentRec): FieldValues {
    const base = this.base(inc);
    let out: Map<string, CustomFieldValue> | null = null;
    for (let i = 0; i < inc.revealed; i++) {
      const change = inc.events[i]?.fieldChange;
      if (!change) continue;
      out ??= new Map(base);
      out.set(change.fieldId, change.value);
    }
    return out ?? base;
  }

  serviceValues(s: ServiceRec): FieldValues {
    return this.serviceValuesById.get(s.id) ?? new Map();
  }

  private generateService(s: ServiceRec, index: number): FieldValues {
    const rng = Random.derive(this.account.seed, `service-custom-field-values/${index}`);
    const team = this.account.byId.teams.get(s.teamIds[0] ?? '');
    const slug = this.slugs.get(s.id) ?? s.id.toLowerCase();
    const out = new Map<string, CustomFieldValue>();
    for (const f of this.serviceFields) {
      let v: CustomFieldValue = f.defaultValue;
      if (f.name === 'tier') v = rng.chance(0.9) ? drawOption(f, rng) : null;
      else if (f.name === 'supported_regions') v = rng.chance(0.7) ? drawOption(f, rng) : null;
      else if (f.name === 'team_owner') v = team && rng.chance(0.8) ? team.name : null;
      else if (f.name === 'repository') v = rng.chance(0.75) ? `https://github.com/acme/${slug}` : null;
      else if (f.name === 'pci_scope') v = rng.chance(0.2);
      else if (f.name === 'slo_target') v = rng.chance(0.6) ? rng.pick([99, 99.5, 99.9, 99.95, 99.99]) : null;
      out.set(f.id, v);
    }
    return out;
  }
}

/** One option (single_value_fixed) or a non-empty subset in option order (multi_value_fixed). */
function drawOption(field: CustomFieldDef, rng: Random): CustomFieldValue {
  const values = field.options.map((o) => o.value);
  if (values.length === 0) return null;
  if (field.fieldType !== 'multi_value_fixed') return rng.pick(values);
  const picked = new Set(rng.sample(values, rng.int(1, Math.min(3, values.length))));
  return values.filter((v) => picked.has(v));
}
