ALTER TABLE "incidents" ADD COLUMN "row_hash" bigint;--> statement-breakpoint
ALTER TABLE "log_entries" ADD COLUMN "row_hash" bigint;--> statement-breakpoint
COMMENT ON COLUMN "incidents"."row_hash" IS 'Internal to the sync: a hash of the row as last written from the API (synced_at aside). A re-listed incident whose hash is unchanged is skipped without being compared. NULL until the sync next lists the row.';--> statement-breakpoint
COMMENT ON COLUMN "log_entries"."row_hash" IS 'Internal to the sync: a hash of the row as last written from the API (synced_at aside). A re-listed entry whose hash is unchanged is skipped without being compared. NULL until the sync next lists the row.';
