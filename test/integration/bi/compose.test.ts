/**
 * The BI stack's files, without Docker (none on CI): docker-compose.yml has the services, profiles,
 * healthchecks and start order the README promises and no secret in it; the Grafana provisioning parses and
 * points at files that exist; every dashboard query goes to the provisioned data source, names the
 * `pagerduty` schema and expands with test/integration/bi/grafanaSql.ts. The queries run in dashboard.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SIMULATOR_USAGE } from '../../../src/cli/simulatorCommand.js';
import {
  composeSchema,
  datasourcesSchema,
  panelsOf,
  providersSchema,
  queriesOf,
  readDashboard,
  readSource,
  readYaml,
  repoPath,
  variablesRead,
  type ComposeService,
} from './biFiles.js';
import { expandGrafanaSql } from './grafanaSql.js';

const compose = composeSchema.parse(readYaml('docker-compose.yml'));
const datasources = datasourcesSchema.parse(
  readYaml('deploy/grafana/provisioning/datasources/warehouse.yaml'),
);
const providers = providersSchema.parse(readYaml('deploy/grafana/provisioning/dashboards/dashboards.yaml'));
const dashboard = readDashboard();

function svc(name: string): ComposeService {
  const s = compose.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
}

/** The services `docker compose [--profile …] up` starts: no profiles, or one of them active. */
function servicesUp(active: string[]): string[] {
  return Object.entries(compose.services)
    .filter(([, s]) => !s.profiles || s.profiles.some((p) => active.includes(p)))
    .map(([name]) => name)
    .sort();
}

/** Bind mounts of a service: host path (relative to the repo) → container path. */
function binds(s: ComposeService): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of s.volumes ?? []) {
    const [host, container] = v.split(':');
    if (host?.startsWith('./') && container) out.set(host.slice(2), container);
  }
  return out;
}

const SECRET_NAME = /TOKEN|PASSWORD|SECRET|API_KEY/;
const DEMO_TOKEN = { service: 'worker-demo', variable: 'PAGERDUTY_TOKEN' };

describe('docker-compose.yml', () => {
  it('is a compose spec file (no version key) with the BI services', () => {
    expect(compose.version).toBeUndefined();
    expect(Object.keys(compose.services).sort()).toEqual(
      ['grafana', 'migrate', 'postgres', 'simulator', 'worker', 'worker-demo'].sort(),
    );
  });

  it('plain up runs postgres, migrate, worker, grafana; the demo profile adds the simulator and its worker', () => {
    expect(servicesUp([])).toEqual(['grafana', 'migrate', 'postgres', 'worker']);
    expect(servicesUp(['demo'])).toEqual([
      'grafana',
      'migrate',
      'postgres',
      'simulator',
      'worker',
      'worker-demo',
    ]);
    // Compose cannot switch an unprofiled service off, so the account worker stands down by itself when
    // the demo's simulator answers (it waits for it, when that service is enabled at all).
    const worker = svc('worker');
    expect(worker.depends_on?.simulator).toEqual({ condition: 'service_healthy', required: false });
    const script = worker.command?.join(' ') ?? '';
    expect(script.indexOf('getent hosts simulator')).toBeGreaterThanOrEqual(0);
    expect(script).toMatch(
      /^if getent hosts simulator[^;]*; then [^]*?exit 0; fi; exec pd-warehouse worker$/,
    );
  });

  it('postgres is postgres:16 with a pg_isready healthcheck and a named volume', () => {
    const pg = svc('postgres');
    expect(pg.image).toBe('postgres:16');
    expect(pg.healthcheck?.test.join(' ')).toContain('pg_isready');
    const named = (pg.volumes ?? []).map((v) => v.split(':')[0]);
    expect(named.some((n) => n !== undefined && n in compose.volumes)).toBe(true);
  });

  it('the pd-warehouse services share one image and start in order: postgres healthy → migrate done → workers', () => {
    const image = svc('migrate').image;
    for (const name of ['migrate', 'worker', 'simulator', 'worker-demo']) {
      expect(svc(name).image, name).toBe(image);
      expect(svc(name).build, name).toBe('.');
    }
    expect(existsSync(repoPath('Dockerfile'))).toBe(true);
    expect(svc('migrate').command).toEqual(['migrate']);
    expect(svc('migrate').depends_on?.postgres?.condition).toBe('service_healthy');
    expect(svc('grafana').depends_on?.postgres?.condition).toBe('service_healthy');
    for (const name of ['worker', 'worker-demo']) {
      const s = svc(name);
      expect(s.depends_on?.migrate?.condition, name).toBe('service_completed_successfully');
      // pd-warehouse worker may take SHUTDOWN_TIMEOUT_S (25 s by default) to stop: compose must wait longer.
      expect(Number(/^(\d+)s$/.exec(s.stop_grace_period ?? '')?.[1]), name).toBeGreaterThan(25);
    }
    // The image's entrypoint is tini → pd-warehouse; the account worker's shell wrapper keeps tini and
    // execs the worker, so SIGTERM reaches it.
    expect(svc('worker-demo').entrypoint).toBeUndefined();
    expect(svc('worker-demo').command).toEqual(['worker']);
    expect(svc('worker').entrypoint).toEqual(['/usr/bin/tini', '--', 'sh', '-c']);
    expect(readSource('Dockerfile')).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "pd-warehouse"]');
    expect(svc('worker-demo').depends_on?.simulator?.condition).toBe('service_healthy');
    expect(svc('simulator').healthcheck?.test.join(' ')).toContain('/_sim/health');
  });

  it('every pd-warehouse service writes the pagerduty schema of the postgres service', () => {
    for (const name of ['migrate', 'worker', 'worker-demo']) {
      const env = svc(name).environment ?? {};
      expect(env.DATABASE_URL, name).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(env.DATABASE_SCHEMA, name).toBe('pagerduty');
    }
  });

  it('the account worker sets every variable pd-warehouse reads, passing through all but the database', () => {
    const env = svc('worker').environment ?? {};
    // src/config.ts reads the keys of its zod env schema and, for the worker, a few more directly.
    const read = variablesRead();
    expect(read.size).toBeGreaterThan(10);
    expect(read).toContain('SYNC_SCHEDULE');
    // The embedded database's folder does not apply: compose always has DATABASE_URL.
    read.delete('PD_WAREHOUSE_DATA_DIR');
    expect(Object.keys(env).sort()).toEqual([...read].sort());
    for (const [name, value] of Object.entries(env)) {
      if (!['DATABASE_URL', 'DATABASE_SCHEMA'].includes(name)) expect(value, name).toBeNull();
    }
  });

  it('the demo runs the large simulator on 0.0.0.0:8080 with real flags, and its worker points at it', () => {
    const cmd = svc('simulator').command ?? [];
    expect(cmd[0]).toBe('simulator');
    const flags = cmd.filter((a) => a.startsWith('--'));
    for (const f of flags) expect(SIMULATOR_USAGE, f).toContain(`${f} `);
    const arg = (f: string) => cmd[cmd.indexOf(f) + 1];
    expect([arg('--port'), arg('--host'), arg('--preset')]).toEqual(['8080', '0.0.0.0', 'large']);
    expect(Number(arg('--advance-every'))).toBeGreaterThan(0);
    const env = svc('worker-demo').environment ?? {};
    expect(env.PAGERDUTY_API_URL).toBe('http://simulator:8080');
    expect(env.PAGERDUTY_TOKEN).toMatch(/^demo-/);
  });

  it('holds no secret: passwords and tokens come from the environment, with no default, but the demo token', () => {
    const text = readSource('docker-compose.yml');
    expect(text).not.toMatch(/\$\{\w*(TOKEN|PASSWORD|SECRET)\w*:-/);
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(s.environment ?? {})) {
        if (name === DEMO_TOKEN.service && variable === DEMO_TOKEN.variable) continue;
        if (value === null) continue;
        if (SECRET_NAME.test(variable))
          expect(value, `${name} ${variable}`).toMatch(/^\$\{\w+(:\?[^}]*)?\}$/);
        // A URL's password is a variable too: with the ${…} taken out, its user-info holds no ':password'.
        if (/^\w+:\/\/.*@/.test(value)) {
          expect(value, `${name} ${variable}`).toContain('${POSTGRES_PASSWORD:?');
          expect(value.replace(/\$\{[^}]*\}/g, ''), `${name} ${variable}`).toMatch(/^\w+:\/\/[^:@]*:?@/);
        }
      }
    }
  });

  it('grafana is grafana-oss on port 3000 with anonymous viewers and its provisioning mounted from deploy/grafana', () => {
    const g = svc('grafana');
    expect(g.image).toMatch(/^grafana\/grafana-oss(:|$)/);
    expect(g.ports?.some((p) => p.endsWith(':3000'))).toBe(true);
    expect(g.environment?.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
    expect(g.environment?.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Viewer');
    const mounts = binds(g);
    for (const host of mounts.keys()) expect(existsSync(repoPath(host)), host).toBe(true);
    expect(mounts.get('deploy/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const dashboards = mounts.get('deploy/grafana/dashboards');
    expect(providers.providers.map((p) => p.options.path)).toEqual([dashboards]);
    expect(g.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(`${dashboards}/pd-warehouse.json`);
  });
});

describe('grafana provisioning', () => {
  it('one Postgres data source: the compose database, credentials from the environment, no TLS, no TimescaleDB', () => {
    expect(datasources.datasources).toHaveLength(1);
    const [ds] = datasources.datasources;
    expect(ds?.type).toBe('grafana-postgresql-datasource');
    expect(ds?.url).toBe('postgres:5432');
    expect(ds?.jsonData).toMatchObject({ sslmode: 'disable', timescaledb: false, postgresVersion: 1600 });
    expect([ds?.user, ds?.jsonData.database, ds?.secureJsonData.password]).toEqual([
      '$POSTGRES_USER',
      '$POSTGRES_DB',
      '$POSTGRES_PASSWORD',
    ]);
    const env = svc('grafana').environment ?? {};
    for (const v of ['POSTGRES_USER', 'POSTGRES_DB', 'POSTGRES_PASSWORD']) {
      expect(env[v], v).toBe(svc('postgres').environment?.[v]);
    }
  });

  it('the dashboard queries only the provisioned data source, through the pagerduty schema', () => {
    const uid = datasources.datasources[0]?.uid;
    const queries = queriesOf(dashboard);
    expect(queries.length).toBeGreaterThan(10);
    for (const q of queries) {
      expect(q.datasourceUid, q.where).toBe(uid);
      expect(q.sql, q.where).toMatch(/\bpagerduty\.\w+/);
      // Every FROM/JOIN names its schema: Grafana's connection has no search_path set.
      for (const m of q.sql.matchAll(/\b(?:FROM|JOIN)\s+([\w.]+)/gi))
        expect(m[1], q.where).toMatch(/^pagerduty\./);
    }
    for (const p of panelsOf(dashboard)) if (p.type !== 'row') expect(p.datasource?.uid, p.title).toBe(uid);
  });

  it('uses every view of the contract, and has the $service and $team variables over service_keys', () => {
    const sql = queriesOf(dashboard)
      .map((q) => q.sql)
      .join('\n');
    for (const view of [
      'incident_metrics',
      'mttr_by_service_week',
      'mttr_by_team_week',
      'oncall_hours_by_user_week',
      'sync_freshness',
      'service_keys',
    ]) {
      expect(sql, view).toContain(`pagerduty.${view}`);
    }
    const vars = new Map(dashboard.templating.list.map((v) => [v.name, v.query]));
    expect(vars.get('service')).toContain('pagerduty.service_keys');
    expect(vars.get('team')).toContain('pagerduty.service_keys');
  });

  it('colours data freshness red past a threshold', () => {
    const text = readFileSync(repoPath('deploy/grafana/dashboards/pd-warehouse.json'), 'utf8');
    const fresh = panelsOf(dashboard).filter((p) =>
      p.targets?.some((t) => t.rawSql.includes('sync_freshness')),
    );
    expect(fresh.map((p) => p.type).sort()).toEqual(['stat', 'table']);
    expect(text).toMatch(/"color": "red",\s*"value": 3600/);
  });
});

describe('the Grafana macro expander used by dashboard.test.ts', () => {
  const ctx = {
    from: new Date('2026-01-05T00:00:00Z'),
    to: new Date('2026-02-05T00:00:00Z'),
    variables: new Map([['service', ['api', "o'hara"]]]),
    schema: 't_x_1',
  };

  it('expands time macros as Grafana does, and multi-value variables as quoted lists', () => {
    expect(
      expandGrafanaSql(
        "SELECT $__timeGroupAlias(created_at, '1w'), $__timeFrom() FROM pagerduty.x WHERE $__timeFilter(created_at) AND k IN (${service:sqlstring}) AND j IN ($service)",
        ctx,
      ),
    ).toBe(
      'SELECT floor(extract(epoch from created_at)/604800)*604800 AS "time", \'2026-01-05T00:00:00.000Z\' FROM t_x_1.x ' +
        "WHERE created_at BETWEEN '2026-01-05T00:00:00.000Z' AND '2026-02-05T00:00:00.000Z' AND k IN ('api','o''hara') AND j IN ('api','o''hara')",
    );
  });

  it('refuses what it cannot expand', () => {
    expect(() => expandGrafanaSql('SELECT $team', ctx)).toThrow(/unknown template variable/);
    expect(() => expandGrafanaSql('SELECT $__interval_ms', ctx)).toThrow(/unexpanded/);
  });
});
