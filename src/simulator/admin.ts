import type { ApiReply } from './errors.js';
import { faultPatchSchema } from './faults.js';
import type { AdvanceOptions } from './evolve.js';
import type { Simulator } from './server.js';

function bad(message: string): ApiReply {
  return { status: 400, body: { error: message } };
}

const FLAGS = ['renameService', 'deleteService', 'addOverride', 'deleteUser', 'deleteTeam'] as const;
const COUNTS = ['newIncidents', 'priorityChanges', 'customFieldChanges'] as const;

/** AdvanceOptions from the query, e.g. `deleteUser=true&customFieldChanges=3`; an error message if malformed. */
function advanceOptions(q: URLSearchParams): AdvanceOptions | string {
  const opts: AdvanceOptions = {};
  for (const k of FLAGS) {
    const v = q.get(k);
    if (v === null) continue;
    if (v !== 'true' && v !== 'false') return `${k} must be true or false`;
    opts[k] = v === 'true';
  }
  for (const k of COUNTS) {
    const v = q.get(k);
    if (v === null) continue;
    if (!/^\d+$/.test(v)) return `${k} must be a non-negative integer`;
    opts[k] = Number(v);
  }
  return opts;
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    return undefined;
  }
}

/**
 * Control endpoints under /_sim/ (not part of PagerDuty's API; no auth): read the ground truth and the
 * counters, advance the clock, change the fault mix, start a 429 storm, read received Events API events.
 */
export async function routeAdmin(sim: Simulator, method: string, url: URL, body: string): Promise<ApiReply> {
  await Promise.resolve();
  const path = url.pathname;
  if (method === 'GET' && path === '/_sim/health') {
    return { status: 200, body: { ok: true, now: new Date(sim.account.now).toISOString() } };
  }
  if (method === 'GET' && path === '/_sim/truth') {
    const truth = sim.truth();
    // Lazy mode's truth has only its counts; the rest throws when read.
    const body = sim.account.lazy ? { now: truth.now, counts: truth.counts, lazy: true } : truth;
    return { status: 200, body };
  }
  if (method === 'GET' && path === '/_sim/stats') return { status: 200, body: sim.stats };
  if (method === 'POST' && path === '/_sim/advance') {
    const minutes = Number(url.searchParams.get('minutes') ?? 'NaN');
    if (!Number.isFinite(minutes) || minutes <= 0)
      return bad('minutes must be a positive number, e.g. /_sim/advance?minutes=60');
    const opts = advanceOptions(url.searchParams);
    if (typeof opts === 'string') return bad(opts);
    return { status: 200, body: sim.advance(minutes, opts) };
  }
  if (method === 'POST' && path === '/_sim/faults') {
    const patch = faultPatchSchema.safeParse(parseJson(body));
    if (!patch.success) {
      return bad(
        `fault settings rejected: ${patch.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    return { status: 200, body: sim.setFaults(patch.data) };
  }
  if (method === 'POST' && path === '/_sim/storm') {
    const seconds = Number(url.searchParams.get('seconds') ?? 'NaN');
    if (!Number.isFinite(seconds) || seconds <= 0) return bad('seconds must be a positive number');
    sim.storm(seconds);
    return { status: 200, body: { storm_seconds: seconds } };
  }
  if (path === '/_sim/events') {
    if (method === 'GET') return { status: 200, body: { events: sim.events.events } };
    if (method === 'DELETE') {
      sim.events.clear();
      return { status: 200, body: { events: [] } };
    }
  }
  return { status: 404, body: { error: `unknown simulator control ${method} ${path}` } };
}
