/**
 * Faults as a client sees them (research node20-packages.md §6): a 5xx with an HTML body, a connection reset
 * mid-body (ECONNRESET from the body read), a body cut short (UND_ERR_SOCKET, or complete but invalid JSON),
 * a slow answer, added latency, and 429s. Every request goes through undici `request` and reads the body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import type { FaultConfig, FaultKind } from '../../../src/simulator/index.js';
import { NOW } from './simHttp.js';

/** What one request looked like from the client's side. */
type Outcome =
  | { kind: 'ok'; status: number; ms: number }
  | { kind: 'http'; status: number; contentType: string; text: string; ms: number }
  | { kind: 'body-error'; status: number; code: string; ms: number }
  | { kind: 'bad-json'; status: number; ms: number }
  | { kind: 'request-error'; code: string; ms: number };

function codeOf(error: unknown): string {
  if (error instanceof SyntaxError) return 'SyntaxError';
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : String(error);
}

async function fetchOnce(agent: Agent, url: string): Promise<Outcome> {
  const started = performance.now();
  const ms = () => performance.now() - started;
  let res: Awaited<ReturnType<typeof request>>;
  try {
    res = await request(url, { dispatcher: agent, headers: { authorization: 'Token token=faults' } });
  } catch (error) {
    return { kind: 'request-error', code: codeOf(error), ms: ms() };
  }
  let text: string;
  try {
    text = await res.body.text();
  } catch (error) {
    return { kind: 'body-error', status: res.statusCode, code: codeOf(error), ms: ms() };
  }
  const contentType = String(res.headers['content-type'] ?? '');
  if (res.statusCode !== 200) return { kind: 'http', status: res.statusCode, contentType, text, ms: ms() };
  try {
    JSON.parse(text);
  } catch {
    return { kind: 'bad-json', status: res.statusCode, ms: ms() };
  }
  return { kind: 'ok', status: res.statusCode, ms: ms() };
}

const ONLY = (kind: keyof FaultConfig['mix']): FaultConfig['mix'] => ({
  server_error: 0,
  reset: 0,
  truncated: 0,
  slow: 0,
  rate_limited: 0,
  [kind]: 1,
});

/** A coarse, client-side label: reset and truncated can look alike, so they share one. */
function label(o: Outcome): string {
  switch (o.kind) {
    case 'ok':
      return 'ok';
    case 'http':
      return o.status === 429 ? (o.text === '' ? 'bare_429' : 'rate_limited') : `http_${o.status}`;
    case 'body-error':
    case 'bad-json':
      return 'broken';
    case 'request-error':
      return `request_error_${o.code}`;
  }
}

describe('faults, one kind at a time', () => {
  let sim: Simulator;
  let agent: Agent;
  const path = () => `${sim.url}/incidents?date_range=all&limit=100`;
  const counted = (kind: FaultKind) => sim.stats.faults[kind];

  beforeAll(async () => {
    sim = await startSimulator({ seed: 61, now: NOW, incidents: 200, days: 10 });
    agent = new Agent({ keepAliveTimeout: 2_000 });
  });
  afterAll(async () => {
    sim.setFaults({ rate: 0 });
    await agent.close();
    await sim.close();
  });

  it('no faults by default: plain 200s', async () => {
    for (let i = 0; i < 5; i++)
      expect(await fetchOnce(agent, path())).toMatchObject({ kind: 'ok', status: 200 });
    expect(Object.values(sim.stats.faults).every((n) => n === 0)).toBe(true);
  });

  it('server_error: a 5xx with an HTML body, counted', async () => {
    sim.setFaults({ rate: 1, mix: ONLY('server_error') });
    const before = counted('server_error');
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const o = await fetchOnce(agent, path());
      if (o.kind !== 'http') throw new Error(`expected an HTTP error, got ${JSON.stringify(o)}`);
      expect(o.status).toBeGreaterThanOrEqual(500);
      expect(o.status).toBeLessThan(600);
      expect(o.contentType).toMatch(/^text\/html/);
      expect(o.text).toMatch(/^<html/);
      expect(() => JSON.parse(o.text) as unknown).toThrow();
      statuses.add(o.status);
    }
    expect(statuses.size).toBeGreaterThan(1);
    expect(counted('server_error') - before).toBe(12);
  });

  it('reset: the body read rejects with ECONNRESET (or UND_ERR_SOCKET), counted', async () => {
    sim.setFaults({ rate: 1, mix: ONLY('reset') });
    const before = counted('reset');
    for (let i = 0; i < 6; i++) {
      const o = await fetchOnce(agent, path());
      if (o.kind !== 'body-error') throw new Error(`expected a body error, got ${JSON.stringify(o)}`);
      expect(o.status).toBe(200);
      expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(o.code);
    }
    expect(counted('reset') - before).toBe(6);
  });

  it('truncated: the body read rejects or the JSON does not parse, both ways seen, counted', async () => {
    sim.setFaults({ rate: 1, mix: ONLY('truncated') });
    const before = counted('truncated');
    const kinds = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const o = await fetchOnce(agent, path());
      if (o.kind === 'body-error') expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(o.code);
      else expect(o.kind).toBe('bad-json');
      kinds.add(o.kind);
    }
    expect([...kinds].sort()).toEqual(['bad-json', 'body-error']);
    expect(counted('truncated') - before).toBe(16);
  });

  it('slow: the answer is right but takes at least slowMs', async () => {
    sim.setFaults({ rate: 1, mix: ONLY('slow'), slowMs: 300 });
    const before = counted('slow');
    const outcomes = await Promise.all([fetchOnce(agent, path()), fetchOnce(agent, path())]);
    for (const o of outcomes) {
      expect(o.kind).toBe('ok');
      expect(o.ms).toBeGreaterThanOrEqual(290);
    }
    expect(counted('slow') - before).toBe(2);
  });

  it('latencyMs adds latency to every answer without faulting it', async () => {
    sim.setFaults({ rate: 0, latencyMs: 200, jitterMs: 0 });
    const o = await fetchOnce(agent, path());
    expect(o.kind).toBe('ok');
    expect(o.ms).toBeGreaterThanOrEqual(190);
    sim.setFaults({ latencyMs: 0 });
  });

  it('an unfaulted request after all that still works', async () => {
    sim.setFaults({ rate: 0 });
    expect((await fetchOnce(agent, path())).kind).toBe('ok');
  });
});

describe('fault rate and replay', () => {
  const MIX = { server_error: 3, reset: 2, truncated: 2, slow: 0, rate_limited: 2 };
  let agent: Agent;

  beforeAll(() => {
    agent = new Agent({ keepAliveTimeout: 2_000 });
  });
  afterAll(async () => {
    await agent.close();
  });

  async function run(
    seed: number,
    n: number,
  ): Promise<{ labels: string[]; faults: Record<FaultKind, number> }> {
    const sim = await startSimulator({
      seed,
      now: NOW,
      incidents: 30,
      days: 5,
      faults: { rate: 0.3, mix: MIX },
    });
    try {
      const labels: string[] = [];
      for (let i = 0; i < n; i++) labels.push(label(await fetchOnce(agent, `${sim.url}/services`)));
      return { labels, faults: { ...sim.stats.faults } };
    } finally {
      await sim.close();
    }
  }

  it('a rate of 0.3 over 200 requests faults roughly 30% of them, each kind counted', async () => {
    const { labels, faults } = await run(71, 200);
    const failed = labels.filter((l) => l !== 'ok').length;
    expect(failed).toBeGreaterThanOrEqual(30);
    expect(failed).toBeLessThanOrEqual(90);
    const total = Object.values(faults).reduce((s, n) => s + n, 0);
    expect(total).toBe(failed);
    expect(faults.slow).toBe(0);
    expect(labels.filter((l) => l === 'broken').length).toBe(faults.reset + faults.truncated);
    expect(labels.filter((l) => l.startsWith('http_5')).length).toBe(faults.server_error);
    expect(labels.filter((l) => l === 'rate_limited').length).toBe(faults.rate_limited);
    expect(labels.filter((l) => l === 'bare_429').length).toBe(faults.bare_429);
    expect(labels.some((l) => l.startsWith('request_error'))).toBe(false);
  });

  it('the same seed gives the same fault sequence; another seed a different one', async () => {
    const a = await run(72, 120);
    const b = await run(72, 120);
    const c = await run(73, 120);
    expect(b.labels).toEqual(a.labels);
    expect(b.faults).toEqual(a.faults);
    expect(c.labels).not.toEqual(a.labels);
  });
});
