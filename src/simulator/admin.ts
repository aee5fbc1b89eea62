import type { ApiReply } from './errors.js';
import { faultPatchSchema } from './faults.js';
import type { Simulator } from './server.js';

function bad(message: string): ApiReply {
  return { status: 400, body: { error: message } };
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
  if (method === 'GET' && path === '/_sim/truth') return { status: 200, body: sim.truth() };
  if (method === 'GET' && path === '/_sim/stats') return { status: 200, body: sim.stats };
  if (method === 'POST' && path === '/_sim/advance') {
    const minutes = Number(url.searchParams.get('minutes') ?? 'NaN');
    if (!Number.isFinite(minutes) || minutes <= 0)
      return bad('minutes must be a positive number, e.g. /_sim/advance?minutes=60');
    return { status: 200, body: sim.advance(minutes) };
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
