import { z } from 'zod';
import { entityTags, tags as tagsTable } from '../db/schema/account.js';
import { defineResource, type ChildDef } from './define.js';
import { reference, splitTag } from './fields.js';

const tag = z.object({ id: z.string().min(1).max(255), label: z.string().max(1000) }).loose();
type Tag = z.infer<typeof tag>;

/** The kinds PagerDuty tags, as the path segment of /tags/{id}/{kind}. */
const KINDS = ['users', 'teams', 'escalation_policies'] as const;

function taggedEntities(kind: (typeof KINDS)[number]): ChildDef<Tag, typeof reference> {
  return {
    path: (t) => `/tags/${encodeURIComponent(t.id)}/${kind}`,
    dataKey: kind,
    schema: reference,
    replaces: { table: entityTags, column: 'tag_id' },
    toRows: (t, e, ctx) => {
      const row: typeof entityTags.$inferInsert = {
        entityType: kind,
        entityId: e.id,
        tagId: t.id,
        ...splitTag(t.label),
        syncedAt: ctx.syncedAt,
      };
      return [{ table: entityTags, rows: [row] }];
    },
  };
}

/** Tags (label split into tag_key/tag_value) and what carries them, from /tags/{id}/users|teams|escalation_policies. */
export const tags = defineResource({
  name: 'tags',
  path: '/tags',
  dataKey: 'tags',
  params: {},
  sync: { kind: 'snapshot' },
  schema: tag,
  toRows: (t, ctx) => {
    const row: typeof tagsTable.$inferInsert = {
      id: t.id,
      label: t.label,
      ...splitTag(t.label),
      deletedAt: null,
      raw: ctx.raw,
      syncedAt: ctx.syncedAt,
    };
    return [{ table: tagsTable, rows: [row] }];
  },
  children: KINDS.map(taggedEntities),
  // A deleted user, team or policy leaves the tags it carried. Tagging shows in no entity's listing (the
  // representations have no tags), so a tag put on or taken off a live entity waits for the full refresh.
  detailSignals: KINDS.map((kind) => ({
    kind: 'linked' as const,
    resource: kind,
    table: entityTags,
    parentColumn: 'tag_id',
    entityColumn: 'entity_id',
    match: { entity_type: kind },
  })),
});
