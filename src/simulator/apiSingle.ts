import type { Account } from './account.js';
import { missingAbility, notFound, type ApiReply } from './errors.js';
import type { RenderCtx } from './render.js';
import { renderLogEntry } from './renderIncident.js';
import { renderEscalationPolicy, renderSchedule, renderTag, renderTeam } from './renderReference.js';
import type { Abilities } from './apiReference.js';

/** GET /{kind}/{id} for the kinds PagerDuty serves one at a time; 404 with code 2100 when unknown. */
export function getOne(
  account: Account,
  kind: string,
  id: string,
  ctx: RenderCtx,
  abilities: Abilities,
): ApiReply | null {
  const b = account.byId;
  switch (kind) {
    case 'teams': {
      if (!abilities.teams) throw missingAbility('teams');
      const t = b.teams.get(id);
      if (!t || account.deletedTeams.has(id)) throw notFound();
      return { status: 200, body: { team: renderTeam(ctx, t) } };
    }
    case 'escalation_policies': {
      const ep = b.escalationPolicies.get(id);
      if (!ep) throw notFound();
      return { status: 200, body: { escalation_policy: renderEscalationPolicy(ctx, ep) } };
    }
    case 'schedules': {
      const s = b.schedules.get(id);
      if (!s) throw notFound();
      // A single schedule always carries its layers, as PagerDuty's GET /schedules/{id} does.
      return {
        status: 200,
        body: {
          schedule: renderSchedule({ ...ctx, include: new Set([...ctx.include, 'schedule_layers']) }, s),
        },
      };
    }
    case 'tags': {
      const t = b.tags.get(id);
      if (!t) throw notFound();
      return { status: 200, body: { tag: renderTag(ctx, t) } };
    }
    case 'log_entries': {
      const r = account.logById(id);
      if (!r) throw notFound();
      return { status: 200, body: { log_entry: renderLogEntry(ctx, r) } };
    }
    default:
      return null;
  }
}
