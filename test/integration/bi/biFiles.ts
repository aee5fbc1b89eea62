/**
 * Reads the BI stack's files from the repository (docker-compose.yml, the Grafana provisioning and the
 * dashboard) and parses them with zod, keeping only what the tests look at.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/** An absolute path from a path relative to the repository root. */
export const repoPath = (relative: string) => fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

const readText = (relative: string) => readFileSync(repoPath(relative), 'utf8');

/** YAML with `<<` merge keys resolved, as docker compose reads it. */
export const readYaml = (relative: string): unknown => parse(readText(relative), { merge: true });

const dependency = z.object({ condition: z.string(), required: z.boolean().optional() });

const service = z.object({
  image: z.string(),
  build: z.string().optional(),
  profiles: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  command: z.array(z.string()).optional(),
  /** A key with no value (null) passes the variable through from the environment. */
  environment: z.record(z.string(), z.string().nullable()).optional(),
  ports: z.array(z.string()).optional(),
  volumes: z.array(z.string()).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).optional(),
  depends_on: z.record(z.string(), dependency).optional(),
  stop_grace_period: z.string().optional(),
});

export type ComposeService = z.infer<typeof service>;

export const composeSchema = z.object({
  version: z.unknown().optional(),
  name: z.string(),
  services: z.record(z.string(), service),
  volumes: z.record(z.string(), z.unknown().nullable()),
});

export const datasourcesSchema = z.object({
  apiVersion: z.literal(1),
  datasources: z.array(
    z.object({
      name: z.string(),
      uid: z.string(),
      type: z.string(),
      url: z.string(),
      user: z.string(),
      jsonData: z.object({
        database: z.string(),
        sslmode: z.string(),
        postgresVersion: z.number(),
        timescaledb: z.boolean(),
      }),
      secureJsonData: z.object({ password: z.string() }),
    }),
  ),
});

export const providersSchema = z.object({
  apiVersion: z.literal(1),
  providers: z.array(
    z.object({ name: z.string(), type: z.literal('file'), options: z.object({ path: z.string() }) }),
  ),
});

const datasourceRef = z.object({ type: z.string(), uid: z.string() });

const target = z.object({
  refId: z.string(),
  datasource: datasourceRef,
  format: z.enum(['time_series', 'table']),
  rawQuery: z.literal(true),
  rawSql: z.string(),
});

interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: z.infer<typeof datasourceRef> | undefined;
  targets?: z.infer<typeof target>[] | undefined;
  panels?: Panel[] | undefined;
}

const panel: z.ZodType<Panel> = z.lazy(() =>
  z.object({
    id: z.number(),
    type: z.string(),
    title: z.string(),
    datasource: datasourceRef.optional(),
    targets: z.array(target).optional(),
    panels: z.array(panel).optional(),
  }),
);

export const dashboardSchema = z.object({
  uid: z.string(),
  title: z.string(),
  panels: z.array(panel),
  templating: z.object({
    list: z.array(
      z.object({ name: z.string(), type: z.literal('query'), datasource: datasourceRef, query: z.string() }),
    ),
  }),
});

export type Dashboard = z.infer<typeof dashboardSchema>;

export const DASHBOARD_FILE = 'deploy/grafana/dashboards/pd-warehouse.json';

export function readDashboard(): Dashboard {
  return dashboardSchema.parse(JSON.parse(readText(DASHBOARD_FILE)));
}

/** One SQL query of the dashboard: a panel target or a template variable. */
export interface DashboardQuery {
  where: string;
  sql: string;
  datasourceUid: string;
}

/** Every panel (rows' nested panels too) with its targets, in dashboard order. */
export function panelsOf(dashboard: Dashboard): Panel[] {
  const out: Panel[] = [];
  const walk = (list: Panel[]) => {
    for (const p of list) {
      out.push(p);
      walk(p.panels ?? []);
    }
  };
  walk(dashboard.panels);
  return out;
}

/** Every rawSql of the dashboard: template variables first (in order), then every panel target. */
export function queriesOf(dashboard: Dashboard): DashboardQuery[] {
  const variables = dashboard.templating.list.map((v) => ({
    where: `variable $${v.name}`,
    sql: v.query,
    datasourceUid: v.datasource.uid,
  }));
  const targets = panelsOf(dashboard).flatMap((p) =>
    (p.targets ?? []).map((t) => ({
      where: `panel '${p.title}' ${t.refId} (${t.format})`,
      sql: t.rawSql,
      datasourceUid: t.datasource.uid,
    })),
  );
  return [...variables, ...targets];
}

/** Source text, for cross-checks (which environment variables the CLI reads, the simulator's flags). */
export const readSource = readText;

/**
 * Environment variables the CLI reads, from its source: the keys of config.ts's zod env schema
 * (`  SYNC_START: z.string()…`) and every `env.NAME` (the worker's variables, `io.env.PUSHGATEWAY_URL`).
 * `files` are relative to the repository; config.ts alone by default.
 */
export function variablesRead(files: readonly string[] = ['src/config.ts']): Set<string> {
  const read = new Set<string>();
  for (const file of files) {
    const text = readText(file);
    for (const m of text.matchAll(/^ {2}([A-Z][A-Z0-9_]*): z\./gm)) read.add(m[1] ?? '');
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) read.add(m[1] ?? '');
  }
  read.delete('');
  return read;
}
