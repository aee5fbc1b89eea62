import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';
import { expectWarehouseMatchesTruth } from '../sync/compare.js';

const NOW = Date.UTC(2026, 9, 1, 12);
const SECRET = 'client-secret-0123456789abcdef';
const ALL = [
  'incidents.read',
  'services.read',
  'teams.read',
  'users.read',
  'escalation_policies.read',
  'schedules.read',
  'oncalls.read',
  'priorities.read',
  'tags.read',
];

describe('OAuth client credentials against the simulator’s identity endpoint', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let oauthEnv: Record<string, string>;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: 51,
      preset: 'small',
      now: NOW,
      rpm: 100_000,
      // Only the API key below, or a token from the identity endpoint, is accepted.
      tokens: ['not-used-by-these-tests'],
      oauth: {
        subdomain: 'acme',
        region: 'eu',
        expiresInSeconds: 1,
        apps: [
          { clientId: 'full-app', clientSecret: SECRET, scopes: ALL },
          { clientId: 'no-teams-app', clientSecret: SECRET, scopes: ALL.filter((s) => s !== 'teams.read') },
        ],
      },
    });
    wh = createWarehouse('oauth');
    oauthEnv = {
      PAGERDUTY_TOKEN: '',
      PAGERDUTY_CLIENT_ID: 'full-app',
      PAGERDUTY_CLIENT_SECRET: SECRET,
      PAGERDUTY_SUBDOMAIN: 'acme',
      PAGERDUTY_REGION: 'eu',
      PAGERDUTY_OAUTH_TOKEN_URL: `${sim.url}/oauth/token`,
    };
  });
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('syncs with renewed tokens (1 s lifetime over a longer run) and asks for the scopes the resources need', async () => {
    // 150 ms a request: the run lasts several token lifetimes.
    sim.setFaults({ latencyMs: 150, jitterMs: 0 });
    const run = await syncAgainst(sim, wh, { ...oauthEnv, PAGERDUTY_MAX_RPM: '10000' }).finally(() =>
      sim.setFaults({ latencyMs: 0 }),
    );
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const log = sim.oauth?.log ?? [];
    expect(log.length).toBeGreaterThanOrEqual(2);
    expect(log[0]?.scope.split(' ').sort()).toEqual(['as_account-eu.acme', ...ALL].sort());
    const db = await wh.open();
    try {
      await expectWarehouseMatchesTruth(db, sim);
    } finally {
      await db.close();
    }
    expect(run.logs).not.toContain(SECRET);
    expect(run.logs).not.toContain('pdus+_');
  }, 60_000);

  it('a scope the app lacks: one warning when the token comes, and the refused resource names the scope', async () => {
    const run = await syncAgainst(sim, wh, {
      ...oauthEnv,
      PAGERDUTY_CLIENT_ID: 'no-teams-app',
      PAGERDUTY_MAX_RPM: '10000',
    });
    expect(run.code).toBe(1);
    expect(run.logs).toMatch(/was not granted teams\.read/);
    expect(run.err.join('\n')).toMatch(/403\): the token lacks the "teams\.read" scope/);
  });

  it('wrong client secret: one line naming the variables to check, no secret in it', async () => {
    const run = await syncAgainst(sim, wh, {
      ...oauthEnv,
      PAGERDUTY_CLIENT_SECRET: 'wrong-secret-000',
    }).catch((err: unknown) => err);
    const text = run instanceof Error ? run.message : (run as { err: string[] }).err.join('\n');
    expect(text).toMatch(/PagerDuty refused the OAuth client credentials \(401\).*PAGERDUTY_CLIENT_SECRET/);
    expect(text).not.toContain('wrong-secret-000');
  });
});
