import { analyticsRawIncidents } from './apiAnalytics.js';
import { renderFieldValues, routeCustomFields } from './apiCustomFields.js';
import { analyticsQuotaExceeded, missingAbility, notFound, type ApiReply } from './errors.js';
import {
  checkLogInclude,
  getIncident,
  listIncidentLogEntries,
  findIncident,
  listIncidents,
  listLogEntries,
} from './apiIncidents.js';
import {
  getService,
  getUser,
  listEscalationPolicies,
  listOncalls,
  listPriorities,
  listSchedules,
  listServices,
  listTagEntities,
  listTags,
  listTeamMembers,
  listTeams,
  listUsers,
} from './apiReference.js';
import { Params } from './params.js';
import { getOne } from './apiSingle.js';
import type { RenderCtx } from './render.js';
import type { Simulator } from './server.js';

/** The parts of a request beyond its URL: the caller's token and the body (POST). */
export interface ApiRequest {
  token: string;
  body: string;
}

/** POST /analytics/raw/incidents: the analytics ability (402), then the token's daily quota (429). */
function analytics(sim: Simulator, req: ApiRequest): ApiReply {
  if (!sim.abilities.analytics) throw missingAbility('analytics');
  if (sim.account.lazy) throw new Error('the analytics API is not supported in lazy mode');
  const q = sim.analyticsQuota.take(req.token);
  if (!q.allowed) {
    const resetAt = new Date(sim.analyticsQuota.resetsAt()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      ...analyticsQuotaExceeded(q.limit, resetAt).reply(),
      headers: {
        'ratelimit-limit': String(q.limit),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(q.resetSeconds),
      },
    };
  }
  return analyticsRawIncidents(sim.account, req.body, sim.abilities);
}

/** Routes one authenticated REST request to its handler. Throws ApiError for PagerDuty-style errors. */
export function routeApi(
  sim: Simulator,
  method: string,
  url: URL,
  req: ApiRequest = { token: '', body: '' },
): ApiReply {
  if (method === 'POST' && url.pathname.replace(/\/+$/, '') === '/analytics/raw/incidents')
    return analytics(sim, req);
  if (method !== 'GET') throw notFound();
  const { account, abilities } = sim;
  const p = new Params(url.searchParams);
  const ctx: RenderCtx = { account, timeZone: p.timeZone(account.timeZone), include: p.include() };
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, id, sub] = parts;
  const custom = routeCustomFields(account, parts, ctx.include);
  if (custom) return custom;
  if (parts.length > 3) throw notFound();
  switch (first) {
    case 'incidents':
      if (id === undefined) return listIncidents(account, p, ctx, abilities);
      if (sub === undefined) {
        const reply = getIncident(account, id, ctx);
        // GET /incidents/{id} alone takes include[]=custom_fields (not the list), as the spec has it.
        if (!ctx.include.has('custom_fields')) return reply;
        const inc = findIncident(account, id);
        const values = account.customFields.incidentValues(inc);
        const body = reply.body as { incident: Record<string, unknown> };
        body.incident.custom_fields = renderFieldValues(account.customFields.incidentFields, values);
        return reply;
      }
      if (sub === 'log_entries') {
        checkLogInclude(ctx.include);
        return listIncidentLogEntries(account, id, p, ctx);
      }
      break;
    case 'log_entries':
      checkLogInclude(ctx.include);
      if (id === undefined) return listLogEntries(account, p, ctx, abilities);
      if (sub === undefined) return getOne(account, first, id, ctx, abilities) ?? notFound().reply();
      break;
    case 'services':
      if (id === undefined) return listServices(account, p, ctx, abilities);
      if (sub === undefined) return getService(account, id, ctx);
      break;
    case 'teams':
      if (id === undefined) return listTeams(account, p, ctx, abilities);
      if (sub === 'members') return listTeamMembers(account, id, p, ctx, abilities);
      if (sub === undefined) return getOne(account, first, id, ctx, abilities) ?? notFound().reply();
      break;
    case 'users':
      if (id === undefined) return listUsers(account, p, ctx, abilities);
      if (sub === undefined) return getUser(account, id, ctx);
      break;
    case 'escalation_policies':
      if (id === undefined) return listEscalationPolicies(account, p, ctx, abilities);
      if (sub === undefined) return getOne(account, first, id, ctx, abilities) ?? notFound().reply();
      break;
    case 'schedules':
      if (id === undefined) return listSchedules(account, p, ctx, abilities);
      if (sub === undefined) return getOne(account, first, id, ctx, abilities) ?? notFound().reply();
      break;
    case 'priorities':
      if (id === undefined) return listPriorities(account, p, ctx, abilities);
      break;
    case 'tags':
      if (id === undefined) return listTags(account, p, ctx);
      if (sub !== undefined) return listTagEntities(account, id, sub, p, ctx);
      return getOne(account, first, id, ctx, abilities) ?? notFound().reply();
      break;
    case 'oncalls':
      if (id === undefined) return listOncalls(account, p, ctx);
      break;
  }
  throw notFound();
}
