import { Account } from './account.js';
import type { CustomFieldValue } from './model.js';
import type { Random } from './random.js';

/**
 * Deleting a user, as an admin does it in PagerDuty: DELETE /users/{id} is refused while the user has
 * assigned incidents (no offboarding feature), the account owner cannot be deleted, and a user who is the
 * direct target of an escalation rule or the last user of a schedule layer must be replaced there first.
 * So only users free of all of these are candidates. The user leaves every team, tag and schedule layer
 * (rotations re-spread over the remaining users) and loses their past overrides (a user with an
 * override still to come is not a candidate). Returns the id, or null when no
 * user qualifies.
 */
export function deleteUser(account: Account, rng: Random, at: number): string | null {
  const busy = new Set<string>();
  for (const inc of account.pending) {
    for (const e of inc.events) {
      if (e.agent?.type === 'user') busy.add(e.agent.id);
      if (e.userId) busy.add(e.userId);
      for (const a of e.assignees ?? []) busy.add(a);
    }
  }
  for (const ep of account.escalationPolicies)
    for (const r of ep.rules) for (const t of r.targets) if (t.type === 'user') busy.add(t.id);
  for (const s of account.schedules) {
    for (const l of s.layers) if (l.userIds.length < 2) for (const u of l.userIds) busy.add(u);
    for (const o of s.overrides) if (o.end > at) busy.add(o.userId);
  }
  const candidates = account.users.filter((u) => u.role !== 'owner' && !busy.has(u.id));
  if (candidates.length === 0) return null;
  const user = rng.pick(candidates);
  const id = user.id;
  account.users.splice(account.users.indexOf(user), 1);
  for (const t of account.teams) t.members = t.members.filter((m) => m.userId !== id);
  for (const tag of account.tags) tag.userIds = tag.userIds.filter((u) => u !== id);
  for (const s of account.schedules) {
    for (const l of s.layers) l.userIds = l.userIds.filter((u) => u !== id);
    s.overrides = s.overrides.filter((o) => o.userId !== id);
  }
  user.teamIds = [];
  account.deletedUsers.set(id, at);
  account.invalidateTeamCache();
  return id;
}

/**
 * Deleting a team: PagerDuty refuses while escalation policies, services or schedules belong to it, so the
 * admin detaches those first (they become account-level). Members lose the team, its tags lose it, and
 * unresolved incidents lose their association with it ("become account-level"); resolved incidents keep
 * referencing it. Never deletes the last team. Returns the id, or null.
 */
export function deleteTeam(account: Account, rng: Random, at: number): string | null {
  if (account.teams.length < 2) return null;
  const team = rng.pick(account.teams);
  const id = team.id;
  const drop = (ids: string[]) => ids.filter((t) => t !== id);
  account.teams.splice(account.teams.indexOf(team), 1);
  for (const ep of account.escalationPolicies) ep.teamIds = drop(ep.teamIds);
  for (const s of account.services) s.teamIds = drop(s.teamIds);
  for (const s of account.schedules) s.teamIds = drop(s.teamIds);
  for (const u of account.users) u.teamIds = drop(u.teamIds);
  for (const tag of account.tags) tag.teamIds = drop(tag.teamIds);
  // Open incidents (and ones not yet revealed) are the unresolved ones; only they have future events.
  for (const inc of account.pending)
    if (inc.revealed === 0 || inc.state.status !== 'resolved') inc.teamIds = drop(inc.teamIds);
  account.deletedTeams.set(id, at);
  account.invalidateTeamCache();
  return id;
}

export interface FieldChange {
  incidentId: string;
  field: string;
  from: CustomFieldValue;
  to: CustomFieldValue;
}

/**
 * Someone edits one custom field on each of `count` visible incidents during (from, to]: a
 * custom_field_value_change_log_entry is scheduled, and the value changes when it is revealed. About one
 * change in ten clears the field.
 */
export function changeCustomFields(
  account: Account,
  rng: Random,
  count: number,
  from: number,
  to: number,
): FieldChange[] {
  const visible = account.incidents.filter((i) => i.revealed > 0);
  const fields = account.customFields.incidentFields.filter((f) => f.name !== 'severity');
  const out: FieldChange[] = [];
  for (const inc of rng.sample(visible, count)) {
    const field = rng.pick(fields);
    const before = account.customFields.incidentValues(inc).get(field.id) ?? null;
    let value: CustomFieldValue = rng.chance(0.1) ? null : account.customFields.draw(field, rng, inc);
    for (let i = 0; i < 5 && same(value, before); i++) value = account.customFields.draw(field, rng, inc);
    if (same(value, before)) value = before === null ? field.defaultValue : null;
    if (same(value, before)) continue;
    const user = rng.pick(account.users);
    account.addEvent(inc, {
      at: Account.between(rng, from, to),
      type: 'custom_field_value_change_log_entry',
      agent: { type: 'user', id: user.id },
      channel: 'web_ui',
      fieldChange: { fieldId: field.id, value },
    });
    out.push({ incidentId: inc.id, field: field.name, from: before, to: value });
  }
  return out;
}

function same(a: CustomFieldValue, b: CustomFieldValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
