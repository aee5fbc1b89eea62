CREATE TABLE "sync_rejects" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sync_rejects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"run_id" bigint NOT NULL,
	"resource" text NOT NULL,
	"item_id" text,
	"reason" text NOT NULL,
	"payload" jsonb NOT NULL,
	"rejected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sync_rejects_run_id_idx" ON "sync_rejects" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "sync_rejects_resource_idx" ON "sync_rejects" USING btree ("resource","item_id");--> statement-breakpoint
COMMENT ON TABLE "sync_rejects" IS 'One row per record the PagerDuty API sent that failed validation: kept for inspection instead of being loaded. A run with rejects ends partial (exit 1 unless sync --allow-rejects).';--> statement-breakpoint
COMMENT ON COLUMN "sync_rejects"."id" IS 'Generated identifier of the reject.';--> statement-breakpoint
COMMENT ON COLUMN "sync_rejects"."run_id" IS 'The run (sync_runs.id) that met the record.';--> statement-breakpoint
COMMENT ON COLUMN "sync_rejects"."resource" IS 'The resource being read (incidents, services, custom_fields, …).';--> statement-breakpoint
COMMENT ON COLUMN "sync_rejects"."item_id" IS 'The record''s id when it had a usable one, else NULL.';--> statement-breakpoint
COMMENT ON COLUMN "sync_rejects"."reason" IS 'What was wrong: the first validation problems (field path and message), one line.';--> statement-breakpoint
COMMENT ON COLUMN "sync_rejects"."payload" IS 'The record exactly as the API sent it (any JSON value); over 100 kB only a prefix is kept, marked truncated.';--> statement-breakpoint
COMMENT ON COLUMN "sync_rejects"."rejected_at" IS 'When the run met the record (UTC).';
