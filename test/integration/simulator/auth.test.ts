import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createClient, expectError, NOW, type SimClient } from './simHttp.js';

const PATHS = ['/services', '/incidents', '/oncalls', '/log_entries', '/users'];

describe('auth: any non-empty token (default)', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, now: NOW, incidents: 50 });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it.each(PATHS)('no Authorization header on %s → 401 code 2006', async (path) => {
    const reply = await client.get(path, {}, { authorization: null });
    const error = expectError(reply, 401, 2006);
    expect(error.message).toBe('Authentication failed');
  });

  it.each([
    'Token abc',
    'Token token=',
    'token token=abc',
    'Basic dXNlcjpwYXNz',
    'Bearer',
    'Bearer ',
    'abc',
    'Token token=a b',
  ])('malformed header %j → 401 code 2006', async (authorization) => {
    expectError(await client.get('/services', {}, { authorization }), 401, 2006);
  });

  it('accepts `Token token=x` and `Bearer x`', async () => {
    for (const authorization of ['Token token=x', 'Bearer x', 'Token token=u+0123abc_DEF-xyz']) {
      const reply = await client.get('/services', {}, { authorization });
      expect(reply.status, `${authorization}: ${reply.text}`).toBe(200);
    }
  });

  it('a 401 answers before the request is routed (an unknown path is still 401)', async () => {
    expectError(await client.get('/no_such_thing', {}, { authorization: null }), 401, 2006);
    expectError(await client.get('/no_such_thing'), 404, 2100);
  });
});

describe('auth: the `tokens` option restricts which tokens work', () => {
  let sim: Simulator;
  let client: SimClient;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, now: NOW, incidents: 50, tokens: ['good-1', 'good-2'] });
    client = createClient(sim.url);
  });
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  it('listed tokens pass in both header forms', async () => {
    for (const authorization of ['Token token=good-1', 'Bearer good-1', 'Token token=good-2']) {
      expect((await client.get('/services', {}, { authorization })).status).toBe(200);
    }
  });

  it('other tokens get 401 code 2006', async () => {
    for (const authorization of ['Token token=bad', 'Bearer good-3', 'Token token=good-12']) {
      expectError(await client.get('/services', {}, { authorization }), 401, 2006);
    }
  });
});
