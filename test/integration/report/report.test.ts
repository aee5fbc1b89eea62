/**
 * `pd-warehouse report` on a synced `large` account, through `main()`: JSON, CSV and the table carry
 * exactly the rows of the `mttr_by_service_week` view for the period; --service/--team narrow them; user
 * mistakes are one line and exit 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';
import { runReport, serviceKeys, viewRows } from './helpers.js';

const DAY = 86_400_000;

describe('pd-warehouse report on a synced account', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 91, preset: 'large' });
    wh = createWarehouse('report');
    // The report reads 90 days (200 at most here): no need to sync the preset's whole 400.
    const run = await syncAgainst(sim, wh, { SYNC_START: '230d' });
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('--format json gives the view rows of the last 90 days, seconds as numbers', async () => {
    const since = new Date(Date.now() - 90 * DAY);
    const r = await runReport(['--format', 'json'], wh.env);
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out.join('\n')) as { rows: unknown[]; weeks: string[] };
    const expected = await viewRows(wh, since);
    expect(expected.length).toBeGreaterThan(100);
    expect(json.rows).toEqual(expected);
    expect(json.weeks.length).toBeGreaterThanOrEqual(13);
  });

  it('--since takes a date; --format csv has a header and one record per row', async () => {
    const since = new Date(Date.now() - 200 * DAY);
    const day = since.toISOString().slice(0, 10);
    const r = await runReport(['--since', day, '--format', 'csv'], wh.env);
    expect(r.code).toBe(0);
    const records = `${r.out.join('\n')}\n`.split('\r\n');
    expect(records.pop()).toBe('');
    const expected = await viewRows(wh, new Date(`${day}T00:00:00Z`));
    expect(records[0]?.split(',')).toEqual(Object.keys(expected[0] ?? {}));
    expect(records).toHaveLength(expected.length + 1);
    const first = records[1]?.split(',');
    const row = expected[0] ?? {};
    expect(first?.[0]).toBe(row.service_id);
    expect(Number(first?.[9])).toBe(row.mtta_median_seconds);
  });

  it('--format table lists every row under an aligned header', async () => {
    const r = await runReport([], wh.env);
    expect(r.code).toBe(0);
    const expected = await viewRows(wh, new Date(Date.now() - 90 * DAY));
    expect(r.out).toHaveLength(1);
    const lines = (r.out[0] ?? '').split('\n');
    expect(lines[2]).toMatch(
      /^service\s+week\s+incidents\s+acked\s+resolved\s+MTTA p50\s+MTTA p90\s+MTTR p50\s+MTTR p90$/,
    );
    expect(lines).toHaveLength(4 + expected.length);
    expect(lines.slice(4).every((l) => /\d+[smhd]( \d{2}[smh])?$|-$/.test(l))).toBe(true);
  });

  it('--service and --team (repeated or comma lists) narrow the rows', async () => {
    const keys = await serviceKeys(wh);
    const [a, b] = keys;
    if (!a || !b) throw new Error('the large preset has services');
    const since = new Date(Date.now() - 90 * DAY);
    const one = await runReport(
      ['--format', 'json', '--service', `${a.service_key},${b.service_id}`],
      wh.env,
    );
    expect(one.code).toBe(0);
    const rows = (JSON.parse(one.out.join('\n')) as { rows: unknown[] }).rows;
    expect(rows).toEqual(await viewRows(wh, since, [a.service_id, b.service_id]));

    const team = keys.find((k) => k.team_key !== null)?.team_key ?? '';
    const ofTeam = keys.filter((k) => k.team_key === team).map((k) => k.service_id);
    const byTeam = await runReport(['--format', 'json', '--team', team, '--team', team], wh.env);
    expect(byTeam.code).toBe(0);
    const teamRows = (JSON.parse(byTeam.out.join('\n')) as { rows: unknown[] }).rows;
    expect(teamRows).toEqual(await viewRows(wh, since, ofTeam));
  });

  it('an unknown service or team: one line naming it and some valid keys, exit 2', async () => {
    const keys = await serviceKeys(wh);
    const r = await runReport(['--service', 'no-such-service'], wh.env);
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain("no service matched 'no-such-service'; valid service keys: ");
    expect(r.err[0]).toContain(keys[0]?.service_key);
    const t = await runReport(['--team', 'nobody'], wh.env);
    expect(t.code).toBe(2);
    expect(t.err[0]).toMatch(/^pd-warehouse: no team matched 'nobody'; valid team keys: \S/);
  });

  it('bad flags are one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['--format', 'pdf'], /--format 'pdf' is not one of table, json, csv, html/],
      [['--format', 'html'], /--format html needs --out FILE/],
      [['--since', 'last week'], /--since 'last week' is neither a duration/],
      [['--since', '2999-01-01'], /--since '2999-01-01' is in the future/],
      [['--bogus'], /bogus/],
      [['extra'], /extra/],
    ];
    for (const [args, message] of cases) {
      const r = await runReport(args, wh.env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toHaveLength(1);
      expect(r.err[0]).toMatch(message);
    }
  });
});

describe('pd-warehouse report on the embedded database', () => {
  let sim: Simulator;
  let wh: Warehouse;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 93, preset: 'small' });
    wh = createWarehouse('report_embedded', { embedded: true });
    const run = await syncAgainst(sim, wh, { SYNC_START: '100d' });
    expect(run.code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await sim.close();
    await wh.drop();
  });

  it('reads the same view through PGlite, --service included', async () => {
    const [first] = await serviceKeys(wh);
    if (!first) throw new Error('the small preset has services');
    const since = new Date(Date.now() - 90 * DAY);
    const all = await runReport(['--format', 'json'], wh.env);
    expect(all.code).toBe(0);
    expect((JSON.parse(all.out.join('\n')) as { rows: unknown[] }).rows).toEqual(await viewRows(wh, since));
    const one = await runReport(['--format', 'json', '--service', first.service_key], wh.env);
    expect(one.code).toBe(0);
    const rows = (JSON.parse(one.out.join('\n')) as { rows: unknown[] }).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(await viewRows(wh, since, [first.service_id]));
  });
});

describe('pd-warehouse report on an empty warehouse', () => {
  let wh: Warehouse;
  beforeAll(() => {
    wh = createWarehouse('report_empty');
  });
  afterAll(async () => {
    await wh.drop();
  });

  it('says there were no incidents (table) and gives no rows (json)', async () => {
    const migrated = await runReport([], wh.env);
    if (migrated.code !== 0) {
      // The embedded database does not exist until something creates it.
      expect(migrated.err[0]).toMatch(/no warehouse in .*: run 'pd-warehouse sync' first/);
      return;
    }
    expect(migrated.out.join('\n')).toContain('no incidents in this period');
    const json = await runReport(['--format', 'json'], wh.env);
    expect((JSON.parse(json.out.join('\n')) as { rows: unknown[] }).rows).toEqual([]);
  });
});
