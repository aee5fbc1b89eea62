/**
 * A small stand-in for what Grafana's PostgreSQL data source does to a raw SQL query before sending it,
 * so the provisioned dashboard's queries can run against a real warehouse in tests. It expands:
 *
 * | in the dashboard                  | sent to Postgres                                                   |
 * | --------------------------------- | ------------------------------------------------------------------ |
 * | `$__timeFilter(col)`              | `col BETWEEN '<from>' AND '<to>'` (ISO instants, UTC, like Grafana) |
 * | `$__timeFrom()`, `$__timeTo()`    | `'<from>'`, `'<to>'`                                               |
 * | `$__time(col)`                    | `col AS "time"`                                                    |
 * | `$__timeEpoch(col)`               | `extract(epoch from col) AS "time"`                                |
 * | `$__timeGroup(col, '1w')`         | `floor(extract(epoch from col)/604800)*604800`                     |
 * | `$__timeGroupAlias(col, '1w')`    | the same, `AS "time"`                                              |
 * | `$__unixEpochFilter(col)`         | `col >= <from s> AND col <= <to s>`                                |
 * | `${v:sqlstring}`, `${v}`, `$v`, `[[v]]` | every value of `v` single-quoted (`'` doubled), joined by `,` |
 * | `pagerduty.` (the compose schema) | `<schema>.` (a test's private schema)                              |
 *
 * Variables are multi-value with "All" selected, which Grafana formats the same way for SQL data sources.
 * Whatever is left that looks like a macro or a variable throws, so a query the test cannot expand fails
 * instead of being skipped. Not covered (the dashboard does not use them): `$__interval`, fill options of
 * `$__timeGroup`, `${v:csv}` and other formats, custom all-values.
 */

export interface GrafanaContext {
  from: Date;
  to: Date;
  /** Values per template variable name. */
  variables: ReadonlyMap<string, readonly string[]>;
  /** Replaces the `pagerduty.` schema qualifier; omit to keep it. */
  schema?: string;
}

const iso = (d: Date) => `'${d.toISOString()}'`;
const quote = (v: string) => `'${v.replace(/'/g, "''")}'`;

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `'5m'`, `1h`, `'1w'` → seconds. */
function intervalSeconds(raw: string): number {
  const m = /^'?(\d+)([smhdw])'?$/.exec(raw.trim());
  const unit = m?.[2] === undefined ? undefined : UNITS[m[2]];
  if (!m?.[1] || unit === undefined) throw new Error(`unsupported $__timeGroup interval ${raw}`);
  return Number(m[1]) * unit;
}

function splitArgs(args: string): string[] {
  return args.split(',').map((a) => a.trim());
}

function timeGroup(args: string): string {
  const [col, interval] = splitArgs(args);
  if (!col || !interval) throw new Error(`$__timeGroup needs (column, interval): ${args}`);
  const s = intervalSeconds(interval);
  return `floor(extract(epoch from ${col})/${s})*${s}`;
}

/** Expands one dashboard query (see the table above). */
export function expandGrafanaSql(sql: string, ctx: GrafanaContext): string {
  const fromS = Math.floor(ctx.from.getTime() / 1000);
  const toS = Math.floor(ctx.to.getTime() / 1000);
  let out = sql
    .replace(
      /\$__timeFilter\(([^)]+)\)/g,
      (_m, col: string) => `${col.trim()} BETWEEN ${iso(ctx.from)} AND ${iso(ctx.to)}`,
    )
    .replace(/\$__timeFrom\(\)/g, iso(ctx.from))
    .replace(/\$__timeTo\(\)/g, iso(ctx.to))
    .replace(/\$__timeEpoch\(([^)]+)\)/g, (_m, col: string) => `extract(epoch from ${col.trim()}) AS "time"`)
    .replace(/\$__time\(([^)]+)\)/g, (_m, col: string) => `${col.trim()} AS "time"`)
    .replace(/\$__timeGroupAlias\(([^)]+)\)/g, (_m, args: string) => `${timeGroup(args)} AS "time"`)
    .replace(/\$__timeGroup\(([^)]+)\)/g, (_m, args: string) => timeGroup(args))
    .replace(
      /\$__unixEpochFilter\(([^)]+)\)/g,
      (_m, col: string) => `${col.trim()} >= ${fromS} AND ${col.trim()} <= ${toS}`,
    );
  const values = (name: string, format = 'sqlstring') => {
    const list = ctx.variables.get(name);
    if (list === undefined) throw new Error(`unknown template variable $${name} in: ${sql}`);
    if (format !== 'sqlstring') throw new Error(`unsupported variable format ${name}:${format}`);
    if (list.length === 0) throw new Error(`template variable $${name} has no values`);
    return list.map(quote).join(',');
  };
  out = out
    .replace(/\$\{(\w+)(?::(\w+))?\}/g, (_m, name: string, format?: string) => values(name, format))
    .replace(/\[\[(\w+)\]\]/g, (_m, name: string) => values(name))
    .replace(/\$(?!__)([A-Za-z_]\w*)/g, (_m, name: string) => values(name));
  const left = /\$__\w+|\$\{|\[\[/.exec(out);
  if (left) throw new Error(`unexpanded Grafana syntax '${left[0]}' in: ${out}`);
  return ctx.schema === undefined ? out : out.replace(/\bpagerduty\./g, `${ctx.schema}.`);
}
