import type { Account } from './account.js';
import { invalidInput, missingAbility, notFound, type ApiReply } from './errors.js';
import { escalationPolicyOncalls, type OncallRec } from './oncall.js';
import { arrayListing, paginate, type Params } from './params.js';
import { serviceStatus } from './serviceStatus.js';
import type { RenderCtx } from './render.js';
import { ref } from './render.js';
import {
  renderEscalationPolicy,
  renderOncall,
  renderPriority,
  renderSchedule,
  renderService,
  renderTag,
  renderTeam,
  renderUser,
} from './renderReference.js';
import { DAY } from './time.js';

/**
 * Account abilities that plans gate. Off: /teams and team_ids[] answer 402, /priorities answers 404,
 * POST /analytics/raw/incidents answers 402. Routing reads the object on every request, so tests may flip
 * a switch on a running simulator (`sim.abilities.teams = false`).
 */
export interface Abilities {
  teams: boolean;
  priorities: boolean;
  analytics: boolean;
}

function matchesQuery(name: string, query: string | undefined): boolean {
  return !query || name.toLowerCase().includes(query.toLowerCase());
}

function byName<T extends { name: string }>(items: T[], sortBy: string | undefined): T[] {
  const desc = sortBy === 'name:desc';
  return [...items].sort((a, b) => (desc ? -1 : 1) * a.name.localeCompare(b.name, 'en'));
}

export function listServices(account: Account, p: Params, ctx: RenderCtx, abilities: Abilities): ApiReply {
  const page = p.page();
  const teamIds = p.list('team_ids');
  if (teamIds && !abilities.teams) throw missingAbility('teams');
  const name = p.str('name');
  const items = byName(
    account.services.filter(
      (s) =>
        s.deletedAt === null &&
        matchesQuery(s.name, p.str('query')) &&
        (!name || s.name === name) &&
        (!teamIds || s.teamIds.some((t) => teamIds.includes(t))),
    ),
    p.str('sort_by'),
  );
  return {
    status: 200,
    body: paginate('services', arrayListing(items), page, (s) =>
      renderService(ctx, s, serviceStatus(account, s)),
    ),
  };
}

export function getService(account: Account, id: string, ctx: RenderCtx): ApiReply {
  const s = account.byId.services.get(id);
  if (!s || s.deletedAt !== null) throw notFound();
  return { status: 200, body: { service: renderService(ctx, s, serviceStatus(account, s)) } };
}

export function listTeams(account: Account, p: Params, ctx: RenderCtx, abilities: Abilities): ApiReply {
  if (!abilities.teams) throw missingAbility('teams');
  const page = p.page();
  const items = byName(
    account.teams.filter((t) => matchesQuery(t.name, p.str('query'))),
    undefined,
  );
  return { status: 200, body: paginate('teams', arrayListing(items), page, (t) => renderTeam(ctx, t)) };
}

export function listTeamMembers(
  account: Account,
  id: string,
  p: Params,
  ctx: RenderCtx,
  abilities: Abilities,
): ApiReply {
  if (!abilities.teams) throw missingAbility('teams');
  const team = account.byId.teams.get(id);
  if (!team || account.deletedTeams.has(id)) throw notFound();
  const page = p.page();
  return {
    status: 200,
    body: paginate('members', arrayListing(team.members), page, (m) => ({
      user: ref(ctx, 'user', m.userId),
      role: m.role,
    })),
  };
}

export function listUsers(account: Account, p: Params, ctx: RenderCtx, abilities: Abilities): ApiReply {
  const page = p.page();
  const teamIds = p.list('team_ids');
  if (teamIds && !abilities.teams) throw missingAbility('teams');
  const q = p.str('query');
  const items = byName(
    account.users.filter(
      (u) =>
        (matchesQuery(u.name, q) || matchesQuery(u.email, q)) &&
        (!teamIds || u.teamIds.some((t) => teamIds.includes(t))),
    ),
    undefined,
  );
  return { status: 200, body: paginate('users', arrayListing(items), page, (u) => renderUser(ctx, u)) };
}

export function getUser(account: Account, id: string, ctx: RenderCtx): ApiReply {
  const u = account.byId.users.get(id);
  if (!u || account.deletedUsers.has(id)) throw notFound();
  return { status: 200, body: { user: renderUser(ctx, u) } };
}

export function listEscalationPolicies(
  account: Account,
  p: Params,
  ctx: RenderCtx,
  abilities: Abilities,
): ApiReply {
  const page = p.page();
  const teamIds = p.list('team_ids');
  if (teamIds && !abilities.teams) throw missingAbility('teams');
  const userIds = p.list('user_ids');
  const items = byName(
    account.escalationPolicies.filter(
      (ep) =>
        matchesQuery(ep.name, p.str('query')) &&
        (!teamIds || ep.teamIds.some((t) => teamIds.includes(t))) &&
        (!userIds ||
          ep.rules.some((r) =>
            r.targets.some((t) =>
              t.type === 'user'
                ? userIds.includes(t.id)
                : account.byId.schedules
                    .get(t.id)
                    ?.layers.some((l) => l.userIds.some((u) => userIds.includes(u))),
            ),
          )),
    ),
    p.str('sort_by'),
  );
  return {
    status: 200,
    body: paginate('escalation_policies', arrayListing(items), page, (ep) => renderEscalationPolicy(ctx, ep)),
  };
}

export function listSchedules(account: Account, p: Params, ctx: RenderCtx, abilities: Abilities): ApiReply {
  const page = p.page();
  const teamIds = p.list('team_ids');
  if (teamIds && !abilities.teams) throw missingAbility('teams');
  const items = byName(
    account.schedules.filter(
      (s) => matchesQuery(s.name, p.str('query')) && (!teamIds || s.teamIds.some((t) => teamIds.includes(t))),
    ),
    undefined,
  );
  return {
    status: 200,
    body: paginate('schedules', arrayListing(items), page, (s) => renderSchedule(ctx, s)),
  };
}

export function listPriorities(account: Account, p: Params, ctx: RenderCtx, abilities: Abilities): ApiReply {
  if (!abilities.priorities) throw notFound();
  const page = p.page();
  return {
    status: 200,
    body: paginate('priorities', arrayListing(account.priorities), page, (x) => renderPriority(ctx, x)),
  };
}

export function listTags(account: Account, p: Params, ctx: RenderCtx): ApiReply {
  const page = p.page();
  const items = account.tags.filter((t) => matchesQuery(t.label, p.str('query')));
  return { status: 200, body: paginate('tags', arrayListing(items), page, (t) => renderTag(ctx, t)) };
}

const TAG_ENTITY = { users: 'user', teams: 'team', escalation_policies: 'escalation_policy' } as const;

export function listTagEntities(
  account: Account,
  id: string,
  entity: string,
  p: Params,
  ctx: RenderCtx,
): ApiReply {
  const tag = account.byId.tags.get(id);
  if (!tag) throw notFound();
  if (!Object.hasOwn(TAG_ENTITY, entity)) throw notFound();
  const kind = TAG_ENTITY[entity as keyof typeof TAG_ENTITY];
  const ids = entity === 'users' ? tag.userIds : entity === 'teams' ? tag.teamIds : tag.escalationPolicyIds;
  const page = p.page();
  return { status: 200, body: paginate(entity, arrayListing(ids), page, (x) => ref(ctx, kind, x)) };
}

/**
 * GET /oncalls: entries overlapping [since, until]; both default to now (the spec: "Defaults to current
 * time"), so `since` alone in the past means [since, now]. A `since` alone in the future is read as the
 * instant `since` rather than refused as "until before since" (unverified against PagerDuty). At most 90
 * days apart.
 */
export function listOncalls(account: Account, p: Params, ctx: RenderCtx): ApiReply {
  const page = p.page();
  const since = p.time('since', ctx.timeZone) ?? account.now;
  const until = p.time('until', ctx.timeZone) ?? Math.max(since, account.now);
  if (until < since) throw invalidInput('Until must be after since');
  if (until - since > 90 * DAY)
    throw invalidInput('The range between since and until may not exceed 90 days');
  const eps = p.list('escalation_policy_ids');
  const users = p.list('user_ids');
  const schedules = p.list('schedule_ids');
  let items: OncallRec[] = account.escalationPolicies
    .filter((ep) => !eps || eps.includes(ep.id))
    .flatMap((ep) => escalationPolicyOncalls(ep, account.byId.schedules, since, until))
    .filter(
      (o) =>
        (!users || users.includes(o.userId)) && (!schedules || schedules.includes(o.scheduleId ?? 'null')),
    );
  if (p.flag('earliest')) {
    const seen = new Set<string>();
    items = items
      .sort((a, b) => (a.start ?? -Infinity) - (b.start ?? -Infinity))
      .filter((o) => {
        const k = `${o.escalationPolicyId}/${o.escalationLevel}/${o.userId}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
  }
  items.sort(
    (a, b) =>
      a.escalationPolicyId.localeCompare(b.escalationPolicyId) ||
      a.escalationLevel - b.escalationLevel ||
      (a.start ?? -Infinity) - (b.start ?? -Infinity),
  );
  return { status: 200, body: paginate('oncalls', arrayListing(items), page, (o) => renderOncall(ctx, o)) };
}
