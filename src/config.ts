import { z } from 'zod';
import { ConfigError } from './errors.js';

/** Resources the sync knows, in the order a run syncs them (reference data first). */
export const RESOURCE_NAMES = [
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
] as const;
export type ResourceName = (typeof RESOURCE_NAMES)[number];

/**
 * What a selected resource cannot be synced without; selecting it brings these along (transitively).
 * Incidents and their log feed are one change-detection mechanism (new log entries name the incidents to
 * re-read), and incident windows too dense to list are split per service, so incidents need the services.
 */
export const RESOURCE_NEEDS: Readonly<Partial<Record<ResourceName, readonly ResourceName[]>>> = {
  incidents: ['services', 'log_entries'],
  log_entries: ['incidents'],
};

/** Opt-in custom field values are read for the services and for the incidents new or changed in the run. */
const CUSTOM_FIELDS_NEED: readonly ResourceName[] = ['services', 'incidents'];

/** `names` and everything they need, in run order. */
export function withDependencies(names: Iterable<ResourceName>): ResourceName[] {
  const set = new Set<ResourceName>();
  const visit = (n: ResourceName) => {
    if (set.has(n)) return;
    set.add(n);
    for (const d of RESOURCE_NEEDS[n] ?? []) visit(d);
  };
  for (const n of names) visit(n);
  return RESOURCE_NAMES.filter((n) => set.has(n));
}

const DURATION = /^(\d+)([dhm])$/;

/** `90d`, `12h`, `30m` → milliseconds; null when not a duration. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] === 'd' ? 86_400_000 : m[2] === 'h' ? 3_600_000 : 60_000;
  return n * unit;
}

/** An ISO instant with an explicit zone, or a duration back from `now`. */
function parseStart(text: string, now: number): number | null {
  const d = parseDuration(text);
  if (d !== null) return now - d;
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(text.trim())) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

const TOKEN_HELP = 'create a read-only API key in PagerDuty (Integrations → API Access Keys)';

/** Raw environment variables (and flags mapped onto them). Units are in the names. */
const envSchema = z.object({
  PAGERDUTY_TOKEN: z.string().optional(),
  PAGERDUTY_OAUTH_TOKEN: z.string().optional(),
  PAGERDUTY_CLIENT_ID: z.string().optional(),
  PAGERDUTY_CLIENT_SECRET: z.string().optional(),
  PAGERDUTY_SUBDOMAIN: z.string().optional(),
  PAGERDUTY_REGION: z.string().optional(),
  PAGERDUTY_OAUTH_TOKEN_URL: z.string().optional(),
  PAGERDUTY_API_URL: z.string().default('https://api.pagerduty.com'),
  DATABASE_URL: z.string().optional(),
  PD_WAREHOUSE_DATA_DIR: z.string().default('./.pd-warehouse'),
  DATABASE_SCHEMA: z.string().default('pagerduty'),
  SYNC_START: z.string().default('365d'),
  PAGERDUTY_MAX_RPM: z.string().default('900'),
  SYNC_RESOURCES: z.string().optional(),
  SYNC_CUSTOM_FIELDS: z.string().default('false'),
  SYNC_ANALYTICS: z.string().default('false'),
  SYNC_ALLOW_REJECTS: z.string().default('false'),
  SYNC_DETAIL_REFRESH: z.string().default('6h'),
  SERVICE_KEY_SOURCE: z.string().default(''),
  PAGERDUTY_ROUTING_KEY: z.string().optional(),
  PAGERDUTY_EVENTS_URL: z.string().optional(),
  TEAM_KEY_SOURCE: z.string().default(''),
  LOG_LEVEL: z.string().default('info'),
});

/** Flags of `pd-warehouse sync` that override the environment. */
export interface SyncFlags {
  resources?: string;
  full?: boolean;
  since?: string;
  allowRejects?: boolean;
}

export interface Config {
  readonly pagerduty: {
    readonly apiUrl: string;
    readonly auth: Auth;
    readonly maxRpm: number;
  };
  readonly database: { readonly url: string | undefined; readonly dataDir: string; readonly schema: string };
  readonly sync: {
    /** Where history starts when a resource has no cursor yet (epoch ms). */
    readonly start: number;
    readonly resources: readonly ResourceName[];
    /** Ignore cursors and re-read from `start`. */
    readonly full: boolean;
    /** Opt-in: custom field values of new or changed incidents and of every listed service. */
    readonly customFields: boolean;
    /** Opt-in: PagerDuty Analytics raw incidents into analytics_incidents. */
    readonly analytics: boolean;
    /** Records that fail validation do not make the run exit 1 (they are kept in sync_rejects anyway). */
    readonly allowRejects: boolean;
    /**
     * How old the last complete read of the detail (team members, tag assignments, the on-call forecast)
     * may get before a run reads all of it again, ms; in between only what a signal names is read. 0: every
     * run. Default 6 h (SYNC_DETAIL_REFRESH).
     */
    readonly detailRefreshMs: number;
  };
  /** Failure alerts through the Events API v2: null when PAGERDUTY_ROUTING_KEY is unset. */
  readonly alerts: { readonly routingKey: string; readonly eventsUrl: string } | null;
  /** Where services.service_key and teams.team_key come from, in order of precedence; the name's slug last. */
  readonly joinKeys: { readonly service: readonly KeySource[]; readonly team: readonly KeySource[] };
  readonly logLevel: string;
}

/** How requests authenticate: an API key, a ready OAuth token, or an OAuth app's client credentials. */
export type Auth =
  | { readonly kind: 'token' | 'oauth'; readonly token: string }
  | {
      readonly kind: 'client_credentials';
      readonly clientId: string;
      readonly clientSecret: string;
      readonly subdomain: string;
      readonly region: 'us' | 'eu';
      readonly tokenUrl: string;
    };

/** The strings of `auth` that must never appear anywhere (scrubbed from messages). */
export function authSecrets(auth: Auth): string[] {
  return auth.kind === 'client_credentials' ? [auth.clientSecret] : [auth.token];
}

function parseAuth(e: z.infer<typeof envSchema>): Auth {
  const token = e.PAGERDUTY_TOKEN ?? undefined;
  const oauth = e.PAGERDUTY_OAUTH_TOKEN ?? undefined;
  const clientId = e.PAGERDUTY_CLIENT_ID?.trim() || undefined;
  const given = [
    token && 'PAGERDUTY_TOKEN',
    oauth && 'PAGERDUTY_OAUTH_TOKEN',
    clientId && 'PAGERDUTY_CLIENT_ID',
  ];
  const set = given.filter((x): x is string => typeof x === 'string' && x !== '');
  if (set.length > 1) fail(`set only one of ${set.join(', ')}: they are different ways to authenticate`);
  if (clientId !== undefined && !token && !oauth) {
    const secret = e.PAGERDUTY_CLIENT_SECRET?.trim() ?? '';
    if (secret === '')
      fail('PAGERDUTY_CLIENT_SECRET is not set: it comes with PAGERDUTY_CLIENT_ID from the OAuth app');
    const subdomain = e.PAGERDUTY_SUBDOMAIN?.trim() ?? '';
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/i.test(subdomain)) {
      fail(
        `PAGERDUTY_SUBDOMAIN must be the account's subdomain (acme for acme.pagerduty.com), got '${subdomain.slice(0, 40)}'`,
      );
    }
    const regionText = e.PAGERDUTY_REGION?.trim().toLowerCase() || 'us';
    if (regionText !== 'us' && regionText !== 'eu') {
      fail(`PAGERDUTY_REGION must be us or eu (got '${regionText.slice(0, 20)}')`);
    }
    const region: 'us' | 'eu' = regionText;
    const tokenUrl = checkUrl(
      'PAGERDUTY_OAUTH_TOKEN_URL',
      e.PAGERDUTY_OAUTH_TOKEN_URL?.trim() || 'https://identity.pagerduty.com/oauth/token',
      ['https:', 'http:'],
    );
    return { kind: 'client_credentials', clientId, clientSecret: secret, subdomain, region, tokenUrl };
  }
  if (token === undefined && oauth === undefined) {
    fail(
      `PAGERDUTY_TOKEN is not set: ${TOKEN_HELP} and export PAGERDUTY_TOKEN=<key> (or PAGERDUTY_OAUTH_TOKEN, or PAGERDUTY_CLIENT_ID and PAGERDUTY_CLIENT_SECRET for an OAuth app)`,
    );
  }
  return token !== undefined
    ? { kind: 'token', token: checkToken('PAGERDUTY_TOKEN', token) }
    : { kind: 'oauth', token: checkToken('PAGERDUTY_OAUTH_TOKEN', oauth ?? '') };
}

function fail(message: string): never {
  throw new ConfigError(message);
}

function checkToken(name: string, value: string): string {
  if (value.trim() === '') fail(`${name} is empty: ${TOKEN_HELP} and export ${name}=<key>`);
  if (/\s/.test(value.trim()) || /[\r\n]/.test(value)) {
    fail(`${name} contains spaces or a line break: paste the key alone, without quotes or "Token token="`);
  }
  return value.trim();
}

function checkUrl(name: string, value: string, protocols: string[]): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    // A value with credentials in it (user:password@) is never echoed: it may be a password that broke it.
    const shown = /[@:]/.test(value.replace(/^[a-z]+:\/\//i, '')) ? '' : ` ('${value.slice(0, 60)}')`;
    return fail(
      `${name} is not a URL${shown}: use e.g. ${protocols[0]}//host (percent-encode # @ : / in a password)`,
    );
  }
  if (!protocols.includes(u.protocol)) fail(`${name} must start with ${protocols.join(' or ')}//`);
  return value;
}

function resources(list: string | undefined): ResourceName[] {
  if (list === undefined || list.trim() === '') return [...RESOURCE_NAMES];
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) {
    if (!(RESOURCE_NAMES as readonly string[]).includes(n)) {
      fail(`unknown resource '${n}' in SYNC_RESOURCES/--resources: choose from ${RESOURCE_NAMES.join(', ')}`);
    }
  }
  return withDependencies(names as ResourceName[]);
}

/**
 * One source of a join key: `tag:service` (the value of the `service:…` tag on the service's escalation
 * policy, or on the team itself for team keys) or `custom_field:service_key` (a service custom field).
 */
export interface KeySource {
  kind: 'tag' | 'custom_field';
  name: string;
}

function keySources(name: string, value: string, kinds: readonly KeySource['kind'][]): KeySource[] {
  const out: KeySource[] = [];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(tag|custom_field):(.+)$/.exec(part);
    const kind = m?.[1] as KeySource['kind'] | undefined;
    if (!m || !kind || !kinds.includes(kind) || !m[2]?.trim()) {
      const forms = kinds.map((k) => `${k}:<name>`).join(' or ');
      fail(`${name} entry '${part.slice(0, 40)}' is not ${forms} (comma-separated, in order of precedence)`);
    }
    out.push({ kind, name: m[2].trim() });
  }
  return out;
}

/** SYNC_DETAIL_REFRESH: a duration (`6h`, `30m`, `1d`), or `0` for every run; at most 90 days. */
function detailRefresh(value: string): number {
  const ms = value.trim() === '0' ? 0 : parseDuration(value);
  if (ms === null || ms > 90 * 86_400_000) {
    fail(
      `SYNC_DETAIL_REFRESH must be a duration like 6h, 30m or 1d (at most 90d), or 0 for every run (got '${value.slice(0, 40)}')`,
    );
  }
  return ms;
}

function flag(name: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v !== 'true' && v !== 'false') fail(`${name} must be true or false (got '${value.slice(0, 40)}')`);
  return v === 'true';
}

/**
 * Parses the environment (and `sync` flags) into a frozen Config. Pure: `env` and `now` are passed in.
 * Every problem is a ConfigError with one line naming the variable and the fix.
 */
export function parseConfig(
  env: Record<string, string | undefined>,
  flags: SyncFlags = {},
  now = Date.now(),
): Config {
  const e = envSchema.parse(env);
  const auth = parseAuth(e);
  const apiUrl = checkUrl('PAGERDUTY_API_URL', e.PAGERDUTY_API_URL.replace(/\/+$/, ''), ['https:', 'http:']);
  const url = e.DATABASE_URL?.trim()
    ? checkUrl('DATABASE_URL', e.DATABASE_URL.trim(), ['postgres:', 'postgresql:'])
    : undefined;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(e.DATABASE_SCHEMA)) {
    fail(
      `DATABASE_SCHEMA '${e.DATABASE_SCHEMA.slice(0, 40)}' is not a plain lower-case identifier: use letters, digits and _`,
    );
  }
  const rpm = Number(e.PAGERDUTY_MAX_RPM);
  // The ceiling only catches typos; PagerDuty itself allows 960. Simulators and mocks may take far more.
  if (!Number.isInteger(rpm) || rpm < 1 || rpm > 100_000) {
    fail(
      `PAGERDUTY_MAX_RPM must be a whole number of requests per minute from 1 to 100000 (got '${e.PAGERDUTY_MAX_RPM}')`,
    );
  }
  const startText = flags.since ?? e.SYNC_START;
  const start = parseStart(startText, now);
  const startName = flags.since !== undefined ? '--since' : 'SYNC_START';
  if (start === null)
    fail(
      `${startName} '${startText}' is neither a duration like 90d nor an ISO instant like 2025-01-01T00:00:00Z`,
    );
  if (start >= now) fail(`${startName} '${startText}' is in the future: history must start in the past`);
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(e.LOG_LEVEL)) {
    fail(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got '${e.LOG_LEVEL}')`);
  }
  const detailRefreshMs = detailRefresh(e.SYNC_DETAIL_REFRESH);
  const customFields = flag('SYNC_CUSTOM_FIELDS', e.SYNC_CUSTOM_FIELDS);
  const analytics = flag('SYNC_ANALYTICS', e.SYNC_ANALYTICS);
  const selected = resources(flags.resources ?? e.SYNC_RESOURCES);
  const config: Config = {
    pagerduty: { apiUrl, auth, maxRpm: rpm },
    database: { url, dataDir: e.PD_WAREHOUSE_DATA_DIR, schema: e.DATABASE_SCHEMA },
    // --since re-reads from that instant whatever the cursors say.
    sync: {
      start,
      resources: customFields ? withDependencies([...selected, ...CUSTOM_FIELDS_NEED]) : selected,
      full: (flags.full ?? false) || flags.since !== undefined,
      customFields,
      analytics,
      allowRejects: (flags.allowRejects ?? false) || flag('SYNC_ALLOW_REJECTS', e.SYNC_ALLOW_REJECTS),
      detailRefreshMs,
    },
    alerts: alertsConfig(e.PAGERDUTY_ROUTING_KEY, e.PAGERDUTY_EVENTS_URL, apiUrl),
    joinKeys: {
      service: keySources('SERVICE_KEY_SOURCE', e.SERVICE_KEY_SOURCE, ['tag', 'custom_field']),
      team: keySources('TEAM_KEY_SOURCE', e.TEAM_KEY_SOURCE, ['tag']),
    },
    logLevel: e.LOG_LEVEL,
  };
  return deepFreeze(config);
}

/** The Events API's URL matching the REST region: EU accounts use events.eu.pagerduty.com. */
function alertsConfig(routingKey: string | undefined, eventsUrl: string | undefined, apiUrl: string) {
  if (routingKey === undefined || routingKey.trim() === '') return null;
  if (!/^[A-Za-z0-9]{20,64}$/.test(routingKey.trim())) {
    fail(
      'PAGERDUTY_ROUTING_KEY is not an Events API v2 integration key (20–64 letters and digits): copy it from the service integration',
    );
  }
  const region = apiUrl.includes('api.eu.pagerduty.com') ? 'events.eu.pagerduty.com' : 'events.pagerduty.com';
  const url = checkUrl('PAGERDUTY_EVENTS_URL', eventsUrl?.trim() || `https://${region}/v2/enqueue`, [
    'https:',
    'http:',
  ]);
  return { routingKey: routingKey.trim(), eventsUrl: url };
}

/** `pd-warehouse worker` settings, on top of the sync's Config. */
export interface WorkerConfig {
  /** node-cron expression, 5 fields (minute precision) or 6 (seconds first). */
  readonly schedule: string;
  /** How long SIGTERM/SIGINT may take: the run in flight commits its window and stops within this. */
  readonly shutdownTimeoutMs: number;
  /** Sync once at start-up instead of waiting for the first tick. */
  readonly runOnStart: boolean;
  /** /healthz, /readyz and /metrics; null: no HTTP server. */
  readonly metrics: { readonly port: number; readonly host: string } | null;
  /** /readyz turns unready when runs have been failing for longer than this. */
  readonly failingThresholdMs: number;
}

/**
 * Parses the worker's variables. `validate` is the cron validator (node-cron's), passed in to keep this
 * module free of I/O-bearing imports.
 */
export function parseWorkerConfig(
  env: Record<string, string | undefined>,
  validate: (expression: string) => boolean,
): WorkerConfig {
  const schedule = (env.SYNC_SCHEDULE ?? '*/15 * * * *').trim().replace(/\s+/g, ' ');
  const fields = schedule.split(' ').length;
  if ((fields !== 5 && fields !== 6) || !validate(schedule)) {
    fail(
      `SYNC_SCHEDULE '${schedule.slice(0, 60)}' is not a cron expression: use 5 fields (minute hour day month weekday, e.g. '*/15 * * * *') or 6 with seconds first`,
    );
  }
  const timeoutText = env.SHUTDOWN_TIMEOUT_S ?? '25';
  const timeout = Number(timeoutText);
  if (!/^\d+$/.test(timeoutText.trim()) || timeout < 1 || timeout > 3600) {
    fail(`SHUTDOWN_TIMEOUT_S must be whole seconds from 1 to 3600 (got '${timeoutText.slice(0, 40)}')`);
  }
  const portText = env.METRICS_PORT?.trim() ?? '';
  const port = Number(portText);
  if (portText !== '' && (!/^\d+$/.test(portText) || port < 1 || port > 65535)) {
    fail(
      `METRICS_PORT must be a port number from 1 to 65535 (got '${portText.slice(0, 20)}'), or unset for none`,
    );
  }
  const thresholdText = env.READY_FAILING_THRESHOLD_S?.trim() || '3600';
  const threshold = Number(thresholdText);
  if (!/^\d+$/.test(thresholdText) || threshold < 0) {
    fail(`READY_FAILING_THRESHOLD_S must be whole seconds (got '${thresholdText.slice(0, 20)}')`);
  }
  return deepFreeze({
    schedule,
    shutdownTimeoutMs: timeout * 1000,
    runOnStart: flag('SYNC_ON_START', env.SYNC_ON_START ?? 'true'),
    metrics: portText === '' ? null : { port, host: env.METRICS_HOST?.trim() || '0.0.0.0' },
    failingThresholdMs: threshold * 1000,
  });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** The config as it may be logged: no token, no database password. */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    apiUrl: c.pagerduty.apiUrl,
    auth: c.pagerduty.auth.kind,
    maxRpm: c.pagerduty.maxRpm,
    database: c.database.url ? redact(c.database.url) : `embedded PGlite in ${c.database.dataDir}`,
    schema: c.database.schema,
    start: new Date(c.sync.start).toISOString(),
    resources: c.sync.resources,
    full: c.sync.full,
    customFields: c.sync.customFields,
    analytics: c.sync.analytics,
    detailRefreshMs: c.sync.detailRefreshMs,
    alerts: c.alerts ? { eventsUrl: c.alerts.eventsUrl } : 'off',
    joinKeys: c.joinKeys,
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<database url>';
  }
}
