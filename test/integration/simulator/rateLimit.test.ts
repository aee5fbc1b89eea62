import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createClient, expectError, NOW, sleep, type Reply, type SimClient } from './simHttp.js';

function rateHeaders(reply: Reply): { limit: number; remaining: number; reset: number } {
  const read = (name: string): number => {
    const value = reply.headers[name];
    expect(typeof value, `${name} on a ${reply.status}`).toBe('string');
    expect(String(value)).toMatch(/^\d+$/);
    return Number(value);
  };
  return {
    limit: read('ratelimit-limit'),
    remaining: read('ratelimit-remaining'),
    reset: read('ratelimit-reset'),
  };
}

const as = (token: string) => ({ authorization: `Token token=${token}` });

describe('rate limit: headers on every answer', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 51, now: NOW, incidents: 50, days: 10 });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('200, 400, 404 answers all carry ratelimit-limit/remaining/reset (PagerDuty: 960 a minute)', async () => {
    const replies = [
      await client.get('/services'),
      await client.get('/incidents', { since: 'yesterday-ish' }),
      await client.get('/incidents', { offset: 20_000 }),
      await client.get('/incidents/PNOSUCH'),
      await client.get('/nothing_here'),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 400, 400, 404, 404]);
    let previous = Infinity;
    for (const reply of replies) {
      const h = rateHeaders(reply);
      expect(h.limit).toBe(960);
      expect(h.remaining).toBeLessThan(previous);
      expect(h.reset).toBeGreaterThanOrEqual(1);
      expect(h.reset).toBeLessThanOrEqual(60);
      previous = h.remaining;
    }
  });
});

describe('rate limit: rpm = 5', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 52, now: NOW, incidents: 50, days: 10, rpm: 5 });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('remaining counts down and the 6th request in a minute gets 429 code 2020 with headers', async () => {
    const remaining: number[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await client.get('/services', {}, as('alpha'));
      expect(reply.status).toBe(200);
      const h = rateHeaders(reply);
      expect(h.limit).toBe(5);
      remaining.push(h.remaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
    const refused = await client.get('/services', {}, as('alpha'));
    const error = expectError(refused, 429, 2020);
    expect(error.message).toBe('Rate Limit Exceeded');
    const h = rateHeaders(refused);
    expect(h).toMatchObject({ limit: 5, remaining: 0 });
    expect(h.reset).toBeGreaterThanOrEqual(1);
    expect(h.reset).toBeLessThanOrEqual(60);
    // Refused requests do not count: still refused, still remaining 0.
    expectError(await client.get('/incidents', {}, as('alpha')), 429, 2020);
    expect(sim.stats.rateLimited).toBe(2);
  });

  it('another token has its own budget; Bearer and Token forms of one token share one', async () => {
    const beta = await client.get('/services', {}, as('beta'));
    expect(beta.status).toBe(200);
    expect(rateHeaders(beta).remaining).toBe(4);
    expectError(await client.get('/services', {}, { authorization: 'Bearer alpha' }), 429, 2020);
  });
});

describe('rate limit: storms and bare 429s', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 53, now: NOW, incidents: 50, days: 10 });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    sim.setFaults({ rate: 0 });
    await client.close();
    await sim.close();
  });

  it('storm(2) makes every request 429, for every token, with headers', async () => {
    sim.storm(2);
    for (const token of ['one', 'two', 'three']) {
      const reply = await client.get('/services', {}, as(token));
      expectError(reply, 429, 2020);
      const h = rateHeaders(reply);
      expect(h.remaining).toBe(0);
      expect(h.reset).toBeGreaterThanOrEqual(1);
      expect(h.reset).toBeLessThanOrEqual(2);
    }
  });

  it('a storm ends on time', async () => {
    sim.storm(0.3);
    expectError(await client.get('/services', {}, as('four')), 429, 2020);
    await sleep(450);
    expect((await client.get('/services', {}, as('four'))).status).toBe(200);
  });

  it('faults {rate 1, rate_limited only, bare429Share 1} give bare 429s: no headers, empty body', async () => {
    sim.setFaults({
      rate: 1,
      mix: { rate_limited: 1, server_error: 0, reset: 0, truncated: 0, slow: 0 },
      bare429Share: 1,
    });
    const before = sim.stats.faults.bare_429;
    for (let i = 0; i < 5; i++) {
      const reply = await client.get('/services', {}, as('five'));
      expect(reply.status).toBe(429);
      expect(reply.text).toBe('');
      for (const name of ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']) {
        expect(reply.headers[name]).toBeUndefined();
      }
    }
    expect(sim.stats.faults.bare_429 - before).toBe(5);
  });

  it('with bare429Share 0 an injected 429 looks like the real one', async () => {
    sim.setFaults({ rate: 1, bare429Share: 0 });
    const before = sim.stats.faults.rate_limited;
    const reply = await client.get('/services', {}, as('six'));
    expectError(reply, 429, 2020);
    expect(rateHeaders(reply).remaining).toBe(0);
    expect(sim.stats.faults.rate_limited - before).toBe(1);
  });
});
