/**
 * docs/warehouse.md stays true: every ```sql block runs against a synced `large` account (the doc's
 * `pagerduty.` prefix swapped for the test's schema), each of the ten questions gets at least one row, and
 * the doc names every table and view of the schema.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.js';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { createWarehouse, syncAgainst, type Warehouse } from '../../helpers/syncHarness.js';

const DOC = readFileSync(new URL('../../../docs/warehouse.md', import.meta.url), 'utf8');
const DAY = 86_400_000;
/** The doc's questions look back up to 90 days and at last month; the history must reach that far, to now. */
const HISTORY_DAYS = 35;

interface SqlBlock {
  /** The `### …` heading the block sits under. */
  question: string;
  sql: string;
  /** Marked `-- setup` on its first line: it prepares data and returns no rows. */
  setup: boolean;
}

function sqlBlocks(doc: string): SqlBlock[] {
  return [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => {
    const before = doc.slice(0, m.index);
    const heading = [...before.matchAll(/^### (.+)$/gm)].at(-1)?.[1] ?? '(no heading)';
    const sql = m[1] ?? '';
    return { question: heading, sql, setup: sql.trimStart().startsWith('-- setup') };
  });
}

describe('docs/warehouse.md against a synced large account', () => {
  let sim: Simulator;
  let wh: Warehouse;
  let db: Database;
  const env = { PAGERDUTY_MAX_RPM: '10000', SERVICE_KEY_SOURCE: 'tag:service', TEAM_KEY_SOURCE: 'tag:team' };

  beforeAll(async () => {
    // The queries are relative to now(): the account's history ends now, and on-calls are synced over the
    // last HISTORY_DAYS (past shifts accumulate only from the first sync on), like a warehouse kept in step.
    const start = Math.floor((Date.now() - HISTORY_DAYS * DAY) / 60_000) * 60_000;
    sim = await startSimulator({ seed: 5, preset: 'large', now: start, rpm: 100_000 });
    wh = createWarehouse('warehouse-doc');
    const first = await syncAgainst(sim, wh, env);
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    sim.advance(Math.floor((Date.now() - sim.account.now) / 60_000) - 1);
    const again = await syncAgainst(sim, wh, env);
    expect(again.err).toEqual([]);
    expect(again.code).toBe(0);
    db = await wh.open();
  }, 300_000);
  afterAll(async () => {
    await db?.close();
    await sim?.close();
    await wh?.drop();
  });

  it('every sql block runs, and each of the ten questions returns rows', async () => {
    const blocks = sqlBlocks(DOC);
    expect(blocks.filter((b) => !b.setup)).toHaveLength(10);
    const schema = wh.env.DATABASE_SCHEMA ?? 'pagerduty';
    const problems: string[] = [];
    const answered: string[] = [];
    // One connection for all blocks: the setup block's temporary table must be there for the next one.
    await db.transaction(async (tx) => {
      for (const block of blocks) {
        const sql = block.sql.replace(/\bpagerduty\./g, `"${schema}".`);
        await tx.query('SAVEPOINT doc_block');
        try {
          const rows = await tx.query(sql);
          await tx.query('RELEASE SAVEPOINT doc_block');
          if (!block.setup && rows.length === 0) problems.push(`${block.question}: no rows`);
          if (!block.setup) answered.push(block.question);
        } catch (error) {
          await tx.query('ROLLBACK TO SAVEPOINT doc_block');
          problems.push(`${block.question}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    });
    expect(problems, problems.join('\n')).toEqual([]);
    expect(new Set(answered).size).toBe(10);
  });

  it('names every table and view of the schema', async () => {
    const relations = await db.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> '__drizzle_migrations'
        ORDER BY c.relname`,
      [db.schema],
    );
    expect(relations).toHaveLength(36);
    const unnamed = relations.map((r) => r.name).filter((name) => !DOC.includes(`\`${name}\``));
    expect(unnamed, `not in docs/warehouse.md: ${unnamed.join(', ')}`).toEqual([]);
  });
});
