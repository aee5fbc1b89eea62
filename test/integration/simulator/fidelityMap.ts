/**
 * Which simulator endpoint serves the same kind of object as each fixture file in
 * ../shared/fixtures/real-payloads/ and ../shared/research/pd-examples/, which fixture kinds the
 * simulator does not serve (and why), and the few fixture fields it deliberately lacks.
 * Patterns match `<source dir>/<file name>`; the first matching rule wins.
 */

/** Ids the per-object and per-parent requests use, taken from the simulated account. */
export interface SampleIds {
  incidents: string[];
  services: string[];
  teams: string[];
  users: string[];
  tags: string[];
}

/** One HTTP request to a simulator. `plan`: teams ability off (402); `storm`: every request is rate limited. */
export interface SimRequest {
  path: string;
  server?: 'main' | 'plan' | 'storm';
  /** Default true; false sends no Authorization header. */
  auth?: boolean;
  /** Sent as a POST with this JSON body (the analytics API); default GET. */
  body?: unknown;
}

export interface Target {
  /** Names the endpoint in the test title. */
  label: string;
  requests: (ids: SampleIds) => SimRequest[];
  /** Envelope key holding the objects; '' compares the whole body (error bodies). */
  key: string;
  status: number;
  /** Log entries: the fixture's `type` must be one the simulator serves, since the type decides the shape. */
  byType?: boolean;
}

const LIST = 'time_zone=UTC&limit=100';

function list(path: string, key: string, extra = ''): Target {
  return {
    label: `GET ${path}${extra}`,
    key,
    status: 200,
    requests: () => [{ path: `${path}?${LIST}${extra}` }],
  };
}

/** One request per sample id: `template` has an `{id}` placeholder. */
function perId(template: string, ids: keyof SampleIds, key: string, query = LIST): Target {
  return {
    label: `GET ${template}`,
    key,
    status: 200,
    requests: (all) => all[ids].map((id) => ({ path: `${template.replace('{id}', id)}?${query}` })),
  };
}

function error(label: string, status: number, request: SimRequest): Target {
  return { label, key: '', status, requests: () => [request] };
}

const T = {
  incidents: {
    ...list('/incidents', 'incidents'),
    requests: () => [{ path: `/incidents?${LIST}` }, { path: `/incidents?${LIST}&date_range=all` }],
  },
  // conference_bridge is only sent with include[]=conference_bridge (spec); the docs example shows it.
  incidentsWithBridge: list('/incidents', 'incidents', '&include[]=conference_bridge'),
  incident: perId('/incidents/{id}', 'incidents', 'incident', 'time_zone=UTC'),
  logEntries: {
    ...list('/log_entries', 'log_entries'),
    byType: true,
    requests: () => [0, 100, 200, 300].map((o) => ({ path: `/log_entries?${LIST}&offset=${o}` })),
  },
  incidentLogEntries: { ...perId('/incidents/{id}/log_entries', 'incidents', 'log_entries'), byType: true },
  services: list('/services', 'services'),
  service: perId('/services/{id}', 'services', 'service', 'time_zone=UTC'),
  teams: list('/teams', 'teams'),
  members: perId('/teams/{id}/members', 'teams', 'members'),
  users: list('/users', 'users'),
  user: perId('/users/{id}', 'users', 'user', 'time_zone=UTC'),
  escalationPolicies: list('/escalation_policies', 'escalation_policies'),
  schedules: list('/schedules', 'schedules'),
  schedulesWithLayers: list('/schedules', 'schedules', '&include[]=schedule_layers'),
  priorities: list('/priorities', 'priorities'),
  tags: list('/tags', 'tags'),
  tagUsers: perId('/tags/{id}/users', 'tags', 'users'),
  tagTeams: perId('/tags/{id}/teams', 'tags', 'teams'),
  tagEps: perId('/tags/{id}/escalation_policies', 'tags', 'escalation_policies'),
  oncalls: list('/oncalls', 'oncalls'),
  offsetCap: error('400 offset cap (2002)', 400, { path: '/incidents?offset=10000&limit=25' }),
  invalidInput: error('400 invalid input (2001)', 400, { path: '/incidents?limit=abc' }),
  unauthorized: error('401 (2006)', 401, { path: '/users', auth: false }),
  paymentRequired: error('402 missing ability (2014)', 402, { path: '/teams', server: 'plan' }),
  notFound: error('404 (2100)', 404, { path: '/incidents/PNOSUCH' }),
  rateLimited: error('429 (2020)', 429, { path: '/teams', server: 'storm' }),
  // The analytics page is compared whole: its envelope (first, last, filters, …) is not classic pagination.
  analyticsRawIncidents: {
    label: 'POST /analytics/raw/incidents',
    key: '',
    status: 200,
    requests: () => [{ path: '/analytics/raw/incidents', body: { limit: 100, time_zone: 'Etc/UTC' } }],
  },
} satisfies Record<string, Target>;

/**
 * Fixture file → simulator endpoint. Single-object fixtures for routes the simulator only serves
 * as lists (GET /teams/{id}, /escalation_policies/{id}, /schedules/{id}, /tags/{id},
 * /log_entries/{id}, /users/me) and entity sub-lists of an already-served kind
 * (/schedules/{id}/users, /users/{id}/tags, /escalation_policies/{id}/tags) are compared with the
 * list objects of the same kind: the object is the same, only the route differs.
 */
export const RULES: readonly (readonly [RegExp, Target])[] = [
  [/^pd-examples\/error_400_offset_limit_exceeded\.json$/, T.offsetCap],
  [/^pd-examples\/error_429_rate_limit_exceeded\.json$/, T.rateLimited],
  [/^pd-examples\/analytics_raw_incidents_page\.json$/, T.analyticsRawIncidents],
  [/^pd-examples\/incidents_list_page\.json$/, T.incidentsWithBridge],
  [/^pd-examples\/log_entries_list_page\.json$/, T.logEntries],
  [/^pd-examples\/oncalls_list_page\.json$/, T.oncalls],
  [/^pd-examples\/services_list_page\.json$/, T.services],
  [/^pdpyras\/error400-empty-1\.json$/, T.offsetCap],
  [/^pdpyras\/error401-1\.json$/, T.unauthorized],
  [/^pdpyras\/error429-1\.json$/, T.rateLimited],
  [/^python-pagerduty\/error404-empty-1\.json$/, T.notFound],
  // go-pagerduty decodes its code-420 bodies in tests that answer them with HTTP 429.
  [/^go-pagerduty\/error-[123]\.json$/, T.rateLimited],
  // heimweh: 2012 (account expired) is an account-level refusal; the simulator's is the 402 one.
  [/^heimweh-go-pagerduty\/error-1\.json$/, T.paymentRequired],
  [/^heimweh-go-pagerduty\/error-2\.json$/, T.invalidInput],
  [/^heimweh-go-pagerduty\/error429-teams-1\.json$/, T.rateLimited],
  [/\/(get-incidents-\d+|item-incident-\d+|items-incidents-\d+)\.json$/, T.incidents],
  [/\/get-incidents_1-\d+\.json$/, T.incident],
  [/\/get-incidents_1_log_entries-\d+\.json$/, T.incidentLogEntries],
  [/^airbyte-source-pagerduty\/item-log_entry-1\.json$/, T.incidentLogEntries],
  [/\/(get-log_entries(_1)?-\d+|items?-log_entr(y|ies)-\d+)\.json$/, T.logEntries],
  [/\/(get-services-\d+|items-services-\d+)\.json$/, T.services],
  [/\/get-services_1-\d+\.json$/, T.service],
  [/\/get-teams_\d_members-\d+\.json$/, T.members],
  [/\/(get-teams(_1)?-\d+|items-teams-\d+)\.json$/, T.teams],
  [/\/get-tags_1_users-\d+\.json$/, T.tagUsers],
  [/\/get-tags_1_teams-\d+\.json$/, T.tagTeams],
  [/\/get-tags_1_escalation_policies-\d+\.json$/, T.tagEps],
  [/\/(get-tags(_1)?|get-(users|escalation_policies)_1_tags)-\d+\.json$/, T.tags],
  [/\/(get-users_1|get-users_me|get-users_id)-\d+\.json$/, T.user],
  [/\/(get-users|items-users|get-schedules_1_users)-\d+\.json$/, T.users],
  [/\/(get-escalation_policies(_1)?|items-escalation_policies)-\d+\.json$/, T.escalationPolicies],
  [/^cartography\/items-schedules-1\.json$/, T.schedulesWithLayers],
  [/\/get-schedules(_1)?-\d+\.json$/, T.schedules],
  [/\/(get-priorities|items-priorities)-\d+\.json$/, T.priorities],
  [/\/(get-oncalls|items-oncalls)-\d+\.json$/, T.oncalls],
];

/** Fixture kinds the simulator does not serve. Checked before RULES. */
export const SKIPPED_KINDS: readonly { kind: string; files: RegExp; reason: string }[] = [
  {
    kind: 'alerts',
    files: /(_alerts|item-alert-)/,
    reason: 'the simulator models incidents, not their alerts',
  },
  { kind: 'incident notes', files: /_notes-/, reason: 'notes appear only as annotate log entries' },
  {
    kind: 'incident status-update subscribers',
    files: /_status_updates_subscribers-/,
    reason: 'status updates are out of the warehouse scope',
  },
  {
    kind: 'outlier/related incidents',
    files: /(outlier_incident|related_incidents)-/,
    reason: 'AIOps endpoints, out of the warehouse scope',
  },
  { kind: 'vendors', files: /vendors/, reason: 'integration catalogue, out of the warehouse scope' },
  { kind: 'licenses', files: /licen[cs]e/, reason: 'billing data, out of the warehouse scope' },
  { kind: 'abilities', files: /abilities/, reason: 'plan gating is modelled as 402/404 answers, not a list' },
  { kind: 'audit records', files: /audit_records/, reason: 'cursor-paginated audit trail, out of scope' },
  { kind: 'business services', files: /business_services/, reason: 'service graph is out of scope' },
  { kind: 'maintenance windows', files: /maintenance_windows/, reason: 'not generated by the account model' },
  {
    kind: 'notifications',
    files: /get-notifications-/,
    reason: 'notifications appear as notify log entries',
  },
  { kind: 'contact methods', files: /contact_methods/, reason: 'only referenced from users' },
  { kind: 'notification rules', files: /notification_rules/, reason: 'only referenced from users' },
  { kind: 'schedule overrides', files: /_overrides-/, reason: 'overrides are folded into /oncalls' },
  { kind: 'service integrations', files: /integrations/, reason: 'only referenced from services' },
  { kind: 'service event rules', files: /services_1_rules/, reason: 'legacy event rules, out of scope' },
  {
    kind: 'write-validation error bodies',
    files: /^(go-pagerduty\/error-4|heimweh-go-pagerduty\/error-3)\.json$/,
    reason:
      'answers to POST/PUT validation (`error` as an array, `errors` as an object); the simulator is read-only',
  },
];

/**
 * Fixture fields PagerDuty (or the fixture's author) sends that the simulator deliberately lacks.
 * Paths are normalised (`incidents_responders[]`, `envelope.cursor`; '' is the whole item) and
 * cover their subtree.
 */
export const KNOWN_GAPS: readonly { files: RegExp; paths: readonly string[]; reason: string }[] = [
  {
    files: /^(faros-airbyte-connectors\/items-(incidents|users)|go-pagerduty\/get-incidents_1)-1\.json$/,
    paths: ['incidents_responders[]', 'responder_requests[]', 'coordinated_incidents[]'],
    reason:
      'responder requests (incident responders subresource) are not modelled: the arrays are always empty',
  },
  {
    files: /^pagerduty-mcp-server\/item-log_entry-2\.json$/,
    paths: ['type', 'channel.old_service'],
    reason: 'service_change_log_entry: the simulator never moves an incident to another service',
  },
  {
    files: /^cartography\/items-schedules-1\.json$/,
    paths: ['schedule_layers[].restrictions[]'],
    reason:
      'layers have no restrictions in the account model, and /oncalls would have to honour them; always []',
  },
  {
    files: /^jupiterone-graph-pagerduty\/get-services-1\.json$/,
    paths: ['updated_at', 'email'],
    reason: "JupiterOne's hand-anonymised recording; neither field is in the spec's Service schema",
  },
  {
    files: /^go-pagerduty\/error-[123]\.json$/,
    paths: ['error.errors'],
    reason:
      "go-pagerduty's decode test invents code 420 with errors[]; PagerDuty's documented 429 body (heimweh error429-teams-1, pd-examples) has only message and code",
  },
  {
    files: /^pd-examples\/analytics_raw_incidents_page\.json$/,
    paths: ['data[].total_interruptions"'],
    reason:
      "the spec example's typo'd key; the AnalyticsRawIncident schema names it total_interruptions, which the simulator sends",
  },
  {
    files: /^pdjs\/get-incidents-2\.json$/,
    paths: [''],
    reason: 'pdjs\'s robustness test: list items that are not objects ("one", 1, null)',
  },
  {
    files: /^pdjs\/get-incidents-[345678]\.json$/,
    paths: ['name'],
    reason: 'pdjs test doubles use placeholder items {name: n}; incidents have no name field',
  },
  {
    files: /^pdjs\/get-incidents-[678]\.json$/,
    paths: ['envelope.cursor'],
    reason: "pdjs's cursor-pagination test reuses /incidents; PagerDuty paginates /incidents by offset",
  },
];
