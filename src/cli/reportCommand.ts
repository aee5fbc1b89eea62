import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedDatabaseExists, openDatabase } from '../db/client.js';
import { migrateDatabase } from '../db/migrate.js';
import type { Queryable } from '../db/types.js';
import { SyncError } from '../errors.js';
import { formatCsv } from '../report/formatCsv.js';
import { formatJson } from '../report/formatJson.js';
import { formatTable } from '../report/formatTable.js';
import { renderHtml } from '../report/html.js';
import { isoDate, parseSince, weeksBetween } from '../report/period.js';
import { queryServiceKeys, queryWeekRows } from '../report/query.js';
import { knownKeys, selectServices, splitList, type Selection } from '../report/select.js';
import type { Report } from '../report/types.js';
import { parseConfigForDatabase } from './dbConfig.js';
import type { CliIo } from './io.js';
import { UsageError } from './usageError.js';

const USAGE = `usage: pd-warehouse report [--since 90d|DATE] [--service KEY] [--team KEY] [--format FORMAT] [--out FILE]

MTTA and MTTR by service and ISO week (UTC), from the warehouse that sync fills (DATABASE_URL, else the
embedded database in PD_WAREHOUSE_DATA_DIR; DATABASE_SCHEMA).

  --since PERIOD   start of the period: a duration back from now (90d, 12h) or an ISO date or instant
                   (2026-01-05, 2026-01-05T09:00:00Z); default 90d. Whole ISO weeks are reported.
  --service KEY    only this service (service key or id); repeat the flag or give a comma list
  --team KEY       only this team's services (team key or id); repeat or comma list
  --format FORMAT  table (default, for the terminal), json, csv, or html (a self-contained page; needs --out)
  --out FILE       write to FILE instead of standard output`;

const FORMATS = ['table', 'json', 'csv', 'html'] as const;
type Format = (typeof FORMATS)[number];

interface ReportArgs {
  since: Date;
  format: Format;
  out: string | undefined;
  services: string[];
  teams: string[];
}

function parseReportArgs(args: string[], now: Date): ReportArgs | null {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      since: { type: 'string', default: '90d' },
      service: { type: 'string', multiple: true },
      team: { type: 'string', multiple: true },
      format: { type: 'string', default: 'table' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return null;
  const format = FORMATS.find((f) => f === values.format);
  if (!format) throw new UsageError(`--format '${values.format}' is not one of ${FORMATS.join(', ')}`);
  if (format === 'html' && !values.out) throw new UsageError('--format html needs --out FILE');
  const since = parseSince(values.since, now);
  if (!since)
    throw new UsageError(
      `--since '${values.since}' is neither a duration like 90d nor a date like 2026-01-05`,
    );
  if (since.getTime() >= now.getTime()) throw new UsageError(`--since '${values.since}' is in the future`);
  return {
    since,
    format,
    out: values.out,
    services: splitList(values.service),
    teams: splitList(values.team),
  };
}

/** One line naming what matched nothing and a few keys that would have. */
function unmatchedMessage(selection: Selection, known: { services: string[]; teams: string[] }): string {
  const parts = (['--service', '--team'] as const).flatMap((flag) => {
    const values = selection.unmatched.filter((u) => u.flag === flag).map((u) => `'${u.value}'`);
    if (values.length === 0) return [];
    const keys = flag === '--service' ? known.services : known.teams;
    const few = keys.slice(0, 5).join(', ') + (keys.length > 5 ? `, … (${keys.length} in all)` : '');
    const noun = flag === '--service' ? 'service' : 'team';
    return [`no ${noun} matched ${values.join(', ')}; valid ${noun} keys: ${few || 'none (run sync first)'}`];
  });
  return parts.join('; ');
}

async function loadReport(db: Queryable, a: ReportArgs, now: Date): Promise<Report> {
  let selected: Report['selected'] = null;
  if (a.services.length > 0 || a.teams.length > 0) {
    const all = await queryServiceKeys(db);
    const selection = selectServices(all, { services: a.services, teams: a.teams });
    if (selection.unmatched.length > 0) {
      const known = { services: knownKeys(all, 'service_key'), teams: knownKeys(all, 'team_key') };
      throw new UsageError(unmatchedMessage(selection, known));
    }
    selected = selection.selected;
  }
  const weeks = weeksBetween(a.since, now);
  const rows = await queryWeekRows(db, {
    fromWeek: weeks[0]?.weekStart ?? isoDate(a.since),
    toWeek: weeks[weeks.length - 1]?.weekStart ?? isoDate(now),
    serviceIds: selected?.map((s) => s.service_id) ?? null,
  });
  return { since: a.since, until: now, generatedAt: now, weeks, rows, selected };
}

function render(report: Report, format: Format): string {
  if (format === 'json') return `${formatJson(report)}\n`;
  if (format === 'csv') return formatCsv(report);
  if (format === 'html') return renderHtml(report);
  return `${formatTable(report).join('\n')}\n`;
}

/** `pd-warehouse report`: MTTA/MTTR by service and ISO week as a table, JSON, CSV or an HTML page. */
export async function reportCommand(args: string[], io: CliIo, now = new Date()): Promise<number> {
  const a = parseReportArgs(args, now);
  if (!a) {
    io.out(USAGE);
    return 0;
  }
  const { database } = parseConfigForDatabase(io.env);
  if (!database.url && !embeddedDatabaseExists(resolve(database.dataDir))) {
    throw new SyncError(
      `no warehouse in ${resolve(database.dataDir)}: run 'pd-warehouse sync' first, or set DATABASE_URL`,
    );
  }
  const db = await openDatabase({ url: database.url, dataDir: database.dataDir, schema: database.schema });
  let report: Report;
  try {
    await migrateDatabase(db);
    report = await loadReport(db, a, now);
  } finally {
    await db.close();
  }
  const text = render(report, a.format);
  if (a.out) {
    writeFileSync(a.out, text);
    const services = new Set(report.rows.map((r) => r.service_id)).size;
    io.out(`wrote ${a.out} (${a.format}; ${services} services, ${report.rows.length} service-weeks)`);
  } else {
    // io.out ends the text with a newline; drop the one the text already has.
    io.out(text.endsWith('\n') ? text.slice(0, -1) : text);
  }
  return 0;
}
