import { HttpError } from '../errors.js';
import type { CustomFieldValues } from '../resources/customFields.js';
import { collectChildItems, RowBatch } from './collect.js';
import type { ResourceReport, SyncDeps } from './context.js';
import { writeBatch } from './write.js';

const CHUNK = 200;

/**
 * Reads the custom field values of each parent id (one GET each, paced by the client's limiter) and
 * replaces each parent's rows as a set, one transaction per chunk. A parent gone meanwhile (404) is skipped.
 */
export async function syncCustomFieldValues(
  deps: SyncDeps,
  def: CustomFieldValues,
  ids: readonly string[],
  report: ResourceReport,
): Promise<void> {
  const ctx = { report, logger: deps.logger, syncedAt: new Date(deps.now) };
  for (let i = 0; i < ids.length; i += CHUNK) {
    if (deps.signal?.aborted) return;
    const batch = new RowBatch(deps.runId);
    const answers = await Promise.all(
      ids.slice(i, i + CHUNK).map(async (id) => {
        try {
          const res = await deps.client.get(def.path(id), {});
          report.pages++;
          const items = (res.body as Record<string, unknown> | null)?.[def.dataKey];
          return { id, items: Array.isArray(items) ? (items as unknown[]) : [] };
        } catch (err) {
          if (err instanceof HttpError && err.status === 404) {
            deps.logger.warn(
              { resource: 'custom_fields', path: def.path(id) },
              'parent is gone (404); skipped',
            );
            return null;
          }
          throw err;
        }
      }),
    );
    for (const a of answers) {
      if (!a) continue;
      batch.add([
        { table: def.replaces.table, rows: [], replaceFor: { column: def.replaces.column, ids: [a.id] } },
      ]);
      collectChildItems('custom_fields', def, a.id, a.items, batch, ctx);
    }
    if (!batch.tables.size && batch.rejects.length === 0) continue;
    report.written += await deps.db.transaction((tx) => writeBatch(tx, batch));
  }
}
