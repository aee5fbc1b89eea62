import { CustomFields } from './customFields.js';
import { applyEvent, planIncident, type PlanContext } from './lifecycle.js';
import type {
  EscalationPolicyRec,
  IncidentRec,
  LogRef,
  PriorityRec,
  ScheduleRec,
  ServiceRec,
  TagRec,
  TeamRec,
  UserRec,
} from './model.js';
import { HOSTS, INCIDENT_TITLES } from './names.js';
import { PRESETS, type PresetName, type PresetSpec } from './presets.js';
import { IdFactory, Random } from './random.js';
import { LazyIncidents } from './lazyIncidents.js';
import { generateReference } from './reference.js';
import { scheduleUserAt } from './oncall.js';
import { DAY, HOUR, SECOND, floorToSecond } from './time.js';

export interface AccountOptions {
  /** Same seed and preset, same account. Default 1. */
  seed?: number | string;
  /** Default `small`. */
  preset?: PresetName;
  /** The simulator's clock at creation, epoch ms. Default: the current time. */
  now?: number;
  /** Override the preset's background incident count (e.g. 200,000 for the benchmark). */
  incidents?: number;
  /** Override the preset's history length in days. */
  days?: number;
  /** The account's time zone: how since/until without an offset are read and times rendered by default. */
  timeZone?: string;
  /** Used in html_url links: https://<subdomain>.pagerduty.com/… */
  subdomain?: string;
  /**
   * Lazy mode (default false): incidents and log entries are not generated up front but computed on
   * request, each a pure function of (seed, incident number); reference data stays eager. For accounts of
   * a million incidents. The clock cannot move and incidents cannot change: see LazyIncidents.
   */
  lazy?: boolean;
}

function indexById<T extends { id: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((x) => [x.id, x]));
}

/** A whole PagerDuty account in memory, with a clock. Generated deterministically from a seed and a preset. */
export class Account {
  readonly seed: number | string;
  readonly spec: PresetSpec;
  readonly timeZone: string;
  readonly subdomain: string;
  now: number;

  readonly priorities: PriorityRec[];
  readonly teams: TeamRec[];
  readonly users: UserRec[];
  readonly schedules: ScheduleRec[];
  readonly escalationPolicies: EscalationPolicyRec[];
  readonly services: ServiceRec[];
  readonly tags: TagRec[];
  readonly byId: {
    priorities: Map<string, PriorityRec>;
    teams: Map<string, TeamRec>;
    users: Map<string, UserRec>;
    schedules: Map<string, ScheduleRec>;
    escalationPolicies: Map<string, EscalationPolicyRec>;
    services: Map<string, ServiceRec>;
    tags: Map<string, TagRec>;
    incidents: Map<string, IncidentRec>;
  };
  /** Sorted by created_at (ties: incident number). */
  readonly incidents: IncidentRec[] = [];
  readonly incidentByNumber = new Map<number, IncidentRec>();
  /** Revealed log entries, oldest first (ties: id). */
  readonly log: LogRef[] = [];
  /** Incidents with events still in the future. */
  readonly pending = new Set<IncidentRec>();
  /** Bumped on every change; caches key on it. */
  version = 0;
  /** Custom field definitions and values (incidents and services). */
  readonly customFields: CustomFields;
  /**
   * Users and teams deleted by `advance`, id → deletion time. They leave `users`/`teams` (so every listing
   * drops them) but stay in `byId`, so old incidents and log entries still name them.
   */
  readonly deletedUsers = new Map<string, number>();
  readonly deletedTeams = new Map<string, number>();

  readonly ids: IdFactory;
  /** Lazy mode's incident source; null in eager mode (the default). */
  readonly lazy: LazyIncidents | null;
  private nextNumber = 1;
  private readonly teamUsersCache = new Map<string, readonly string[]>();

  constructor(opts: AccountOptions = {}) {
    this.seed = opts.seed ?? 1;
    const base: PresetSpec = PRESETS[opts.preset ?? 'small'];
    this.spec = { ...base, incidents: opts.incidents ?? base.incidents, days: opts.days ?? base.days };
    this.timeZone = opts.timeZone ?? 'America/New_York';
    this.subdomain = opts.subdomain ?? 'acme';
    this.now = floorToSecond(opts.now ?? Date.now());
    const rng = Random.derive(this.seed, 'reference');
    this.ids = new IdFactory(Random.derive(this.seed, 'ids'));
    const ref = generateReference(rng, this.ids, this.spec, this.now);
    this.priorities = ref.priorities;
    this.teams = ref.teams;
    this.users = ref.users;
    this.schedules = ref.schedules;
    this.escalationPolicies = ref.escalationPolicies;
    this.services = ref.services;
    this.tags = ref.tags;
    this.byId = {
      priorities: indexById(this.priorities),
      teams: indexById(this.teams),
      users: indexById(this.users),
      schedules: indexById(this.schedules),
      escalationPolicies: indexById(this.escalationPolicies),
      services: indexById(this.services),
      tags: indexById(this.tags),
      incidents: new Map(),
    };
    this.customFields = new CustomFields(this);
    this.lazy = opts.lazy ? new LazyIncidents(this) : null;
    if (this.lazy) return;
    for (const at of this.historyTimes()) this.createIncident(at);
    this.reveal(this.now);
  }

  /** Creation times of the generated history: office-hours-weighted background plus the preset's burst. */
  private historyTimes(): number[] {
    const rng = Random.derive(this.seed, 'history');
    const start = this.now - this.spec.days * DAY;
    const times: number[] = [];
    while (times.length < this.spec.incidents) {
      const t = start + rng.next() * (this.now - start);
      const hour = new Date(t).getUTCHours();
      const weight = hour >= 7 && hour < 19 ? 1 : 0.35;
      if (rng.next() < weight) times.push(floorToSecond(t));
    }
    const burst = this.spec.burst;
    if (burst) {
      const day = Math.floor((this.now - burst.daysAgo * DAY) / DAY) * DAY;
      const from = day + 8 * HOUR;
      for (let i = 0; i < burst.incidents; i++)
        times.push(floorToSecond(from + rng.next() * burst.hours * HOUR));
    }
    return times.sort((a, b) => a - b);
  }

  activeServices(): ServiceRec[] {
    return this.services.filter((s) => s.deletedAt === null);
  }

  /** Creates an incident at `createdAt` on a service chosen by a skewed distribution (some services page a lot). */
  createIncident(createdAt: number, serviceId?: string): IncidentRec {
    if (this.lazy) throw new Error('creating incidents is not supported in lazy mode');
    const incident = this.planNumbered(
      this.nextNumber++,
      createdAt,
      (p, l) => this.ids.next(p, l),
      serviceId,
    );
    this.insertIncident(incident);
    return incident;
  }

  /**
   * Plans incident `number` (not inserted anywhere): service, title and the whole lifecycle, from the RNG
   * derived from the seed and the number. `newId` issues its ids. Eager and lazy mode both plan through here.
   */
  planNumbered(
    number: number,
    createdAt: number,
    newId: PlanContext['newId'],
    serviceId?: string,
  ): IncidentRec {
    const rng = Random.derive(this.seed, `incident/${number}`);
    const service = this.chooseService(rng, serviceId);
    const ep = this.byId.escalationPolicies.get(service.escalationPolicyId);
    const template = rng.pick(INCIDENT_TITLES);
    const title = template
      .replaceAll('{svc}', service.name)
      .replaceAll('{host}', rng.pick(HOSTS))
      .replaceAll('{n}', String(rng.int(2, 99)));
    return planIncident(this.planContext(rng, service, newId), {
      number,
      createdAt,
      serviceId: service.id,
      escalationPolicyId: service.escalationPolicyId,
      teamIds: ep?.teamIds.length ? [...ep.teamIds] : [...service.teamIds],
      title,
    });
  }

  /** The incident's service: `serviceId`'s, or a skewed draw over the active services (the RNG's first). */
  chooseService(rng: Random, serviceId?: string): ServiceRec {
    const active = this.activeServices();
    return (
      (serviceId ? this.byId.services.get(serviceId) : undefined) ??
      rng.weighted(
        active,
        active.map((_, i) => 1 / Math.pow(i + 1, 0.8)),
      )
    );
  }

  private planContext(rng: Random, service: ServiceRec, newId: PlanContext['newId']): PlanContext {
    return {
      rng,
      newId,
      oncallUser: (epId, level, at) => this.oncallUser(epId, level, at),
      levels: (epId) => {
        const rules = this.byId.escalationPolicies.get(epId)?.rules ?? [];
        return { count: rules.length, delayMinutes: rules.map((r) => r.delayMinutes) };
      },
      teamUsers: (teamIds) => this.teamUsers(teamIds),
      priorityIds: this.priorityIds,
      ackTimeoutSeconds: service.acknowledgementTimeout,
    };
  }

  get priorityIds(): readonly string[] {
    return this.priorities.map((p) => p.id);
  }

  /** Forgets cached team memberships, after a user or team is deleted. */
  invalidateTeamCache(): void {
    this.teamUsersCache.clear();
  }

  /** Members of the given teams (everyone, for an incident without a team). Cached until a deletion. */
  teamUsers(teamIds: readonly string[]): readonly string[] {
    const key = teamIds.join(',');
    let users = this.teamUsersCache.get(key);
    if (!users) {
      const out = teamIds.flatMap((t) => this.byId.teams.get(t)?.members.map((m) => m.userId) ?? []);
      users = out.length > 0 ? out : this.users.map((u) => u.id);
      this.teamUsersCache.set(key, users);
    }
    return users;
  }

  oncallUser(epId: string, level: number, at: number): string {
    const ep = this.byId.escalationPolicies.get(epId);
    const target = ep?.rules[level - 1]?.targets[0];
    if (target?.type === 'user') return target.id;
    const schedule = target ? this.byId.schedules.get(target.id) : undefined;
    const user = schedule ? scheduleUserAt(schedule, at) : null;
    return user ?? this.users[0]?.id ?? '';
  }

  private insertIncident(incident: IncidentRec): void {
    const list = this.incidents;
    let i = list.length;
    while (i > 0 && (list[i - 1]?.createdAt ?? 0) > incident.createdAt) i--;
    list.splice(i, 0, incident);
    this.byId.incidents.set(incident.id, incident);
    this.incidentByNumber.set(incident.number, incident);
    this.pending.add(incident);
    this.version++;
  }

  /** Reveals every event up to `to` (inclusive): applies it to its incident and appends its log entry. */
  reveal(to: number): LogRef[] {
    const fresh: LogRef[] = [];
    for (const incident of this.pending) {
      const { events } = incident;
      while (incident.revealed < events.length) {
        const event = events[incident.revealed];
        if (!event || event.at > to) break;
        applyEvent(incident.state, event);
        fresh.push({ incident, event });
        incident.revealed++;
      }
      if (incident.revealed >= events.length) this.pending.delete(incident);
      const service = this.byId.services.get(incident.serviceId);
      if (service && incident.revealed > 0)
        service.lastIncidentAt = Math.max(service.lastIncidentAt ?? 0, incident.createdAt);
    }
    fresh.sort((a, b) => a.event.at - b.event.at || (a.event.id < b.event.id ? -1 : 1));
    for (const r of fresh) this.log.push(r);
    this.version++;
    return fresh;
  }

  /** Adds an event to an incident (it must lie after the clock) and schedules it for reveal. */
  addEvent(incident: IncidentRec, event: Omit<IncidentRec['events'][number], 'id'>): void {
    if (event.at <= this.now) throw new Error('events can only be added after the clock');
    const e = {
      id: this.ids.next('R', 25),
      at: event.at,
      type: event.type,
      agent: event.agent,
      channel: event.channel,
      assignees: event.assignees,
      userId: event.userId,
      notificationType: event.notificationType,
      note: event.note,
      priorityTo: event.priorityTo,
      urgencyTo: event.urgencyTo,
      escalationLevel: event.escalationLevel,
      fieldChange: event.fieldChange,
    };
    const list = incident.events;
    let i = list.length;
    while (i > incident.revealed && (list[i - 1]?.at ?? 0) > e.at) i--;
    list.splice(i, 0, e);
    this.pending.add(incident);
  }

  /** A revealed log entry by id (linear: the API's single-entry route is rare). */
  logById(id: string): LogRef | undefined {
    if (this.lazy) return this.lazy.logById(id);
    for (let i = this.log.length - 1; i >= 0; i--) if (this.log[i]?.event.id === id) return this.log[i];
    return undefined;
  }

  /** A stable second-resolution instant inside (from, to]. */
  static between(rng: Random, from: number, to: number): number {
    return Math.min(to, from + SECOND + Math.floor((rng.next() * (to - from)) / SECOND) * SECOND);
  }
}
