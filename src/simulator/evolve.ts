import { Account } from './account.js';
import { changeCustomFields, deleteTeam, deleteUser, type FieldChange } from './deletions.js';
import { Random } from './random.js';
import { DAY, MINUTE, SECOND, floorToSecond } from './time.js';

export interface AdvanceOptions {
  /** New incidents in the period; default drawn from the account's background rate. */
  newIncidents?: number;
  /** Old resolved incidents whose priority someone changes; default about one per hour advanced. */
  priorityChanges?: number;
  /** Rename one service; default: a 30% chance. */
  renameService?: boolean;
  /** Delete one service that has no open incident; default: a 10% chance (never below 2 services). */
  deleteService?: boolean;
  /** Add an on-call override to one schedule in the coming week; default: a 50% chance. */
  addOverride?: boolean;
  /**
   * Delete one user who has no open incident, is no direct escalation target, not the owner and not alone
   * in a schedule layer; default false (opt-in, so existing scenarios keep their users).
   */
  deleteUser?: boolean;
  /** Delete one team (never the last), detaching its policies, services and schedules; default false. */
  deleteTeam?: boolean;
  /** Visible incidents that get one custom field edited (with a log entry); default 0. */
  customFieldChanges?: number;
}

/** What one advance of the clock changed, for tests that want to check a sync caught all of it. */
export interface AdvanceReport {
  from: string;
  to: string;
  newIncidentIds: string[];
  /** Incidents (old or new) that got at least one log entry in the period. */
  changedIncidentIds: string[];
  priorityChangedIds: string[];
  renamedServices: { id: string; from: string; to: string }[];
  deletedServiceIds: string[];
  overrides: { scheduleId: string; userId: string; start: string; end: string }[];
  deletedUserIds: string[];
  deletedTeamIds: string[];
  customFieldChanges: FieldChange[];
  logEntries: number;
}

/**
 * Moves the account's clock forward by `minutes`: new incidents are created, open ones get acknowledged
 * and resolved on their planned course, old resolved ones get priority changes, a service may be renamed
 * or deleted, and schedules may get overrides — each with the log entries PagerDuty would write.
 */
export function advanceClock(account: Account, minutes: number, opts: AdvanceOptions = {}): AdvanceReport {
  if (!Number.isFinite(minutes) || minutes <= 0) throw new RangeError('minutes must be a positive number');
  if (account.lazy) throw new Error('advancing the clock is not supported in lazy mode');
  const from = account.now;
  const to = floorToSecond(from + minutes * MINUTE);
  const rng = Random.derive(account.seed, `advance/${from}`);
  const ratePerMinute = account.spec.incidents / (account.spec.days * 24 * 60);
  const newCount = opts.newIncidents ?? poisson(rng, ratePerMinute * minutes);
  const newIncidentIds: string[] = [];
  const times = Array.from({ length: newCount }, () => Account.between(rng, from, to)).sort((a, b) => a - b);
  for (const at of times) newIncidentIds.push(account.createIncident(at).id);

  const priorityChangedIds: string[] = [];
  const resolved = account.incidents.filter(
    (i) => i.revealed === i.events.length && i.state.status === 'resolved',
  );
  const changes = Math.min(resolved.length, opts.priorityChanges ?? Math.max(1, Math.round(minutes / 60)));
  for (const inc of rng.sample(resolved, changes)) {
    const choices = account.priorities.map((p) => p.id).filter((p) => p !== inc.state.priorityId);
    const users = account.users.map((u) => u.id);
    account.addEvent(inc, {
      at: Account.between(rng, from, to),
      type: 'priority_change_log_entry',
      agent: { type: 'user', id: rng.pick(users) },
      channel: 'web_ui',
      priorityTo: rng.pick(choices),
    });
    priorityChangedIds.push(inc.id);
  }

  const renamedServices: AdvanceReport['renamedServices'] = [];
  const active = account.activeServices();
  if ((opts.renameService ?? rng.chance(0.3)) && active.length > 0) {
    const s = rng.pick(active);
    const before = s.name;
    s.name = before.endsWith(' (renamed)') ? before.replace(/ \(renamed\)$/, '') : `${before} (renamed)`;
    renamedServices.push({ id: s.id, from: before, to: s.name });
  }

  const deletedServiceIds: string[] = [];
  if ((opts.deleteService ?? rng.chance(0.1)) && active.length > 2) {
    // Prefer a quiet service; deleting a busy one resolves its open incidents first, as PagerDuty does.
    const busy = new Set([...account.pending].map((i) => i.serviceId));
    const quiet = active.filter((s) => !busy.has(s.id));
    const s = rng.pick(quiet.length > 0 ? quiet : active);
    const at = Account.between(rng, from, to);
    for (const inc of [...account.pending].filter((i) => i.serviceId === s.id)) {
      inc.events.splice(inc.revealed);
      account.addEvent(inc, {
        at,
        type: 'resolve_log_entry',
        agent: { type: 'service', id: s.id },
        channel: 'auto',
      });
    }
    s.deletedAt = at;
    deletedServiceIds.push(s.id);
  }

  const overrides: AdvanceReport['overrides'] = [];
  if ((opts.addOverride ?? rng.chance(0.5)) && account.schedules.length > 0) {
    const schedule = rng.pick(account.schedules);
    const start = floorToSecond(to + rng.int(1, 6) * DAY + rng.int(0, 23) * 3600 * SECOND);
    const end = start + rng.int(2, 24) * 3600 * SECOND;
    const userId = rng.pick(account.users).id;
    schedule.overrides.push({ id: account.ids.next(), start, end, userId });
    overrides.push({
      scheduleId: schedule.id,
      userId,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
    });
  }

  // A separate stream, so these opt-in changes leave every draw above (and existing scenarios) as they were.
  const extra = Random.derive(account.seed, `advance-extra/${from}`);
  const customFieldChanges = changeCustomFields(account, extra, opts.customFieldChanges ?? 0, from, to);
  const deletedUserIds: string[] = [];
  const deletedTeamIds: string[] = [];
  if (opts.deleteUser) {
    const id = deleteUser(account, extra, Account.between(extra, from, to));
    if (id) deletedUserIds.push(id);
  }
  if (opts.deleteTeam) {
    const id = deleteTeam(account, extra, Account.between(extra, from, to));
    if (id) deletedTeamIds.push(id);
  }

  const fresh = account.reveal(to);
  account.now = to;
  account.version++;
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    newIncidentIds,
    changedIncidentIds: [...new Set(fresh.map((r) => r.incident.id))],
    priorityChangedIds,
    renamedServices,
    deletedServiceIds,
    overrides,
    deletedUserIds,
    deletedTeamIds,
    customFieldChanges,
    logEntries: fresh.length,
  };
}

function poisson(rng: Random, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * (rng.next() * 2 - 1)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng.next();
  while (p > limit) {
    k++;
    p *= rng.next();
  }
  return k;
}
