import type { Account } from './account.js';
import { formatTime } from './time.js';

/** Everything a renderer needs: the account, the zone to render times in, and the request's include[]. */
export interface RenderCtx {
  account: Account;
  timeZone: string;
  include: ReadonlySet<string>;
}

export const API_BASE = 'https://api.pagerduty.com';

export type Json = Record<string, unknown>;

export type RefKind =
  'service' | 'team' | 'user' | 'escalation_policy' | 'schedule' | 'incident' | 'priority';

const PATHS: Record<RefKind, { api: string; html: string }> = {
  service: { api: 'services', html: 'service-directory' },
  team: { api: 'teams', html: 'teams' },
  user: { api: 'users', html: 'users' },
  escalation_policy: { api: 'escalation_policies', html: 'escalation_policies' },
  schedule: { api: 'schedules', html: 'schedules' },
  incident: { api: 'incidents', html: 'incidents' },
  priority: { api: 'priorities', html: 'priorities' },
};

export function htmlBase(account: Account): string {
  return `https://${account.subdomain}.pagerduty.com`;
}

export function selfUrl(kind: RefKind, id: string): string {
  return `${API_BASE}/${PATHS[kind].api}/${id}`;
}

export function htmlUrl(ctx: RenderCtx, kind: RefKind, id: string): string {
  return `${htmlBase(ctx.account)}/${PATHS[kind].html}/${id}`;
}

/**
 * The common head of every object: id, type, summary, self, html_url. Renderers of big objects spell these
 * fields out instead of spreading this: an object literal that starts with a spread is built slowly by V8.
 */
export function head(ctx: RenderCtx, kind: RefKind, id: string, summary: string, type: string = kind): Json {
  const p = PATHS[kind];
  return {
    id,
    type,
    summary,
    self: `${API_BASE}/${p.api}/${id}`,
    html_url: `${htmlBase(ctx.account)}/${p.html}/${id}`,
  };
}

export function time(ctx: RenderCtx, ms: number | null): string | null {
  return ms === null ? null : formatTime(ms, ctx.timeZone);
}

function nameOf(ctx: RenderCtx, kind: RefKind, id: string): string {
  const a = ctx.account.byId;
  switch (kind) {
    case 'service':
      return a.services.get(id)?.name ?? id;
    case 'team':
      return a.teams.get(id)?.name ?? id;
    case 'user':
      return a.users.get(id)?.name ?? id;
    case 'escalation_policy':
      return a.escalationPolicies.get(id)?.name ?? id;
    case 'schedule':
      return a.schedules.get(id)?.name ?? id;
    case 'priority':
      return a.priorities.get(id)?.name ?? id;
    case 'incident': {
      const inc = a.incidents.get(id);
      return inc ? `[#${inc.number}] ${inc.title}` : id;
    }
  }
}

/** A `<kind>_reference` object, the way PagerDuty embeds related objects unless include[] asks for more. */
export function ref(ctx: RenderCtx, kind: RefKind, id: string): Json {
  return head(ctx, kind, id, nameOf(ctx, kind, id), `${kind}_reference`);
}
